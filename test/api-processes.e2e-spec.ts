import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { withApplicationName } from '@app/persistence';
import { HttpClient, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { spawnApi, stopProcess } from './support/processes.js';
import { useSuite } from './support/suite.js';

/** Two api processes against one Postgres and one Redis, as `docker compose up --scale api=2` runs them. */
describe('api processes: one dies mid-request, another answers', () => {
  const suite = useSuite();
  const children: ChildProcess[] = [];
  let first: { child: ChildProcess; baseUrl: string };
  let second: { child: ChildProcess; baseUrl: string };
  let db: pg.Client;

  beforeAll(async () => {
    // Named connections, so the test can see which process waits on what.
    const named = (name: string) => ({ DATABASE_URL: withApplicationName(suite.stack.config.DATABASE_URL, name) });
    [first, second] = await Promise.all([spawnApi(suite.stack.config, named('api-first')), spawnApi(suite.stack.config, named('api-second'))]);
    children.push(first.child, second.child);
    db = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await db.connect();
  });
  /** How many connections of the named process wait on a lock that `holder` holds. */
  const blockedBy = async (holder: number, applicationName: string): Promise<number> => {
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $2 AND $1 = ANY (pg_blocking_pids(pid))',
      [holder, applicationName],
    );
    return rows[0]!.n;
  };

  afterAll(async () => {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGKILL')));
    await db?.end();
  });

  it('answers a retry with the same Idempotency-Key within 5 s after the process holding its claim was killed', async () => {
    const auditor = suite.world.auditorA;
    const caseId = await suite.driver.inAudit([auditor]);
    const headers = { 'idempotency-key': randomUUID() };
    const finding = { type: 'ADD_FINDING', severity: 'minor', title: `crash-${randomUUID()}`, detail: 'written once' };

    // Hold the case's row so the first request stops inside its write, after it has claimed the key.
    await db.query('BEGIN');
    const [{ pid: holder }] = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
    await db.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
    const dying = new HttpClient(first.baseUrl, auditor.token).post(`/v1/cases/${caseId}/events`, finding, headers).catch(() => null);
    try {
      await waitFor(() => blockedBy(holder, 'api-first'), (blocked) => blocked >= 1, {
        timeoutMs: 20_000,
        intervalMs: 20,
        what: "the first process's request to wait on the case row",
      });
      await stopProcess(first.child, 'SIGKILL');
    } finally {
      await db.query('COMMIT');
    }
    const killedAt = Date.now();
    await dying;

    // A client retries on the other process until it gets an answer that is not "in progress".
    const other = new HttpClient(second.baseUrl, auditor.token);
    let retry = await other.post(`/v1/cases/${caseId}/events`, finding, headers);
    while (retry.status === 409 && Date.now() - killedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      retry = await other.post(`/v1/cases/${caseId}/events`, finding, headers);
    }
    expect(retry.status).toBe(200);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    const replay = await other.post(`/v1/cases/${caseId}/events`, finding, headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(retry.body);
    const items = expectOk(await suite.world.regulator.http.get(`/v1/cases/${caseId}/history?limit=200`)).items;
    expect(items.filter((item) => item.type === 'ADD_FINDING')).toHaveLength(1);
  }, 60_000);
});
