import type { DataSource, EntityManager } from 'typeorm';

/** Either the DataSource or a transaction's manager: both answer `query`. */
export type Db = DataSource | EntityManager;

/** A column list (`a, b_c AS "bC"`) with each column qualified by a table alias, for statements that join. */
export const qualifyColumns = (columns: string, alias: string): string =>
  columns
    .split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');

/** RFC 3339 UTC with milliseconds, as SPEC.md writes every time. */
export const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : new Date(value).toISOString();

/** The Postgres clock, truncated to the milliseconds that the API shows and the history hashes. */
export const dbNow = async (db: Db): Promise<string> => {
  const [row] = (await db.query(`SELECT date_trunc('milliseconds', now()) AS now`)) as Array<{ now: Date }>;
  return row!.now.toISOString();
};

/** Rows per page when a whole hash chain is walked (a verification): memory stays bounded for any length. */
export const CHAIN_PAGE = 1000;

/** Every row of a chain ascending by seq, CHAIN_PAGE at a time, from a keyset page reader. */
export async function* chainPages<T extends { seq: number }>(page: (afterSeq: number, limit: number) => Promise<T[]>): AsyncGenerator<T[]> {
  for (let afterSeq = 0; ; ) {
    const rows = await page(afterSeq, CHAIN_PAGE);
    if (rows.length) yield rows;
    if (rows.length < CHAIN_PAGE) return;
    afterSeq = rows[rows.length - 1]!.seq;
  }
}

/**
 * Deletes the rows of `table` that `where` matches (`$1` is the batch size, its own parameters
 * follow from `$2`), `batch` at a time, and returns how many. Each batch locks only its own rows
 * and skips rows another has locked, so a prune never holds many locks at once and two workers
 * may run it side by side.
 */
export const deleteInBatches = async (db: Db, table: string, where: string, params: unknown[], batch: number): Promise<number> => {
  let deleted = 0;
  for (;;) {
    const [{ n }] = (await db.query(
      `WITH gone AS (
         DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT $1 FOR UPDATE SKIP LOCKED))
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [batch, ...params],
    )) as Array<{ n: number }>;
    deleted += n!;
    if (n! < batch) return deleted;
  }
};

/** Rows changed by an UPDATE/DELETE through TypeORM's postgres driver (`[rows, count]`). */
export const affected = (result: unknown): number =>
  Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;

/** Every Postgres advisory lock key Clearance takes, in one place so two never collide. */
export const ADVISORY_LOCKS = {
  migrations: 724_113_001n,
  adminBootstrap: 724_113_002n,
  /** "registry" in ASCII. */
  registryCheckpoint: 0x7265676973747279n,
  /** "tlogcpnt" in ASCII: signing a transparency-log checkpoint. */
  registryLogCheckpoint: 0x746c6f6763706e74n,
} as const;

/**
 * The first key of the two-key advisory locks that claim Idempotency-Keys ("idmp" in ASCII);
 * two-key locks are a space apart from the one-key locks above, so they cannot collide with them.
 */
export const IDEMPOTENCY_LOCK_SPACE = 0x69646d70;

/** The first key of the two-key locks that count an organisation's webhooks ("whks" in ASCII). */
export const WEBHOOK_LOCK_SPACE = 0x77686b73;

/** The first key of the two-key locks that count a user's live tokens ("toks" in ASCII). */
export const TOKEN_LOCK_SPACE = 0x746f6b73;

/** The first key of the two-key locks that count an organisation's evidence ("evid" in ASCII). */
export const EVIDENCE_LOCK_SPACE = 0x65766964;

/** Takes a transaction-scoped advisory lock (released at commit or rollback). */
export const advisoryXactLock = async (db: Db, key: bigint): Promise<void> => {
  await db.query(`SELECT pg_advisory_xact_lock($1)`, [key.toString()]);
};

/** Whether Postgres answers; rejects otherwise. */
export const pingDatabase = async (db: Db): Promise<void> => {
  await db.query('SELECT 1');
};
