import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { eventHash } from '@app/integrity';
import { dropDatabase } from '@app/persistence';
import { adminSeeder, expectProblem, waitFor, type HttpClient, type OkBody } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { startStack, type TestStack } from './support/stack.js';
import { useSuite } from './support/suite.js';

type LogItem = OkBody<'/v1/operator-log'>['items'][number];

const LOG_KEYS = ['actor', 'at', 'fromState', 'hash', 'payload', 'prevHash', 'seq', 'toState', 'type'];
const TOKEN_KEYS = ['createdAt', 'createdBy', 'expiresAt', 'id', 'label', 'lastUsedAt', 'revokedAt'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Narrows an open operator-log payload field to a list of ids, failing the test when it is not one. */
const idsIn = (value: unknown, what: string): string[] => {
  if (!Array.isArray(value) || !value.every((id): id is string => typeof id === 'string'))
    throw new Error(`${what}: not a list of ids: ${JSON.stringify(value)}`);
  return value;
};

/** Every operator-log row, paging ascending by seq. */
const readLog = async (regulator: HttpClient): Promise<LogItem[]> => {
  const items: LogItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = expectOk(await regulator.get(`/v1/operator-log?${query}`), 'operator log');
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};

describe('operator log and tokens (issue 8): every admin action is on the record, tokens expire and rotate', () => {
  const suite = useSuite({ worker: false });
  let adminId: string;
  let owner: pg.Client;

  beforeAll(async () => {
    adminId = expectOk(await suite.world.admin.get('/v1/me')).id;
    owner = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await owner.connect();
  });
  afterAll(async () => owner?.end());

  const tokensOf = async (userId: string) => expectOk(await suite.world.admin.get(`/v1/admin/users/${userId}/tokens?limit=200`)).items;

  it("records an admin-issued token in the operator log, as a regulator sees it, and in the holder's inbox", async () => {
    const { developer, regulator, admin } = suite.world;
    const issuing = await admin.post(`/v1/admin/users/${developer.id}/tokens`, { label: 'support session' });
    expect(issuing.status).toBe(201);
    const issued = expectOk(issuing);
    expect(Object.keys(issued).sort()).toEqual(['expiresAt', 'id', 'token']);

    const log = await readLog(regulator.http);
    const row = log.find((item) => item.type === 'TOKEN_ISSUED' && item.payload.tokenId === issued.id);
    expect(row).toBeDefined();
    expect(Object.keys(row!).sort()).toEqual(LOG_KEYS);
    expect(row).toMatchObject({
      actor: { id: adminId, role: 'admin', organisationId: null },
      fromState: null,
      toState: null,
      payload: { user: { id: developer.id, role: 'developer', organisationId: developer.organisationId }, label: 'support session', expiresAt: issued.expiresAt },
    });
    expect(eventHash('operator-log', row!)).toBe(row!.hash);
    expect(JSON.stringify(log)).not.toContain(issued.token);
    // The world's own creation is on the record too.
    expect(log).toContainEqual(
      expect.objectContaining({ type: 'USER_CREATED', payload: expect.objectContaining({ user: expect.objectContaining({ id: developer.id }) }) }),
    );
    expect(log.some((item) => item.type === 'ORGANISATION_CREATED' && item.payload.organisationId === developer.organisationId)).toBe(true);

    const inbox = expectOk(await developer.http.get('/v1/notifications')).items;
    expect(inbox).toContainEqual(expect.objectContaining({ eventType: 'TOKEN_ISSUED', caseId: null, seq: null, toState: null }));
  });

  it('verifies the operator log, and names the seq of a row changed behind the trigger', async () => {
    const { regulator } = suite.world;
    await suite.world.admin.post('/v1/admin/organisations', { name: `Tamper probe ${randomUUID()}`, kind: 'developer' });
    const log = await readLog(regulator.http);
    const verified = expectOk(await regulator.http.get('/v1/operator-log/verify'));
    expect(verified).toEqual({ valid: true, length: log.length, headHash: log.at(-1)!.hash, firstBadSeq: null });
    log.forEach((item, i) => expect(item.prevHash).toBe(i === 0 ? '0'.repeat(64) : log[i - 1]!.hash));

    const target = log[Math.floor(log.length / 2)]!;
    const rewrite = async (payload: Record<string, unknown>) => {
      await owner.query('BEGIN');
      try {
        await owner.query('ALTER TABLE operator_log DISABLE TRIGGER USER');
        await owner.query('UPDATE operator_log SET payload = $1 WHERE seq = $2', [JSON.stringify(payload), target.seq]);
        await owner.query('ALTER TABLE operator_log ENABLE TRIGGER USER');
        await owner.query('COMMIT');
      } catch (error) {
        await owner.query('ROLLBACK');
        throw error;
      }
    };
    await rewrite({ ...target.payload, tampered: true });
    try {
      expect(expectOk(await regulator.http.get('/v1/operator-log/verify'))).toMatchObject({ valid: false, firstBadSeq: target.seq });
    } finally {
      await rewrite(target.payload);
    }
    expect(expectOk(await regulator.http.get('/v1/operator-log/verify'))).toMatchObject({ valid: true, firstBadSeq: null });
    // The trigger stands again.
    await expect(owner.query('UPDATE operator_log SET payload = payload WHERE seq = $1', [target.seq])).rejects.toThrow(/append-only/);
  });

  it('answers 403 to every role but the regulator on the operator log, and 401 without a token', async () => {
    const { developer, auditorA, admin } = suite.world;
    for (const http of [developer.http, auditorA.http, admin]) {
      expect((await http.get('/v1/operator-log')).status).toBe(403);
      expect((await http.get('/v1/operator-log/verify')).status).toBe(403);
    }
    expect((await suite.stack.http.get('/v1/operator-log')).status).toBe(401);
  });

  it('refuses an expired token with 401 saying so; expiresAt must be in the future and at most 365 days ahead', async () => {
    const { developer, admin } = suite.world;
    const soon = new Date(Date.now() + 1000).toISOString();
    const issued = expectOk(await admin.post(`/v1/admin/users/${developer.id}/tokens`, { expiresAt: soon }));
    expect(issued.expiresAt).toBe(soon);
    const holder = admin.as(issued.token);
    const expired = await waitFor(() => holder.get('/v1/me'), (r) => r.status !== 200, { timeoutMs: 5000, intervalMs: 200, what: 'expiry' });
    expect(expectProblem(expired, 401, 'expired token').detail).toBe('the token has expired');
    expect(expectProblem(await admin.as(`clr_${randomBytes(32).toString('base64url')}`).get('/v1/me'), 401, 'unknown token').detail).not.toMatch(/expired/);

    const past = await admin.post(`/v1/admin/users/${developer.id}/tokens`, { expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(expectProblem(past, 400, 'past expiresAt').errors).toEqual([expect.objectContaining({ path: '$.expiresAt' })]);
    const far = await admin.post(`/v1/admin/users/${developer.id}/tokens`, { expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() });
    expect(far.status).toBe(400);
    expect((await admin.post(`/v1/admin/users/${developer.id}/tokens`, { ttl: 5 })).status).toBe(400);
    expect((await admin.post(`/v1/admin/users/${randomUUID()}/tokens`, {})).status).toBe(404);

    // Without expiresAt: TOKEN_TTL_DAYS (90) from now.
    const lasting = expectOk(await admin.post(`/v1/admin/users/${developer.id}/tokens`));
    expect(Math.abs(Date.parse(lasting.expiresAt) - (Date.now() + 90 * 86_400_000))).toBeLessThan(60_000);
  });

  it('writes lastUsedAt after a 2xx answer only, at most once a minute, and lists tokens without a secret', async () => {
    const { auditorA, admin } = suite.world;
    const issued = expectOk(await admin.post(`/v1/admin/users/${auditorA.id}/tokens`, { label: 'probe' }));
    const holder = admin.as(issued.token);
    const listed = async () => {
      const token = (await tokensOf(auditorA.id)).find((t) => t.id === issued.id);
      if (!token) throw new Error(`token ${issued.id} is not listed`);
      return token;
    };

    expect((await holder.get('/v1/queues')).status).toBe(403);
    expect((await holder.get(`/v1/cases/${randomUUID()}`)).status).toBe(404);
    await sleep(300);
    const unused = await listed();
    expect(Object.keys(unused).sort()).toEqual(TOKEN_KEYS);
    expect(unused).toMatchObject({ label: 'probe', createdBy: adminId, lastUsedAt: null, revokedAt: null, expiresAt: issued.expiresAt });
    expect(JSON.stringify(await tokensOf(auditorA.id))).not.toContain(issued.token);

    expect((await holder.get('/v1/me')).status).toBe(200);
    const used = await waitFor(listed, (t) => t.lastUsedAt !== null, { timeoutMs: 5000, what: 'lastUsedAt' });
    expect((await holder.get('/v1/me')).status).toBe(200);
    await sleep(300);
    expect((await listed()).lastUsedAt).toBe(used.lastUsedAt);
  });

  it('lets a user create, list and revoke its own tokens; another user’s token id is 404', async () => {
    const { developer, otherDeveloper, regulator } = suite.world;
    const creating = await developer.http.post('/v1/me/tokens', { label: 'ci' });
    expect(creating.status).toBe(201);
    const created = expectOk(creating);
    expect(Object.keys(created).sort()).toEqual(['expiresAt', 'id', 'token']);
    const own = developer.http.as(created.token);
    expect(expectOk(await own.get('/v1/me')).id).toBe(developer.id);

    const mine = expectOk(await developer.http.get('/v1/me/tokens')).items;
    expect(mine).toContainEqual(expect.objectContaining({ id: created.id, label: 'ci', createdBy: developer.id, revokedAt: null }));
    expect(JSON.stringify(mine)).not.toContain(created.token);
    expect(expectOk(await otherDeveloper.http.get('/v1/me/tokens')).items.map((t) => t.id)).not.toContain(created.id);

    expect((await otherDeveloper.http.delete(`/v1/me/tokens/${created.id}`)).status).toBe(404);
    expect((await developer.http.delete('/v1/me/tokens/not-a-uuid')).status).toBe(404);
    expect((await own.get('/v1/me')).status).toBe(200);
    expect((await developer.http.delete(`/v1/me/tokens/${created.id}`)).status).toBe(204);
    expect((await own.get('/v1/me')).status).toBe(401);
    const after = expectOk(await developer.http.get('/v1/me/tokens')).items.find((t) => t.id === created.id);
    expect(after).toBeDefined();
    expect(after!.revokedAt).not.toBeNull();
    // Self-service by a non-admin is no admin action.
    expect((await readLog(regulator.http)).some((item) => item.payload.tokenId === created.id)).toBe(false);
  });

  it('keeps a user to 50 live tokens, counting concurrent issuances one at a time; revoked and expired ones free their places', async () => {
    const { admin } = suite.world;
    const { organisation, member } = adminSeeder(admin);
    const holder = await member(await organisation('Token Labs', 'developer'), 'developer', 'token-holder');
    const mint = (body: object = {}) => holder.http.post('/v1/me/tokens', body);
    const live = async () => expectOk(await holder.http.get('/v1/me/tokens?limit=200')).items.filter((t) => t.revokedAt === null && Date.parse(t.expiresAt) > Date.now());
    // The seeder's token and 39 more: 40 live; then 15 at once, of which exactly 10 get a place.
    for (let n = 0; n < 39; n++) expectOk(await mint());
    const racing = await Promise.all(Array.from({ length: 15 }, () => mint()));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(10);
    for (const refused of racing.filter((r) => r.status !== 201))
      expect(expectProblem(refused, 409)).toMatchObject({ type: '/problems/too-many-tokens', detail: 'a user holds at most 50 live tokens; revoke one first' });
    // An admin's issuance is held to the same bound, and a refusal stores nothing.
    expect(expectProblem(await admin.post(`/v1/admin/users/${holder.id}/tokens`), 409).type).toBe('/problems/too-many-tokens');
    expect(await live()).toHaveLength(50);

    // A revoked token frees a place, taken here by one that expires in two seconds; its expiry frees it again.
    const spare = expectOk(racing.find((r) => r.status === 201)!);
    expect((await holder.http.delete(`/v1/me/tokens/${spare.id}`)).status).toBe(204);
    const brief = expectOk(await mint({ label: 'brief', expiresAt: new Date(Date.now() + 2000).toISOString() }));
    expectProblem(await mint(), 409);
    await waitFor(() => holder.http.as(brief.token).get('/v1/me'), (r) => r.status === 401, { timeoutMs: 5000, what: 'the brief token to expire' });
    expectOk(await admin.post(`/v1/admin/users/${holder.id}/tokens`));
    expect(await live()).toHaveLength(50);
  });
});

describe('operator log: a changed ADMIN_TOKEN revokes the old one (own database)', () => {
  const database = `clearance_rotation_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string;
  let stacks: TestStack[] = [];

  const start = async (adminToken: string) => {
    const stack = await startStack({ worker: false, env: { DATABASE_URL: databaseUrl, ADMIN_TOKEN: adminToken } });
    stacks.push(stack);
    return stack;
  };
  const stopAll = async () => {
    await Promise.all(stacks.map((s) => s.close()));
    stacks = [];
  };

  beforeAll(() => {
    const url = new URL(process.env.CLEARANCE_TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  });
  afterAll(async () => {
    await stopAll();
    await dropDatabase(databaseUrl);
  });

  it('makes the old ADMIN_TOKEN 401 and logs ADMIN_TOKEN_ROTATED by "system"; concurrent starts rotate once', async () => {
    const [first, second, third] = ['first', 'second', 'third'].map((name) => `${name}-admin-${randomBytes(16).toString('hex')}`) as [string, string, string];
    const one = await start(first);
    expect((await one.http.as(first).get('/v1/me')).status).toBe(200);
    await stopAll();

    const two = await start(second);
    expect((await two.http.as(first).get('/v1/me')).status).toBe(401);
    const admin = two.http.as(second);
    const me = expectOk(await admin.get('/v1/me'));
    expect(me.role).toBe('admin');

    const { organisation, member } = adminSeeder(admin);
    const regulator = await member(await organisation('Rotation Office', 'regulator'), 'regulator', 'rotation-regulator');
    const rotated = (await readLog(regulator.http)).filter((item) => item.type === 'ADMIN_TOKEN_ROTATED');
    expect(rotated).toHaveLength(1);
    expect(rotated[0]!.actor).toBe('system');
    expect(rotated[0]!.payload.user).toEqual({ id: me.id, role: 'admin', organisationId: null });
    const tokens = expectOk(await admin.get('/v1/me/tokens')).items;
    const revokedTokenIds = idsIn(rotated[0]!.payload.revokedTokenIds, 'ADMIN_TOKEN_ROTATED revokedTokenIds');
    const old = tokens.find((t) => revokedTokenIds.includes(t.id));
    expect(old).toBeDefined();
    expect(old!.revokedAt).not.toBeNull();
    const current = tokens.find((t) => t.id === rotated[0]!.payload.tokenId);
    expect(current).toBeDefined();
    expect(current!.revokedAt).toBeNull();
    expect(JSON.stringify(rotated)).not.toContain(second);
    await stopAll();

    // Two api processes starting together with a new ADMIN_TOKEN: one rotation.
    const [a] = await Promise.all([start(third), start(third)]);
    expect((await a!.http.as(second).get('/v1/me')).status).toBe(401);
    expect((await a!.http.as(third).get('/v1/me')).status).toBe(200);
    expect((await readLog(a!.http.as(regulator.token))).filter((item) => item.type === 'ADMIN_TOKEN_ROTATED')).toHaveLength(2);
  }, 60_000);
});
