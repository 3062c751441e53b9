import { assessedTier } from '../tier/assessed-tier.util.js';
import { isCapabilityComponent } from '../vocabulary/components.js';
import { releaseRank } from '../vocabulary/release-rank.util.js';
import type { IntakeInput, IntakeReason } from './intake-reason.js';

export const WEIGHTS_WITHIN_TIER = 'weights-within-tier';

/**
 * Capability components are released no more openly than the pack permits at the assessed tier.
 * Also the `APPROVE` guard "assessed release within what the pack permits for the tier".
 */
export const weightsWithinTier = ({ assessment, pack }: Pick<IntakeInput, 'assessment' | 'pack'>): IntakeReason[] => {
  const tier = assessedTier(assessment, pack);
  // Without evaluations there is no tier to judge against; domain-evaluated reports that.
  if (tier === null) return [];
  const max = pack.tiers[tier].maxWeightsRelease;
  return (assessment.components ?? []).flatMap((c, i) =>
    isCapabilityComponent(c.component) && releaseRank(c.release) > releaseRank(max)
      ? [
          {
            rule: WEIGHTS_WITHIN_TIER,
            path: `$.components[${i}].release`,
            message: `${c.component}: ${c.release} exceeds ${max}, the most open release permitted at tier ${tier}`,
          },
        ]
      : [],
  );
};
