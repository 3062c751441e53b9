import type { AssessmentDocument } from '../assessment/assessment.schema.js';

/** The example assessment from SPEC.md, as a fresh object each call. Test-only. */
export const specExampleAssessment = (): AssessmentDocument => ({
  summary: 'what the model is and does',
  intendedUse: 'who will use it and for what',
  components: [
    { component: 'model_parameters', release: 'gated', gating: { criteria: ['institutional_email'], approval: 'manual' } },
    { component: 'inference_code', release: 'open' },
  ],
  evaluations: [
    { domain: 'chem_bio', method: 'red_team', tier: 'high', summary: 'uplift trial with 40 participants', evidenceIds: [] },
  ],
  safeguards: [{ kind: 'deployment', description: 'access review by staff', residualRisk: 'moderate' }],
  marginalRisk: {
    referenceModel: 'an already-open model of similar capability',
    analysis: 'why releasing adds or does not add risk',
  },
  rationale: 'why this release decision',
  failureConditions: ['evidence that would make this rationale wrong'],
});

/** An evaluation in each of the default pack's domains, at the given tier. */
export const evaluationsInEveryDomain = (tier: 'low' | 'moderate' | 'high' | 'critical' | 'cannot_rule_out' = 'low') =>
  ['chem_bio', 'cyber', 'autonomy', 'persuasion'].map((domain) => ({ domain, method: 'benchmark', tier, summary: `${domain} eval` }));
