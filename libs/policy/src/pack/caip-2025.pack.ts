import { DEFAULT_DOMAINS } from '../vocabulary/domains.js';
import type { PolicyPack } from './policy-pack.schema.js';
import { deepFreeze } from './deep-freeze.util.js';

/** The default pack shipped with the product (SPEC "Policy packs"). Frozen: published packs never change. */
export const CAIP_2025: PolicyPack = deepFreeze({
  id: 'caip-2025',
  version: '1',
  title: 'Center for AI Policy 2025: assessed open release',
  domains: [...DEFAULT_DOMAINS],
  cannotRuleOutCountsAs: 'critical',
  tiers: {
    low: { maxWeightsRelease: 'open', signOffs: 1, regulatorReview: false },
    moderate: { maxWeightsRelease: 'open', signOffs: 1, regulatorReview: false },
    high: { maxWeightsRelease: 'gated', signOffs: 2, regulatorReview: true },
    critical: { maxWeightsRelease: 'internal', signOffs: 2, regulatorReview: true },
  },
  deadlines: {
    assignment: 'P5D',
    audit: 'P20D',
    review: 'P20D',
    info_response: 'P10D',
    changes_response: 'P30D',
    clearance_validity: 'P90D',
    reassessment: 'P180D',
  },
});

/** Every pack that ships with the product, seeded at start. */
export const SHIPPED_POLICY_PACKS: readonly PolicyPack[] = [CAIP_2025];
