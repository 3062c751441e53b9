import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';
import type { StepWrite } from './case-step.repository.js';

export interface ConflictInput {
  auditFirmId: string;
  developerOrganisationId: string;
  kind: string;
  scope: 'firm' | 'individual';
  auditorId?: string | null;
  since?: string | null;
  until?: string | null;
  reason?: string | null;
  caseId?: string | null;
}

/** ConflictRepository.create as part of a case step (CaseStepRepository.write). */
export const conflictWrites = {
  create: (input: ConflictInput): StepWrite => ({
    ctes: (p) => [
      `INSERT INTO conflicts (audit_firm_id, developer_organisation_id, kind, scope, auditor_id, since, until, reason, case_id)
       SELECT ${p.add(input.auditFirmId, 'uuid')}, ${p.add(input.developerOrganisationId, 'uuid')}, ${p.add(input.kind, 'text')},
              ${p.add(input.scope, 'text')}, ${p.add(input.auditorId ?? null, 'uuid')}, ${p.add(input.since ?? null, 'timestamptz')},
              ${p.add(input.until ?? null, 'timestamptz')}, ${p.add(input.reason ?? null, 'text')}, updated.id FROM updated`,
    ],
  }),
};

@Injectable()
export class ConflictRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(input: ConflictInput, db: Db = this.dataSource): Promise<{ id: string }> {
    const [row] = await db.query(
      `INSERT INTO conflicts (audit_firm_id, developer_organisation_id, kind, scope, auditor_id, since, until, reason, case_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        input.auditFirmId,
        input.developerOrganisationId,
        input.kind,
        input.scope,
        input.auditorId ?? null,
        input.since ?? null,
        input.until ?? null,
        input.reason ?? null,
        input.caseId ?? null,
      ],
    );
    return row;
  }

  /** Of these auditors, those an active conflict with the developer covers (firm-wide or personally), now. */
  async conflictedAuditors(developerOrganisationId: string, auditorIds: string[], db: Db = this.dataSource): Promise<Set<string>> {
    if (auditorIds.length === 0) return new Set();
    const rows: Array<{ id: string }> = await db.query(
      `SELECT u.id FROM users u
        WHERE u.id = ANY($2::uuid[]) AND EXISTS (
          SELECT 1 FROM conflicts c
           WHERE c.developer_organisation_id = $1 AND c.audit_firm_id = u.organisation_id
             AND (c.scope = 'firm' OR c.auditor_id = u.id)
             AND (c.since IS NULL OR c.since <= now()) AND (c.until IS NULL OR c.until > now()))`,
      [developerOrganisationId, auditorIds],
    );
    return new Set(rows.map((r) => r.id));
  }
}
