import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import { dropDatabase } from '@app/persistence';
import { currentTestEnvironment, nodeHttpTransport, type Problem } from '@app/testing';
import { CaseDriver, expectOk } from './support/case-driver.js';
import {
  headerValue,
  idempotencyKey,
  ifMatch,
  jsonBodyOf,
  multipartBody,
  operationsOf,
  pathIdOf,
  queryOf,
  sometimes,
  type Body,
  type OpenApiDocument,
  type Operation,
} from './support/openapi-arbitraries.js';
import { startStack, type TestStack } from './support/stack.js';
import { createWorld, type World } from './support/world.js';

/**
 * Property-based fuzzing of every route of the OpenAPI document, as every role. Bounded by time:
 * FUZZ_SECONDS (default 45) shared by the operations; FUZZ_RUNS=n runs exactly n cases per
 * operation instead. FUZZ_SEED (default 20261130) makes a run reproducible: a failure names the
 * operation, the seed and fast-check's path.
 */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 45);
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined;
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

const document = JSON.parse(readFileSync(new URL('../apps/web/src/api/openapi.json', import.meta.url), 'utf8')) as OpenApiDocument;
const OPERATIONS = operationsOf(document);

type Role = 'admin' | 'developer' | 'auditor' | 'regulator' | 'none' | 'wrong';
const ROLES: Role[] = ['admin', 'developer', 'auditor', 'regulator', 'none', 'wrong'];

