import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';
import type { ReaderScope } from './case-query.repository.js';

export type IncidentStatus = 'open' | 'closed';

export interface IncidentRow {
  id: string;
  caseId: string;
  category: string;
  summary: string;
  occurredAt: Date;
  awareAt: Date;
  reportedAt: Date;
  reportedBy: string;
  reportDueAt: Date;
  reportedLate: boolean;
  finalReportDueAt: Date;
  finalReportAt: Date | null;
  status: IncidentStatus;
  closedAt: Date | null;
  closedBy: string | null;
  closeNote: string | null;
}

export interface IncidentUpdateRow {
  id: string;
  authorId: string;
  text: string;
  final: boolean;
  at: Date;
}

export interface NewIncident {
  caseId: string;
  category: string;
  summary: string;
  occurredAt: string;
  awareAt: string;
  reportedBy: string;
  reportMs: number;
  finalReportMs: number;
}

const COLUMNS = `i.id, i.case_id AS "caseId", i.category, i.summary, i.occurred_at AS "occurredAt", i.aware_at AS "awareAt",
  i.reported_at AS "reportedAt", i.reported_by AS "reportedBy", i.report_due_at AS "reportDueAt", i.reported_late AS "reportedLate",
  i.final_report_due_at AS "finalReportDueAt", i.final_report_at AS "finalReportAt", i.status, i.closed_at AS "closedAt",
  i.closed_by AS "closedBy", i.close_note AS "closeNote"`;

const ms = (param: string) => `make_interval(secs => ${param}::double precision / 1000)`;

/** Incidents after release and their updates; the incident's history rows are the case's (CaseRecordService). */
@Injectable()
export class IncidentRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Records a report at `at`: its due time from awareness, lateness, and the final report's due time. */
  async insert(input: NewIncident, at: string, db: Db): Promise<IncidentRow> {
    const [row] = await db.query(
      `INSERT INTO incidents AS i (case_id, category, summary, occurred_at, aware_at, reported_at, reported_by,
                                   report_due_at, reported_late, final_report_due_at)
       VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6::timestamptz, $7,
               $5::timestamptz + ${ms('$8')}, $6::timestamptz > $5::timestamptz + ${ms('$8')}, $6::timestamptz + ${ms('$9')})
       RETURNING ${COLUMNS}`,
      [input.caseId, input.category, input.summary, input.occurredAt, input.awareAt, at, input.reportedBy, input.reportMs, input.finalReportMs],
    );
    return row;
  }

  async findById(id: string, db: Db = this.dataSource): Promise<IncidentRow | null> {
    const [row] = await db.query(`SELECT ${COLUMNS} FROM incidents i WHERE i.id = $1`, [id]);
    return row ?? null;
  }

  async updates(incidentId: string, db: Db = this.dataSource): Promise<IncidentUpdateRow[]> {
    return db.query(
      `SELECT id, author_id AS "authorId", text, final, at FROM incident_updates WHERE incident_id = $1 ORDER BY at, id`,
      [incidentId],
    );
  }

  /**
   * Adds an update while the incident holds fewer than `maxUpdates`, or, past them, its first final
   * report (a legal duty that a bound must not refuse). False when refused. The caller holds the
   * case's row lock, so updates of one incident are counted one after the other.
   */
  async addUpdateWithinLimit(incidentId: string, authorId: string, text: string, final: boolean, at: string, maxUpdates: number, db: Db): Promise<boolean> {
    const inserted: unknown[] = await db.query(
      `INSERT INTO incident_updates (incident_id, author_id, text, final, at)
       SELECT $1, $2, $3, $4, $5
        WHERE (SELECT count(*) FROM incident_updates WHERE incident_id = $1) < $6
           OR ($4 AND (SELECT final_report_at IS NULL FROM incidents WHERE id = $1))
       RETURNING id`,
      [incidentId, authorId, text, final, at, maxUpdates],
    );
    if (inserted.length === 0) return false;
    if (final) await db.query(`UPDATE incidents SET final_report_at = COALESCE(final_report_at, $2) WHERE id = $1`, [incidentId, at]);
    return true;
  }

  async close(incidentId: string, closedBy: string, note: string, at: string, db: Db): Promise<void> {
    await db.query(`UPDATE incidents SET status = 'closed', closed_at = $2, closed_by = $3, close_note = $4 WHERE id = $1 AND status = 'open'`, [
      incidentId,
      at,
      closedBy,
      note,
    ]);
  }

  /** Newest reported first, after the keyset, within what the scope may read. */
  async list(
    scope: ReaderScope,
    filter: { status?: IncidentStatus | undefined; caseId?: string | undefined },
    after: [string, string] | null,
    limit: number,
    db: Db = this.dataSource,
  ): Promise<Array<IncidentRow & { sortKey: string }>> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (scope.kind === 'organisation') where.push(`c.developer_organisation_id = ${param(scope.organisationId)}`);
    if (scope.kind === 'auditor')
      where.push(`EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.auditor_id = ${param(scope.auditorId)})`);
    if (filter.status) where.push(`i.status = ${param(filter.status)}`);
    if (filter.caseId) where.push(`i.case_id = ${param(filter.caseId)}`);
    if (after) where.push(`(i.reported_at, i.id) < (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)`);
    return db.query(
      `SELECT ${COLUMNS}, i.reported_at::text AS "sortKey" FROM incidents i JOIN cases c ON c.id = i.case_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY i.reported_at DESC, i.id DESC LIMIT ${param(limit)}`,
      params,
    );
  }

  /** The regulators' queue: open incidents, the final report due soonest first. */
  async openByDue(after: [string, string] | null, limit: number, db: Db = this.dataSource): Promise<Array<IncidentRow & { sortKey: string }>> {
    return db.query(
      `SELECT ${COLUMNS}, i.final_report_due_at::text AS "sortKey" FROM incidents i
        WHERE i.status = 'open' ${after ? `AND (i.final_report_due_at, i.id) > ($2::timestamptz, $3::uuid)` : ''}
        ORDER BY i.final_report_due_at, i.id LIMIT $1`,
      after ? [limit, after[0], after[1]] : [limit],
    );
  }

  async openSummary(db: Db = this.dataSource): Promise<{ count: number; oldestAt: Date | null }> {
    const [row] = await db.query(
      `SELECT count(*)::int AS count, min(final_report_due_at) AS "oldestAt" FROM incidents WHERE status = 'open'`,
    );
    return row;
  }
}
