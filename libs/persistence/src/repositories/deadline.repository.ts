import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { INCIDENT_FINAL_REPORT, type AnyDeadlineKind, type DeadlineKind } from '@app/workflow';
import { qualifyColumns, type Db } from '../sql.util.js';
import { PREVIOUS_CTE, type StepWrite } from './case-step.repository.js';

export interface DeadlineRow {
  id: string;
  caseId: string;
  kind: AnyDeadlineKind;
  dueAt: Date;
  pausedAt: Date | null;
  escalatedAt: Date | null;
  closedAt: Date | null;
}

const COLUMNS = `id, case_id AS "caseId", kind, due_at AS "dueAt", paused_at AS "pausedAt", escalated_at AS "escalatedAt", closed_at AS "closedAt"`;

/** A deadline as the case view shows it. */
export const DEADLINE_VIEW_COLUMNS = COLUMNS;

/** Open deadlines of case $1, soonest first (also read by CaseViewRepository). */
export const OPEN_DEADLINES_OF_CASE_SQL = `SELECT ${COLUMNS} FROM deadlines WHERE case_id = $1 AND closed_at IS NULL ORDER BY due_at, id`;

/** An outbox payload's `dueAt` as JavaScript's toISOString writes it. */
const ISO_DUE_AT = `to_char(r."dueAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * DeadlineRepository's writes as parts of a case step (CaseStepRepository.write). Each UPDATE
 * names the case through `updated`, so a step that lost its race changes no deadline.
 */
export const deadlineWrites = {
  /** `id` and `dueAt` are chosen by the caller (dueAt = at + durationMs), so the step's outbox can name them. */
  open: (id: string, kind: DeadlineKind, at: string, dueAt: string): StepWrite => ({
    ctes: (p) => [
      {
        view: 'deadlines',
        // The case's creation and organisation travel with the deadline for the lists (migration CaseFactsOnDeadlines),
        // read from the row, not the step's copy in memory: a Date holds milliseconds, the column microseconds,
        // and the lists page on the copy as if it were the case's own.
        body: `INSERT INTO deadlines AS d (id, case_id, kind, opened_at, due_at, case_created_at, developer_organisation_id)
       SELECT ${p.add(id, 'uuid')}, updated.id, ${p.add(kind, 'text')}, ${p.add(at, 'timestamptz')}, ${p.add(dueAt, 'timestamptz')},
              c.created_at, c.developer_organisation_id FROM updated JOIN cases c ON c.id = updated.id
       RETURNING ${qualifyColumns(COLUMNS, 'd')}`,
      },
    ],
  }),
  close: (kind: DeadlineKind, at: string): StepWrite => ({
    updates: `deadlines:${kind}`,
    ctes: (p) => [
      {
        view: 'deadlines',
        body: `UPDATE deadlines d SET closed_at = ${p.add(at, 'timestamptz')} FROM updated
        WHERE d.case_id = updated.id AND d.kind = ${p.add(kind, 'text')} AND d.incident_id IS NULL AND d.closed_at IS NULL
        RETURNING ${qualifyColumns(COLUMNS, 'd')}`,
      },
    ],
  }),
  pause: (kind: DeadlineKind, at: string): StepWrite => ({
    updates: `deadlines:${kind}`,
    ctes: (p) => [
      {
        view: 'deadlines',
        body: `UPDATE deadlines d SET paused_at = ${p.add(at, 'timestamptz')} FROM updated
        WHERE d.case_id = updated.id AND d.kind = ${p.add(kind, 'text')} AND d.closed_at IS NULL AND d.paused_at IS NULL
        RETURNING ${qualifyColumns(COLUMNS, 'd')}`,
      },
    ],
  }),
  /**
   * Resumes with the time it had left (dueAt = at + (dueAt − pausedAt)) and queues in the outbox the
   * job of each resumed deadline due within `horizonMs` (the sweep queues the others when they come near).
   */
  resume: (kind: DeadlineKind, at: string, outboxKind: string, horizonMs: number): StepWrite => ({
    updates: `deadlines:${kind}`,
    ctes: (p) => {
      const resumed = `UPDATE deadlines d SET due_at = ${p.add(at, 'timestamptz')} + (d.due_at - d.paused_at), paused_at = NULL FROM updated
        WHERE d.case_id = updated.id AND d.kind = ${p.add(kind, 'text')} AND d.closed_at IS NULL AND d.paused_at IS NOT NULL
        RETURNING ${qualifyColumns(COLUMNS, 'd')}`;
      return [
        { view: 'deadlines', body: resumed },
        `INSERT INTO outbox (case_id, kind, payload)
         SELECT r."caseId", ${p.add(outboxKind, 'text')}, jsonb_build_object('caseId', r."caseId", 'deadlineId', r.id, 'dueAt', ${ISO_DUE_AT}) FROM ${PREVIOUS_CTE} r
          WHERE r."dueAt" <= ${p.add(at, 'timestamptz')} + make_interval(secs => ${p.add(horizonMs / 1000, 'float8')})`,
      ];
    },
  }),
  markFired: (id: string, at: string): StepWrite => ({
    // The kind of the deadline an id names is not known here.
    updates: 'deadlines:*',
    ctes: (p) => [
      {
        view: 'deadlines',
        body: `UPDATE deadlines d SET fired_at = COALESCE(d.fired_at, ${p.add(at, 'timestamptz')}) FROM updated
        WHERE d.case_id = updated.id AND d.id = ${p.add(id, 'uuid')}
        RETURNING ${qualifyColumns(COLUMNS, 'd')}`,
      },
    ],
  }),
  escalate: (id: string, at: string): StepWrite => ({
    // The kind of the deadline an id names is not known here.
    updates: 'deadlines:*',
    ctes: (p) => [
      {
        view: 'deadlines',
        body: `UPDATE deadlines d SET escalated_at = ${p.add(at, 'timestamptz')} FROM updated
        WHERE d.case_id = updated.id AND d.id = ${p.add(id, 'uuid')}
        RETURNING ${qualifyColumns(COLUMNS, 'd')}`,
      },
    ],
  }),
};

@Injectable()
export class DeadlineRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** An incident's final-report deadline, opened by its report. */
  async openForIncident(caseId: string, incidentId: string, at: string, durationMs: number, db: Db): Promise<DeadlineRow> {
    const [row] = await db.query(
      `INSERT INTO deadlines (case_id, kind, opened_at, due_at, incident_id, case_created_at, developer_organisation_id)
       SELECT c.id, $2, $3::timestamptz, $3::timestamptz + make_interval(secs => $4::double precision / 1000), $5, c.created_at, c.developer_organisation_id
         FROM cases c WHERE c.id = $1
       RETURNING ${COLUMNS}`,
      [caseId, INCIDENT_FINAL_REPORT, at, durationMs, incidentId],
    );
    return row;
  }

  /** Closes an incident's open deadlines (a `final` update or the closing). */
  async closeForIncident(incidentId: string, at: string, db: Db): Promise<void> {
    await db.query(`UPDATE deadlines SET closed_at = $2 WHERE incident_id = $1 AND closed_at IS NULL`, [incidentId, at]);
  }

  /** An incident deadline that is open, not yet escalated and due by the Postgres clock (incident deadlines never pause). */
  async findFirableOfIncident(caseId: string, id: string, db: Db): Promise<(DeadlineRow & { incidentId: string }) | null> {
    const [row] = await db.query(
      `SELECT ${COLUMNS}, incident_id AS "incidentId" FROM deadlines
        WHERE case_id = $1 AND id = $2 AND incident_id IS NOT NULL AND closed_at IS NULL AND escalated_at IS NULL AND due_at <= now()`,
      [caseId, id],
    );
    return row ?? null;
  }

  /** An incident's final-report deadline, open or not. */
  async ofIncident(incidentId: string, db: Db = this.dataSource): Promise<DeadlineRow | null> {
    const [row] = await db.query(`SELECT ${COLUMNS} FROM deadlines WHERE incident_id = $1 ORDER BY opened_at DESC LIMIT 1`, [incidentId]);
    return row ?? null;
  }

  /** Whether a deadline belongs to an incident rather than to the case's state. */
  async isIncidentDeadline(id: string, db: Db = this.dataSource): Promise<boolean> {
    const rows = await db.query(`SELECT 1 FROM deadlines WHERE id = $1 AND incident_id IS NOT NULL`, [id]);
    return rows.length > 0;
  }

  /** When a deadline fired, for lateness metrics; the first firing counts. */
  async markFired(id: string, at: string, db: Db): Promise<void> {
    await db.query(`UPDATE deadlines SET fired_at = COALESCE(fired_at, $2) WHERE id = $1`, [id, at]);
  }

  async escalate(id: string, at: string, db: Db): Promise<void> {
    await db.query(`UPDATE deadlines SET escalated_at = $2 WHERE id = $1`, [id, at]);
  }

  async listOpen(caseId: string, db: Db = this.dataSource): Promise<DeadlineRow[]> {
    return db.query(OPEN_DEADLINES_OF_CASE_SQL, [caseId]);
  }

  /** The state deadline (never an incident's) if it is open, unpaused, not yet escalated and due by the Postgres clock. */
  async findFirable(caseId: string, id: string, db: Db): Promise<(DeadlineRow & { kind: DeadlineKind }) | null> {
    const [row] = await db.query(
      `SELECT ${COLUMNS} FROM deadlines
        WHERE case_id = $1 AND id = $2 AND incident_id IS NULL
          AND closed_at IS NULL AND paused_at IS NULL AND escalated_at IS NULL AND due_at <= now()`,
      [caseId, id],
    );
    return row ?? null;
  }

  /** Whether a deadline may still fire, and how long until it is due by the Postgres clock (null: no such deadline). */
  async timeToFire(id: string, db: Db = this.dataSource): Promise<{ live: boolean; remainingMs: number } | null> {
    const [row] = (await db.query(
      `SELECT closed_at IS NULL AND paused_at IS NULL AND escalated_at IS NULL AS live,
              extract(epoch FROM (due_at - now())) * 1000 AS "remainingMs"
         FROM deadlines WHERE id = $1`,
      [id],
    )) as Array<{ live: boolean; remainingMs: number }>;
    return row ?? null;
  }

  async findById(id: string, db: Db = this.dataSource): Promise<DeadlineRow | null> {
    const [row] = await db.query(`SELECT ${COLUMNS} FROM deadlines WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Deadlines that may still fire and are due within `horizonMs` but not yet, soonest first, after
   * `after` (the last of the previous page), with the time left by the Postgres clock: the ones
   * the sweep queues jobs for. deadlines_unfired_due_idx walks them.
   */
  async dueWithin(
    horizonMs: number,
    limit: number,
    after: { dueAt: Date; id: string } | null,
    db: Db = this.dataSource,
  ): Promise<Array<{ id: string; caseId: string; dueAt: Date; remainingMs: number }>> {
    return db.query(
      `SELECT id, case_id AS "caseId", due_at AS "dueAt", extract(epoch FROM (due_at - now())) * 1000 AS "remainingMs"
         FROM deadlines
        WHERE closed_at IS NULL AND paused_at IS NULL AND fired_at IS NULL AND escalated_at IS NULL
          AND due_at > now() AND due_at <= now() + make_interval(secs => $1::float8 / 1000)
          AND ($3::timestamptz IS NULL OR (due_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY due_at, id LIMIT $2`,
      [horizonMs, limit, after?.dueAt ?? null, after?.id ?? null],
    );
  }

  /**
   * Claims one due deadline that no job has fired, locking its case row first (the order every
   * transition takes, so the sweep cannot deadlock with one) and skipping cases others hold.
   */
  async claimDue(db: Db): Promise<(DeadlineRow & { incidentId: string | null }) | null> {
    const [row] = await db.query(
      `SELECT d.id, d.case_id AS "caseId", d.kind, d.due_at AS "dueAt", d.paused_at AS "pausedAt",
              d.escalated_at AS "escalatedAt", d.closed_at AS "closedAt", d.incident_id AS "incidentId"
         FROM deadlines d JOIN cases c ON c.id = d.case_id
        WHERE d.closed_at IS NULL AND d.paused_at IS NULL AND d.escalated_at IS NULL AND d.fired_at IS NULL
          AND d.due_at <= now()
        ORDER BY d.due_at LIMIT 1 FOR NO KEY UPDATE OF c SKIP LOCKED`,
    );
    return row ?? null;
  }
}
