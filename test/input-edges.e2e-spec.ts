import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { EvidenceRepository } from '@app/persistence';
import { adminSeeder, currentTestEnvironment, expectProblem as problemOf, outcomeOf, waitFor, waitForOk, type AnyResponse, type Problem } from '@app/testing';
import { RetentionPruner } from '../apps/worker/src/retention-pruner.service.js';
import { expectOk } from './support/case-driver.js';
import type { HttpClient } from './support/http-client.js';
import { startStack } from './support/stack.js';
import { useSuite } from './support/suite.js';

const NOT_A_UUID = 'not-a-uuid';
const MISSING = '0b6c2f0e-6a57-4f7e-9f49-0c1a8d8f3a21';
const KIB = 1024;

/** The refusal's problem body, after checking its status, type and problem+json media type. */
const expectProblem = (response: AnyResponse, status: number, slug: string, what = ''): Problem => {
  expect({ what, outcome: outcomeOf(response) }).toEqual({ what, outcome: `${status} /problems/${slug}` });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return problemOf(response, status, what);
};

/** The path with a cursor added to its query, typed so the client still finds the path's route in the schema. */
const withCursor = <P extends string>(path: P, cursor: string) =>
  `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` as `${P}${'?' | '&'}cursor=${string}`;

/** A page's next cursor; fails when the page says it is the last. */
const nextCursorOf = (page: { nextCursor: string | null }, what = 'page'): string => {
  expect({ what, next: typeof page.nextCursor }).toEqual({ what, next: 'string' });
  if (page.nextCursor === null) throw new Error(`${what}: no next cursor`);
  return page.nextCursor;
};

/** The JSON a cursor carries before any signature (`<body>` or `<body>.<mac>`), as a client can read it. */
const bodyOf = (cursor: string): { f?: unknown; k?: unknown } => JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8'));

/** A cursor a client made up: the real query fingerprint with a keyset of the wrong types; signed, if at all, with the real cursor's signature. */
const forge = (cursor: string, keyset: unknown[]): string[] => {
  const body = Buffer.from(JSON.stringify({ f: bodyOf(cursor).f, k: keyset })).toString('base64url');
  const mac = cursor.split('.')[1];
  return mac === undefined ? [body] : [body, `${body}.${mac}`];
};

/** The cursor with one character changed, at `index` (negative: from the end). */
const alter = (cursor: string, index: number): string => {
  const i = index < 0 ? cursor.length + index : index;
  const replacement = cursor[i] === 'A' ? 'B' : 'A';
  return `${cursor.slice(0, i)}${replacement}${cursor.slice(i + 1)}`;
};

const upload = (http: HttpClient, caseId: string, bytes: Uint8Array, type: string, filename: string) => {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), filename);
  return http.raw('POST', `/v1/cases/${caseId}/evidence`, form);
};

