// Pure policy rules: vocabulary, the assessment document, policy packs, intake and release checks.
export * from './vocabulary/components.js';
export * from './vocabulary/release-levels.js';
export * from './vocabulary/release-rank.util.js';
export * from './vocabulary/min-release.util.js';
export * from './vocabulary/tiers.js';
export * from './vocabulary/tier-rank.util.js';
export * from './vocabulary/domains.js';
export * from './vocabulary/incident-categories.js';
export * from './vocabulary/base-model-relations.js';

export * from './validation/validation-problem.js';
export * from './validation/json-path.util.js';
export { zodIssuesToProblems } from './validation/zod-problems.util.js';

export * from './assessment/assessment.schema.js';
export * from './assessment/validate-assessment-shape.js';
export * from './assessment/validate-assessment-complete.js';
export * from './assessment/requires-checkpoint.util.js';

export * from './pack/iso-duration.util.js';
export * from './pack/policy-pack.schema.js';
export * from './pack/tier-requirements.js';
export * from './pack/validate-policy-pack.js';
export * from './pack/caip-2025.pack.js';
export * from './pack/incident-clocks.util.js';
export * from './pack/pack-ref.util.js';
export * from './pack/compare-versions.util.js';
export * from './pack/latest-pack.util.js';

export * from './tier/effective-tier.util.js';
export * from './tier/assessed-tier.util.js';
export * from './tier/tier-requirements.util.js';

export * from './intake/intake-reason.js';
export * from './intake/domain-evaluated.rule.js';
export * from './intake/weights-within-tier.rule.js';
export * from './intake/ancestor-not-held.rule.js';
export * from './intake/screen-intake.js';

export * from './release/release-types.js';
export * from './release/cleared-envelope.util.js';
export * from './release/release-within-clearance.rule.js';
export * from './release/gating-not-weaker.rule.js';
export * from './release/checkpoint-matches.rule.js';
export * from './release/check-record-release.js';
export * from './release/record-release.schema.js';
