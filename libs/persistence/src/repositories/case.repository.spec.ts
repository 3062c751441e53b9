import { describe, expect, it } from '@jest/globals';
import { CASE_COLUMNS, caseChangedColumns, caseSetClause } from './case.repository.js';

describe('caseChangedColumns', () => {
  it('returns the version and each set column under its CaseRow name, in the SET order', () => {
    const changes = { state: 'in_audit' as const, stateEnteredAt: '2026-12-01T03:00:00.000Z', headHash: 'a'.repeat(64), lastSeq: 4 };
    expect(caseChangedColumns(changes)).toBe('c.version, c.state, c.state_entered_at AS "stateEnteredAt", c.head_hash AS "headHash", c.last_seq AS "lastSeq"');
    expect(caseSetClause(changes).sets).toBe('state = $3, state_entered_at = $4, head_hash = $5, last_seq = $6, version = version + 1');
  });

  it('leaves out what a CaseRow does not hold (is_final) and what is not set', () => {
    expect(caseChangedColumns({ isFinal: false, tier: undefined, assessment: {} })).toBe('c.version, c.assessment');
    expect(caseChangedColumns({})).toBe('c.version');
  });

  it('names only columns that CASE_COLUMNS returns under the same names', () => {
    const all = caseChangedColumns({
      state: 'draft',
      context: {} as never,
      revision: 1,
      revisionHash: null,
      tier: null,
      assessment: {},
      releasedAt: '2026-12-01T03:00:00.000Z',
      stateEnteredAt: '2026-12-01T03:00:00.000Z',
      headHash: 'h',
      lastSeq: 1,
      policyPackVersion: '1',
    });
    for (const column of all.split(', ')) expect(CASE_COLUMNS.replace(/\s+/g, ' ')).toContain(column);
  });
});
