import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parseWitnessConfig } from '@app/config';
import { AUTH_CHANNEL, ChannelListener, createDataSource, HEARTBEAT_MS } from '@app/persistence';
import { settlesWithin, waitFor } from '@app/testing';
import { startWitness } from '../apps/witness/src/witness.app.js';
import { CaseDriver, expectOk } from './support/case-driver.js';
import { spawnApi, spawnWorker, startRedis, stopProcess } from './support/processes.js';
import { startStack, testConfig, type TestStack } from './support/stack.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { createWorld, type World } from './support/world.js';

/** Fast clocks so recovery is visible within a test: sweep every 500 ms, lost jobs re-sent after 1.5 s. */
const WORKER_ENV = { DEADLINE_SWEEP_MS: '500', OUTBOX_LEASE_MS: '1500' };

const publishQuickPack = (world: World, deadlines: Record<string, string>) => new CaseDriver(world).publishPack(deadlines, 'fault-tolerance clocks');

const submitCases = async (world: World, packRef: string, count: number): Promise<string[]> => {
  const driver = new CaseDriver(world);
  return Promise.all(
    Array.from({ length: count }, async () => {
      const caseId = await driver.create(undefined, undefined, {}, packRef);
      await driver.fireOk(world.developer, caseId, 'SUBMIT');
      return caseId;
    }),
  );
};

/** Every case's history: intake and the assignment deadline each happened exactly once, chain intact. */
const expectExactlyOnce = async (world: World, caseIds: string[]) => {
  for (const caseId of caseIds) {
    const items = expectOk(await world.regulator.http.get(`/v1/cases/${caseId}/history?limit=200`)).items;
    expect(items.map((i) => i.seq)).toEqual(items.map((_, i) => i + 1));
    expect(items.filter((i) => i.type === 'INTAKE_PASSED')).toHaveLength(1);
    expect(items.filter((i) => i.type === 'DEADLINE_PASSED')).toHaveLength(1);
    expect(expectOk(await world.regulator.http.get(`/v1/cases/${caseId}/history/verify`)).valid).toBe(true);
  }
};

const allEscalated = (world: World, caseIds: string[]) =>
  waitFor(
    async () => {
      const views = await Promise.all(caseIds.map(async (id) => expectOk(await world.regulator.http.get(`/v1/cases/${id}`))));
      return views.filter((v) => v.state === 'awaiting_assignment' && v.deadlines.some((d: { escalatedAt: string | null }) => d.escalatedAt)).length;
    },
    (n) => n === caseIds.length,
    { timeoutMs: 45_000, intervalMs: 250, what: 'every case through intake and escalated' },
  );

describe('fault tolerance: a worker killed mid-job', () => {
  let stack: TestStack;
  let world: World;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    world = await createWorld(stack.http);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w, 'SIGKILL')));
    await stack?.close();
  });

  it('completes every transition and deadline exactly once after SIGKILL and a restart', async () => {
    const packRef = await publishQuickPack(world, { assignment: 'PT2S' });
    const first = spawnWorker(stack.config, WORKER_ENV);
    workers.push(first);
    const caseIds = await submitCases(world, packRef, 24);
    // Kill it while intake jobs are being relayed and run.
    await waitFor(
      async () => (await Promise.all(caseIds.map(async (id) => (await world.regulator.http.get(`/v1/cases/${id}`)).body.state))).filter((s) => s !== 'intake').length,
      (moved) => moved >= 1,
      { timeoutMs: 20_000, intervalMs: 20, what: 'the first intake to complete' },
    );
    await stopProcess(first, 'SIGKILL');

    workers.push(spawnWorker(stack.config, WORKER_ENV));
    await allEscalated(world, caseIds);
    await expectExactlyOnce(world, caseIds);
  }, 90_000);
});

