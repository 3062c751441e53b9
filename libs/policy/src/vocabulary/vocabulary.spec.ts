import { describe, expect, it } from '@jest/globals';
import { CAPABILITY_COMPONENTS, COMPONENTS, isCapabilityComponent } from './components.js';
import { minRelease } from './min-release.util.js';
import { RELEASE_LEVELS } from './release-levels.js';
import { releaseRank } from './release-rank.util.js';
import { tierRank } from './tier-rank.util.js';
import { ASSESSED_TIERS } from './tiers.js';

describe('COMPONENTS', () => {
  it('lists the 17 Model Openness Framework components once each, in SPEC order', () => {
    expect(COMPONENTS).toHaveLength(17);
    expect(new Set(COMPONENTS).size).toBe(17);
    expect(COMPONENTS[0]).toBe('model_architecture');
    expect(COMPONENTS[16]).toBe('evaluation_results');
    expect(CAPABILITY_COMPONENTS.every((c) => COMPONENTS.includes(c))).toBe(true);
  });
});

describe(isCapabilityComponent.name, () => {
  it('is true only for weights', () => {
    expect(COMPONENTS.filter(isCapabilityComponent)).toEqual(['model_parameters', 'intermediate_parameters']);
  });
});

describe(releaseRank.name, () => {
  it('orders release levels from withheld to open', () => {
    expect(RELEASE_LEVELS.map(releaseRank)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(releaseRank('gated')).toBeLessThan(releaseRank('restricted_download'));
  });
});

describe(minRelease.name, () => {
  it('returns the more closed level whichever side it is on', () => {
    expect(minRelease('open', 'api')).toBe('api');
    expect(minRelease('internal', 'gated')).toBe('internal');
  });
});

describe(tierRank.name, () => {
  it('orders tiers low to critical', () => {
    expect(tierRank('low')).toBe(0);
    expect(tierRank('critical')).toBe(3);
    expect(ASSESSED_TIERS).toContain('cannot_rule_out');
  });
});
