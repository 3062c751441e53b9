import { TIERS, type Tier } from './tiers.js';

/** Position of a tier, 0 (`low`) to 3 (`critical`). */
export const tierRank = (tier: Tier): number => TIERS.indexOf(tier);
