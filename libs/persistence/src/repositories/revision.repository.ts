import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';
import type { StepWrite } from './case-step.repository.js';

export interface RevisionRow {
  caseId: string;
  number: number;
  hash: string;
  assessment: Record<string, unknown>;
  evidenceIds: string[];
  evidenceSha256: string[];
  tier: string | null;
  submittedBy: string;
  submittedAt: string;
}

/** A submitted revision, as part of a case step (CaseStepRepository.write). */
export const revisionWrites = {
  insert: (row: Omit<RevisionRow, 'caseId'>): StepWrite => ({
    ctes: (p) => [
      `INSERT INTO revisions (case_id, number, hash, assessment, evidence_ids, evidence_sha256, tier, submitted_by, submitted_at)
       SELECT updated.id, ${p.add(row.number, 'int')}, ${p.add(row.hash, 'text')}, ${p.add(JSON.stringify(row.assessment), 'jsonb')},
              ${p.add(row.evidenceIds, 'uuid[]')}, ${p.add(row.evidenceSha256, 'text[]')}, ${p.add(row.tier, 'text')},
              ${p.add(row.submittedBy, 'uuid')}, ${p.add(row.submittedAt, 'timestamptz')} FROM updated`,
    ],
  }),
};

@Injectable()
export class RevisionRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async find(caseId: string, number: number, db: Db = this.dataSource): Promise<RevisionRow | null> {
    const [row] = await db.query(
      `SELECT case_id AS "caseId", number, hash, assessment, evidence_ids AS "evidenceIds", evidence_sha256 AS "evidenceSha256",
              tier, submitted_by AS "submittedBy", submitted_at AS "submittedAt"
         FROM revisions WHERE case_id = $1 AND number = $2`,
      [caseId, number],
    );
    return row ?? null;
  }
}
