import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { eventHash, type HistoryItem } from '@app/integrity';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

const GENESIS = '0'.repeat(64);
const HISTORY_KEYS = ['actor', 'at', 'fromState', 'hash', 'payload', 'prevHash', 'seq', 'toState', 'type'];

describe('integrity: the append-only, hash-chained history', () => {
  let db: pg.Client;

  const suite = useSuite();
  beforeAll(async () => {
    db = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => db?.end());

  /** A case with five events: SUBMIT, INTAKE_PASSED, ASSIGN_AUDITOR, ADD_FINDING, REQUEST_INFO. */
  const caseWithHistory = async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'minor', title: 'Ünïcode — “quotes”', detail: 'emoji 🧪 and \\ backslash' });
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'which reference model?' });
    return caseId;
  };

  /** Runs `work` with the user triggers of case_events disabled, as a superuser could. */
  const withTriggersDisabled = async (work: () => Promise<unknown>) => {
    await db.query('ALTER TABLE case_events DISABLE TRIGGER USER');
    try {
      await work();
    } finally {
      await db.query('ALTER TABLE case_events ENABLE TRIGGER USER');
    }
  };

  const verify = async (caseId: string) => expectOk(await suite.world.developer.http.get(`/v1/cases/${caseId}/history/verify`));

  it('serves history items with exactly the SPEC fields, chained from 64 zeros, each hash recomputable', async () => {
    const caseId = await caseWithHistory();
    const history: HistoryItem[] = await suite.driver.history(caseId, suite.world.developer.http);
    expect(history.map((h) => h.type)).toEqual(['SUBMIT', 'INTAKE_PASSED', 'ASSIGN_AUDITOR', 'ADD_FINDING', 'REQUEST_INFO']);
    expect(history[0]!.prevHash).toBe(GENESIS);
    history.forEach((item, i) => {
      expect(Object.keys(item).sort()).toEqual(HISTORY_KEYS);
      expect(item.seq).toBe(i + 1);
      expect(item.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(item.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      if (i > 0) expect(item.prevHash).toBe(history[i - 1]!.hash);
      expect(eventHash(caseId, item)).toBe(item.hash);
    });
    expect(history[1]!.actor).toBe('system');
    expect(history[0]!.actor).toEqual({ id: suite.world.developer.id, role: 'developer', organisationId: suite.world.developer.organisationId });
    expect(history[3]!.payload).toEqual({ severity: 'minor', title: 'Ünïcode — “quotes”', detail: 'emoji 🧪 and \\ backslash' });
    expect(history[0]!).toMatchObject({ fromState: 'draft', toState: 'intake', payload: {} });

    expect(await verify(caseId)).toEqual({ valid: true, length: 5, headHash: history[4]!.hash, firstBadSeq: null });
  });

  it('pages history ascending by seq with a cursor bound to its case', async () => {
    const caseId = await caseWithHistory();
    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const page = expectOk(await suite.world.regulator.http.get(`/v1/cases/${caseId}/history?${query}`));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seqs.push(...page.items.map((i) => i.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);

    const other = await suite.driver.inAudit([suite.world.auditorA]);
    const first = expectOk(await suite.world.regulator.http.get(`/v1/cases/${caseId}/history?limit=2`));
    const foreign = await suite.world.regulator.http.get(`/v1/cases/${other}/history?limit=2&cursor=${encodeURIComponent(String(first.nextCursor))}`);
    expect(foreign.status).toBe(400);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on case_events in the database itself', async () => {
    const caseId = await caseWithHistory();
    const before = await db.query('SELECT seq, payload, hash FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
    expect(before.rows).toHaveLength(5);

    await expect(db.query(`UPDATE case_events SET payload = '{"forged": true}' WHERE case_id = $1 AND seq = 4`, [caseId])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('DELETE FROM case_events WHERE case_id = $1 AND seq = 5', [caseId])).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE case_events CASCADE')).rejects.toThrow(/append-only/);

    const after = await db.query('SELECT seq, payload, hash FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
    expect(after.rows).toEqual(before.rows);
    expect((await verify(caseId)).valid).toBe(true);
  });

  it('names the first bad row when a superuser rewrites a payload behind the triggers, and recovers when it is restored', async () => {
    const caseId = await caseWithHistory();
    const { rows } = await db.query('SELECT payload FROM case_events WHERE case_id = $1 AND seq = 3', [caseId]);
    const original = rows[0].payload;
    const headBefore = (await verify(caseId)).headHash;

    await withTriggersDisabled(() =>
      db.query(`UPDATE case_events SET payload = payload || '{"auditorId": "00000000-0000-4000-8000-000000000000"}' WHERE case_id = $1 AND seq = 3`, [caseId]),
    );
    const tampered = await verify(caseId);
    expect(tampered).toMatchObject({ valid: false, length: 5, firstBadSeq: 3 });

    await withTriggersDisabled(() => db.query('UPDATE case_events SET payload = $2 WHERE case_id = $1 AND seq = 3', [caseId, original]));
    expect(await verify(caseId)).toEqual({ valid: true, length: 5, headHash: headBefore, firstBadSeq: null });
  });

  it('detects a deleted last row against the head kept on the case, and a forged hash on a middle row', async () => {
    const caseId = await caseWithHistory();
    const { rows } = await db.query('SELECT * FROM case_events WHERE case_id = $1 AND seq = 5', [caseId]);
    const last = rows[0];
    await withTriggersDisabled(() => db.query('DELETE FROM case_events WHERE case_id = $1 AND seq = 5', [caseId]));
    expect(await verify(caseId)).toMatchObject({ valid: false, length: 4, firstBadSeq: 5 });

    await withTriggersDisabled(() =>
      db.query(
        `INSERT INTO case_events (case_id, seq, type, actor, from_state, to_state, at, payload, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [last.case_id, last.seq, last.type, last.actor, last.from_state, last.to_state, last.at, last.payload, last.prev_hash, last.hash],
      ),
    );
    expect((await verify(caseId)).valid).toBe(true);

    await withTriggersDisabled(() => db.query(`UPDATE case_events SET hash = repeat('a', 64) WHERE case_id = $1 AND seq = 2`, [caseId]));
    expect(await verify(caseId)).toMatchObject({ valid: false, firstBadSeq: 2 });
  });
  it('verifies a history longer than a page as of one moment: events appended while a verify walks it never make it invalid', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    // 1,500 more findings, chained as the api chains them, written straight to the tables: the history spans two pages.
    const [{ last_seq: lastSeq, head_hash: headHash }] = (await db.query('SELECT last_seq, head_hash FROM cases WHERE id = $1', [caseId])).rows;
    const [template] = (await db.query(`SELECT actor, at FROM case_events WHERE case_id = $1 AND seq = $2`, [caseId, lastSeq])).rows;
    let prevHash: string = headHash;
    const rows: HistoryItem[] = [];
    for (let seq = lastSeq + 1; seq <= lastSeq + 1500; seq++) {
      const item = { seq, type: 'ADD_FINDING', actor: 'system' as const, fromState: 'in_audit', toState: 'in_audit', at: new Date(template.at).toISOString(), payload: { title: `finding ${seq}` }, prevHash };
      prevHash = eventHash(caseId, item);
      rows.push({ ...item, hash: prevHash });
    }
    await db.query(
      `INSERT INTO case_events (case_id, seq, type, actor, from_state, to_state, at, payload, prev_hash, hash)
       SELECT $1, r.seq, r.type, '"system"'::jsonb, r."fromState", r."toState", r.at::timestamptz, r.payload, r."prevHash", r.hash
       FROM jsonb_to_recordset($2::jsonb) AS r(seq int, type text, "fromState" text, "toState" text, at text, payload jsonb, "prevHash" text, hash text)`,
      [caseId, JSON.stringify(rows)],
    );
    await db.query('UPDATE cases SET last_seq = $2, head_hash = $3 WHERE id = $1', [caseId, lastSeq + 1500, prevHash]);
    expect(await verify(caseId)).toEqual({ valid: true, length: lastSeq + 1500, headHash: prevHash, firstBadSeq: null });

    const finding = (i: number) => suite.world.auditorA.http.post(`/v1/cases/${caseId}/events`, { type: 'ADD_FINDING', severity: 'minor', title: `finding ${i}`, detail: 'appended during a verify' });
    const writes: Array<Promise<{ status: number }>> = [];
    const verifications: Array<Promise<{ valid: boolean; length: number }>> = [];
    for (let i = 0; i < 30; i++) {
      writes.push(finding(i));
      verifications.push(verify(caseId));
    }
    expect((await Promise.all(writes)).map((w) => w.status)).toEqual(Array(30).fill(200));
    expect((await Promise.all(verifications)).filter((r) => !r.valid)).toEqual([]);
    expect(await verify(caseId)).toMatchObject({ valid: true, length: lastSeq + 1530 });
  });
});
