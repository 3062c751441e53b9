import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { RegistryPublisherService } from '@app/cases';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { sha256Of, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

type Signed = Record<string, unknown> & { keyId: string; signature: string };

/** Offline verification, as a third party would do it: the JWK, RFC 8785 and node:crypto only. */
const verifyOffline = (keys: Array<JsonWebKey & { kid: string }>, signed: Signed): boolean => {
  const { signature, keyId, ...document } = signed;
  const jwk = keys.find((k) => k.kid === keyId);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return verify(null, Buffer.from(canonicalJson(document), 'utf8'), key, Buffer.from(signature, 'base64'));
};

/** Every key name anywhere in a JSON value. */
const keysOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(keysOf)
    : value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
      : [];

describe('registry: signed public records and checkpoints, verifiable offline', () => {
  const suite = useSuite();
  const publicHttp = () => suite.stack.http;

  const recordsOf = async (caseId: string) => expectOk(await publicHttp().get(`/v1/public/registry?caseId=${caseId}&limit=200`)).items as Signed[];

  /** A low-tier case cleared with a qualified opinion and a minor finding, then released. */
  const releasedCase = async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'minor', title: 'private-finding-title', detail: 'private-finding-detail' });
    const cleared = await suite.driver.approve(suite.world.auditorA, caseId, {
      opinion: 'qualified',
      basis: 'card needs work',
      conditions: [{ text: 'inference code behind an API only', component: 'inference_code', maxRelease: 'api' }],
    });
    expect(cleared.state).toBe('cleared');
    const released = await suite.driver.fireOk(suite.world.developer, caseId, 'RECORD_RELEASE', {
      components: [
        { component: 'model_parameters', release: 'open', location: 'https://example.org/weights', sha256: sha256Of('weights') },
        { component: 'inference_code', release: 'api', location: 'https://example.org/api' },
      ],
    });
    expect(released.state).toBe('released');
    const records = await waitFor(() => recordsOf(caseId), (items) => items.length === 2, { timeoutMs: 15_000, what: `two records of ${caseId}` });
    return { caseId, records, released };
  };

  it('publishes a signed record on cleared and on released that verifies offline with the public key, and not when tampered', async () => {
    const { caseId, records, released } = await releasedCase();
    const keys = expectOk(await publicHttp().get('/v1/public/keys')).keys;
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const k of keys) expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });

    // Newest first.
    expect(records.map((r) => r.state)).toEqual(['released', 'cleared']);
    for (const record of records) {
      expect(verifyOffline(keys, record)).toBe(true);
      expect(verifyOffline(keys, { ...record, state: 'revoked' })).toBe(false);
      expect(verifyOffline(keys, { ...record, opinions: [] })).toBe(false);
      expect(verifyOffline(keys, { ...record, signature: Buffer.alloc(64).toString('base64') })).toBe(false);
      expect(expectOk(await publicHttp().get(`/v1/public/registry/${String(record.id)}`))).toEqual(record);
    }

    const [releasedRecord, clearedRecord] = records as [Signed, Signed];
    expect(releasedRecord).toMatchObject({
      caseId,
      model: { name: released.model?.name, version: '1.0', checkpointSha256: sha256Of('weights') },
      developer: { id: suite.world.developer.organisationId },
      revision: 1,
      revisionHash: released.revisionHash,
      tier: released.tier,
      policyPack: released.policyPack,
      releasedAt: released.releasedAt,
    });
    expect(clearedRecord.releasedAt).toBeNull();
    const clearance = releasedRecord.clearance as Array<{ component: string; release: string }>;
    expect(clearance.find((c) => c.component === 'inference_code')?.release).toBe('api');
    expect(clearance.find((c) => c.component === 'model_parameters')?.release).toBe('open');
    expect(releasedRecord.opinions).toEqual([
      {
        auditFirm: { id: suite.world.auditorA.organisationId, name: expect.any(String) },
        kind: 'qualified',
        assurance: 'reasonable',
        basis: 'card needs work',
        conditions: [{ text: 'inference code behind an API only', component: 'inference_code', maxRelease: 'api' }],
        issuedAt: expect.any(String),
      },
    ]);

    // The record's chain head is the case's history at that seq, as a reader sees it.
    const history = await suite.driver.history(caseId, suite.world.developer.http);
    for (const record of records) {
      const head = record.chainHead as { seq: number; hash: string };
      expect(head.seq).toBe(record.seq);
      expect(history[head.seq - 1]).toMatchObject({ seq: head.seq, hash: head.hash, toState: record.state });
    }

    // Findings, evidence, the assessment body and auditors' personal ids are never public.
    const text = JSON.stringify(records);
    expect(text).not.toContain('private-finding');
    expect(text).not.toContain(suite.world.auditorA.id);
    const names = new Set(keysOf(records));
    for (const secret of ['findings', 'evidence', 'evidenceIds', 'assessment', 'summary', 'rationale', 'auditorId', 'email']) expect(names.has(secret)).toBe(false);
  });

  it('needs no token, pages newest first, and answers 404 problems for unknown or malformed ids', async () => {
    const { caseId } = await releasedCase();
    const firstResponse = await publicHttp().get(`/v1/public/registry?caseId=${caseId}&limit=1`);
    expect(firstResponse.status).toBe(200);
    const first = expectOk(firstResponse);
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = expectOk(await publicHttp().get(`/v1/public/registry?caseId=${caseId}&limit=1&cursor=${encodeURIComponent(String(first.nextCursor))}`));
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect([first.items[0]?.state, second.items[0]?.state]).toEqual(['released', 'cleared']);
    const foreign = await publicHttp().get(`/v1/public/registry?limit=1&cursor=${encodeURIComponent(String(first.nextCursor))}`);
    expect(foreign.status).toBe(400);

    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const missing = await publicHttp().get(`/v1/public/registry/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(missing.body).toMatchObject({ type: '/problems/not-found', status: 404 });
    }
    expect((await publicHttp().get('/v1/public/keys')).status).toBe(200);
  });

  it('never lists a draft or in-audit case, and publishing is idempotent per (case, seq)', async () => {
    const draft = await suite.driver.create();
    const inAudit = await suite.driver.inAudit([suite.world.auditorA]);
    const { caseId, records } = await releasedCase();
    // The released case's records exist, so the relay has run past the other two cases' steps.
    expect(await recordsOf(draft)).toEqual([]);
    expect(await recordsOf(inAudit)).toEqual([]);
    const all = expectOk(await publicHttp().get('/v1/public/registry?limit=200')).items as Signed[];
    expect(all.some((r) => r.caseId === draft || r.caseId === inAudit)).toBe(false);

    const publisher = suite.stack.worker!.get(RegistryPublisherService, { strict: false });
    for (const record of records) await expect(publisher.publish(caseId, record.seq as number)).resolves.toMatchObject({ published: null });
    // Steps that are not milestones, or of a case whose audit never completed, publish nothing.
    await expect(publisher.publish(inAudit, 1)).resolves.toMatchObject({ published: null });
    expect(await recordsOf(caseId)).toHaveLength(2);
    expect(await recordsOf(inAudit)).toEqual([]);
  });

  it('signs a checkpoint over the chain heads that covers the case head and verifies offline', async () => {
    const { caseId } = await releasedCase();
    const publisher = suite.stack.worker!.get(RegistryPublisherService, { strict: false });
    await publisher.signCheckpoint();
    // Nothing changed since: no second checkpoint.
    await expect(publisher.signCheckpoint()).resolves.toEqual({ checkpoint: null });

    const page = expectOk(await publicHttp().get('/v1/public/registry?limit=1'));
    const checkpoint = page.checkpoint as Signed & { heads: Array<{ caseIdHash: string; seq: number; hash: string }>; headsHash: string };
    expect(checkpoint).not.toBeNull();
    const keys = expectOk(await publicHttp().get('/v1/public/keys')).keys;
    expect(verifyOffline(keys, checkpoint)).toBe(true);
    expect(verifyOffline(keys, { ...checkpoint, heads: checkpoint.heads.slice(1) })).toBe(false);
    expect(sha256Hex(canonicalJson(checkpoint.heads))).toBe(checkpoint.headsHash);
    const sorted = [...checkpoint.heads].sort((a, b) => (a.caseIdHash < b.caseIdHash ? -1 : 1));
    expect(checkpoint.heads).toEqual(sorted);

    const history = await suite.driver.history(caseId, suite.world.regulator.http);
    const last = history.at(-1)!;
    expect(checkpoint.heads).toContainEqual({ caseIdHash: sha256Hex(caseId), seq: last.seq, hash: last.hash });
    // Case ids are not in the checkpoint, only their hashes.
    expect(JSON.stringify(checkpoint)).not.toContain(caseId);
  });
});
