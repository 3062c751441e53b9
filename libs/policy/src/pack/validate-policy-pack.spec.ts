import { describe, expect, it } from '@jest/globals';
import { CAIP_2025, SHIPPED_POLICY_PACKS } from './caip-2025.pack.js';
import { policyPackJsonSchema, policyPackSchema, type PolicyPack } from './policy-pack.schema.js';
import { validatePolicyPack as sut } from './validate-policy-pack.js';

const clone = (): PolicyPack => structuredClone(CAIP_2025) as PolicyPack;

describe(sut.name, () => {
  it('accepts every shipped pack', () => {
    for (const pack of SHIPPED_POLICY_PACKS) expect(sut(pack)).toEqual([]);
  });

  it('answers one problem at $ for a non-object', () => {
    expect(sut('pack')).toEqual([{ path: '$', message: 'must be a JSON object' }]);
  });

  it('rejects a bad id, version and unknown fields', () => {
    const pack = { ...clone(), id: 'Caip 2025', version: '1.x', extra: true };
    expect(sut(pack).map((p) => p.path)).toEqual(['$.id', '$.version', '$.extra']);
  });

  it('rejects years, months and zero-length deadlines', () => {
    const pack = clone();
    pack.deadlines.audit = 'P1M';
    pack.deadlines.review = 'P1Y';
    pack.deadlines.assignment = 'PT0S';
    expect(sut(pack)).toEqual([
      { path: '$.deadlines.assignment', message: 'must be longer than zero' },
      { path: '$.deadlines.audit', message: expect.stringContaining('years and months') },
      { path: '$.deadlines.review', message: expect.stringContaining('ISO 8601') },
    ]);
  });

  it('requires every deadline kind and tier', () => {
    const pack = clone() as unknown as { deadlines: Record<string, string>; tiers: Record<string, unknown> };
    delete pack.deadlines['reassessment'];
    delete pack.tiers['moderate'];
    expect(sut(pack)).toEqual(
      expect.arrayContaining([
        { path: '$.deadlines.reassessment', message: 'required' },
        { path: '$.tiers.moderate', message: 'required' },
      ]),
    );
  });

  it('rejects sign-offs below one and non-integers', () => {
    const pack = clone();
    pack.tiers.low.signOffs = 0;
    pack.tiers.moderate.signOffs = 1.5;
    expect(sut(pack).map((p) => p.path)).toEqual(['$.tiers.low.signOffs', '$.tiers.moderate.signOffs']);
  });

  it('rejects a higher tier that asks for less than a lower one', () => {
    const pack = clone();
    pack.tiers.critical = { maxWeightsRelease: 'open', signOffs: 1, regulatorReview: false };
    expect(sut(pack)).toEqual([
      { path: '$.tiers.critical.maxWeightsRelease', message: 'critical: open is more open than gated at tier high' },
      { path: '$.tiers.critical.signOffs', message: 'critical: fewer sign-offs than the 2 required at tier high' },
      { path: '$.tiers.critical.regulatorReview', message: 'critical: must keep the regulator review required at tier high' },
    ]);
  });

  it('rejects duplicate or empty domains', () => {
    expect(sut({ ...clone(), domains: ['cyber', 'cyber'] }).map((p) => p.path)).toEqual(['$.domains']);
    expect(sut({ ...clone(), domains: [] }).map((p) => p.path)).toEqual(['$.domains']);
  });
});

describe('CAIP_2025', () => {
  it('matches the SPEC table', () => {
    expect(CAIP_2025).toMatchObject({
      id: 'caip-2025',
      version: '1',
      domains: ['chem_bio', 'cyber', 'autonomy', 'persuasion'],
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
    expect(policyPackSchema.parse(CAIP_2025)).toEqual(CAIP_2025);
  });

  it('is frozen, so no caller can edit the published pack', () => {
    expect(() => {
      (CAIP_2025.tiers.high as { signOffs: number }).signOffs = 1;
    }).toThrow(TypeError);
  });
});

describe('policyPackJsonSchema', () => {
  it('describes a strict object with every deadline kind and the duration pattern', () => {
    const schema = policyPackJsonSchema as unknown as {
      additionalProperties: boolean;
      properties: { deadlines: { required: string[]; properties: { audit: { pattern: string } } } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.deadlines.required).toHaveLength(7);
    expect(new RegExp(schema.properties.deadlines.properties.audit.pattern).test('P20D')).toBe(true);
    expect(new RegExp(schema.properties.deadlines.properties.audit.pattern).test('P1M')).toBe(false);
  });
});