describe('fault tolerance: Redis emptied and stopped', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let stack: TestStack;
  let world: World;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({ worker: false, env: { REDIS_URL: redis.url } });
    world = await createWorld(stack.http);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w, 'SIGKILL')));
    await stack?.close();
    await redis?.stop();
  });

  it('fires every deadline and delivers every outbox row after FLUSHALL, via the sweep and the relay', async () => {
    const packRef = await publishQuickPack(world, { assignment: 'PT4S' });
    const worker = spawnWorker(stack.config, { ...WORKER_ENV, REDIS_URL: redis.url });
    workers.push(worker);
    const early = await submitCases(world, packRef, 6);
    await waitFor(
      async () => (await Promise.all(early.map(async (id) => (await world.regulator.http.get(`/v1/cases/${id}`)).body.state))).every((s) => s === 'awaiting_assignment'),
      (done) => done,
      { timeoutMs: 20_000, what: 'intake of the first cases' },
    );
    // Their deadline jobs now wait, delayed, in Redis. Stop the worker and submit more: their jobs wait in the outbox.
    await stopProcess(worker, 'SIGTERM');
    const late = await submitCases(world, packRef, 6);

    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    await client.flushall();
    client.disconnect();

    workers.push(spawnWorker(stack.config, { ...WORKER_ENV, REDIS_URL: redis.url }));
    await allEscalated(world, [...early, ...late]);
    await expectExactlyOnce(world, [...early, ...late]);
  }, 90_000);

  // A Redis that froze with its connections open (a paused host, a stalled disk) still reads as ready:
  // the relay's add of a job waited for it without end, and every intake claimed after that add too.
  it('keeps screening while Redis is frozen, and fires the deadlines that waited once it wakes', async () => {
    const packRef = await publishQuickPack(world, { assignment: 'PT2S' });
    // Every transition then has a webhook delivery: an outbox row the relay hands to BullMQ.
    const webhook = expectOk(await world.developer.http.post('/v1/webhooks', { url: 'https://93.184.215.14/hook' }));
    const screened = (caseIds: string[]) => async () =>
      (await Promise.all(caseIds.map(async (id) => expectOk(await world.regulator.http.get(`/v1/cases/${id}`)).state))).every((s) => s === 'awaiting_assignment');
    let first: string[] = [];
    let later: string[] = [];
    redis.child.kill('SIGSTOP');
    try {
      first = await submitCases(world, packRef, 1);
      await waitFor(screened(first), (done) => done, { timeoutMs: 20_000, what: 'the first intake while Redis is frozen' });
      // The relay has met the frozen Redis with the first case's deliveries by now.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      later = await submitCases(world, packRef, 3);
      await waitFor(screened(later), (done) => done, { timeoutMs: 20_000, what: 'later intakes while Redis is frozen' });
    } finally {
      redis.child.kill('SIGCONT');
      await world.developer.http.delete(`/v1/webhooks/${webhook.id}`);
    }
    await allEscalated(world, [...first, ...later]);
    await expectExactlyOnce(world, [...first, ...later]);
  }, 90_000);

  // A graceful close waits for Redis to answer QUIT and BullMQ's last commands; a frozen Redis never
  // does, so api and worker stayed up after SIGTERM until Redis woke or someone sent SIGKILL.
  it('ends api and worker within SHUTDOWN_TIMEOUT_MS of SIGTERM while Redis is frozen', async () => {
    const packRef = await publishQuickPack(world, { assignment: 'PT1H' });
    const env = { REDIS_URL: redis.url, SHUTDOWN_TIMEOUT_MS: '1500' };
    const worker = spawnWorker(stack.config, { ...WORKER_ENV, ...env });
    const { child: api } = await spawnApi(stack.config, env);
    workers.push(worker, api);
    // Through intake: the worker has started, its job workers with it.
    const [caseId] = await submitCases(world, packRef, 1);
    await waitFor(
      async () => expectOk(await world.regulator.http.get(`/v1/cases/${caseId}`)).state,
      (state) => state === 'awaiting_assignment',
      { timeoutMs: 20_000, what: 'intake by the new worker' },
    );
    const exits = [worker, api].map((child) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))));
    redis.child.kill('SIGSTOP');
    try {
      worker.kill('SIGTERM');
      api.kill('SIGTERM');
      expect(await settlesWithin(Promise.all(exits), 6000)).toBe(true);
      expect(await Promise.all(exits)).toEqual([1, 1]);
    } finally {
      redis.child.kill('SIGCONT');
    }
  }, 60_000);

  it('keeps accepting transitions and screening them while Redis is down, and delivers what waited once it is back', async () => {
    const packRef = await publishQuickPack(world, { assignment: 'PT2S' });
    await redis.stop();
    const health = await stack.http.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.checks).toEqual({ postgres: 'up', redis: 'down' });

    // The worker of the test before still runs: its relay screens without Redis (docs/decisions.md,
    // "Intake and registry records run in the relay"); the assignment deadlines' jobs wait for Redis.
    const caseIds = await submitCases(world, packRef, 4);
    await waitFor(
      async () => (await Promise.all(caseIds.map(async (id) => expectOk(await world.regulator.http.get(`/v1/cases/${id}`)).state))).every((s) => s === 'awaiting_assignment'),
      (done) => done,
      { timeoutMs: 20_000, what: 'intake while Redis is down' },
    );

    redis = await startRedis(redis.port);
    workers.push(spawnWorker(stack.config, { ...WORKER_ENV, REDIS_URL: redis.url }));
    await allEscalated(world, caseIds);
    await expectExactlyOnce(world, caseIds);
    await waitFor(() => stack.http.get('/health'), (r) => r.status === 200, { what: 'health to recover' });
  }, 90_000);
});

