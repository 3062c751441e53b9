import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { expectProblem } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { RetentionPruner } from '../apps/worker/src/retention-pruner.service.js';
import { useSuite } from './support/suite.js';

describe('idempotency: Idempotency-Key on POST', () => {
  const suite = useSuite();

  const key = () => ({ 'idempotency-key': randomUUID() });

  it('replays the stored status, body and ETag and adds no event', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const headers = key();
    const finding = { severity: 'minor', title: 'unclear card', detail: 'section 3' };
    const first = await suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', finding, headers);
    expect(first.status).toBe(200);
    const historyAfterFirst = (await suite.driver.history(caseId)).length;

    // Another write in between: the replay still returns the first response, not the current case.
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'ADD_FINDING', { ...finding, title: 'another' });

    const replay = await suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', finding, headers);
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(first.headers.get('etag')).toBe(`"${expectOk(first).version}"`);
    const history = await suite.driver.history(caseId);
    expect(history).toHaveLength(historyAfterFirst + 1);
    expect(history.filter((h: { type: string }) => h.type === 'ADD_FINDING')).toHaveLength(2);
  });

  it('treats a JCS-equal body (other key order, other whitespace) as the same request', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const headers = { ...key(), 'content-type': 'application/json' };
    const first = await suite.world.auditorA.http.raw('POST', `/v1/cases/${caseId}/events`, '{"type":"REQUEST_INFO","question":"why?"}', headers);
    expect(first.status).toBe(200);
    const replay = await suite.world.auditorA.http.raw('POST', `/v1/cases/${caseId}/events`, '{ "question" : "why?",\n "type": "REQUEST_INFO" }', headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(await suite.driver.history(caseId)).toHaveLength(4);
  });

  it('answers 422 idempotency-mismatch to the same key with a different body, and writes nothing', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const headers = key();
    expectOk(await suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'minor', title: 'a', detail: 'b' }, headers));
    const version = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId)).version;
    const mismatch = await suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'major', title: 'a', detail: 'b' }, headers);
    expect(mismatch.status).toBe(422);
    expect(mismatch.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(mismatch.body).toMatchObject({ type: '/problems/idempotency-mismatch', status: 422 });
    expect(expectOk(await suite.driver.get(suite.world.auditorA.http, caseId)).version).toBe(version);
  });

  it('scopes a key to its user and path', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const otherCase = await suite.driver.inAudit([suite.world.auditorA]);
    const headers = key();
    expectOk(await suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'minor', title: 'a', detail: 'b' }, headers));
    // Same key on another case's path, and by another user: fresh requests, not replays or mismatches.
    const elsewhere = await suite.driver.fire(suite.world.auditorA, otherCase, 'REQUEST_INFO', { question: 'q' }, headers);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.state).toBe('info_requested');
    const byRegulator = await suite.driver.fire(suite.world.regulator, caseId, 'FLAG', { reason: 'r' }, headers);
    expect(byRegulator.status).toBe(200);
    expect(byRegulator.body.state).toBe('regulator_review');
  });

  it('does not store a refusal: a corrected retry with the same key succeeds', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const headers = key();
    const current = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId));
    const staleEtag = await suite.driver.fire(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'q' }, { ...headers, 'if-match': `"${current.version - 1}"` });
    expect(staleEtag.status).toBe(409);
    expect(expectProblem(staleEtag, 409).type).toBe('/problems/version-conflict');

    // Refused again, by the revision check, under the same key: still nothing stored.
    const guard = await suite.driver.fire(suite.world.auditorA, caseId, 'APPROVE', { revisionHash: 'f'.repeat(64), opinion: 'unmodified', assurance: 'reasonable', conditions: [] }, headers);
    expect(guard.status).toBe(409);
    expect(expectProblem(guard, 409).type).toBe('/problems/stale-revision');

    const retry = await suite.driver.fire(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'q' }, { ...headers, 'if-match': `"${current.version}"` });
    expect(retry.status).toBe(200);
    expect(retry.body.state).toBe('info_requested');
    expect(retry.headers.get('etag')).toBe(`"${current.version + 1}"`);
    // …and that success is what the key now replays.
    const replay = await suite.driver.fire(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'q' });
    expect(replay.status).toBe(409);
    const replayed = await suite.driver.fire(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'q' }, headers);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(retry.body);
  });

  it('lets only one of two simultaneous requests with the same key write', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const headers = key();
    const historyBefore = (await suite.driver.history(caseId)).length;
    const responses = await Promise.all(
      [0, 1, 2, 3].map(() => suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'minor', title: 'same', detail: 'same' }, headers)),
    );
    for (const response of responses) {
      if (response.status === 409) expect(response.body.type).toBe('/problems/idempotency-in-progress');
      else expect(response.status).toBe(200);
    }
    const successes = responses.filter((r) => r.status === 200);
    expect(successes.length).toBeGreaterThanOrEqual(1);
    for (const success of successes) expect(success.body).toEqual(successes[0]!.body);
    expect(await suite.driver.history(caseId)).toHaveLength(historyBefore + 1);
  });

  it('replays POST /v1/cases: the same 201 and case, no second case', async () => {
    const headers = key();
    const body = { model: { name: `idem-${randomUUID().slice(0, 8)}`, version: '1.0' } };
    const first = await suite.world.developer.http.post('/v1/cases', body, headers);
    expect(first.status).toBe(201);
    const replay = await suite.world.developer.http.post('/v1/cases', body, headers);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('etag')).toBe(first.headers.get('etag'));
    const without = await suite.world.developer.http.post('/v1/cases', body);
    expect(without.status).toBe(409);
    expect(expectProblem(without, 409).type).toBe('/problems/case-exists');
  });

  it('replays a multipart upload by the file’s SHA-256, and refuses another file under the same key', async () => {
    const caseId = await suite.driver.create();
    const headers = key();
    const send = (text: string, filename: string) => {
      const form = new FormData();
      form.append('file', new Blob([text], { type: 'text/plain' }), filename);
      return suite.world.developer.http.raw('POST', `/v1/cases/${caseId}/evidence`, form, headers);
    };
    const first = await send('the same bytes', 'a.txt');
    expect(first.status).toBe(201);
    const replay = await send('the same bytes', 'a.txt');
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const other = await send('other bytes', 'a.txt');
    expect(other.status).toBe(422);
    expect(expectProblem(other, 422).type).toBe('/problems/idempotency-mismatch');
  });

  it('keeps a key 24 hours: the worker deletes it after them, and the same key then writes again', async () => {
    const { auditorA } = suite.world;
    const caseId = await suite.driver.inAudit([auditorA]);
    const finding = { severity: 'minor', title: 'kept a day', detail: 'then gone' };
    const [old, fresh] = [key(), key()];
    expectOk(await suite.driver.fire(auditorA, caseId, 'ADD_FINDING', finding, old));
    expectOk(await suite.driver.fire(auditorA, caseId, 'ADD_FINDING', { ...finding, title: 'kept' }, fresh));
    // A day passes for the first key only.
    const db = suite.stack.api.get(DataSource);
    await db.query(`UPDATE idempotency_keys SET created_at = created_at - interval '24 hours 1 second' WHERE key = $1`, [old['idempotency-key']]);

    expect((await suite.stack.worker!.get(RetentionPruner).prune()).idempotencyKeys).toBeGreaterThanOrEqual(1);
    const left = await db.query(`SELECT key FROM idempotency_keys WHERE key = ANY($1::text[])`, [[old['idempotency-key'], fresh['idempotency-key']]]);
    expect(left.map((row: { key: string }) => row.key)).toEqual([fresh['idempotency-key']]);

    // The expired key is a new request: it writes a third finding; the fresh one still replays.
    const before = (await suite.driver.history(caseId)).length;
    expectOk(await suite.driver.fire(auditorA, caseId, 'ADD_FINDING', finding, old));
    expectOk(await suite.driver.fire(auditorA, caseId, 'ADD_FINDING', { ...finding, title: 'kept' }, fresh));
    expect(await suite.driver.history(caseId)).toHaveLength(before + 1);
  });

  it('ignores the header on token creation: each request issues a new token', async () => {
    const headers = key();
    const first = expectOk(await suite.world.admin.post(`/v1/admin/users/${suite.world.developerColleague.id}/tokens`, undefined, headers));
    const second = expectOk(await suite.world.admin.post(`/v1/admin/users/${suite.world.developerColleague.id}/tokens`, undefined, headers));
    expect(second.id).not.toBe(first.id);
    expect(second.token).not.toBe(first.token);
  });
});
