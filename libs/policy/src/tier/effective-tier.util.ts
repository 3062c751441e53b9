import type { AssessedTier, Tier } from '../vocabulary/tiers.js';

/** The tier an assessed tier counts as under a pack: `cannot_rule_out` becomes the pack's choice. */
export const effectiveTier = (tier: AssessedTier, pack: { cannotRuleOutCountsAs: Tier }): Tier =>
  tier === 'cannot_rule_out' ? pack.cannotRuleOutCountsAs : tier;
