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

/** An open deadline whose clock runs: what "next deadline" and "overdue" are made of. */
const RUNNING = (alias: string) => `${alias}.closed_at IS NULL AND ${alias}.paused_at IS NULL`;
const OVERDUE_CASE_IDS = `SELECT case_id FROM deadlines WHERE ${RUNNING('deadlines')} AND due_at <= now()`;

const JOINS = `JOIN model_versions m ON m.id = c.model_version_id
  LEFT JOIN LATERAL (
    SELECT min(due_at) FILTER (WHERE paused_at IS NULL) AS next_deadline,
           min(due_at) FILTER (WHERE paused_at IS NULL AND due_at <= now()) AS overdue_since
      FROM deadlines WHERE case_id = c.id AND closed_at IS NULL) d ON true`;

const FROM = `FROM cases c
  ${JOINS}`;

/**
 * Lists ordered by deadline start from the running deadlines in due order (deadlines_running_due_idx)
 * instead of computing every case's next deadline and sorting a million rows: each case appears at its
 * earliest running deadline (`nd`, the one no other running deadline of the case precedes), so the walk
 * stops after a page. The due time equals `d.next_deadline`, and `d.overdue_since` when it has passed.
 */
const FROM_BY_DEADLINE = `FROM deadlines nd
  JOIN cases c ON c.id = nd.case_id
  ${JOINS}`;
const EARLIEST_RUNNING = `${RUNNING('nd')} AND NOT EXISTS (
    SELECT 1 FROM deadlines e WHERE e.case_id = nd.case_id AND ${RUNNING('e')} AND (e.due_at, e.id) < (nd.due_at, nd.id))`;

const SELECT = (sortKey: string) => `SELECT c.id, c.state, c.version, c.revision, c.tier, c.developer_organisation_id AS "developerOrganisationId",
        c.created_at AS "createdAt", c.state_entered_at AS "stateEnteredAt", d.next_deadline AS "nextDeadline",
        d.overdue_since AS "overdueSince", m.id AS "modelId", m.name AS "modelName", m.version AS "modelVersion",
        m.checkpoint_sha256 AS "checkpointSha256", m.base_models AS "baseModels", (${sortKey})::text AS "sortKey"`;

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
    // One state as an equality, so the planner walks the state's index in order (an ANY array would sort).
    if (filter.states?.length === 1) where.push(`c.state = ${param(filter.states[0])}`);
    else if (filter.states) where.push(`c.state = ANY(${param(filter.states)}::text[])`);
    if (filter.tier) where.push(`c.tier = ${param(filter.tier)}`);
    if (filter.developerOrganisationId) where.push(`c.developer_organisation_id = ${param(filter.developerOrganisationId)}`);
    const limitParam = param(limit);
    if (order === 'deadline' || order === 'overdue') return db.query(this.byDeadlineSql(filter, after, where, param, limitParam), params);

    // Overdue as a set of case ids, so a page need not compute every case's deadlines to find them.
    if (filter.overdue !== undefined) where.push(`c.id ${filter.overdue ? 'IN' : 'NOT IN'} (${OVERDUE_CASE_IDS})`);
    const { key, direction } = ORDER[order];
    if (after) {
      const op = direction === 'ASC' ? '>' : '<';
      where.push(`(${key}, c.id) ${op} (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)`);
    }
    // The page first, from cases alone; the model and the deadlines only for its rows (not for every candidate a filter keeps).
    const sql = `${SELECT(key)}
      FROM (SELECT c.id FROM cases c
              ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY ${key} ${direction}, c.id ${direction}
             LIMIT ${limitParam}) page
      JOIN cases c ON c.id = page.id
      ${JOINS}
      ORDER BY ${key} ${direction}, c.id ${direction}`;
    return db.query(sql, params);
  }

  /**
   * By next deadline (or, for `overdue`, by overdue-since), ascending: the cases with a running deadline
   * walked in due order, then (deadline order only) the cases without one, by id (their key is infinity).
   */
  private byDeadlineSql(filter: CaseListFilter, after: Keyset | null, where: string[], param: (v: unknown) => string, limit: string): string {
    const running = [...where, EARLIEST_RUNNING];
    if (filter.overdue === true) running.push(`nd.due_at <= now()`);
    if (filter.overdue === false) running.push(`nd.due_at > now()`);
    const afterKey = after ? param(after[0]) : null;
    const afterId = after ? param(after[1]) : null;
    if (after) running.push(`(nd.due_at, nd.case_id) > (${afterKey}::timestamptz, ${afterId}::uuid)`);
    const withDeadline = `${SELECT('nd.due_at')}
      ${FROM_BY_DEADLINE}
      WHERE ${running.join(' AND ')}
      ORDER BY nd.due_at, nd.case_id
      LIMIT ${limit}`;
    if (filter.overdue === true) return withDeadline;
    // Cases with no running deadline: key infinity, so only ids after the cursor's when it is past every deadline.
    const idle = [...where, `NOT EXISTS (SELECT 1 FROM deadlines e WHERE e.case_id = c.id AND ${RUNNING('e')})`];
    if (after) idle.push(`('infinity'::timestamptz, c.id) > (${afterKey}::timestamptz, ${afterId}::uuid)`);
    const withoutDeadline = `${SELECT(`'infinity'::timestamptz`)}
      ${FROM}
      WHERE ${idle.join(' AND ')}
      ORDER BY c.id
      LIMIT ${limit}`;
    return `SELECT * FROM ((${withDeadline}) UNION ALL (${withoutDeadline})) page
      ORDER BY "sortKey"::timestamptz, id LIMIT ${limit}`;
  }

  /** One row per state that has cases, plus the overdue count; what the queues show. */
  async queueSummary(db: Db = this.dataSource): Promise<Array<{ name: string; count: number; oldestAt: Date | null }>> {
    return db.query(
      `SELECT c.state AS name, count(*)::int AS count, min(c.state_entered_at) AS "oldestAt"
         FROM cases c WHERE NOT c.is_final GROUP BY c.state
       UNION ALL
       SELECT 'overdue', count(DISTINCT case_id)::int, min(due_at) FROM deadlines WHERE ${RUNNING('deadlines')} AND due_at <= now()`,
    );
  }
}
