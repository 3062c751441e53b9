import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { dropDatabase } from '@app/persistence';
import { currentTestEnvironment, expectOk, waitFor } from '@app/testing';
import { SPEC_STATES } from './support/spec-vocabulary.js';
import { startStack, type TestStack } from './support/stack.js';

const CASES = 2000;
const FINAL = ['withdrawn', 'lapsed', 'expired', 'revoked'];

/** The shares the seeder aims at (scripts/seed/scale-plan.ts STATE_MIX), in percent. */
const MIX: Record<string, number> = {
  draft: 4, intake: 0.5, awaiting_assignment: 3, in_audit: 8, info_requested: 3, changes_requested: 4, regulator_review: 3,
  cleared: 4, released: 33, reassessment_required: 2, held: 1.5, withdrawn: 14, lapsed: 6, expired: 12, revoked: 2,
};

interface SeededUser {
  id: string;
  role: 'developer' | 'auditor' | 'regulator';
  organisationId: string;
  token: string;
}

/**
 * `npm run seed:scale` at a small count, into a database of its own: the counts, the state mix,
 * and histories that the api itself verifies, read by the seeded users' own tokens.
 */
describe('seed:scale', () => {
  const database = (() => {
    const url = new URL(currentTestEnvironment().databaseUrl);
    url.pathname = `${url.pathname}_scale`;
    return url.toString();
  })();
  const dir = mkdtempSync(join(tmpdir(), 'seed-scale-'));
  const tokensFile = join(dir, 'tokens.json');
  let stack: TestStack;
  let users: SeededUser[];
  let output: string;
  let owner: pg.Client;

  const as = (role: SeededUser['role']) => stack.http.as(users.find((u) => u.role === role)!.token);

  beforeAll(async () => {
    const run = await promisify(execFile)(process.execPath, ['dist/scripts/seed-scale.js', `--cases=${CASES}`, `--tokens=${tokensFile}`, '--batch=500'], {
      env: { ...process.env, DATABASE_URL: database },
    });
    output = run.stdout;
    users = (JSON.parse(readFileSync(tokensFile, 'utf8')) as { users: SeededUser[] }).users;
    stack = await startStack({ worker: false, env: { DATABASE_URL: database } });
    owner = new pg.Client({ connectionString: database });
    await owner.connect();
  }, 300_000);

  afterAll(async () => {
    await owner?.end();
    await stack?.close();
    await dropDatabase(database);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes 200 developer organisations, 40 audit firms, their users with working tokens, and the cases asked for', async () => {
    expect(output).toMatch(/\(100\.0 %\) · \d+ cases\/s · \d+ rows\/s/);
    const { rows } = await owner.query<{ kind: string; count: number }>(`SELECT kind, count(*)::int AS count FROM organisations GROUP BY kind ORDER BY kind`);
    expect(rows).toEqual([
      { kind: 'audit_firm', count: 40 },
      { kind: 'developer', count: 200 },
      { kind: 'regulator', count: 1 },
    ]);
    expect(users.filter((u) => u.role === 'developer')).toHaveLength(600);
    expect(users.filter((u) => u.role === 'auditor')).toHaveLength(200);
    for (const role of ['developer', 'auditor', 'regulator'] as const) {
      const me = expectOk(await as(role).get('/v1/me'));
      expect(me.role).toBe(role);
    }
    const stats = expectOk(await as('regulator').get('/v1/stats'));
    expect(stats.casesByState.reduce((sum, r) => sum + r.count, 0)).toBe(CASES);
  });

  it('queues each case\'s final head for the heads job once, and leaves no row breaking a foreign key', async () => {
    expect(output).toMatch(/per-row triggers off \(foreign keys verified at the end\)/);
    // What the heads job keeps of the trigger's rows (the newest per case), one row per case instead of one per history row.
    const { rows } = await owner.query<{ cases: number; changes: number; matching: number }>(
      `SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM case_heads_changes) AS changes,
              (SELECT count(*)::int FROM cases c JOIN case_heads_changes h ON h.case_id = c.id AND h.seq = c.last_seq AND h.hash = c.head_hash) AS matching`,
    );
    expect(rows[0]).toEqual({ cases: CASES, changes: CASES, matching: CASES });
    const orphans = await owner.query<{ count: number }>(
      `SELECT (SELECT count(*) FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id))
            + (SELECT count(*) FROM deadlines d WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = d.case_id))
            + (SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM model_versions m WHERE m.id = c.model_version_id)) AS count`,
    );
    expect(Number(orphans.rows[0]!.count)).toBe(0);
  });

  it('spreads the cases over every state near the intended mix, and the queues count them', async () => {
    const stats = expectOk(await as('regulator').get('/v1/stats'));
    expect(stats.casesByState.map((r) => r.state)).toEqual(SPEC_STATES);
    for (const { state, count } of stats.casesByState) {
      expect(count).toBeGreaterThan(0);
      // Binomial spread at 2,000 cases is under 1.1 points for every share; 2.5 leaves room without hiding a wrong mix.
      expect(Math.abs((100 * count) / CASES - MIX[state]!)).toBeLessThan(2.5);
    }
    const queues = expectOk(await as('regulator').get('/v1/queues'));
    for (const { state, count } of stats.casesByState.filter((r) => !FINAL.includes(r.state)))
      expect(queues.find((q) => q.name === state)?.count).toBe(count);
    // Some escalating deadlines ran past due, as in a real backlog.
    expect(queues.find((q) => q.name === 'overdue')!.count).toBeGreaterThan(0);
  });

  it('gives every sampled case a history the api verifies, of realistic length', async () => {
    const lengths: number[] = [];
    for (const state of SPEC_STATES) {
      const page = expectOk(await as('regulator').get(`/v1/cases?${new URLSearchParams({ state, limit: '5' })}`));
      expect(page.items.length).toBeGreaterThan(0);
      for (const item of page.items) {
        const verify = expectOk(await as('regulator').get(`/v1/cases/${item.id}/history/verify`));
        expect(verify).toMatchObject({ valid: true, firstBadSeq: null });
        const history = expectOk(await as('regulator').get(`/v1/cases/${item.id}/history?limit=200`));
        expect(history.items).toHaveLength(verify.length);
        expect(history.items.at(-1)?.toState ?? 'draft').toBe(state);
        const view = expectOk(await as('regulator').get(`/v1/cases/${item.id}`));
        expect(view.state).toBe(state);
        lengths.push(verify.length);
      }
    }
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(10);
    expect(Math.min(...lengths.filter((n) => n > 0))).toBeLessThanOrEqual(2);
  });

  it('lets a seeded developer and auditor read only what is theirs', async () => {
    const developer = users.find((u) => u.role === 'developer')!;
    const own = expectOk(await stack.http.as(developer.token).get('/v1/cases?limit=200'));
    expect(own.items.every((c) => c.developerOrganisationId === developer.organisationId)).toBe(true);
    const auditor = users.find((u) => u.role === 'auditor')!;
    const assigned = expectOk(await stack.http.as(auditor.token).get('/v1/cases?limit=20'));
    for (const item of assigned.items) {
      const view = expectOk(await stack.http.as(auditor.token).get(`/v1/cases/${item.id}`));
      expect(view.assignments.some((a) => a.auditorId === auditor.id)).toBe(true);
    }
  });

  it('lists every filter and scope exactly as a plain reading of the rules, page by page, from the copies the walks use', async () => {
    // The copies of a case's creation and organisation that deadlines and assignments carry for the list walks.
    const { rows: drift } = await owner.query<{ count: number }>(
      `SELECT (SELECT count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id
                WHERE d.case_created_at <> c.created_at OR d.developer_organisation_id <> c.developer_organisation_id)
            + (SELECT count(*) FROM assignments a JOIN cases c ON c.id = a.case_id WHERE a.case_created_at <> c.created_at) AS count`,
    );
    expect(Number(drift[0]!.count)).toBe(0);
    // No deadline comes due while the lists are read and compared.
    await owner.query(`UPDATE deadlines SET due_at = due_at + interval '1 hour' WHERE due_at BETWEEN now() - interval '10 minutes' AND now() + interval '10 minutes'`);
    // Overdue deadlines the worker has not fired yet (every other one), and running ones that fired and were
    // resumed with time left (fired, yet not due): the overdue list reads fired and unfired deadlines apart.
    const { rows: unfired } = await owner.query(
      `WITH o AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM deadlines WHERE closed_at IS NULL AND paused_at IS NULL AND due_at <= now())
       UPDATE deadlines d SET fired_at = NULL FROM o WHERE o.id = d.id AND o.n % 2 = 0 RETURNING 1`,
    );
    expect(unfired.length).toBeGreaterThan(0);
    const { rows: resumed } = await owner.query(
      `UPDATE deadlines SET fired_at = now() - interval '1 day'
        WHERE id IN (SELECT id FROM deadlines WHERE closed_at IS NULL AND paused_at IS NULL AND due_at > now() ORDER BY id LIMIT 25) RETURNING 1`,
    );
    expect(resumed.length).toBe(25);
    const { rows: busiest } = await owner.query<{ id: string }>(`SELECT auditor_id AS id FROM assignments GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const auditor = users.find((u) => u.id === busiest[0]!.id)!;
    // One of the auditor's cases assigned to them a second time: it is still listed once.
    await owner.query(
      `INSERT INTO assignments (case_id, auditor_id, audit_firm_id, assigned_at, unassigned_at, case_created_at)
       SELECT a.case_id, a.auditor_id, a.audit_firm_id, a.assigned_at + interval '1 second', NULL, a.case_created_at
         FROM assignments a WHERE a.auditor_id = $1 ORDER BY a.case_created_at DESC LIMIT 1`,
      [auditor.id],
    );
    const developer = users.find((u) => u.role === 'developer')!;
    const { rows: orgs } = await owner.query<{ id: string }>(`SELECT developer_organisation_id AS id FROM cases GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);

    const running = `d.closed_at IS NULL AND d.paused_at IS NULL`;
    const reference = async (reader: SeededUser, f: Record<string, string>): Promise<string[]> => {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (value: unknown) => `$${params.push(value)}`;
      if (reader.role === 'developer') where.push(`c.developer_organisation_id = ${add(reader.organisationId)}`);
      if (reader.role === 'auditor') where.push(`EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.auditor_id = ${add(reader.id)})`);
      if (f.state) where.push(`c.state = ${add(f.state)}`);
      if (f.tier) where.push(`c.tier = ${add(f.tier)}`);
      if (f.developerOrganisationId) where.push(`c.developer_organisation_id = ${add(f.developerOrganisationId)}`);
      const overdue = `EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND ${running} AND d.due_at <= now())`;
      if (f.overdue) where.push(f.overdue === 'true' ? overdue : `NOT ${overdue}`);
      const next = `(SELECT min(d.due_at) FROM deadlines d WHERE d.case_id = c.id AND ${running})`;
      const order = f.sort === 'deadline' ? `${next} ASC NULLS LAST, c.id ASC` : `c.created_at DESC, c.id DESC`;
      const { rows } = await owner.query<{ id: string }>(`SELECT c.id FROM cases c WHERE ${where.join(' AND ') || 'true'} ORDER BY ${order}`, params);
      return rows.map((r) => r.id);
    };
    const listed = async (reader: SeededUser, f: Record<string, string>, limit: number): Promise<string[]> => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: URLSearchParams = new URLSearchParams({ ...f, limit: String(limit), ...(cursor ? { cursor } : {}) });
        const page: { items: Array<{ id: string }>; nextCursor: string | null } = expectOk(
          await stack.http.as(reader.token).get(`/v1/cases?${query}`),
          query.toString(),
        );
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };

    const regulator = users.find((u) => u.role === 'regulator')!;
    const filters: Array<Record<string, string>> = [
      {},
      { overdue: 'true' },
      { overdue: 'false' },
      { state: 'in_audit' },
      { state: 'in_audit', overdue: 'true' },
      { tier: 'high', overdue: 'true' },
      { sort: 'deadline' },
      { sort: 'deadline', overdue: 'true' },
      { sort: 'deadline', state: 'in_audit' },
      { developerOrganisationId: orgs[0]!.id, overdue: 'true' },
      { developerOrganisationId: orgs[0]!.id, sort: 'deadline' },
    ];
    let overdueSeen = 0;
    for (const reader of [regulator, developer, auditor])
      for (const f of filters) {
        const expected = await reference(reader, f);
        if (f.overdue === 'true') overdueSeen += expected.length;
        // Pages small enough that each list takes several (the regulator's whole list in pages of 97).
        expect({ reader: reader.role, f, ids: await listed(reader, f, reader.role === 'regulator' && Object.keys(f).length === 0 ? 97 : 7) }).toEqual({
          reader: reader.role,
          f,
          ids: expected,
        });
      }
    expect(overdueSeen).toBeGreaterThan(0);
  }, 120_000);

  it('serves queue counts and the dashboard\'s statistics from a summary refreshed in the background, with its age', async () => {
    // The seeded database is small: a second api treats it as large (SUMMARY_MIN_CASES=0) and refreshes every second.
    const summarised = await startStack({ worker: false, env: { DATABASE_URL: database, SUMMARY_MIN_CASES: '0', SUMMARY_REFRESH_SECONDS: '1', SUMMARY_REFRESH_PACE: '10' } });
    try {
      const developer = users.find((u) => u.role === 'developer')!;
      const regulator = users.find((u) => u.role === 'regulator')!;
      const live = stack.http.as(regulator.token);
      const summary = summarised.http.as(regulator.token);
      const draftsIn = (queues: Array<{ name: string; count: number }>) => queues.find((q) => q.name === 'draft')!.count;

      const first = await summary.get('/v1/queues');
      expect(first.headers.get('age')).toMatch(/^\d+$/);
      expect(expectOk(first)).toEqual(expectOk(await live.get('/v1/queues')));
      expect((await live.get('/v1/queues')).headers.get('age')).toBe('0');

      // A new draft shows in the live count at once and in the summary once it has been refreshed.
      expectOk(await summarised.http.as(developer.token).post('/v1/cases', { model: { name: `summary-${Date.now()}`, version: '1.0.0' } }));
      const expected = draftsIn(expectOk(await live.get('/v1/queues')));
      await waitFor(async () => draftsIn(expectOk(await summary.get('/v1/queues'))), (count) => count === expected, { timeoutMs: 20_000, what: 'the refreshed queue summary' });

      const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
      const week = await summary.get(`/v1/stats?from=${encodeURIComponent(weekAgo)}`);
      expect(week.headers.get('age')).toMatch(/^\d+$/);
      const body = expectOk(week);
      // The summary's own window: seven days up to when it was computed.
      expect(Math.abs(Date.parse(body.to) - Date.parse(body.from!) - 7 * 86_400_000)).toBeLessThan(5_000);
      expect(Math.abs(Date.parse(body.from!) - Date.parse(weekAgo))).toBeLessThan(60_000);
      // Then from the stored summary, its JSON serialised once per refresh and sent as is: the same answer, as JSON.
      const stored = await summary.get(`/v1/stats?from=${encodeURIComponent(weekAgo)}`);
      expect(stored.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(expectOk(stored).casesByState).toEqual(body.casesByState);
      // A window with an end is computed for the request.
      const bounded = await summary.get(`/v1/stats?from=${encodeURIComponent(weekAgo)}&to=${encodeURIComponent(new Date().toISOString())}`);
      expect(bounded.headers.get('age')).toBe('0');
      expect(expectOk(bounded).from).toBe(weekAgo);
    } finally {
      await summarised.close();
    }
  });
});
