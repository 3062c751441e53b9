import { describe, expect, it } from '@jest/globals';
import { assignmentWrites } from './assignment.repository.js';
import { CaseStepRepository, SqlParams } from './case-step.repository.js';
import { deadlineWrites } from './deadline.repository.js';
import { findingWrites } from './finding.repository.js';
import { opinionWrites } from './opinion.repository.js';

const AT = '2026-11-30T23:00:00.000Z';
const ID = '7c0b7b1e-0b7e-4a8e-9a55-1f1f4f7c2b10';
const OTHER = '0e4c1a8e-2f5d-4c55-8f1e-6b0d3c9a7e21';

describe(CaseStepRepository.name, () => {
  describe('fitsOneStatement', () => {
    it('fits inserts and updates of different rows (PROVIDE_INFO closes one kind and resumes another)', () => {
      expect(
        CaseStepRepository.fitsOneStatement([
          deadlineWrites.close('info_response', AT),
          deadlineWrites.resume('audit', AT, 'deadline', 60_000),
          deadlineWrites.open(ID, 'audit', AT, AT),
          assignmentWrites.unassign(ID, 'reassigned', AT),
          assignmentWrites.assign(OTHER, ID, AT),
          opinionWrites.void(ID, null, AT),
          opinionWrites.insert({ auditorId: OTHER, revisionHash: 'h', kind: 'adverse', assurance: 'limited', basis: null, conditions: [], issuedAt: AT }),
        ]),
      ).toBe(true);
    });

    it('refuses two updates that may touch one row: Postgres updates a row once per statement', () => {
      expect(CaseStepRepository.fitsOneStatement([deadlineWrites.close('audit', AT), deadlineWrites.resume('audit', AT, 'deadline', 60_000)])).toBe(false);
      // A deadline named by id may be of any kind.
      expect(CaseStepRepository.fitsOneStatement([deadlineWrites.markFired(ID, AT), deadlineWrites.close('audit', AT)])).toBe(false);
      expect(CaseStepRepository.fitsOneStatement([deadlineWrites.markFired(ID, AT), deadlineWrites.escalate(ID, AT)])).toBe(false);
      expect(CaseStepRepository.fitsOneStatement([findingWrites.respond(ID, 'r'), findingWrites.resolve(ID, 'n')])).toBe(false);
      expect(CaseStepRepository.fitsOneStatement([findingWrites.respond(ID, 'r'), findingWrites.resolve(OTHER, 'n')])).toBe(true);
    });
  });

  it('numbers parameters in the order fragments add them', () => {
    const p = new SqlParams(['case', 3]);
    const [sql] = deadlineWrites.close('audit', AT).ctes(p);
    expect(p.values).toEqual(['case', 3, AT, 'audit']);
    expect(typeof sql === 'string' ? sql : sql!.body).toContain('closed_at = $3::timestamptz');
  });
});
