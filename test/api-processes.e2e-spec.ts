import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { HttpClient, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { stopProcess, useApiProcesses, type ApiProcess } from './support/processes.js';
import { useSuite } from './support/suite.js';

/** Two api processes against one Postgres and one Redis, as `docker compose up --scale api=2` runs them. */
describe('processes: api processes side by side, a worker woken by NOTIFY', () => {
  const suite = useSuite({ worker: false });
  // The relay's safety poll is ten minutes away after its first run: only NOTIFY can wake it in a test's time.
  const processes = useApiProcesses(suite, ['api-first', 'api-second'], { worker: { RELAY_INTERVAL_MS: '600000' } });
  let first: ApiProcess;
  let second: ApiProcess;
  let db: pg.Client;
  beforeAll(() => {
    [first, second] = processes.apis as [ApiProcess, ApiProcess];
    db = processes.db;
  });

  /**
   * What the named process's connections are doing, and how many wait on a lock (shown whole when a
   * wait times out). Not "blocked by the holder": a second waiter for the same row waits behind the
   * first waiter, e.g. the worker's, not the holder.
   */
  const sessionsOf = async (applicationName: string): Promise<{ waiting: number; sessions: string[] }> => {
    const { rows } = await db.query<{ lock: boolean; session: string }>(
      `SELECT wait_event_type = 'Lock' AS lock, concat_ws(' ', state, wait_event_type, wait_event, left(query, 80)) AS session
         FROM pg_stat_activity WHERE application_name = $1`,
      [applicationName],
    );
    return { waiting: rows.filter((row) => row.lock).length, sessions: rows.map((row) => row.session) };
  };


  it('relays a committed outbox row at once: intake runs within seconds although the relay polls every ten minutes', async () => {
    // The worker's first run at start-up relays this one, however long the start takes.
    await suite.driver.submitThroughIntake(await suite.driver.create(), 45_000);
    const caseId = await suite.driver.create();
    const submitted = Date.now();
    await suite.driver.submitThroughIntake(caseId);
    expect(Date.now() - submitted).toBeLessThan(15_000);
  }, 60_000);

  it('answers a retry with the same Idempotency-Key within 5 s after the process holding its claim was killed', async () => {
    const auditor = suite.world.auditorA;
    const caseId = await suite.driver.inAudit([auditor]);
    const headers = { 'idempotency-key': randomUUID() };
    const finding = { type: 'ADD_FINDING', severity: 'minor', title: `crash-${randomUUID()}`, detail: 'written once' };

    // Hold the case's row so the first request stops inside its write, after it has claimed the key.
    await db.query('BEGIN');
    await db.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
    // What the first request got, should it be answered before it waits (shown if the wait times out).
    let answered: string | null = null;
    const dying = new HttpClient(first.baseUrl, auditor.token)
      .post(`/v1/cases/${caseId}/events`, finding, headers)
      .then((response) => (answered = `${response.status} ${JSON.stringify(response.body)}`), (error: unknown) => (answered = String(error)));
    try {
      // Generous: the request is the first this process serves, and the other jest worker may be driving a browser.
      await waitFor(async () => ({ ...(await sessionsOf('api-first')), answered }), ({ waiting }) => waiting >= 1, {
        timeoutMs: 45_000,
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
  }, 90_000);
});
