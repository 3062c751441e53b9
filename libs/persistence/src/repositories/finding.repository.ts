import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { qualifyColumns, type Db } from '../sql.util.js';
import type { StepWrite } from './case-step.repository.js';

export interface FindingRow {
  id: string;
  severity: 'info' | 'minor' | 'major' | 'critical';
  title: string;
  detail: string;
  component: string | null;
  domain: string | null;
  raisedBy: string;
  revision: number;
  status: 'open' | 'responded' | 'resolved';
  response: string | null;
  resolutionNote: string | null;
  createdAt: Date;
}

const COLUMNS = `id, severity, title, detail, component, domain, raised_by AS "raisedBy", revision, status, response,
  resolution_note AS "resolutionNote", created_at AS "createdAt"`;

/** A finding as the case view shows it. */
export const FINDING_VIEW_COLUMNS = COLUMNS;

/** Every finding of case $1, oldest first (also read by CaseViewRepository). */
export const FINDINGS_OF_CASE_SQL = `SELECT ${COLUMNS} FROM findings WHERE case_id = $1 ORDER BY created_at, id`;

/** FindingRepository's writes as parts of a case step (CaseStepRepository.write). */
export const findingWrites = {
  insert: (input: { severity: string; title: string; detail: string; component?: string; domain?: string; raisedBy: string; revision: number; at: string }): StepWrite => ({
    ctes: (p) => [
      {
        view: 'findings',
        body: `INSERT INTO findings AS f (case_id, severity, title, detail, component, domain, raised_by, revision, status, created_at)
       SELECT updated.id, ${p.add(input.severity, 'text')}, ${p.add(input.title, 'text')}, ${p.add(input.detail, 'text')},
              ${p.add(input.component ?? null, 'text')}, ${p.add(input.domain ?? null, 'text')}, ${p.add(input.raisedBy, 'uuid')},
              ${p.add(input.revision, 'int')}, 'open', ${p.add(input.at, 'timestamptz')} FROM updated
       RETURNING ${qualifyColumns(COLUMNS, 'f')}`,
      },
    ],
  }),
  respond: (id: string, response: string): StepWrite => ({
    updates: `findings:${id}`,
    ctes: (p) => [
      {
        view: 'findings',
        body: `UPDATE findings f SET status = 'responded', response = ${p.add(response, 'text')} FROM updated
        WHERE f.case_id = updated.id AND f.id = ${p.add(id, 'uuid')}
        RETURNING ${qualifyColumns(COLUMNS, 'f')}`,
      },
    ],
  }),
  resolve: (id: string, note: string): StepWrite => ({
    updates: `findings:${id}`,
    ctes: (p) => [
      {
        view: 'findings',
        body: `UPDATE findings f SET status = 'resolved', resolution_note = ${p.add(note, 'text')} FROM updated
        WHERE f.case_id = updated.id AND f.id = ${p.add(id, 'uuid')}
        RETURNING ${qualifyColumns(COLUMNS, 'f')}`,
      },
    ],
  }),
};

@Injectable()
export class FindingRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async find(caseId: string, id: string, db: Db = this.dataSource): Promise<FindingRow | null> {
    const [row] = await db.query(`SELECT ${COLUMNS} FROM findings WHERE case_id = $1 AND id = $2`, [caseId, id]);
    return row ?? null;
  }

  async list(caseId: string, db: Db = this.dataSource): Promise<FindingRow[]> {
    return db.query(FINDINGS_OF_CASE_SQL, [caseId]);
  }

  async countBlocking(caseId: string, db: Db = this.dataSource): Promise<number> {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM findings WHERE case_id = $1 AND severity IN ('major', 'critical') AND status <> 'resolved'`,
      [caseId],
    );
    return row.n;
  }
}
