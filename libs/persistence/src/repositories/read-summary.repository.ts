import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SummaryStamp {
  /** When the stored body was computed (its computation's start), as stored: compares equal across replicas. */
  computedAt: string;
  /** Seconds since then, by the Postgres clock. */
  ageSeconds: number;
  /** False until a first body is stored (a lease row holds a placeholder). */
  ready: boolean;
  /** Milliseconds the computation of the stored body took (0 before the first). */
  costMs: number;
}

/** Read summaries (queue counts, statistics) computed now and then and shared by every api replica. */
@Injectable()
export class ReadSummaryRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Which body is stored and how old it is, without the body (a replica that has it in memory reads no more). */
  async stamp(key: string): Promise<SummaryStamp | null> {
    const [row] = await this.dataSource.query(
      `SELECT computed_at::text AS "computedAt", extract(epoch FROM now() - computed_at)::float8 AS "ageSeconds", body <> 'null' AS ready,
              cost_ms AS "costMs"
         FROM read_summaries WHERE key = $1`,
      [key],
    );
    return row ?? null;
  }

  async body<T>(key: string): Promise<{ body: T; computedAt: string } | null> {
    const [row] = await this.dataSource.query(`SELECT body, computed_at::text AS "computedAt" FROM read_summaries WHERE key = $1`, [key]);
    return row ?? null;
  }

  /**
   * Takes the lease to refresh `key` (one replica at a time): true when this caller got it. A lease
   * older than `leaseSeconds` is taken over, so a replica that died while refreshing blocks nobody.
   */
  async lease(key: string, leaseSeconds: number): Promise<boolean> {
    const rows = await this.dataSource.query(
      `INSERT INTO read_summaries AS s (key, body, computed_at, refreshing_since) VALUES ($1, 'null', '-infinity', now())
       ON CONFLICT (key) DO UPDATE SET refreshing_since = now()
        WHERE s.refreshing_since IS NULL OR s.refreshing_since < now() - make_interval(secs => $2)
       RETURNING key`,
      [key, leaseSeconds],
    );
    return rows.length === 1;
  }

  /**
   * Stores a fresh body, stamped with the time its computation started and what the computation
   * cost, and ends the lease; returns the stamp as `stamp` gives it.
   */
  async put(key: string, body: unknown, computedAt: string, costMs: number): Promise<string> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO read_summaries (key, body, computed_at, cost_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET body = excluded.body, computed_at = excluded.computed_at, cost_ms = excluded.cost_ms, refreshing_since = NULL
       RETURNING computed_at::text AS "computedAt"`,
      [key, JSON.stringify(body), computedAt, costMs],
    )) as Array<{ computedAt: string }>;
    return row!.computedAt;
  }

  /** Ends a lease without a body (the computation failed), so the next request may try again. */
  async release(key: string): Promise<void> {
    await this.dataSource.query(`UPDATE read_summaries SET refreshing_since = NULL WHERE key = $1`, [key]);
  }

  /** The planner's estimate of the number of cases: free to read, good enough to choose a mode. */
  async estimatedCases(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'cases'::regclass`);
    return Number(row?.n ?? 0);
  }

  async now(): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT date_trunc('milliseconds', now()) AS now`)) as Array<{ now: Date }>;
    return row!.now.toISOString();
  }
}
