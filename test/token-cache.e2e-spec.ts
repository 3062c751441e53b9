import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { HttpClient, currentTestEnvironment, waitFor, type Member } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useApiProcesses, type ApiProcess } from './support/processes.js';
import { useSuite } from './support/suite.js';

/**
 * Each api process caches live tokens; a revocation or a change of a user, made through any
 * process or by plain SQL, reaches every process's cache through Postgres NOTIFY (docs/decisions.md).
 */
describe('processes: token cache invalidated in every api process at once', () => {
  const suite = useSuite({ worker: false });
  const processes = useApiProcesses(suite, ['tokens-first', 'tokens-second']);
  let first: ApiProcess;
  let second: ApiProcess;
  let db: pg.Client;
  beforeAll(() => {
    [first, second] = processes.apis as [ApiProcess, ApiProcess];
    db = processes.db;
  });

  const adminOn = (baseUrl: string) => new HttpClient(baseUrl, currentTestEnvironment().adminToken);

  /** A new token for the member, used twice on each process so both hold it in their cache. */
  const tokenUsedOnBoth = async (member: Member) => {
    const { id, token } = expectOk(await adminOn(first.baseUrl).post(`/v1/admin/users/${member.id}/tokens`, { label: `cache-${randomUUID()}` }));
    for (const api of [first, second, first, second]) expect((await new HttpClient(api.baseUrl, token).get('/v1/me')).status).toBe(200);
    return { id, token };
  };

  const statusOn = async (api: { baseUrl: string }, token: string) => (await new HttpClient(api.baseUrl, token).get('/v1/me')).status;

  it('refuses a token revoked through one process on the very next request to the other', async () => {
    // The revocation answers only once every listening process has acknowledged it.
    for (let round = 0; round < 10; round++) {
      const { id, token } = await tokenUsedOnBoth(suite.world.auditorA);
      expect((await adminOn(first.baseUrl).delete(`/v1/admin/tokens/${id}`)).status).toBe(204);
      expect(await statusOn(second, token)).toBe(401);
      expect(await statusOn(first, token)).toBe(401);
    }
  }, 60_000);

  it('refuses a token revoked by plain SQL on both processes as soon as the notification has arrived (ms, far below the 60 s TTL)', async () => {
    for (let round = 0; round < 5; round++) {
      const { id, token } = await tokenUsedOnBoth(suite.world.auditorB);
      await db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [id]);
      // Nobody waits for an operator's COMMIT to reach the processes: the residual window of docs/decisions.md.
      for (const api of [second, first])
        await waitFor(() => statusOn(api, token), (status) => status === 401, { timeoutMs: 1_000, intervalMs: 5, what: 'the SQL revocation to reach the process' });
    }
  }, 60_000);

  it('shows a change of the user made by SQL as soon as the notification has arrived', async () => {
    const { token } = await tokenUsedOnBoth(suite.world.regulator);
    const displayName = `renamed-${randomUUID()}`;
    await db.query('UPDATE users SET display_name = $1 WHERE id = $2', [displayName, suite.world.regulator.id]);
    await waitFor(
      async () => expectOk(await new HttpClient(second.baseUrl, token).get('/v1/me')).displayName,
      (name) => name === displayName,
      { timeoutMs: 1_000, intervalMs: 5, what: 'the renamed user on the second process' },
    );
  }, 30_000);

  it('serves a cached token without asking Postgres (a revocation that notifies nobody goes unseen) until its listener reconnects', async () => {
    const { id, token } = await tokenUsedOnBoth(suite.world.auditorC);
    // In replica mode this session fires no triggers: the control that the cache, not a lookup, answers.
    await db.query('BEGIN');
    await db.query(`SET LOCAL session_replication_role = replica`);
    await db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [id]);
    await db.query('COMMIT');
    expect(await statusOn(second, token)).toBe(200);

    // A lost listening connection: the process stops trusting its cache and clears it when it listens again.
    const listenerOf = async (applicationName: string) => {
      const { rows } = await db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '/* listener:clearance_auth */%'`,
        [applicationName],
      );
      return rows.map((r) => r.pid);
    };
    const [old] = await listenerOf('tokens-second');
    expect(old).toBeDefined();
    await db.query('SELECT pg_terminate_backend($1)', [old]);
    await waitFor(() => listenerOf('tokens-second'), (pids) => pids.length === 1 && pids[0] !== old, {
      timeoutMs: 20_000,
      intervalMs: 50,
      what: 'the second process to listen again',
    });
    expect(await statusOn(second, token)).toBe(401);
  }, 60_000);
});
