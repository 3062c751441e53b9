import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

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

/** The INSERT of outbox rows, its parameters numbered from `$first` (also run inside CaseRepository.saveStep). */
export const addOutboxSql = (entries: OutboxEntry[], first: number): { sql: string; values: unknown[] } => ({
  sql: `INSERT INTO outbox (case_id, kind, payload)
       SELECT * FROM unnest($${first}::uuid[], $${first + 1}::text[], $${first + 2}::jsonb[])`,
  values: [entries.map((e) => e.caseId), entries.map((e) => e.kind), entries.map((e) => JSON.stringify(e.payload))],
});

@Injectable()
export class OutboxRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async add(entries: OutboxEntry[], db: Db): Promise<void> {
    if (entries.length === 0) return;
    const { sql, values } = addOutboxSql(entries, 1);
    await db.query(sql, values);
  }

  /** Oldest unsent rows, locked so that two relays never send the same row at once. */
  async claimUnsent(limit: number, db: Db): Promise<OutboxRow[]> {
    return db.query(
      `SELECT id, case_id AS "caseId", kind, payload, created_at AS "createdAt" FROM outbox
        WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /**
   * Rows sent longer than `leaseMs` ago whose job never acknowledged them: Redis lost the
   * job (a flush, a failover without persistence). Deadlines are left to the deadline sweep.
   */
  async claimUnacknowledged(limit: number, leaseMs: number, db: Db): Promise<OutboxRow[]> {
    return db.query(
      `SELECT id, case_id AS "caseId", kind, payload, created_at AS "createdAt" FROM outbox
        WHERE processed_at IS NULL AND sent_at IS NOT NULL AND kind <> 'deadline'
          AND sent_at < now() - make_interval(secs => $2::double precision / 1000)
        ORDER BY sent_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit, leaseMs],
    );
  }

  /** A job's acknowledgement: its work is in Postgres, so the row is never sent again. */
  async markProcessed(id: string, db: Db = this.dataSource): Promise<void> {
    await db.query(`UPDATE outbox SET processed_at = now() WHERE id = $1 AND processed_at IS NULL`, [id]);
  }

  async markSent(ids: string[], db: Db): Promise<void> {
    if (ids.length === 0) return;
    await db.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async backlog(db: Db = this.dataSource): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    return row.n;
  }
}
