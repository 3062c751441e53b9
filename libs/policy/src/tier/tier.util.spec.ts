import { describe, expect, it } from '@jest/globals';
import { CAIP_2025 } from '../pack/caip-2025.pack.js';
import { assessedTier } from './assessed-tier.util.js';
import { effectiveTier } from './effective-tier.util.js';
import { tierRequirements } from './tier-requirements.util.js';

const evaluation = (tier: 'low' | 'moderate' | 'high' | 'critical' | 'cannot_rule_out') => ({
  domain: 'cyber',
  method: 'benchmark',
  tier,
  summary: 's',
});

describe(effectiveTier.name, () => {
  it('maps cannot_rule_out to the pack’s tier and leaves others alone', () => {
    expect(effectiveTier('cannot_rule_out', CAIP_2025)).toBe('critical');
    expect(effectiveTier('cannot_rule_out', { cannotRuleOutCountsAs: 'high' })).toBe('high');
    expect(effectiveTier('moderate', CAIP_2025)).toBe('moderate');
  });
});

describe(assessedTier.name, () => {
  it('is null without evaluations', () => {
    expect(assessedTier({}, CAIP_2025)).toBeNull();
    expect(assessedTier({ evaluations: [] }, CAIP_2025)).toBeNull();
  });

  it('is the highest evaluation tier', () => {
    expect(assessedTier({ evaluations: [evaluation('low'), evaluation('high'), evaluation('moderate')] }, CAIP_2025)).toBe('high');
  });

  it('counts cannot_rule_out as the pack says', () => {
    const assessment = { evaluations: [evaluation('high'), evaluation('cannot_rule_out')] };
    expect(assessedTier(assessment, CAIP_2025)).toBe('critical');
    expect(assessedTier(assessment, { cannotRuleOutCountsAs: 'moderate' })).toBe('high');
  });
});

describe(tierRequirements.name, () => {
  it('returns the pack’s row, resolving cannot_rule_out', () => {
    expect(tierRequirements(CAIP_2025, 'high')).toEqual({ maxWeightsRelease: 'gated', signOffs: 2, regulatorReview: true });
    expect(tierRequirements(CAIP_2025, 'cannot_rule_out')).toEqual(CAIP_2025.tiers.critical);
  });
});
