import type { PolicyPack } from '../pack/policy-pack.schema.js';
import type { TierRequirements } from '../pack/tier-requirements.js';
import type { AssessedTier } from '../vocabulary/tiers.js';
import { effectiveTier } from './effective-tier.util.js';

/** What the pack demands at a tier (`cannot_rule_out` resolved as the pack says). */
export const tierRequirements = (pack: PolicyPack, tier: AssessedTier): TierRequirements =>
  pack.tiers[effectiveTier(tier, pack)];
