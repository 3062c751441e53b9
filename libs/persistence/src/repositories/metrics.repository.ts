import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pingDatabase, type Db } from '../sql.util.js';

/** Lateness (fired minus due) of the deadlines that fired, in seconds; null where none fired. */
export interface DeadlineLatenessRow {
  count: number;
  early: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  min: number | null;
}

/** Counts read at scrape time (and by the benchmarks), so any api replica reports the whole system. */
@Injectable()
export class MetricsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Resolves once Postgres answers a trivial statement. */
  ping(): Promise<void> {
    return pingDatabase(this.dataSource);
  }

  /** Accepted case events by type, system events included. */
  async eventCounts(db: Db = this.dataSource): Promise<Array<{ type: string; n: number }>> {
    return db.query(`SELECT type, count(*)::int AS n FROM case_events GROUP BY type`);
  }

  /** Outbox rows not yet delivered to the job queue. */
  async outboxBacklog(db: Db = this.dataSource): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    return row.n;
  }

  /**
   * Lateness of the deadlines fired since `since` (an interval, e.g. `24 hours`), or of one kind's.
   * Each filter is in the statement only when given, so that a plan cached for the scrape's
   * statement walks `deadlines_fired_idx` for the last day instead of reading every deadline.
   */
  async deadlineLateness(filter: { firedWithin?: string; kind?: string }, db: Db = this.dataSource): Promise<DeadlineLatenessRow> {
    const where = ['fired_at IS NOT NULL'];
    const values: string[] = [];
    if (filter.firedWithin !== undefined) where.push(`fired_at > now() - $${values.push(filter.firedWithin)}::interval`);
    if (filter.kind !== undefined) where.push(`kind = $${values.push(filter.kind)}`);
    const [row] = await db.query(
      `SELECT count(fired_at)::int AS count,
              count(*) FILTER (WHERE fired_at < due_at)::int AS early,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - due_at)) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - due_at)) AS p99,
              max(extract(epoch FROM fired_at - due_at)) AS max,
              min(extract(epoch FROM fired_at - due_at)) AS min
         FROM deadlines
        WHERE ${where.join(' AND ')}`,
      values,
    );
    const number = (value: unknown) => (value === null ? null : Number(value));
    return { count: row.count, early: row.early, p50: number(row.p50), p99: number(row.p99), max: number(row.max), min: number(row.min) };
  }

  /** How many deadlines of a kind exist and how many of them fired. */
  async deadlineProgress(kind: string, db: Db = this.dataSource): Promise<{ open: number; fired: number }> {
    const [row] = await db.query(
      `SELECT count(*) FILTER (WHERE fired_at IS NOT NULL)::int AS fired, count(*)::int AS open FROM deadlines WHERE kind = $1`,
      [kind],
    );
    return row;
  }

  /**
   * Postgres backend pids that serve this database (other than the caller's), with the shared WAL
   * writer, checkpointer and background writer: the processes whose CPU a benchmark charges to Postgres.
   */
  async backendPids(db: Db = this.dataSource): Promise<number[]> {
    const rows: Array<{ pid: number }> = await db.query(
      `SELECT pid FROM pg_stat_activity
        WHERE (datname = current_database() AND pid <> pg_backend_pid())
           OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
    );
    return rows.map((r) => r.pid);
  }
}
