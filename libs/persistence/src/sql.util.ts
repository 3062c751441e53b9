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
 * The first keys of the two-key advisory locks, one space per purpose (ASCII of its name); the
 * second key is a hash of what is locked. Two-key locks are a space apart from the one-key locks
 * above, so they cannot collide with them.
 */
export const ADVISORY_LOCK_SPACES = {
  /** "idmp": claiming an Idempotency-Key. */
  idempotency: 0x69646d70,
  /** "whks": counting an organisation's webhooks. */
  webhooks: 0x77686b73,
  /** "toks": counting a user's live tokens. */
  tokens: 0x746f6b73,
  /** "evid": counting an organisation's evidence. */
  evidence: 0x65766964,
} as const;

/** Takes a transaction-scoped advisory lock (released at commit or rollback). */
export const advisoryXactLock = async (db: Db, key: bigint): Promise<void> => {
  await db.query(`SELECT pg_advisory_xact_lock($1)`, [key.toString()]);
};

/**
 * Takes a transaction-scoped two-key advisory lock on `key` in `space`: what a count-then-insert
 * holds so that concurrent ones for the same key count one after the other. A null key (a user
 * without an organisation) is one key of its own.
 */
export const advisoryXactLockIn = async (db: Db, space: number, key: string | null): Promise<void> => {
  await db.query(`SELECT pg_advisory_xact_lock($1, hashtext(COALESCE($2::text, '')))`, [space, key]);
};

/** Whether Postgres answers; rejects otherwise. */
export const pingDatabase = async (db: Db): Promise<void> => {
  await db.query('SELECT 1');
};