/** Row count and a hash of every row of every table but the migrations', read as the owner. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const snapshot = async (owner: pg.Client, tables: string[]): Promise<Record<string, string>> => {
  const sql = `SELECT ${tables
    .map((table) => `(SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "${table}" t) AS "${table}"`)
    .join(', ')}`;
  const { rows } = await owner.query<Record<string, string>>(sql);
  return rows[0]!;
};

interface Sent {
  method: string;
  url: string;
  role: Role;
  authorization: string | undefined;
  headers: Record<string, string>;
  mutation: string;
}

describe('fuzz: every route, every role, mutated bodies, parameters and headers', () => {
  let stack: TestStack;
  let world: World;
  let owner: pg.Client;
  let tables: string[];
  let agent: http.Agent;
  let tokens: Record<Role, string | undefined>;
  const ids: Record<string, string[]> = {};
  const cursors: string[] = [];
  const findings: string[] = [];
  const fuzzDatabase = (() => {
    const url = new URL(currentTestEnvironment().databaseUrl);
    url.pathname = `${url.pathname}_fuzz`;
    return url.toString();
  })();

  beforeAll(async () => {
    // The limiter would answer 429 in place of what a wrong token reaches; the worker would change rows between snapshots.
    // Its own database: each refusal hashes every table, which must not grow with what other suites of the run seed.
    stack = await startStack({ env: { DATABASE_URL: fuzzDatabase, AUTH_FAILURES_PER_MINUTE: '1000000', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' } });
    world = await createWorld(stack.http);
    const driver = new CaseDriver(world);
    const draft = await driver.create();
    const inAudit = await driver.inAudit([world.auditorA]);
    const withdrawn = await driver.create();
    await driver.fireOk(world.developer, withdrawn, 'WITHDRAW', { reason: 'fuzz' });
    await stack.worker?.close();
    const form = new FormData();
    form.append('file', new Blob(['evidence'], { type: 'text/plain' }), 'e.txt');
    const evidence = expectOk(await world.developer.http.raw('POST', `/v1/cases/${draft}/evidence`, form));
    const webhook = expectOk(await world.developer.http.post('/v1/webhooks', { url: 'https://93.184.215.14/hook' }));
    const spare = expectOk(await world.admin.post(`/v1/admin/users/${world.auditorC.id}/tokens`));
    const inbox = expectOk(await world.auditorA.http.get('/v1/notifications'));
    // Real cursors to alter; reading a page also makes the cursor key exist before the first snapshot.
    for (const page of [
      await world.regulator.http.get('/v1/cases?limit=1'),
      await world.regulator.http.get(`/v1/cases/${inAudit}/history?limit=1`),
      await world.auditorA.http.get('/v1/notifications?limit=1'),
      await world.regulator.http.get('/v1/queues/draft?limit=1'),
    ]) {
      const next = expectOk(page).nextCursor;
      if (next) cursors.push(next);
    }
    expect(cursors.length).toBeGreaterThanOrEqual(2);
    const cases = [draft, inAudit, withdrawn];
    const users = [world.developer.id, world.auditorA.id, world.regulator.id, world.auditorC.id];
    Object.assign(ids, {
      cases,
      users,
      tokens: [spare.id],
      evidence: [evidence.id],
      notifications: inbox.items.map((item) => item.id).concat(cases),
      webhooks: [webhook.id],
      organisations: [world.developer.organisationId, world.auditorA.organisationId, world.regulator.organisationId],
    });
    tokens = {
      admin: currentTestEnvironment().adminToken,
      developer: world.developer.token,
      auditor: world.auditorA.token,
      regulator: world.regulator.token,
      none: undefined,
      wrong: 'wrong-token-0123456789abcdef',
    };
    owner = new pg.Client({ connectionString: stack.config.DATABASE_URL });
    await owner.connect();
    const listed = await owner.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'typeorm_metadata') ORDER BY tablename`,
    );
    tables = listed.rows.map((row) => row.tablename);
    expect(tables).toEqual(expect.arrayContaining(['cases', 'case_events', 'deadlines', 'outbox', 'idempotency_keys', 'api_tokens', 'notifications', 'webhooks', 'evidence']));
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }, 120_000);

  afterAll(async () => {
    agent?.destroy();
    await owner?.end();
    await stack?.api.close();
    await dropDatabase(fuzzDatabase);
  });

  const realIdsFor = (operation: Operation, name: string): string[] => {
    if (name === 'evidenceId') return ids.evidence!;
    if (name === 'version') return ['1', '2'];
    if (name === 'name') return ['draft', 'in_audit', 'overdue', 'released'];
    if (operation.path.startsWith('/v1/policy-packs')) return ['caip-2025'];
    if (operation.path.startsWith('/v1/admin/users')) return ids.users!;
    if (operation.path.startsWith('/v1/admin/tokens')) return ids.tokens!;
    if (operation.path.startsWith('/v1/notifications')) return ids.notifications!;
    if (operation.path.startsWith('/v1/webhooks')) return ids.webhooks!;
    return ids.cases!;
  };

  const requestOf = (operation: Operation) => {
    const hints = { uuids: Object.values(ids).flat(), cursors };
    const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
    const path = fc
      .tuple(...pathParameters.map((parameter) => pathIdOf(realIdsFor(operation, parameter.name)).map((value) => [parameter.name, value] as const)))
      .map((pairs) => pairs.reduce((template, [name, value]) => template.replace(`{${name}}`, value), operation.path));
    const body: fc.Arbitrary<Body | undefined> = operation.body
      ? operation.body.mediaType === 'application/json'
        ? jsonBodyOf(operation.body.schema, hints)
        : multipartBody()
      : sometimes(fc.constantFrom<Body>({ payload: '{}', contentType: 'application/json', mutation: 'body on a bodiless route' }, { payload: 'x', contentType: 'text/plain', mutation: 'text on a bodiless route' }), 15);
    const authorization = fc.constantFrom(...ROLES).chain((role) => {
      const token = tokens[role];
      const forms = token
        ? fc.oneof(
            { weight: 8, arbitrary: fc.constant(`Bearer ${token}`) },
            { weight: 1, arbitrary: fc.constantFrom(`bearer ${token}`, `Bearer  ${token}`, `Bearer ${token} `, token, `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Bearer ${token}, Bearer ${token}`) },
          )
        : sometimes(fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic', 'Basic !!!', 'Digest x', ''), headerValue()), 30);
      return forms.map((value) => ({ role, authorization: value ?? undefined, valid: token !== undefined && value === `Bearer ${token}` && role !== 'wrong' }));
    });
    return fc.record({
      path,
      query: queryOf(operation, hints),
      body,
      auth: authorization,
      ifMatch: ifMatch(),
      idempotencyKey: idempotencyKey(),
      accept: sometimes(fc.constantFrom('application/xml', 'text/html', '*/*', 'application/problem+json'), 20),
    });
  };

  const send = async (sent: Sent, payload: string | Uint8Array | undefined, headers = sent.headers) => {
    const response = await nodeHttpTransport(agent, 60_000)(sent.method, sent.url, payload, headers);
    const text = new TextDecoder().decode(response.bytes);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the assertions below say so
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  /** What is wrong with one response, or null. */
  const verdict = (valid: boolean, response: { status: number; headers: Headers; body: unknown }): string | null => {
    if (response.status >= 500) return `answered ${response.status}`;
    if (response.status < 400) return null;
    if (response.status === 429 && valid) return 'a valid token was rate limited';
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('application/problem+json')) return `${response.status} as ${type || 'no content type'}`;
    const problem = response.body as Partial<Problem> | undefined;
    if (typeof problem !== 'object' || problem === null) return `${response.status} problem body is not an object`;
    if (typeof problem.type !== 'string' || !problem.type.startsWith('/problems/')) return `${response.status} problem without a /problems/ type`;
    if (typeof problem.title !== 'string' || typeof problem.detail !== 'string') return `${response.status} problem without title or detail`;
    if (problem.status !== response.status) return `problem status ${String(problem.status)} on a ${response.status}`;
    return null;
  };

  // Findings of this fuzzer, each replayed as it was found (see docs/decisions.md, "Fuzzing").
  it.each([
    ['a deeply nested admin body', 'POST', '/v1/admin/policy-packs', `${'{"a":['.repeat(5000)}"leaf"${']}'.repeat(5000)}`, { 'idempotency-key': 'deep-1' }],
    ['a deeply nested case body', 'POST', '/v1/cases', `${'{"a":['.repeat(5000)}"leaf"${']}'.repeat(5000)}`, { 'idempotency-key': 'deep-2' }],
  ])('finding: %s is a 4xx problem', async (_what, method, path, body, extra) => {
    const before = await snapshot(owner, tables);
    const response = await send(
      { method, url: `${stack.baseUrl}${path}`, role: 'admin', authorization: undefined, headers: {}, mutation: '' },
      body,
      { authorization: `Bearer ${path.startsWith('/v1/admin') ? tokens.admin : tokens.developer}`, 'content-type': 'application/json', ...extra },
    );
    expect(verdict(true, response)).toBeNull();
    expect([response.status, (response.body as Problem).type]).toEqual([400, '/problems/malformed']);
    expect(await snapshot(owner, tables)).toEqual(before);
  });

  it.each([['\u0000'], ['\uD800'], ['x']])('finding: a policy pack whose tier is the string %j is a 400, not a 500', async (tier) => {
    const base = expectOk(await world.developer.http.get('/v1/policy-packs/caip-2025/versions/1'));
    const pack = { id: 'fuzz-tier', version: '1', title: 't', domains: base.domains, cannotRuleOutCountsAs: base.cannotRuleOutCountsAs, tiers: { ...base.tiers, critical: tier }, deadlines: base.deadlines };
    const before = await snapshot(owner, tables);
    const response = await world.admin.post('/v1/admin/policy-packs', pack);
    expect([response.status, (response.body as Problem).type]).toEqual([400, '/problems/validation']);
    expect(await snapshot(owner, tables)).toEqual(before);
  });

  it('reads every operation of the OpenAPI document', () => {
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(37);
    expect(OPERATIONS.filter((operation) => operation.body).length).toBeGreaterThanOrEqual(10);
  });

  it(`answers no 5xx, only problem+json refusals and changes nothing on a refusal (seed ${SEED})`, async () => {
    const budgetMs = (SECONDS * 1000) / OPERATIONS.length;
    const statuses = new Map<number, number>();
    // fast-check's time limit can give up on a run while its request is still in flight: the next
    // operation waits for it, so that request's writes never land between another's snapshots.
    let inFlight: Promise<unknown> = Promise.resolve();
    for (const [index, operation] of OPERATIONS.entries()) {
      const seed = SEED + index;
      const requests = requestOf(operation);
      const check = async (request: ValueOf<typeof requests>) => {
        const headers: Record<string, string> = {};
        if (request.auth.authorization !== undefined) headers.authorization = request.auth.authorization;
        if (request.body?.contentType !== undefined) headers['content-type'] = request.body.contentType;
        if (request.ifMatch !== undefined) headers['if-match'] = request.ifMatch;
        if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
        if (request.accept !== undefined) headers.accept = request.accept;
        const sent: Sent = {
          method: operation.method,
          url: `${stack.baseUrl}${request.path}${request.query}`,
          role: request.auth.role,
          authorization: request.auth.authorization,
          headers,
          mutation: request.body?.mutation ?? 'no body',
        };
        const before = await snapshot(owner, tables);
        const response = await send(sent, request.body?.payload);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const wrong = verdict(request.auth.valid, response);
        const describe = () =>
          `${operation.method} ${operation.path} as ${sent.role}: ${sent.method} ${sent.url.slice(0, 300)} [${sent.mutation}] headers ${JSON.stringify(headers).slice(0, 300)} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
        if (wrong) throw new Error(`${wrong}: ${describe()}`);
        if (response.status >= 400) {
          const after = await snapshot(owner, tables);
          const changed = tables.filter((table) => before[table] !== after[table]);
          if (changed.length > 0) throw new Error(`a refusal changed ${changed.join(', ')}: ${describe()}`);
        }
      };
      // The whole run is tracked from its first line, not from its request: a run fast-check
      // gave up on while it was still taking its first snapshot sent its request later, and that
      // write (an evidence upload, in CI) landed between the next operation's snapshots.
      const property = fc.asyncProperty(requests, (request) => {
        const run = check(request);
        inFlight = run.catch(() => undefined);
        return run;
      });
      let result = await fc.check(property, {
        seed,
        numRuns: RUNS ?? 100_000,
        ...(RUNS === undefined ? { interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false } : {}),
        endOnFailure: true,
      });
      await inFlight;
      // fast-check counts a time limit reached before the first run as a failure (CI saw it on a
      // machine loaded well beyond its cores): such an operation gets one run without a limit.
      if (result.interrupted && result.numRuns === 0) {
        result = await fc.check(property, { seed, numRuns: 1, endOnFailure: true });
        await inFlight;
      }
      if (result.failed)
        findings.push(
          `${operation.method} ${operation.path}: FUZZ_SEED=${SEED} (operation seed ${seed}, path ${result.counterexamplePath}) after ${result.numRuns} runs: ${String(result.errorInstance instanceof Error ? result.errorInstance.message : result.errorInstance)}`,
        );
      else expect(result.numRuns).toBeGreaterThan(0);
    }
    process.stdout.write(`fuzz: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect(findings).toEqual([]);
  }, (SECONDS + 120) * 1000);
});
