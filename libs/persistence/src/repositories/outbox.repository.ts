import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deleteInBatches, type Db } from '../sql.util.js';
import type { StepWrite } from './case-step.repository.js';

export interface OutboxRow {
  id: string;
  caseId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface OutboxEntry {
  caseId: string | null;
  kind: string;
  payload: Record<string, unknown>;
}

/** The INSERT of outbox rows, its parameters numbered from `$first`. */
export const addOutboxSql = (entries: OutboxEntry[], first: number): { sql: string; values: unknown[] } => ({
  sql: `INSERT INTO outbox (case_id, kind, payload)
       SELECT * FROM unnest($${first}::uuid[], $${first + 1}::text[], $${first + 2}::jsonb[])`,
  values: [entries.map((e) => e.caseId), entries.map((e) => e.kind), entries.map((e) => JSON.stringify(e.payload))],
});

/**
 * A step write that marks a job's outbox row processed, drawing from the step's updated case row:
 * the job's work and its acknowledgement commit together, and a lost race acknowledges nothing.
 */
export const acknowledgeWrite = (outboxId: string): StepWrite => ({
  updates: 'outbox:processed_at',
  ctes: (p) => [`UPDATE outbox o SET processed_at = now() FROM updated WHERE o.id = ${p.add(outboxId, 'uuid')} AND o.processed_at IS NULL RETURNING o.id`],
});

/** How long a claimed row stays claimed without an acknowledgement, by who runs it. */
export interface OutboxLeases {
  /** Rows the relay runs itself (`runKinds`): their runs take milliseconds. */
  runMs: number;
  runKinds: readonly string[];
  /** Rows handed to BullMQ, whose jobs may retry with backoff for longer. */
  jobMs: number;
}

@Injectable()
export class OutboxRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async add(entries: OutboxEntry[], db: Db): Promise<void> {
    if (entries.length === 0) return;
    const { sql, values } = addOutboxSql(entries, 1);
    await db.query(sql, values);
  }

  /**
   * Claims a batch in one autocommit statement: marks sent the oldest unsent rows and the rows sent
   * earlier but never acknowledged, and returns them. A row of `leases.runKinds` (run by the relay
   * itself, in milliseconds) comes back after `leases.runMs`: its relay died, and nothing else will
   * run it. Any other row comes back after `leases.jobMs`: Redis lost its job (a flush, a failover
   * without persistence), which BullMQ may be retrying until then; deadlines are left to the
   * deadline sweep. SKIP LOCKED lets several relays claim side by side; no lock outlives the
   * statement, so nothing waits on a relay while it talks to Redis. A claimed row whose job is
   * never added is sent again: by `unclaim`, or after the lease.
   *
   * A deadline's row is acknowledged as it is claimed. Its job waits in Redis until the deadline is
   * due, and no lease sends it again (the sweep fires what Redis lost); left unacknowledged, every
   * claim walked all of them, a heap fetch each (when steps queued every deadline, for days).
   */
  async claim(limit: number, leases: OutboxLeases, db: Db = this.dataSource): Promise<Array<OutboxRow & { resent: boolean }>> {
    const [rows] = await db.query(
      `WITH unsent AS (
         SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
       ), lost AS (
         SELECT id FROM outbox
          WHERE processed_at IS NULL AND sent_at IS NOT NULL AND kind <> 'deadline'
            -- The shorter lease first: outbox_unacknowledged_idx answers it.
            AND sent_at < now() - make_interval(secs => least($2, $3)::double precision / 1000)
            AND (kind = ANY($4::text[]) OR sent_at < now() - make_interval(secs => $3::double precision / 1000))
          ORDER BY sent_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         SELECT id, false AS resent FROM unsent UNION ALL SELECT id, true FROM lost
       )
       UPDATE outbox o SET sent_at = now(), processed_at = CASE WHEN o.kind = 'deadline' THEN now() ELSE o.processed_at END
         FROM claimed c WHERE o.id = c.id
       RETURNING o.id, o.case_id AS "caseId", o.kind, o.payload, o.created_at AS "createdAt", c.resent`,
      [limit, leases.runMs, leases.jobMs, leases.runKinds],
    );
    return (rows as Array<OutboxRow & { resent: boolean }>).sort((a, b) => +a.createdAt - +b.createdAt || (a.id < b.id ? -1 : 1));
  }

  /** Rows claimed but whose jobs could not be added (a deadline's too, acknowledged by its claim): the next relay run sends them again. */
  async unclaim(ids: string[], db: Db = this.dataSource): Promise<void> {
    if (ids.length === 0) return;
    await db.query(
      `UPDATE outbox SET sent_at = NULL, processed_at = NULL WHERE id = ANY($1::uuid[]) AND (processed_at IS NULL OR kind = 'deadline')`,
      [ids],
    );
  }

  /** A job's acknowledgement: its work is in Postgres, so the row is never sent again. */
  async markProcessed(id: string, db: Db = this.dataSource): Promise<void> {
    await db.query(`UPDATE outbox SET processed_at = now() WHERE id = $1 AND processed_at IS NULL`, [id]);
  }

  /**
   * Deletes rows acknowledged more than `olderThanMs` ago, `batch` at a time, and returns how many.
   * Nothing reads an acknowledged row again; without this the table grew by every step's rows.
   * There is no index on `processed_at` (it would cost every acknowledgement an entry): each batch
   * reads the table, which holds only the retention period's rows once pruned, so it runs rarely.
   */
  async prune(olderThanMs: number, batch = 5000, db: Db = this.dataSource): Promise<number> {
    return deleteInBatches(db, 'outbox', `processed_at < now() - make_interval(secs => $2::float8 / 1000)`, [olderThanMs], batch);
  }

  async backlog(db: Db = this.dataSource): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    return row.n;
  }
}