describe('fault tolerance: Postgres going away while an api starts', () => {
  let stack: TestStack;
  let admin: pg.Client;
  let api: ChildProcess | null = null;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    admin = new pg.Client({ connectionString: stack.config.DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    if (api) await stopProcess(api, 'SIGKILL');
    await admin?.end();
    await stack?.close();
  });

  // A restart's fast shutdown ends every session with 57P01 (admin_shutdown), as pg_terminate_backend
  // does: an api whose startup connection got it used to exit with code 1 (found by the soak).
  it('keeps starting when its first connections are terminated, and answers once the database lets it', async () => {
    const applicationName = `startup-${randomUUID()}`;
    const terminated = new Set<number>();
    let starting = true;
    const terminator = (async () => {
      while (starting && terminated.size < 3) {
        const { rows } = await admin.query<{ pid: number }>(
          // In the select list, so it runs only for the rows the filter kept (in WHERE it may run first).
          `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
          [applicationName],
        );
        for (const { pid } of rows) terminated.add(pid);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    try {
      const databaseUrl = new URL(stack.config.DATABASE_URL);
      databaseUrl.searchParams.set('application_name', applicationName);
      api = (await spawnApi(stack.config, { DATABASE_URL: databaseUrl.toString() })).child;
    } finally {
      starting = false;
      await terminator;
    }
    expect(terminated.size).toBeGreaterThan(0);
    expect(api.exitCode).toBeNull();
  }, 60_000);

  // pg emits 'error' when the server ends the session of a client with no query running; one checked
  // out of the pool, between its queries, had no listener, and the throw ended the api (found by the soak).
  it('outlives the server ending the session of a connection checked out of the pool', async () => {
    const source = await createDataSource(stack.config.DATABASE_URL, [], 2).initialize();
    try {
      const pool = (source.driver as unknown as { master: pg.Pool }).master;
      const client = await pool.connect();
      const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      // Not events.once: it listens for 'error' too, which is what this test must do without.
      const ended = new Promise((resolve) => client.once('end', resolve));
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await ended;
      client.release(true);
      expect(await source.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await source.destroy();
    }
  });
});

const CONNECT_TIMEOUT_MS = 1000;
/** The api's wait before listening again for token revocations (TokenInvalidationListener). */
const RELISTEN_MS = 1000;
const METRICS_TOKEN = `metrics-${randomUUID()}`;

describe('fault tolerance: Postgres unreachable while an api serves', () => {
  let stack: TestStack;
  let world: World;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const databaseUrl = new URL(testConfig().DATABASE_URL);
    proxy = await TcpProxy.start({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
    stack = await startStack({ worker: false, env: { DATABASE_URL: proxy.route(databaseUrl.toString()), DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), METRICS_TOKEN } });
    world = await createWorld(stack.http);
  });
  afterAll(async () => {
    await proxy?.restore();
    await stack?.close();
    await proxy?.close();
  });

  /** `/metrics` with the scraper's token, which is checked without the database. */
  const scrapeMetrics = async () => (await fetch(`${stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const endedConnections = (text: string) => Number(/^clearance_database_connections_ended_total (\d+)$/m.exec(text)?.[1]);

  /** Reads a case while the database is silent: 503 once the bound has passed, not a request that waits. */
  const expectUnavailableAfterBound = async (caseId: string) => {
    const started = Date.now();
    const answer = world.regulator.http.get(`/v1/cases/${caseId}`);
    expect(await settlesWithin(answer, 10 * CONNECT_TIMEOUT_MS)).toBe(true);
    const response = await answer;
    expect(Date.now() - started).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.body).toMatchObject({ type: '/problems/unavailable', detail: expect.stringMatching(/database/) });
  };

  // A stopped or restarting database is the server's trouble, and passes: a client is told to come
  // back (503, Retry-After), not that something unexpected broke (500), and nothing is half written.
  it('answers 503 unavailable with Retry-After while the database refuses connections, and serves again once it is back', async () => {
    const driver = new CaseDriver(world);
    const caseId = await driver.create();
    // A token this api has not seen yet is looked up in the database: unreachable, it is not "wrong" (401).
    const unseen = stack.http.as(expectOk(await world.regulator.http.post('/v1/me/tokens', { label: 'outage' })).token);
    await proxy.refuse();
    for (const response of [
      await world.regulator.http.get('/v1/cases'),
      await unseen.get('/v1/cases'),
      await world.regulator.http.get(`/v1/cases/${caseId}`),
      await driver.fire(world.developer, caseId, 'SUBMIT'),
    ]) {
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.body).toMatchObject({ type: '/problems/unavailable', status: 503, detail: expect.stringMatching(/database/) });
    }
    await proxy.restore();
    await waitFor(() => world.regulator.http.get(`/v1/cases/${caseId}`), (r) => r.status === 200, { what: 'the case readable again' });
    expect(expectOk(await driver.fire(world.developer, caseId, 'SUBMIT')).state).toBeDefined();
    expect((await driver.history(caseId)).filter((i) => i.type === 'SUBMIT')).toHaveLength(1);
  }, 60_000);

  // A host cut off by the network, or a hung server, takes the connection and never answers: a
  // request waited for its connection for as long as the operating system kept trying.
  it('answers 503 after DATABASE_CONNECT_TIMEOUT_MS while the database takes connections and never answers', async () => {
    const caseId = await new CaseDriver(world).create();
    await proxy.hold();
    try {
      // The pool drops the connections the hold reset, so the next request opens a new one.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expectUnavailableAfterBound(caseId);
    } finally {
      await proxy.restore();
    }
    await waitFor(() => world.regulator.http.get(`/v1/cases/${caseId}`), (r) => r.status === 200, { what: 'the case readable again' });
  }, 60_000);

  // A server that froze, or a network path that went dark, under a query: once the query's bytes are
  // acknowledged TCP has nothing to resend, and pg waited for the answer for ever, the pooled
  // connection with it; a few such requests and every request waited for a connection.
  it('answers 503 when the database goes silent under a query on an open connection', async () => {
    const caseId = await new CaseDriver(world).create();
    expect((await world.regulator.http.get(`/v1/cases/${caseId}`)).status).toBe(200);
    const endedBefore = endedConnections(await scrapeMetrics());
    await proxy.silence();
    try {
      await expectUnavailableAfterBound(caseId);
      expect(endedConnections(await scrapeMetrics())).toBeGreaterThan(endedBefore);
    } finally {
      await proxy.restore();
    }
    await waitFor(() => world.regulator.http.get(`/v1/cases/${caseId}`), (r) => r.status === 200, { what: 'the case readable again' });
  }, 60_000);

  // A firewall or NAT that forgot an open flow drops its packets while new connections pass: the
  // server answered, the answer never came, and the server, asked on a new connection, says so.
  it('ends a pooled connection whose answer is lost while the server still takes new connections', async () => {
    const source = await createDataSource(stack.config.DATABASE_URL, [], 1, true, CONNECT_TIMEOUT_MS).initialize();
    try {
      expect(await source.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await proxy.silence({ newConnections: 'relay' });
      const lost = source.query('SELECT 2 AS two');
      expect(await settlesWithin(lost, 10 * CONNECT_TIMEOUT_MS)).toBe(true);
      await expect(lost).rejects.toThrow(/^Connection terminated unexpectedly$/);
      expect(await source.query('SELECT 3 AS three')).toEqual([{ three: 3 }]);
    } finally {
      await proxy.restore();
      await source.destroy();
    }
  }, 30_000);

  // The watch must not cut short what is merely slow: a summary's refresh or a migration runs for minutes.
  it('lets a statement that runs longer than the bound on a live server finish', async () => {
    const source = await createDataSource(stack.config.DATABASE_URL, [], 1, true, 200).initialize();
    try {
      expect(await source.query('SELECT pg_sleep(1.5)::text AS slept')).toEqual([{ slept: '' }]);
    } finally {
      await source.destroy();
    }
  });

  // The api hears token revocations on a LISTEN connection of its own, and uses its token cache only
  // while it does: an attempt to listen again that hung on a silent database kept the cache off for
  // minutes after the database came back.
  it('gives up a LISTEN connection the database takes and never answers, after the connect timeout', async () => {
    await proxy.hold();
    try {
      const attempt = ChannelListener.listen(stack.config.DATABASE_APP_URL, AUTH_CHANNEL, () => undefined, () => undefined, CONNECT_TIMEOUT_MS);
      expect(await settlesWithin(attempt, 10 * CONNECT_TIMEOUT_MS)).toBe(true);
      await expect(attempt).rejects.toThrow(/timeout/);
    } finally {
      await proxy.restore();
    }
  });

  // A LISTEN connection whose path went dark without a reset looked open and heard nothing: the
  // api kept its token cache on, and accepted for the cache's minute a token revoked elsewhere.
  it('gives up a LISTEN connection that no longer hears its own notifications, and keeps one that does', async () => {
    const lost: unknown[] = [];
    const heard: string[] = [];
    const listen = () => ChannelListener.listen(stack.config.DATABASE_APP_URL, AUTH_CHANNEL, (payload) => heard.push(payload), (error) => lost.push(error), CONNECT_TIMEOUT_MS, 100);
    const [first, second] = [await listen(), await listen()];
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // Ten heartbeats each, and neither took its own pings or the other's for notifications.
      expect([lost, heard.filter((payload) => payload.startsWith('ping:'))]).toEqual([[], []]);
      await proxy.silence({ newConnections: 'relay' });
      await waitFor(async () => lost.length, (n) => n === 2, { timeoutMs: 5 * CONNECT_TIMEOUT_MS, what: 'both listeners given up' });
      expect(String(lost[0])).toMatch(/went silent/);
    } finally {
      await proxy.restore();
      await Promise.all([first.close(), second.close()]);
    }
  });

  // A listener given up on a dark path leaves its session on the server until the server's TCP
  // keepalive ends it (two hours by default): each revocation waited a second for its acknowledgement.
  it('does not wait for the acknowledgement of a listener session left behind on a silent path', async () => {
    const lost: unknown[] = [];
    const direct = await ChannelListener.listen(testConfig().DATABASE_APP_URL, AUTH_CHANNEL, () => undefined, () => undefined, CONNECT_TIMEOUT_MS, 100);
    const behind = await ChannelListener.listen(stack.config.DATABASE_APP_URL, AUTH_CHANNEL, () => undefined, (error) => lost.push(error), CONNECT_TIMEOUT_MS, 100);
    try {
      await proxy.silence({ newConnections: 'relay' });
      await waitFor(async () => lost.length, (n) => n === 1, { timeoutMs: 5 * CONNECT_TIMEOUT_MS, what: 'the silenced listener given up' });
      // Past what a listener's heartbeats allow between two of its statements.
      await new Promise((resolve) => setTimeout(resolve, 2 * 100 + CONNECT_TIMEOUT_MS));
      const started = Date.now();
      expect(await direct.sync(2 * CONNECT_TIMEOUT_MS)).toBe(true);
      expect(Date.now() - started).toBeLessThan(CONNECT_TIMEOUT_MS);
    } finally {
      await proxy.restore();
      await Promise.all([direct.close(), behind.close()]);
    }
  });

  it('refuses a token revoked elsewhere while its LISTEN connection was silenced', async () => {
    // The api listens again (and so caches tokens again) a moment after a test before reset its connection.
    await new Promise((resolve) => setTimeout(resolve, 2 * RELISTEN_MS + CONNECT_TIMEOUT_MS));
    const token = expectOk(await world.regulator.http.post('/v1/me/tokens', { label: 'silenced listener' }));
    const client = stack.http.as(token.token);
    expect((await client.get('/v1/cases')).status).toBe(200);
    await proxy.silence({ newConnections: 'relay' });
    const db = new pg.Client({ connectionString: testConfig().DATABASE_URL });
    await db.connect();
    try {
      // The heartbeat that finds the connection silent, and its wait for an answer.
      await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS + 2 * CONNECT_TIMEOUT_MS));
      await db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [token.id]);
      // Pooled connections silenced with the listener answer 503 until the pool has replaced them.
      const answer = await waitFor(() => client.get('/v1/cases'), (r) => r.status !== 503, { timeoutMs: 20 * CONNECT_TIMEOUT_MS, what: 'an answer other than 503' });
      expect(answer.status).toBe(401);
    } finally {
      await db.end();
      await proxy.restore();
    }
  }, 60_000);

  // Metrics are read most when something is down: a scrape that failed with the database lost
  // every series, the process's own included, just when an operator needed them.
  // The scraper's METRICS_TOKEN: an admin's token cannot be checked for revocation without the database.
  it('still answers /metrics while the database refuses connections, its database-backed gauges at -1', async () => {
    const scrape = () => fetch(`${stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect((await scrape()).status).toBe(200);
    await proxy.refuse();
    try {
      const response = await scrape();
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(/^clearance_api_process_cpu_seconds_total \S+$/m);
      expect(text).toMatch(/^clearance_reports_backlog 0$/m);
      expect(text).toMatch(/^clearance_outbox_backlog -1$/m);
      expect(text).toMatch(/^clearance_database_up 0$/m);
      // Its LISTEN connection was reset with the others: every token is looked up until it listens again.
      await waitFor(async () => (await scrape()).text(), (body) => /^clearance_token_revocations_heard 0$/m.test(body), { what: 'revocations not heard in /metrics' });
    } finally {
      await proxy.restore();
    }
    await waitFor(async () => (await scrape()).text(), (text) => /^clearance_database_up 1$/m.test(text), { what: 'the database up again in /metrics' });
    await waitFor(async () => (await scrape()).text(), (text) => /^clearance_token_revocations_heard 1$/m.test(text), { what: 'revocations heard again in /metrics' });
  });

  it('has the witness answer 503 with Retry-After while its database refuses connections', async () => {
    const config = parseWitnessConfig({ DATABASE_URL: stack.config.DATABASE_URL, WITNESS_PORT: '0', LOG_LEVEL: 'silent' });
    const witness = await startWitness(config, { host: '127.0.0.1' });
    try {
      expect((await fetch(`${witness.url}/health`)).status).toBe(200);
      await proxy.refuse();
      const down = await fetch(`${witness.url}/health`);
      expect([down.status, down.headers.get('retry-after'), await down.text()]).toEqual([503, '2', 'database not reachable\n']);
      await proxy.restore();
      await waitFor(() => fetch(`${witness.url}/health`), (r) => r.status === 200, { what: 'the witness healthy again' });
    } finally {
      await proxy.restore();
      await witness.close();
    }
  });
});
