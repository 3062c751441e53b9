import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { expectProblem, lowTierAssessment, outcomeOf, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

const RACERS = 20;

describe('concurrency: optimistic writes under If-Match', () => {
  const suite = useSuite();

  const expectGaplessValidChain = async (caseId: string, expectedLength: number) => {
    const history = await suite.driver.history(caseId);
    expect(history.map((h) => h.seq)).toEqual(Array.from({ length: expectedLength }, (_, i) => i + 1));
    for (let i = 1; i < history.length; i++) expect(history[i].prevHash).toBe(history[i - 1].hash);
    const verify = expectOk(await suite.world.regulator.http.get(`/v1/cases/${caseId}/history/verify`));
    expect(verify).toEqual({ valid: true, length: expectedLength, headHash: history.at(-1)?.hash, firstBadSeq: null });
  };

  it(`lets exactly one of ${RACERS} events with the same If-Match through; the rest are 409 version-conflict`, async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const read = await suite.driver.get(suite.world.auditorA.http, caseId);
    const current = expectOk(read);
    expect(read.headers.get('etag')).toBe(`"${current.version}"`);
    const etag = read.headers.get('etag')!;
    const historyBefore = (await suite.driver.history(caseId)).length;

    const responses = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'minor', title: `finding ${i}`, detail: 'raced' }, { 'if-match': etag }),
      ),
    );
    const winners = responses.filter((r) => r.status >= 200 && r.status < 300);
    const losers = responses.filter((r) => r.status === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(RACERS - 1);
    for (const loser of losers) {
      const problem = expectProblem(loser, 409);
      expect(problem).toMatchObject({ type: '/problems/version-conflict', status: 409, state: 'in_audit' });
      expect(problem.allowedEvents).toContain('ADD_FINDING');
    }
    const winner = winners[0]!;
    const won = expectOk(winner);
    expect(won.version).toBe(current.version + 1);
    expect(winner.headers.get('etag')).toBe(`"${won.version}"`);
    expect(won.findings).toHaveLength(1);

    const after = await suite.driver.get(suite.world.regulator.http, caseId);
    expect(after.headers.get('etag')).toBe(`"${current.version + 1}"`);
    await expectGaplessValidChain(caseId, historyBefore + 1);
  });

  it(`serialises ${RACERS} writes without If-Match: all succeed, versions and seqs have no gap`, async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const before = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId));
    const historyBefore = (await suite.driver.history(caseId)).length;
    const responses = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'info', title: `note ${i}`, detail: 'raced' }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(RACERS).fill(200));
    const versions = responses.map((r) => expectOk(r).version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: RACERS }, (_, i) => before.version + i + 1));
    for (const response of responses) expect(response.headers.get('etag')).toBe(`"${expectOk(response).version}"`);
    expect(expectOk(await suite.driver.get(suite.world.auditorA.http, caseId)).findings).toHaveLength(RACERS);
    await expectGaplessValidChain(caseId, historyBefore + RACERS);
  });

  it('lets one of two racing state changes win and refuses the other by state, not by a lost update', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const current = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId));
    const [approve, changes] = await Promise.all([
      suite.driver.fire(suite.world.auditorA, caseId, 'APPROVE', {
        revisionHash: current.revisionHash ?? '',
        opinion: 'unmodified',
        assurance: 'reasonable',
        conditions: [],
      }),
      suite.driver.fire(suite.world.auditorA, caseId, 'REQUEST_CHANGES', { summary: 'raced' }),
    ]);
    expect([approve.status, changes.status].sort()).toEqual([200, 409]);
    const loser = approve.status === 409 ? approve : changes;
    expect(expectProblem(loser, 409).type).toBe('/problems/invalid-transition');
    const final = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
    expect(final.state).toBe(approve.status === 200 ? 'cleared' : 'changes_requested');
    await expectGaplessValidChain(caseId, 4);
  });

  it('re-evaluates a write that lost its race on a fresh read: the answers are those of one serial order', async () => {
    // APPROVE is refused by any major finding before it, and ADD_FINDING by the state after APPROVE.
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const before = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId));
    const historyBefore = (await suite.driver.history(caseId)).length;
    const findings = Array.from({ length: 8 }, (_, i) =>
      suite.driver.fire(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'major', title: `blocker ${i}`, detail: 'raced' }),
    );
    const approval = suite.driver.fire(suite.world.auditorA, caseId, 'APPROVE', {
      revisionHash: before.revisionHash ?? '',
      opinion: 'unmodified',
      assurance: 'reasonable',
      conditions: [],
    });
    const [approve, ...added] = await Promise.all([approval, ...findings]);
    const applied = [approve, ...added].filter((r) => r.status === 200).map((r) => expectOk(r));
    // No two writes applied on one version, and none was lost.
    expect(applied.map((v) => v.version).sort((a, b) => a - b)).toEqual(applied.map((_, i) => before.version + i + 1));
    for (const view of applied) expect(view.findings.length).toBe(view.version - before.version - (view.state === 'cleared' ? 1 : 0));
    if (approve.status === 200) {
      expect(expectOk(approve)).toMatchObject({ state: 'cleared', version: before.version + 1, findings: [] });
      for (const r of added) expect(expectProblem(r, 409).type).toBe('/problems/invalid-transition');
    } else {
      expect(expectProblem(approve, 422).type).toBe('/problems/guard-failed');
      expect(added.map((r) => r.status)).toEqual(Array(added.length).fill(200));
    }
    await expectGaplessValidChain(caseId, historyBefore + applied.length);
  });

  it('judges a write that waited for the row lock on what the other writer left, not on the snapshot before the wait', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const current = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId));
    const db = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await db.connect();
    try {
      // Another writer holds the case; a keyed APPROVE (a transaction: its read takes the lock) waits for it.
      await db.query('BEGIN');
      await db.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
      const approval = suite.driver.fire(
        suite.world.auditorA,
        caseId,
        'APPROVE',
        { revisionHash: current.revisionHash ?? '', opinion: 'unmodified', assurance: 'reasonable', conditions: [] },
        { 'idempotency-key': randomUUID() },
      );
      await waitFor(
        async () =>
          (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n as number,
        (n) => n >= 1,
        { what: 'the APPROVE to wait on the case row', timeoutMs: 15_000, intervalMs: 20 },
      );
      // The holder leaves a blocking finding and a new version, then commits.
      await db.query(
        `INSERT INTO findings (case_id, severity, title, detail, raised_by, revision, status, created_at)
         VALUES ($1, 'major', 'raised while APPROVE waited', 'blocks it', $2, 1, 'open', now())`,
        [caseId, suite.world.auditorA.id],
      );
      await db.query('UPDATE cases SET version = version + 1 WHERE id = $1', [caseId]);
      await db.query('COMMIT');
      const approve = await approval;
      expect(expectProblem(approve, 422).reasons?.map((r) => r.rule)).toEqual(['no-blocking-findings']);
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
      await db.end();
    }
  });

  it('applies If-Match to assessment edits too: one of two racing PUTs wins', async () => {
    const created = expectOk(await suite.world.developer.http.post('/v1/cases', { model: { name: `raced-${Date.now()}`, version: '1' } }));
    const etag = `"${created.version}"`;
    const [first, second] = await Promise.all([
      suite.world.developer.http.put(`/v1/cases/${created.id}/assessment`, lowTierAssessment({ rationale: 'first' }), { 'if-match': etag }),
      suite.world.developer.http.put(`/v1/cases/${created.id}/assessment`, lowTierAssessment({ rationale: 'second' }), { 'if-match': etag }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const winner = first.status === 200 ? first : second;
    expect(winner.headers.get('etag')).toBe(`"${created.version + 1}"`);
    const view = expectOk(await suite.driver.get(suite.world.developer.http, created.id));
    expect(view.assessment?.rationale).toBe(expectOk(winner).assessment?.rationale);
    expect(view.version).toBe(created.version + 1);
  });

  it('opens at most one non-final case per model version under racing creations', async () => {
    const model = { name: `raced-model-${Date.now()}`, version: '2.0' };
    const responses = await Promise.all(Array.from({ length: 8 }, () => suite.world.developer.http.post('/v1/cases', { model })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 201))
      expect(outcomeOf(response)).toBe('409 /problems/case-exists');
    const mine = expectOk(await suite.world.developer.http.get('/v1/cases?limit=200')).items.filter(
      (c) => c.model.name === model.name,
    );
    expect(mine).toHaveLength(1);
  });
  it('settles two creations that both passed their read at the write: one 201, one 409, one model version row as the winner wrote it', async () => {
    const name = `write-raced-model-${Date.now()}`;
    const bodies = ['a', 'b'].map((origin) => ({
      model: { name, version: '1.0', baseModels: [{ external: { name: 'base', origin: `https://example.org/${origin}` } }] },
    }));
    const db = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await db.connect();
    try {
      // Reads pass (no model version, no case); both writes then wait on the table lock and race once it is gone.
      await db.query('BEGIN');
      await db.query('LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE');
      const racing = bodies.map((body) => suite.world.developer.http.post('/v1/cases', body));
      await waitFor(
        async () =>
          (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n as number,
        (n) => n >= 2,
        { what: 'both creations to wait at their write', timeoutMs: 15_000, intervalMs: 20 },
      );
      await db.query('COMMIT');
      const responses = await Promise.all(racing);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const winner = responses.findIndex((r) => r.status === 201);
      expect(outcomeOf(responses[1 - winner])).toBe('409 /problems/case-exists');
      // The loser's upsert went with its refused insert: the row is as the winner wrote it.
      const rows = (await db.query(`SELECT base_models FROM model_versions WHERE name = $1`, [name])).rows;
      expect(rows).toEqual([{ base_models: bodies[winner].model.baseModels }]);
      expect((await db.query(`SELECT count(*)::int AS n FROM cases c JOIN model_versions m ON m.id = c.model_version_id WHERE m.name = $1`, [name])).rows[0].n).toBe(1);
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
      await db.end();
    }
  });
});
