import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CaseState } from '@app/workflow';
import type { Db } from '../sql.util.js';

/** Whose cases a list may show: SPEC.md's object-level read rules. */
export type ReaderScope =
  | { kind: 'all' }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'auditor'; auditorId: string };

export interface CaseListFilter {
  scope: ReaderScope;
  states?: CaseState[];
  tier?: string;
  developerOrganisationId?: string;
  overdue?: boolean;
}

export type CaseListOrder = 'created' | 'deadline' | 'state_entered' | 'overdue';

export interface CaseListItemRow {
  id: string;
  state: CaseState;
  version: number;
  revision: number;
  tier: string | null;
  developerOrganisationId: string;
  createdAt: Date;
  stateEnteredAt: Date;
  nextDeadline: Date | null;
  overdueSince: Date | null;
  modelId: string;
  modelName: string;
  modelVersion: string;
  checkpointSha256: string | null;
  baseModels: unknown[];
}

/** A keyset position: the sort value and the id that breaks ties. */
export type Keyset = [string | null, string];

const ORDER: Record<CaseListOrder, { key: string; direction: 'ASC' | 'DESC' }> = {
  created: { key: `c.created_at`, direction: 'DESC' },
  // Cases without an open deadline sort last.
  deadline: { key: `COALESCE(d.next_deadline, 'infinity'::timestamptz)`, direction: 'ASC' },
  state_entered: { key: `c.state_entered_at`, direction: 'ASC' },
  overdue: { key: `COALESCE(d.overdue_since, 'infinity'::timestamptz)`, direction: 'ASC' },
};

const FROM = `FROM cases c
  JOIN model_versions m ON m.id = c.model_version_id
  LEFT JOIN LATERAL (
    SELECT min(due_at) FILTER (WHERE paused_at IS NULL) AS next_deadline,
           min(due_at) FILTER (WHERE paused_at IS NULL AND due_at <= now()) AS overdue_since
      FROM deadlines WHERE case_id = c.id AND closed_at IS NULL) d ON true`;

@Injectable()
export class CaseQueryRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list(
    filter: CaseListFilter,
    order: CaseListOrder,
    after: Keyset | null,
    limit: number,
    db: Db = this.dataSource,
  ): Promise<Array<CaseListItemRow & { sortKey: string }>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.scope.kind === 'organisation') where.push(`c.developer_organisation_id = ${param(filter.scope.organisationId)}`);
    if (filter.scope.kind === 'auditor')
      where.push(`EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.auditor_id = ${param(filter.scope.auditorId)})`);
    if (filter.states) where.push(`c.state = ANY(${param(filter.states)}::text[])`);
    if (filter.tier) where.push(`c.tier = ${param(filter.tier)}`);
    if (filter.developerOrganisationId) where.push(`c.developer_organisation_id = ${param(filter.developerOrganisationId)}`);
    if (filter.overdue !== undefined) where.push(filter.overdue ? `d.overdue_since IS NOT NULL` : `d.overdue_since IS NULL`);
    const { key, direction } = ORDER[order];
    if (after) {
      const op = direction === 'ASC' ? '>' : '<';
      where.push(`(${key}, c.id) ${op} (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)`);
    }
    const sql = `SELECT c.id, c.state, c.version, c.revision, c.tier, c.developer_organisation_id AS "developerOrganisationId",
        c.created_at AS "createdAt", c.state_entered_at AS "stateEnteredAt", d.next_deadline AS "nextDeadline",
        d.overdue_since AS "overdueSince", m.id AS "modelId", m.name AS "modelName", m.version AS "modelVersion",
        m.checkpoint_sha256 AS "checkpointSha256", m.base_models AS "baseModels", (${key})::text AS "sortKey"
      ${FROM}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${key} ${direction}, c.id ${direction}
      LIMIT ${param(limit)}`;
    return db.query(sql, params);
  }

  /** One row per state that has cases, plus the overdue count; what the queues show. */
  async queueSummary(db: Db = this.dataSource): Promise<Array<{ name: string; count: number; oldestAt: Date | null }>> {
    return db.query(
      `SELECT c.state AS name, count(*)::int AS count, min(c.state_entered_at) AS "oldestAt"
         FROM cases c WHERE NOT c.is_final GROUP BY c.state
       UNION ALL
       SELECT 'overdue', count(*)::int, min(d.overdue_since) ${FROM} WHERE d.overdue_since IS NOT NULL`,
    );
  }
}
