import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { KEYSETS, Paginator, allPages, pageSchema, queryFingerprint, type CsvColumn } from '@app/http';
import { DeadlineRepository, IncidentRepository, iso, type Db, type IncidentRow, type ReaderScope } from '@app/persistence';
import { INCIDENT_FINAL_REPORT } from '@app/workflow';
import { EXPORT_PAGE_SIZE } from '../queries/list-cases.query.js';
import { incidentStatusSchema } from './incident.schemas.js';

export const listIncidentsQuerySchema = z.strictObject({ status: incidentStatusSchema.optional(), caseId: z.uuid().optional(), ...pageSchema });
export const incidentQueueQuerySchema = z.strictObject(pageSchema);

/** The name of the regulators' incidents queue beside the state queues. */
export const INCIDENTS_QUEUE = 'incidents';

export const toIncidentListItem = (row: IncidentRow) => ({
  id: row.id,
  caseId: row.caseId,
  category: row.category,
  status: row.status,
  summary: row.summary,
  occurredAt: iso(row.occurredAt)!,
  awareAt: iso(row.awareAt)!,
  reportedAt: iso(row.reportedAt)!,
  reportDueAt: iso(row.reportDueAt)!,
  reportedLate: row.reportedLate,
  finalReportDueAt: iso(row.finalReportDueAt)!,
  finalReportAt: iso(row.finalReportAt),
  closedAt: iso(row.closedAt),
});

const toQueueItem = (row: IncidentRow) => ({
  incidentId: row.id,
  caseId: row.caseId,
  category: row.category,
  reportDueAt: iso(row.reportDueAt)!,
  finalReportDueAt: iso(row.finalReportDueAt)!,
});

type IncidentQueueItem = ReturnType<typeof toQueueItem>;

/** The queue's CSV export: its items' fields, in their order. */
export const INCIDENT_QUEUE_CSV_COLUMNS: ReadonlyArray<CsvColumn<IncidentQueueItem>> = [
  { header: 'incidentId', value: (i) => i.incidentId },
  { header: 'caseId', value: (i) => i.caseId },
  { header: 'category', value: (i) => i.category },
  { header: 'reportDueAt', value: (i) => i.reportDueAt },
  { header: 'finalReportDueAt', value: (i) => i.finalReportDueAt },
];

/** What readers see of incidents; nothing here writes. */
@Injectable()
export class IncidentsQuery {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly paginator: Paginator,
  ) {}

  /** The incident as it is now in `db` (after a write in the same transaction). */
  async viewById(id: string, db: Db) {
    const incident = await this.incidents.findById(id, db);
    if (!incident) throw new Error(`incident ${id} vanished inside its own transaction`);
    return this.view(incident, db);
  }

  /** One incident with its updates, its closing and its final-report deadline. */
  async view(incident: IncidentRow, db?: Db) {
    const updates = await this.incidents.updates(incident.id, db);
    const deadline = await this.deadlines.ofIncident(incident.id, db);
    return {
      ...toIncidentListItem(incident),
      reportedBy: incident.reportedBy,
      closedBy: incident.closedBy,
      closeNote: incident.closeNote,
      finalReportDeadline: deadline
        ? { id: deadline.id, kind: INCIDENT_FINAL_REPORT, dueAt: iso(deadline.dueAt)!, escalatedAt: iso(deadline.escalatedAt), closedAt: iso(deadline.closedAt) }
        : null,
      updates: updates.map((u) => ({ id: u.id, authorId: u.authorId, text: u.text, final: u.final, at: iso(u.at)! })),
    };
  }

  /** Incidents of the cases the caller may read (or of one of them), newest reported first. */
  async list(scope: ReaderScope, q: z.infer<typeof listIncidentsQuerySchema>) {
    return this.paginator.paginate(q, {
      fingerprint: queryFingerprint({ incidents: true, status: q.status, caseId: q.caseId }),
      keyset: KEYSETS.timeAndId,
      fetch: (after, limit) => this.incidents.list(scope, { status: q.status, caseId: q.caseId }, after, limit),
      keyOf: (row) => [row.sortKey, row.id] as [string, string],
      view: toIncidentListItem,
    });
  }

  /** The regulators' queue: open incidents, the final report due soonest first. */
  async queue(q: z.infer<typeof incidentQueueQuerySchema>) {
    return this.paginator.paginate(q, {
      fingerprint: queryFingerprint({ name: INCIDENTS_QUEUE }),
      keyset: KEYSETS.timeAndId,
      fetch: (after, limit) => this.incidents.openByDue(after, limit),
      keyOf: (row) => [row.sortKey, row.id] as [string, string],
      view: toQueueItem,
    });
  }

  /** Every page of the queue from the query's cursor on (the CSV export); `limit` does not cap it. */
  async allQueuePages(q: z.infer<typeof incidentQueueQuerySchema>) {
    return allPages((cursor) => this.queue({ ...q, limit: EXPORT_PAGE_SIZE, cursor }), q.cursor);
  }

  /** The queue's line in `GET /v1/queues`. */
  async queueSummary() {
    const { count, oldestAt } = await this.incidents.openSummary();
    return { name: INCIDENTS_QUEUE, count, oldestAt: iso(oldestAt) };
  }
}
