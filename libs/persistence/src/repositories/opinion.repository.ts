import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { qualifyColumns, type Db } from '../sql.util.js';
import type { StepWrite } from './case-step.repository.js';

export interface OpinionRow {
  id: string;
  auditorId: string;
  revisionHash: string;
  kind: 'unmodified' | 'qualified' | 'adverse' | 'disclaimer';
  assurance: 'reasonable' | 'limited';
  basis: string | null;
  conditions: Array<{ text: string; component?: string; maxRelease?: string }>;
  issuedAt: Date;
}

const COLUMNS = `id, auditor_id AS "auditorId", revision_hash AS "revisionHash", kind, assurance, basis, conditions, issued_at AS "issuedAt"`;

/** An opinion as the case view shows it. */
export const OPINION_VIEW_COLUMNS = COLUMNS;

/** Live opinions of case $1 (no void row), oldest first (also read by CaseViewRepository). */
export const LIVE_OPINIONS_OF_CASE_SQL = `SELECT ${COLUMNS} FROM opinions
  WHERE case_id = $1 AND NOT EXISTS (SELECT 1 FROM opinion_voids v WHERE v.opinion_id = opinions.id)
  ORDER BY issued_at, id`;

/** OpinionRepository's writes as parts of a case step (CaseStepRepository.write). */
export const opinionWrites = {
  insert: (opinion: Omit<OpinionRow, 'id' | 'issuedAt'> & { issuedAt: string }): StepWrite => ({
    ctes: (p) => [
      {
        view: 'opinions',
        body: `INSERT INTO opinions AS o (case_id, auditor_id, revision_hash, kind, assurance, basis, conditions, issued_at)
       SELECT updated.id, ${p.add(opinion.auditorId, 'uuid')}, ${p.add(opinion.revisionHash, 'text')}, ${p.add(opinion.kind, 'text')},
              ${p.add(opinion.assurance, 'text')}, ${p.add(opinion.basis, 'text')}, ${p.add(JSON.stringify(opinion.conditions), 'jsonb')},
              ${p.add(opinion.issuedAt, 'timestamptz')} FROM updated
       RETURNING ${qualifyColumns(COLUMNS, 'o')}`,
      },
    ],
  }),
  /**
   * Voids this auditor's live opinions: on this revision only, or all when revisionHash is null. Opinions
   * are append-only: a void is a row of its own. It reads the step's snapshot, so an opinion the same step inserts stays live.
   */
  void: (auditorId: string, revisionHash: string | null, at: string): StepWrite => ({
    ctes: (p) => [
      {
        view: 'opinionVoids',
        body: `INSERT INTO opinion_voids (opinion_id, case_id, voided_at)
       SELECT o.id, o.case_id, ${p.add(at, 'timestamptz')} FROM opinions o, updated
        WHERE o.case_id = updated.id AND o.auditor_id = ${p.add(auditorId, 'uuid')}
          AND (${p.add(revisionHash, 'text')} IS NULL OR o.revision_hash = $${p.values.length})
          AND NOT EXISTS (SELECT 1 FROM opinion_voids v WHERE v.opinion_id = o.id)
       ON CONFLICT (opinion_id) DO NOTHING
       RETURNING opinion_id AS id`,
      },
    ],
  }),
};

@Injectable()
export class OpinionRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Live (not voided) opinions, oldest first. */
  async list(caseId: string, db: Db = this.dataSource): Promise<OpinionRow[]> {
    return db.query(LIVE_OPINIONS_OF_CASE_SQL, [caseId]);
  }
}
