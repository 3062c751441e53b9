import { describe, expect, it } from '@jest/globals';
import { canonicalJson, sha256Hex } from '@app/integrity';
import type { RegistrySourceRow } from '@app/persistence';
import { CaseStates } from '@app/workflow';
import { buildRegistryRecord, checkpointHeads } from './registry-record.util.js';
import { isRegistryMilestone } from './registry-milestone.util.js';

const source = (overrides: Partial<RegistrySourceRow> = {}): RegistrySourceRow => ({
  caseId: 'c1',
  seq: 5,
  state: 'cleared',
  at: '2025-01-01T00:00:00.000Z',
  hash: 'a'.repeat(64),
  everCleared: true,
  developer: { id: 'd1', name: 'Dev Org' },
  model: { name: 'm', version: '1.0', checkpointSha256: 'b'.repeat(64), baseModels: [] },
  policyPack: 'caip-2025@1.0.0',
  releasedAt: null,
  revision: {
    number: 1,
    hash: 'c'.repeat(64),
    tier: 'low',
    assessment: {
      summary: 'secret summary',
      components: [
        { component: 'model_parameters', release: 'open' },
        { component: 'inference_code', release: 'open' },
      ],
    },
  },
  opinions: [
    {
      auditFirm: { id: 'f1', name: 'Firm' },
      kind: 'qualified',
      assurance: 'reasonable',
      basis: 'ok',
      conditions: [{ text: 'api only', component: 'inference_code', maxRelease: 'api' }],
      issuedAt: '2025-01-01T00:00:00.000Z',
    },
  ],
  ...overrides,
});

describe(buildRegistryRecord.name, () => {
  it('copies only public fields, tightens clearance by the opinions\' conditions and heads the chain at seq', () => {
    const sut = buildRegistryRecord(source(), { id: 'r1', publishedAt: '2025-01-02T00:00:00.000Z' });
    expect(Object.keys(sut).sort()).toEqual(
      ['caseId', 'chainHead', 'clearance', 'developer', 'id', 'model', 'opinions', 'policyPack', 'publishedAt', 'releasedAt', 'revision', 'revisionHash', 'seq', 'state', 'tier'].sort(),
    );
    expect(sut.chainHead).toEqual({ seq: 5, hash: 'a'.repeat(64) });
    expect(sut.clearance.find((c) => c.component === 'inference_code')?.release).toBe('api');
    expect(sut.clearance.find((c) => c.component === 'model_parameters')?.release).toBe('open');
    expect(sut.clearance.find((c) => c.component === 'datasets')?.release).toBe('withheld');
    expect(JSON.stringify(sut)).not.toContain('secret summary');
    expect(sut.opinions[0]).toEqual(source().opinions[0]);
  });
});

describe(checkpointHeads.name, () => {
  it('hashes case ids, sorts by the hash and commits to the canonical heads', () => {
    const sut = checkpointHeads([
      { caseId: 'x', seq: 2, hash: 'h2' },
      { caseId: 'y', seq: 1, hash: 'h1' },
    ]);
    expect(sut.heads.map((h) => h.caseIdHash)).toEqual([sha256Hex('x'), sha256Hex('y')].sort());
    expect(sut.headsHash).toBe(sha256Hex(canonicalJson(sut.heads)));
  });
});

describe(isRegistryMilestone.name, () => {
  it('is true on entering a public state, never on a self-transition or a private state', () => {
    expect(isRegistryMilestone(CaseStates.in_audit, CaseStates.cleared)).toBe(true);
    expect(isRegistryMilestone(CaseStates.cleared, CaseStates.released)).toBe(true);
    expect(isRegistryMilestone(CaseStates.released, CaseStates.released)).toBe(false);
    expect(isRegistryMilestone(CaseStates.in_audit, CaseStates.regulator_review)).toBe(false);
  });
});
