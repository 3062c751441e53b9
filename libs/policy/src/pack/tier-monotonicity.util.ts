import { releaseRank } from '../vocabulary/release-rank.util.js';
import { TIERS, type Tier } from '../vocabulary/tiers.js';
import type { TierRequirements } from './tier-requirements.js';

/**
 * A higher tier never asks for less than a lower one: weights no more open, no fewer sign-offs,
 * and regulator review kept once required. Otherwise raising a tier could loosen the rules.
 * Paths are relative to the `tiers` object.
 */
export const tierMonotonicityProblems = (
  tiers: Record<Tier, TierRequirements>,
): Array<{ path: string[]; message: string }> =>
  TIERS.slice(1).flatMap((tier, i) => {
    const lower = TIERS[i]!;
    const [hi, lo] = [tiers[tier], tiers[lower]];
    const problems: Array<{ path: string[]; message: string }> = [];
    if (releaseRank(hi.maxWeightsRelease) > releaseRank(lo.maxWeightsRelease))
      problems.push({ path: [tier, 'maxWeightsRelease'], message: `${tier}: ${hi.maxWeightsRelease} is more open than ${lo.maxWeightsRelease} at tier ${lower}` });
    if (hi.signOffs < lo.signOffs)
      problems.push({ path: [tier, 'signOffs'], message: `${tier}: fewer sign-offs than the ${lo.signOffs} required at tier ${lower}` });
    if (lo.regulatorReview && !hi.regulatorReview)
      problems.push({ path: [tier, 'regulatorReview'], message: `${tier}: must keep the regulator review required at tier ${lower}` });
    return problems;
  });
