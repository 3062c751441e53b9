import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { RegistryPublisherService } from '@app/cases';
import { canonicalJson } from '@app/integrity';
import { noteVerifierFromKey, openCheckpoint, parseCheckpoint } from '@app/tlog';
import { sha256Of, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

type Signed = Record<string, unknown> & { keyId: string; signature: string };

/**
 * Offline verification, as a third party would do it: the JWK, RFC 8785 and node:crypto only.
 * Since the transparency log, the signature covers the record without `signature` (so `kind` and
 * `keyId` are signed); `logIndex` is the served position in the log, not part of the record.
 */
const verifyOffline = (keys: Array<JsonWebKey & { kid: string }>, signed: Signed): boolean => {
  const { signature, logIndex: _logIndex, ...document } = signed;
  const keyId = signed.keyId;
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

  it('searches by part of the developer\'s or the model\'s name, ignoring case, and refuses an empty search', async () => {
    const { caseId, records } = await releasedCase();
    const { developer, model } = records[0] as Signed & { developer: { name: string }; model: { name: string } };
    // World names end in a random tag; the model name in a random suffix: both match only this suite's records.
    const tag = developer.name.split(' ').at(-1)!;
    const byDeveloper = expectOk(await publicHttp().get(`/v1/public/registry?developer=${encodeURIComponent(` ai ${tag}`.toUpperCase())}&limit=200`)).items;
    expect(byDeveloper.map((r) => r.id)).toEqual(expect.arrayContaining(records.map((r) => r.id)));
    expect(byDeveloper.every((r) => r.developer.name === developer.name)).toBe(true);
    const suffix = model.name.slice('model-'.length).toUpperCase();
    const byModel = expectOk(await publicHttp().get(`/v1/public/registry?modelContains=${suffix}&developer=${tag}`)).items;
    expect(byModel.map((r) => r.caseId)).toEqual([caseId, caseId]);
    expect(expectOk(await publicHttp().get(`/v1/public/registry?modelContains=${suffix}&developer=Other%20Labs`)).items).toEqual([]);
    // LIKE wildcards are taken literally.
    expect(expectOk(await publicHttp().get(`/v1/public/registry?developer=${tag}%25&limit=200`)).items).toEqual([]);
    expect(expectOk(await publicHttp().get(`/v1/public/registry?modelContains=model_${suffix}`)).items).toEqual([]);
    for (const bad of ['developer=', 'modelContains=', `developer=${'x'.repeat(501)}`, 'developerName=x']) {
      const refused = await publicHttp().get(`/v1/public/registry?${bad}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ type: '/problems/validation' });
    }
    // A text without three letters or digits in a row has no trigram to look up: it would read every record.
    for (const [name, text] of [['modelContains', 'ab'], ['developer', 'a b c'], ['developer', '%_%'], ['modelContains', 'x.y-z']]) {
      const refused = await publicHttp().get(`/v1/public/registry?${name}=${encodeURIComponent(text!)}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ type: '/problems/validation', errors: [{ path: `$.${name}`, message: 'must hold at least three letters or digits in a row' }] });
    }
    expect(expectOk(await publicHttp().get(`/v1/public/registry?developer=${encodeURIComponent(`${tag.slice(0, 3)}`)}&limit=200`)).items.map((r) => r.id)).toEqual(
      expect.arrayContaining(records.map((r) => r.id)),
    );
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

  // The checkpoint over every case's chain head was replaced by the transparency log's C2SP
  // checkpoint (test/transparency-log.e2e-spec.ts checks tiles and proofs in depth).
  it('lists the latest C2SP checkpoint, signed with the log key, covering the records it lists', async () => {
    const { records } = await releasedCase();
    const indices = records.map((r) => r.logIndex as number);
    for (const index of indices) expect(Number.isInteger(index)).toBe(true);
    const key = expectOk(await publicHttp().get('/v1/public/log/key')) as string;
    const origin = 'clearance.example/registry';
    const page = await waitFor(
      async () => expectOk(await publicHttp().get('/v1/public/registry?limit=1')),
      (body) => typeof body.checkpoint === 'string' && parseCheckpoint((body.checkpoint as string).split('\n\n')[0] + '\n').size > Math.max(...indices),
      { timeoutMs: 15_000, what: 'a checkpoint covering the records' },
    );
    const opened = openCheckpoint(page.checkpoint as string, [noteVerifierFromKey(key)], origin);
    expect(opened.checkpoint.size).toBeGreaterThan(Math.max(...indices));
    expect(() => openCheckpoint((page.checkpoint as string).replace(/\n\d+\n/, '\n999999\n'), [noteVerifierFromKey(key)], origin)).toThrow();
    // The same note at the checkpoint route (or a newer one).
    const served = await publicHttp().get('/v1/public/log/checkpoint');
    expect(openCheckpoint(served.body as string, [noteVerifierFromKey(key)], origin).checkpoint.size).toBeGreaterThanOrEqual(opened.checkpoint.size);
  });
});