/** A webhook receiver that accepts everything, so deliveries exist to page through. */
const receiver = async () => {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hooks`, close: () => new Promise((r) => server.close(r)) };
};

describe('input edges: signed cursors, malformed ids and strings, evidence types and quota', () => {
  let hook: Awaited<ReturnType<typeof receiver>>;
  let caseA: string;
  let caseB: string;

  const suite = useSuite({ env: { EVIDENCE_MAX_CASE_MB: '1', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });

  /** Every paginated route, as its reader sees it, with a list long enough for a second page. */
  const lists = () => {
    const { developer, regulator, admin } = suite.world;
    return [
      // Each reads its first page, or the page a cursor names.
      { name: 'registry', read: (cursor?: string) => (cursor === undefined ? suite.stack.http.get('/v1/public/registry?limit=1') : suite.stack.http.get(withCursor('/v1/public/registry?limit=1', cursor))) },
      { name: 'cases', read: (cursor?: string) => (cursor === undefined ? developer.http.get('/v1/cases?limit=1') : developer.http.get(withCursor('/v1/cases?limit=1', cursor))) },
      { name: 'notifications', read: (cursor?: string) => (cursor === undefined ? regulator.http.get('/v1/notifications?limit=1') : regulator.http.get(withCursor('/v1/notifications?limit=1', cursor))) },
      {
        name: 'history',
        read: (cursor?: string) => (cursor === undefined ? developer.http.get(`/v1/cases/${caseA}/history?limit=1`) : developer.http.get(withCursor(`/v1/cases/${caseA}/history?limit=1`, cursor))),
      },
      { name: 'queue', read: (cursor?: string) => (cursor === undefined ? regulator.http.get('/v1/queues/draft?limit=1') : regulator.http.get(withCursor('/v1/queues/draft?limit=1', cursor))) },
      {
        name: 'webhook deliveries',
        read: (cursor?: string) => (cursor === undefined ? admin.get('/v1/admin/webhook-deliveries?limit=1') : admin.get(withCursor('/v1/admin/webhook-deliveries?limit=1', cursor))),
      },
    ];
  };

  beforeAll(async () => {
    hook = await receiver();
    const { developer, regulator, auditorA, admin } = suite.world;
    expectOk(await developer.http.post('/v1/webhooks', { url: hook.url }), 'register webhook');
    // Two cleared cases: two registry records, history, notifications and deliveries.
    caseA = await suite.driver.inAudit([auditorA]);
    caseB = await suite.driver.inAudit([auditorA]);
    for (const id of [caseA, caseB]) expect((await suite.driver.approve(auditorA, id)).state).toBe('cleared');
    // Two draft cases for the draft queue.
    await suite.driver.create();
    await suite.driver.create();
    await waitForOk(() => suite.stack.http.get('/v1/public/registry?limit=2'), (page) => page.items.length === 2, { what: 'two registry records' });
    await waitForOk(() => regulator.http.get('/v1/notifications?limit=2'), (page) => page.items.length === 2, { what: 'two notifications' });
    await waitForOk(() => admin.get('/v1/admin/webhook-deliveries?limit=2'), (page) => page.items.length === 2, { what: 'two deliveries' });
  });
  afterAll(async () => hook?.close());

  it('refuses a forged, altered or foreign cursor on every paginated route with 400 validation', async () => {
    const cursors = new Map<string, string>();
    for (const list of lists()) {
      const next = nextCursorOf(expectOk(await list.read(), list.name), list.name);
      cursors.set(list.name, next);
      // The real cursor reads the next page.
      expectOk(await list.read(next), `${list.name} page 2`);
    }
    for (const list of lists()) {
      const cursor = cursors.get(list.name)!;
      const foreign = cursors.get(list.name === 'cases' ? 'registry' : 'cases')!;
      const refused = [
        ...forge(cursor, ['x', NOT_A_UUID]),
        ...forge(cursor, [1, MISSING]),
        ...forge(cursor, ['2026-11-28 03:00:00+00', NOT_A_UUID]),
        alter(cursor, Math.floor(cursor.length / 2)),
        alter(cursor, -1),
        alter(cursor, 5),
        foreign,
        `${cursor}x`,
        '',
      ];
      for (const [i, bad] of refused.entries()) expectProblem(await list.read(bad), 400, 'validation', `${list.name} #${i}`);
    }
  });

  it('binds a cursor to its filters and to its case', async () => {
    const { developer } = suite.world;
    const cases = nextCursorOf(expectOk(await developer.http.get('/v1/cases?limit=1')));
    expectProblem(await developer.http.get(withCursor('/v1/cases?limit=1&sort=deadline', cases)), 400, 'validation');
    expectProblem(await developer.http.get(withCursor('/v1/cases?limit=1&state=draft', cases)), 400, 'validation');
    const history = nextCursorOf(expectOk(await developer.http.get(`/v1/cases/${caseA}/history?limit=1`)));
    expectProblem(await developer.http.get(withCursor(`/v1/cases/${caseB}/history?limit=1`, history)), 400, 'validation');
  });

  it('reads on a second api instance, on the same database, the cursor the first signed; an instance with another CURSOR_KEY refuses it', async () => {
    const { developer } = suite.world;
    const first = nextCursorOf(expectOk(await developer.http.get('/v1/cases?limit=1')));
    const second = expectOk(await developer.http.get(withCursor('/v1/cases?limit=1', first)));
    const replica = await startStack({ worker: false, env: { EVIDENCE_MAX_CASE_MB: '1' } });
    try {
      const onReplica = expectOk(await replica.http.as(developer.token).get(withCursor('/v1/cases?limit=1', first)));
      expect(onReplica.items.map((c: { id: string }) => c.id)).toEqual(second.items.map((c: { id: string }) => c.id));
      // And the other way round.
      const back = nextCursorOf(expectOk(await replica.http.as(developer.token).get('/v1/cases?limit=1')));
      expect(expectOk(await developer.http.get(withCursor('/v1/cases?limit=1', back))).items).toEqual(second.items);
    } finally {
      await replica.close();
    }
    const rekeyed = await startStack({ worker: false, env: { CURSOR_KEY: 'another-cursor-key-0123456789abcdef' } });
    try {
      expectProblem(await rekeyed.http.as(developer.token).get(withCursor('/v1/cases?limit=1', first)), 400, 'validation');
      const own = nextCursorOf(expectOk(await rekeyed.http.as(developer.token).get('/v1/cases?limit=1')));
      expectOk(await rekeyed.http.as(developer.token).get(withCursor('/v1/cases?limit=1', own)));
    } finally {
      await rekeyed.close();
    }
  });

  it('answers 404 to an id that is not a UUID (or holds U+0000 or a lone surrogate) on every route that takes one', async () => {
    const { developer, regulator, admin } = suite.world;
    const bad = [NOT_A_UUID, '%00', `${MISSING.slice(0, -1)}%00`, `${MISSING}0`, 'a%C3%A9'];
    for (const id of bad) {
      const refusals = [
        await developer.http.get(`/v1/cases/${id}`),
        await developer.http.get(`/v1/cases/${id}/history`),
        await developer.http.get(`/v1/cases/${id}/history/verify`),
        await developer.http.put(`/v1/cases/${id}/assessment`, {}),
        await developer.http.patch(`/v1/cases/${id}/model`, {}),
        await developer.http.post(`/v1/cases/${id}/events`, { type: 'SUBMIT' }),
        await developer.http.post(`/v1/cases/${id}/events`, { type: 'SUBMIT' }, { 'idempotency-key': `k-${Math.random()}` }),
        await upload(developer.http, id, new TextEncoder().encode('x'), 'text/plain', 'x.txt'),
        await developer.http.get(`/v1/cases/${caseA}/evidence/${id}`),
        await developer.http.get(`/v1/cases/${id}/evidence/${MISSING}`),
        await developer.http.post(`/v1/notifications/${id}/read`),
        await developer.http.delete(`/v1/webhooks/${id}`),
        await suite.stack.http.get(`/v1/public/registry/${id}`),
        await regulator.http.get(`/v1/queues/${id}`),
        await developer.http.get(`/v1/policy-packs/${id}/versions/1`),
        await developer.http.get(`/v1/policy-packs/caip-2025/versions/${id}`),
        await admin.post(`/v1/admin/users/${id}/tokens`),
        await admin.delete(`/v1/admin/tokens/${id}`),
        await admin.post(`/v1/admin/webhook-deliveries/${id}/redeliver`),
      ];
      for (const [i, response] of refusals.entries()) expectProblem(response, 404, 'not-found', `${id} #${i}`);
    }
    // A path that is not percent-encoded UTF-8 (here an encoded lone surrogate) names no id at all: 400 malformed.
    expectProblem(await developer.http.get('/v1/cases/%ED%A0%80'), 400, 'malformed');
    expectProblem(await developer.http.get('/v1/policy-packs/%ED%A0%80/versions/1'), 400, 'malformed');
    // A case id in a query string: a well-formed string that names no readable case.
    expectProblem(await regulator.http.get(`/v1/auditors?caseId=${NOT_A_UUID}`), 404, 'not-found');
  });

  it('answers 400 to U+0000 or a lone surrogate in query strings, and to query values that are not what the route expects', async () => {
    const { developer, regulator, admin } = suite.world;
    const refusals = [
      await developer.http.get('/v1/cases?state=%00'),
      await developer.http.get('/v1/cases?tier=%00'),
      await developer.http.get(`/v1/cases?developerOrganisationId=${NOT_A_UUID}`),
      await developer.http.get(`/v1/cases?developerOrganisationId=${MISSING.slice(0, -1)}%00`),
      await developer.http.get('/v1/cases?cursor=%00'),
      await developer.http.get('/v1/cases?%00=1'),
      await developer.http.get('/v1/cases?limit=%00'),
      await developer.http.get(`/v1/cases/${caseA}/history?cursor=a%00`),
      await suite.stack.http.get('/v1/public/registry?model=a%00b'),
      await suite.stack.http.get(`/v1/public/registry?caseId=${NOT_A_UUID}`),
      await suite.stack.http.get('/v1/public/registry?model=a%ED%A0%80'),
      await regulator.http.get('/v1/notifications?unread=%00'),
      await regulator.http.get('/v1/stats?from=%00'),
      await regulator.http.get('/v1/auditors?caseId=%00'),
      await regulator.http.get('/v1/queues/draft?cursor=%ED%A0%80'),
      await admin.get('/v1/admin/webhook-deliveries?status=%00'),
    ];
    for (const [i, response] of refusals.entries()) expectProblem(response, 400, 'validation', `#${i}`);
  });

  it('answers 400 to U+0000 or a lone surrogate in admin, case and webhook bodies, and never stores them', async () => {
    const { developer, admin } = suite.world;
    const json = { 'content-type': 'application/json' };
    const organisation = expectOk(await admin.post('/v1/admin/organisations', { name: 'Edge Labs', kind: 'developer' }));
    // [path, send the raw body there, where the refusal points]
    const bodies: Array<[string, () => Promise<AnyResponse>, string]> = [
      ['/v1/admin/organisations', () => admin.raw('POST', '/v1/admin/organisations', '{"name": "nul\\u0000org", "kind": "developer"}', json), '$.name'],
      ['/v1/admin/organisations', () => admin.raw('POST', '/v1/admin/organisations', '{"name": "lone\\udc00", "kind": "developer"}', json), '$.name'],
      [
        '/v1/admin/users',
        () => admin.raw('POST', '/v1/admin/users', JSON.stringify({ email: 'edge@example.org', organisationId: organisation.id, role: 'developer' }).replace('{', '{"displayName": "a\\ud800b", '), json),
        '$.displayName',
      ],
      [
        '/v1/admin/users',
        () => admin.raw('POST', '/v1/admin/users', JSON.stringify({ displayName: 'x', organisationId: organisation.id, role: 'developer' }).replace('{', '{"email": "e\\u0000@example.org", '), json),
        '$.email',
      ],
      ['/v1/cases', () => developer.http.raw('POST', '/v1/cases', '{"model": {"name": "m\\u0000", "version": "1"}}', json), '$.model.name'],
      [
        `/v1/cases/${caseA}/events`,
        () => developer.http.raw('POST', `/v1/cases/${caseA}/events`, '{"type": "ADD_FINDING", "severity": "minor", "title": "\\ud800", "detail": "d"}', json),
        '$.title',
      ],
    ];
    for (const [path, send, at] of bodies) {
      const problem = expectProblem(await send(), 400, 'validation', `${path} ${at}`);
      expect(problem.errors).toEqual([{ path: at, message: expect.any(String) }]);
    }
    const users = await admin.raw('POST', '/v1/admin/users', '{"\\u0000": 1}', json);
    expectProblem(users, 400, 'validation');
  });

  it('stores a file of a type outside the list as application/octet-stream and serves every file as an attachment with nosniff', async () => {
    const { developer } = suite.world;
    const caseId = await suite.driver.create();
    const html = new TextEncoder().encode('<script>alert(1)</script>');
    const cases: Array<[Uint8Array, string, string]> = [
      [html, 'text/html', 'page.html'],
      [new Uint8Array([0x4d, 0x5a, 0x90, 0]), 'application/x-msdownload', 'tool.exe'],
      [new TextEncoder().encode('no idea'), 'application/octet-stream', 'blob'],
      [new Uint8Array([0xff, 0xfe, 0x00]), 'image/svg+xml', 'x.svg'],
    ];
    for (const [bytes, type, filename] of cases) {
      const stored = await upload(developer.http, caseId, bytes, type, filename);
      expect({ type, status: stored.status }).toEqual({ type, status: 201 });
      const evidence = expectOk(stored, type);
      expect(evidence).toMatchObject({ size: bytes.length, mediaType: 'application/octet-stream' });
      const back = await developer.http.bytes(`/v1/cases/${caseId}/evidence/${evidence.id}`);
      expect(back.status).toBe(200);
      expect(back.headers.get('content-type')).toBe('application/octet-stream');
      expect(back.headers.get('content-disposition')).toMatch(/^attachment(;|$)/);
      expect(back.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(back.bytes).equals(Buffer.from(bytes))).toBe(true);
    }
    // A listed type is still checked: a PNG that is not one is 415, and text must be UTF-8.
    expectProblem(await upload(developer.http, caseId, html, 'image/png', 'fake.png'), 415, 'unsupported-media-type');
    expectProblem(await upload(developer.http, caseId, new Uint8Array([0x68, 0xff]), 'text/plain', 'a.txt'), 415, 'unsupported-media-type');
    const listed = expectOk(await upload(developer.http, caseId, new TextEncoder().encode('# notes'), 'text/markdown', 'notes.md'), 'markdown upload');
    expect(listed.mediaType).toBe('text/markdown');
    const back = await developer.http.bytes(`/v1/cases/${caseId}/evidence/${listed.id}`);
    expect(back.headers.get('content-disposition')).toMatch(/^attachment(;|$)/);
    expect(back.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a file name holding U+0000, raw or RFC 5987-encoded, with 400 and stores nothing', async () => {
    const { developer } = suite.world;
    const caseId = await suite.driver.create();
    const boundary = 'edge-boundary';
    const post = (disposition: string) =>
      developer.http.raw(
        'POST',
        `/v1/cases/${caseId}/evidence`,
        Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\nContent-Type: text/plain\r\n\r\n`, 'latin1'),
          Buffer.from('hello'),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
        { 'content-type': `multipart/form-data; boundary=${boundary}` },
      );
    const raw = await post('filename="a\u0000b.txt"');
    expect(raw.status).toBe(400);
    const encoded = await post("filename*=UTF-8''a%00b.txt");
    expect(expectProblem(encoded, 400, 'validation').errors).toEqual([{ path: '$.file.filename', message: expect.any(String) }]);
    // The same upload with a clean name is stored: the refusal was the name's alone.
    const clean = await post("filename*=UTF-8''a%C3%A9b.txt");
    expect(clean.status).toBe(201);
    expect(expectOk(clean, 'clean upload').mediaType).toBe('text/plain');
  });

  it('keeps a case’s evidence within EVIDENCE_MAX_CASE_MB: an upload that would pass it is 413 and stores nothing, even when racing', async () => {
    const { developer } = suite.world;
    const caseId = await suite.driver.create();
    const file = (kib: number, fill: number) => new Uint8Array(kib * KIB).fill(fill);
    expect((await upload(developer.http, caseId, file(600, 0x61), 'text/plain', 'a.txt')).status).toBe(201);
    const over = await upload(developer.http, caseId, file(600, 0x62), 'text/plain', 'b.txt');
    expectProblem(over, 413, 'payload-too-large');
    // Nothing of the refused file was counted: 600 + 300 KiB still fits.
    expect((await upload(developer.http, caseId, file(300, 0x63), 'text/plain', 'c.txt')).status).toBe(201);
    expectProblem(await upload(developer.http, caseId, file(200, 0x64), 'text/plain', 'd.txt'), 413, 'payload-too-large');

    // Two uploads racing for the last room: exactly one is stored.
    const racing = await suite.driver.create();
    expect((await upload(developer.http, racing, file(400, 0x61), 'text/plain', 'a.txt')).status).toBe(201);
    const statuses = (await Promise.all([0x62, 0x63, 0x64].map((fill) => upload(developer.http, racing, file(400, fill), 'text/plain', 'b.txt')))).map((r) => r.status);
    expect(statuses.sort()).toEqual([201, 413, 413]);

    // Another case has its own quota.
    const other = await suite.driver.create();
    expect((await upload(developer.http, other, file(600, 0x61), 'text/plain', 'a.txt')).status).toBe(201);
  });

  it('keeps an organisation’s evidence within EVIDENCE_MAX_ORGANISATION_MB across its cases, even when uploads to different cases race', async () => {
    // An api of its own with a 2 MiB organisation quota, on the suite's database.
    const small = await startStack({ worker: false, env: { EVIDENCE_MAX_CASE_MB: '1', EVIDENCE_MAX_ORGANISATION_MB: '2' } });
    try {
      const { organisation, member } = adminSeeder(small.http.as(currentTestEnvironment().adminToken));
      const lab = await member(await organisation('Quota Labs', 'developer'), 'developer', 'quota-dev');
      const neighbour = await member(await organisation('Quota Neighbours', 'developer'), 'developer', 'quota-neighbour');
      const caseOf = (who: typeof lab) => suite.driver.create(who);
      const file = (kib: number, fill: number) => new Uint8Array(kib * KIB).fill(fill);

      // 900 + 900 KiB in two cases, each within its own 1 MiB.
      for (const fill of [0x61, 0x62]) expect((await upload(lab.http, await caseOf(lab), file(900, fill), 'text/plain', 'a.txt')).status).toBe(201);
      // A third case has room of its own, but the organisation has 248 KiB left; the refused file is not counted.
      const third = await caseOf(lab);
      const over = expectProblem(await upload(lab.http, third, file(300, 0x63), 'text/plain', 'c.txt'), 413, 'payload-too-large');
      expect(over.detail).toBe("an organisation's evidence is at most 2 MiB in total");
      expect((await upload(lab.http, third, file(200, 0x64), 'text/plain', 'd.txt')).status).toBe(201);

      // 48 KiB left; three 40 KiB uploads to three cases race for it, each holding only its own case's lock.
      const racing = await Promise.all([caseOf(lab), caseOf(lab), caseOf(lab)]);
      const statuses = await Promise.all(racing.map((id, i) => upload(lab.http, id, file(40, 0x65 + i), 'text/plain', 'e.txt')));
      expect(statuses.map((r) => r.status).sort()).toEqual([201, 413, 413]);

      // Another organisation has a quota of its own.
      expect((await upload(neighbour.http, await caseOf(neighbour), file(900, 0x61), 'text/plain', 'a.txt')).status).toBe(201);
    } finally {
      await small.close();
    }
  });

  it('counts an organisation’s evidence one upload at a time: a second case’s upload waits for the first to commit, then counts it', async () => {
    const { developer } = suite.world;
    const evidence = suite.stack.api.get(EvidenceRepository);
    const dataSource = suite.stack.api.get(DataSource);
    const [first, second] = [await suite.driver.create(), await suite.driver.create()];
    const input = (caseId: string) => ({
      caseId,
      organisationId: developer.organisationId,
      sha256: 'ab'.repeat(32),
      mediaType: 'text/plain',
      filename: null,
      content: Buffer.alloc(KIB, 0x61),
      uploadedBy: developer.id,
    });
    // Room for exactly one more KiB in the organisation, whatever the suite stored before.
    const [{ used }] = await dataSource.query(
      `SELECT COALESCE(sum(size), 0)::bigint AS used FROM evidence WHERE case_id IN (SELECT id FROM cases WHERE developer_organisation_id = $1)`,
      [developer.organisationId],
    );
    const quota = { maxCaseBytes: 1024 * KIB, maxOrganisationBytes: Number(used) + KIB };

    // The first stores its KiB and holds its transaction open while the second counts.
    let commitFirst!: () => void;
    const held = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstStored!: () => void;
    const stored = new Promise<void>((resolve) => (firstStored = resolve));
    const one = dataSource.transaction(async (db) => {
      const result = await evidence.insertWithinQuota(input(first), quota, db);
      firstStored();
      await held;
      return result;
    });
    await stored;
    const two = dataSource.transaction((db) => evidence.insertWithinQuota(input(second), quota, db));
    await new Promise((resolve) => setTimeout(resolve, 200));
    commitFirst();
    expect(await one).toMatchObject({ caseId: first, size: KIB });
    expect(await two).toEqual({ over: 'organisation' });
  });

  it('keeps a delivered webhook delivery 30 days as a receipt, then the worker deletes it; pending and dead ones stay', async () => {
    const { developer } = suite.world;
    const db = suite.stack.api.get(DataSource);
    // Three deliveries of the suite's cases have been delivered to the receiver.
    const delivered: Array<{ id: string }> = await waitFor(
      () => db.query(`SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.organisation_id = $1 AND d.status = 'delivered' ORDER BY d.created_at LIMIT 3`, [developer.organisationId]),
      (rows) => rows.length === 3,
      { what: 'three delivered deliveries' },
    );
    const [old, kept] = delivered.map((row) => row.id) as [string, string];
    // A month passes for two of them; one of those two had been a dead letter instead.
    await db.query(`UPDATE webhook_deliveries SET created_at = created_at - interval '31 days' WHERE id = ANY($1::uuid[])`, [[old, kept]]);
    await db.query(`UPDATE webhook_deliveries SET status = 'dead', delivered_at = NULL WHERE id = $1`, [kept]);

    // Every delivered delivery younger than 30 days, the third among them: the prune must leave each.
    const young: string[] = (
      await db.query(`SELECT id FROM webhook_deliveries WHERE status = 'delivered' AND created_at >= now() - interval '30 days'`)
    ).map((row: { id: string }) => row.id);
    expect(young).toContain(delivered[2]!.id);
    expect((await suite.stack.worker!.get(RetentionPruner).prune()).deliveries).toBeGreaterThanOrEqual(1);
    const left = await db.query(`SELECT id FROM webhook_deliveries WHERE id = ANY($1::uuid[])`, [[old, kept]]);
    expect(left.map((row: { id: string }) => row.id)).toEqual([kept]);
    const youngLeft = await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE id = ANY($1::uuid[])`, [young]);
    expect(youngLeft[0].n).toBe(young.length);
  });
});
