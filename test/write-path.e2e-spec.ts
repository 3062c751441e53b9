import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { lowTierAssessment, type Member } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

/**
 * An event's 200 answer is built from its two statements (the read, and the write that returns the
 * view's lists as it left them), not from a read after the write: it must equal a GET right after.
 */
describe('write path: an event answers the case as a read after it would', () => {
  const suite = useSuite();

  const fireAndCompare = async (actor: Member, caseId: string, type: string, payload: Record<string, unknown> = {}) => {
    const answered = await suite.driver.fire(actor, caseId, type, payload);
    const body = expectOk(answered, type);
    const read = await suite.driver.get(actor.http, caseId);
    expect({ type, body }).toEqual({ type, body: expectOk(read) });
    expect(answered.headers.get('etag')).toBe(read.headers.get('etag'));
    return body;
  };

  it('matches after findings, paused and resumed deadlines, a reassignment, an opinion and a flag', async () => {
    const { auditorA, auditorB, developer, regulator } = suite.world;
    const caseId = await suite.driver.inAudit([auditorA]);
    const added = await fireAndCompare(auditorA, caseId, 'ADD_FINDING', { severity: 'major', title: 'no refusal test', detail: 'after fine-tuning' });
    expect(added.allowedEvents).not.toContain('APPROVE');
    const findingId = added.findings[0]!.id;
    const asked = await fireAndCompare(auditorA, caseId, 'REQUEST_INFO', { question: 'which reference model?' });
    expect(asked.deadlines.map((d) => d.kind).sort()).toEqual(['audit', 'info_response']);
    const answered = await fireAndCompare(developer, caseId, 'PROVIDE_INFO', { answer: 'the 8B open model' });
    expect(answered.deadlines.map((d) => [d.kind, d.pausedAt])).toEqual([['audit', null]]);
    await fireAndCompare(developer, caseId, 'RESPOND_FINDING', { findingId, response: 'added the test' });
    const resolved = await fireAndCompare(auditorA, caseId, 'RESOLVE_FINDING', { findingId, note: 'checked' });
    // The blocking finding is gone from the answer's own allowedEvents, not only from a later read's.
    expect(resolved.allowedEvents).toContain('APPROVE');
    const reassigned = await fireAndCompare(regulator, caseId, 'REASSIGN_AUDITOR', { fromAuditorId: auditorA.id, toAuditorId: auditorB.id });
    expect(reassigned.assignments.map((a) => [a.auditorId, a.unassignedAt === null])).toEqual([
      [auditorA.id, false],
      [auditorB.id, true],
    ]);
    const approved = await fireAndCompare(auditorB, caseId, 'APPROVE', {
      revisionHash: reassigned.revisionHash,
      opinion: 'unmodified',
      assurance: 'reasonable',
      conditions: [],
    });
    expect(approved.state).toBe('cleared');
    // A flag with an opinion voids the flagger's opinion and writes its own in the same statement.
    const flagged = await fireAndCompare(auditorB, caseId, 'FLAG', { reason: 'the uplift trial is underpowered', opinion: 'adverse', assurance: 'limited' });
    expect(flagged.opinions).toHaveLength(1);
    expect(flagged.opinions[0]).toMatchObject({ auditorId: auditorB.id, kind: 'adverse', basis: 'the uplift trial is underpowered' });
  });

  it('applies racing assessment PUTs without If-Match each on its own version, answering as a read would', async () => {
    const { developer } = suite.world;
    const created = expectOk(await developer.http.post('/v1/cases', { model: { name: `put-race-${Date.now()}`, version: '1' } }));
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => developer.http.put(`/v1/cases/${created.id}/assessment`, lowTierAssessment({ rationale: `edit ${i}` }))),
    );
    const versions = responses.map((r) => expectOk(r).version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 6 }, (_, i) => created.version + i + 1));
    const last = responses.find((r) => expectOk(r).version === created.version + 6)!;
    const read = await suite.driver.get(developer.http, created.id);
    expect(expectOk(last)).toEqual(expectOk(read));
    expect(last.headers.get('etag')).toBe(read.headers.get('etag'));
  });

  it('stores a large assessment and context compressed with lz4 when the server has it, and reads them back whole', async () => {
    const { developer } = suite.world;
    const created = expectOk(await developer.http.post('/v1/cases', { model: { name: `lz4-${Date.now()}`, version: '1' } }));
    // Over Postgres's ~2 kB row threshold, so the row is stored compressed.
    const rationale = Array.from({ length: 300 }, (_, i) => `reason ${i}`).join('; ');
    const put = expectOk(await developer.http.put(`/v1/cases/${created.id}/assessment`, lowTierAssessment({ rationale })));
    const db = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await db.connect();
    try {
      const {
        rows: [{ lz4 }],
      } = await db.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
      const {
        rows: [stored],
      } = await db.query(`SELECT pg_column_compression(assessment) AS method, assessment->>'rationale' AS rationale FROM cases WHERE id = $1`, [created.id]);
      expect(stored).toEqual({ method: lz4 ? 'lz4' : 'pglz', rationale });
    } finally {
      await db.end();
    }
    expect(expectOk(await suite.driver.get(developer.http, created.id))).toEqual(put);
  });
});
