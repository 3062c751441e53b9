import { describe, expect, it } from '@jest/globals';
import { recordReleaseComponentsSchema, validateRecordReleaseComponents as sut } from './record-release.schema.js';

const gated = { component: 'model_parameters', release: 'gated', location: 'https://hub', gating: { criteria: ['kyc'], approval: 'manual' }, sha256: 'c'.repeat(64) };

describe(sut.name, () => {
  it('accepts a valid payload', () => {
    expect(sut([gated, { component: 'model_card', release: 'open', location: 'https://docs' }])).toEqual([]);
    expect(recordReleaseComponentsSchema.safeParse([gated]).success).toBe(true);
  });

  it('reports every problem under $.components', () => {
    const problems = sut([
      { ...gated, sha256: 'C'.repeat(64), extra: 1 },
      { component: 'model_parameters', release: 'open', location: '' },
      { component: 'datasets', release: 'gated', location: 's3://d' },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.components[0].sha256', message: 'must be 64 lowercase hexadecimal characters' },
        { path: '$.components[0].extra', message: 'unknown field' },
        { path: '$.components[1].location', message: 'must not be empty' },
        { path: '$.components[1].component', message: 'model_parameters: listed more than once (first at index 0)' },
        { path: '$.components[2].gating', message: 'datasets: required when release is gated' },
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('refuses an empty list or a non-array', () => {
    expect(sut([]).map((p) => p.path)).toEqual(['$.components']);
    expect(sut(undefined)).toEqual([{ path: '$.components', message: 'required' }]);
  });
});
