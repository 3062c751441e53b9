import type { AssessmentDocument } from '../assessment/assessment.schema.js';
import { tierRank } from '../vocabulary/tier-rank.util.js';
import type { Tier } from '../vocabulary/tiers.js';
import { effectiveTier } from './effective-tier.util.js';

/** The case's tier: the highest evaluation tier under the pack; null while there are no evaluations. */
export const assessedTier = (
  assessment: Pick<AssessmentDocument, 'evaluations'>,
  pack: { cannotRuleOutCountsAs: Tier },
): Tier | null =>
  (assessment.evaluations ?? []).reduce<Tier | null>((highest, evaluation) => {
    const tier = effectiveTier(evaluation.tier, pack);
    return highest === null || tierRank(tier) > tierRank(highest) ? tier : highest;
  }, null);
