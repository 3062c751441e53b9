import { describe, expect, it } from '@jest/globals';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { IN_TOTO_STATEMENT_TYPE } from '@app/tlog';
import { RELEASE_DECISION_PREDICATE_TYPE, releaseDecisionStatement } from './registry-attestation.util.js';

const weights = 'c'.repeat(64);
const record = (checkpointSha256: string | null) => ({
  kind: 'record',
  id: 'r1',
  caseId: 'c1',
  seq: 9,
  state: 'revoked',
  model: { name: 'model-a', version: '2.0', checkpointSha256, baseModels: [] },
  developer: { id: 'd1', name: 'Dev' },
  tier: 'tier2',
  revision: 1,
  revisionHash: 'h',
  policyPack: 'caip-2025@1',
  clearance: [{ component: 'weights', release: 'gated' }],
  opinions: [{ auditFirm: { id: 'f1', name: 'Firm' }, kind: 'qualified', assurance: 'limited', basis: 'secret basis', conditions: [], issuedAt: 't' }],
  releasedAt: null,
  publishedAt: 'p',
  chainHead: { seq: 9, hash: 'x' },
  redactions: [],
  keyId: 'k',
  signature: 's',
});

describe(releaseDecisionStatement.name, () => {
  it('subjects the weights by name@version and sha256, with the decision as predicate', () => {
    const served = { ...record(weights), logIndex: 4 };
    const sut = releaseDecisionStatement(served)!;
    expect(sut._type).toBe(IN_TOTO_STATEMENT_TYPE);
    expect(sut.subject).toEqual([{ name: 'model-a@2.0', digest: { sha256: weights } }]);
    expect(sut.predicateType).toBe(RELEASE_DECISION_PREDICATE_TYPE);
    expect(sut.predicate).toMatchObject({ decision: 'revoked', caseId: 'c1', clearance: [{ component: 'weights', release: 'gated' }] });
    // The record's digest is over the record as logged, without logIndex.
    expect(sut.predicate.record).toEqual({ id: 'r1', logIndex: 4, sha256: sha256Hex(canonicalJson(record(weights))) });
    expect(sut.predicate.opinions).toEqual([{ auditFirm: { id: 'f1', name: 'Firm' }, kind: 'qualified', assurance: 'limited', issuedAt: 't' }]);
  });

  it('is the same statement every time for the same record', () => {
    expect(canonicalJson(releaseDecisionStatement(record(weights)))).toBe(canonicalJson(releaseDecisionStatement(record(weights))));
  });

  it('is null when the model version names no weights', () => {
    expect(releaseDecisionStatement(record(null))).toBeNull();
  });
});
