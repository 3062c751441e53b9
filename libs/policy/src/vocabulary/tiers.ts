/** Risk tiers from lowest to highest. */
export const TIERS = ['low', 'moderate', 'high', 'critical'] as const;

export type Tier = (typeof TIERS)[number];

/** What an evaluation may conclude: a tier, or that the highest cannot be ruled out. */
export const ASSESSED_TIERS = [...TIERS, 'cannot_rule_out'] as const;

export type AssessedTier = (typeof ASSESSED_TIERS)[number];
