import { describe, expect, it } from '@jest/globals';
import { specExampleAssessment } from '../testing/assessment.fixture.js';
import { checkRecordRelease as sut } from './check-record-release.js';
import { checkpointMatches } from './checkpoint-matches.rule.js';
import { clearedEnvelope } from './cleared-envelope.util.js';
import { gatingNotWeaker } from './gating-not-weaker.rule.js';
import type { ClearedComponent, RecordedComponent } from './release-types.js';

const SHA = 'a'.repeat(64);
const envelope = clearedEnvelope(specExampleAssessment(), []);
const weights = (overrides: Partial<RecordedComponent> = {}): RecordedComponent => ({
  component: 'model_parameters',
  release: 'gated',
  location: 'https://hub.example/model',
  gating: { criteria: ['institutional_email'], approval: 'manual' },
  sha256: SHA,
  ...overrides,
});
const clearedGated: ClearedComponent = {
  component: 'model_parameters',
  release: 'gated',
  gating: { criteria: ['institutional_email', 'kyc'], approval: 'manual' },
};

describe(sut.name, () => {
  it('accepts a release that matches the clearance', () => {
    const components = [weights(), { component: 'inference_code' as const, release: 'open' as const, location: 'https://git.example' }];
    expect(sut({ envelope, components, checkpointSha256: SHA })).toEqual([]);
  });

  it('accepts a release more closed than cleared', () => {
    expect(sut({ envelope, components: [weights({ release: 'api', gating: undefined })], checkpointSha256: SHA })).toEqual([]);
  });

  it('refuses a component more open than cleared, including one never assessed', () => {
    const violations = sut({
      envelope,
      components: [weights({ release: 'open', gating: undefined }), { component: 'datasets', release: 'api', location: 's3://x' }],
      checkpointSha256: SHA,
    });
    expect(violations).toEqual([
      { rule: 'release-within-clearance', message: 'model_parameters: recorded open is more open than the cleared gated' },
      { rule: 'release-within-clearance', message: 'datasets: recorded api is more open than the cleared withheld' },
    ]);
  });

  it('treats a component missing from the envelope as withheld', () => {
    expect(sut({ envelope: [], components: [{ component: 'model_card', release: 'open', location: 'x' }], checkpointSha256: null })).toEqual([
      { rule: 'release-within-clearance', message: 'model_card: recorded open is more open than the cleared withheld' },
    ]);
  });

  it('refuses weaker gating and a checkpoint mismatch together', () => {
    const violations = sut({
      envelope,
      components: [weights({ gating: { criteria: ['kyc'], approval: 'automatic' }, sha256: 'b'.repeat(64) })],
      checkpointSha256: SHA,
    });
    expect(violations.map((v) => v.rule)).toEqual(['gating-not-weaker', 'gating-not-weaker', 'checkpoint-matches']);
  });
});

describe(gatingNotWeaker.name, () => {
  it('names each dropped criterion', () => {
    expect(gatingNotWeaker(weights(), clearedGated)).toEqual([
      { rule: 'gating-not-weaker', message: 'model_parameters: gating drops the cleared criterion kyc' },
    ]);
  });

  it('refuses manual approval becoming automatic', () => {
    const recorded = weights({ gating: { criteria: ['institutional_email', 'kyc'], approval: 'automatic' } });
    expect(gatingNotWeaker(recorded, clearedGated)).toEqual([
      { rule: 'gating-not-weaker', message: 'model_parameters: automatic approval is weaker than the cleared manual approval' },
    ]);
  });

  it('allows added criteria and automatic becoming manual', () => {
    const cleared: ClearedComponent = { ...clearedGated, gating: { criteria: ['kyc'], approval: 'automatic' } };
    const recorded = weights({ gating: { criteria: ['kyc', 'research_agreement'], approval: 'manual' } });
    expect(gatingNotWeaker(recorded, cleared)).toEqual([]);
  });

  it('does not apply when the recorded release is not gated or clearance was more open', () => {
    expect(gatingNotWeaker(weights({ release: 'api', gating: undefined }), clearedGated)).toEqual([]);
    const clearedOpen: ClearedComponent = { component: 'model_parameters', release: 'open' };
    expect(gatingNotWeaker(weights({ gating: { criteria: ['x'], approval: 'automatic' } }), clearedOpen)).toEqual([]);
  });
});

describe(checkpointMatches.name, () => {
  it('passes a matching sha256 (case-insensitive) and ignores withheld weights and other components', () => {
    expect(checkpointMatches(weights(), SHA.toUpperCase())).toEqual([]);
    expect(checkpointMatches(weights({ release: 'withheld', sha256: undefined }), null)).toEqual([]);
    expect(checkpointMatches({ component: 'datasets', release: 'open', location: 'x' }, null)).toEqual([]);
  });

  it('refuses a missing or mismatched sha256, or a model version without checkpoint', () => {
    expect(checkpointMatches(weights({ sha256: undefined }), SHA)).toEqual([
      { rule: 'checkpoint-matches', message: 'model_parameters: sha256 is required and must equal the checkpointSha256' },
    ]);
    expect(checkpointMatches(weights({ sha256: 'b'.repeat(64) }), SHA)[0]!.message).toContain('does not match');
    expect(checkpointMatches(weights(), null)[0]!.message).toBe('model_parameters: the model version has no checkpointSha256 to match');
  });
});
