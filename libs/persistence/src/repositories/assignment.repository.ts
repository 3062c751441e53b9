import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { qualifyColumns, type Db } from '../sql.util.js';
import type { StepWrite } from './case-step.repository.js';

/** An assignment as the case view shows it, with its id (CaseStepRepository's view of a step). */
export const ASSIGNMENT_VIEW_COLUMNS = `id, auditor_id AS "auditorId", audit_firm_id AS "auditFirmId", assigned_at AS "assignedAt", unassigned_at AS "unassignedAt"`;

/** AssignmentRepository's writes as parts of a case step (CaseStepRepository.write). */
export const assignmentWrites = {
  assign: (auditorId: string, auditFirmId: string, at: string): StepWrite => ({
    ctes: (p) => [
      {
        view: 'assignments',
        // The case's creation travels with the assignment for an auditor's list (migration CaseFactsOnDeadlines),
        // read from the row for its microseconds (as deadlineWrites.open does).
        body: `INSERT INTO assignments AS a (case_id, auditor_id, audit_firm_id, assigned_at, case_created_at)
       SELECT updated.id, ${p.add(auditorId, 'uuid')}, ${p.add(auditFirmId, 'uuid')}, ${p.add(at, 'timestamptz')}, c.created_at
         FROM updated JOIN cases c ON c.id = updated.id
       RETURNING ${qualifyColumns(ASSIGNMENT_VIEW_COLUMNS, 'a')}`,
      },
    ],
  }),
  unassign: (auditorId: string, reason: string, at: string): StepWrite => ({
    updates: `assignments:${auditorId}`,
    ctes: (p) => [
      {
        view: 'assignments',
        body: `UPDATE assignments a SET unassigned_at = ${p.add(at, 'timestamptz')}, unassigned_reason = ${p.add(reason, 'text')} FROM updated
        WHERE a.case_id = updated.id AND a.auditor_id = ${p.add(auditorId, 'uuid')} AND a.unassigned_at IS NULL
        RETURNING ${qualifyColumns(ASSIGNMENT_VIEW_COLUMNS, 'a')}`,
      },
    ],
  }),
};

export interface AssignmentRow {
  auditorId: string;
  auditFirmId: string;
  assignedAt: Date;
  unassignedAt: Date | null;
}

@Injectable()
export class AssignmentRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list(caseId: string, db: Db = this.dataSource): Promise<AssignmentRow[]> {
    return db.query(ASSIGNMENTS_OF_CASE_SQL, [caseId]);
  }
}

/** Every assignment of case $1, oldest first (also read by CaseViewRepository). */
export const ASSIGNMENTS_OF_CASE_SQL = `SELECT auditor_id AS "auditorId", audit_firm_id AS "auditFirmId", assigned_at AS "assignedAt",
    unassigned_at AS "unassignedAt"
  FROM assignments WHERE case_id = $1 ORDER BY assigned_at, id`;
