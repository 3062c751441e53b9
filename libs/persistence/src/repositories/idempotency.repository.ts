import { Injectable } from '@nestjs/common';
import { ADVISORY_LOCK_SPACES, deleteInBatches, type Db } from '../sql.util.js';

export interface IdempotencyScope {
  userId: string;
  method: string;
  path: string;
  key: string;
}

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
  etag: string | null;
}

/** What claiming a key inside the write's transaction found. */
export type IdempotencyClaim =
  /** Another transaction holds the key: its request is still running. */
  | { kind: 'busy' }
  /** A first 2xx answer is stored (within 24 hours). */
  | { kind: 'stored'; stored: StoredResponse }
  /** The key is this transaction's until it commits or rolls back. */
  | { kind: 'claimed' };

const SCOPE = `user_id = $1 AND method = $2 AND path = $3 AND key = $4`;

/** SPEC.md: a key is kept 24 hours. A claim ignores an older row; a prune deletes it. */
export const IDEMPOTENCY_RETENTION = `interval '24 hours'`;

/**
 * Idempotency-Keys are claimed with a transaction-scoped advisory lock in the write's own
 * transaction, and the answer is stored in that transaction: a claim dies with the request
 * that made it (commit, rollback, or the api process's connection closing when it dies).
 */
@Injectable()
export class IdempotencyRepository {
  /** Claims the key for this transaction; what is stored, or that another request holds it. */
  async claim(scope: IdempotencyScope, db: Db): Promise<IdempotencyClaim> {
    // 32 bits of hash: two different keys claimed at the same instant may share a lock, and the
    // second then answers 409 in-progress once, which a retry resolves.
    const [lock] = await db.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS claimed`, [
      ADVISORY_LOCK_SPACES.idempotency,
      [scope.userId, scope.method, scope.path, scope.key].join('\n'),
    ]);
    if (!lock.claimed) return { kind: 'busy' };
    // A separate statement, so its snapshot is taken after the lock: a request that held the key
    // and committed is seen. Kept 24 hours; rows without a status are claims of an older release.
    const [stored] = await db.query(
      `SELECT request_hash AS "requestHash", status, body, etag FROM idempotency_keys
        WHERE ${SCOPE} AND status IS NOT NULL AND created_at >= now() - ${IDEMPOTENCY_RETENTION}`,
      [scope.userId, scope.method, scope.path, scope.key],
    );
    return stored ? { kind: 'stored', stored } : { kind: 'claimed' };
  }

  /** Stores the first 2xx response in the write's transaction, replacing an expired or abandoned row. */
  async store(scope: IdempotencyScope, requestHash: string, response: Omit<StoredResponse, 'requestHash'>, db: Db): Promise<void> {
    await db.query(
      `INSERT INTO idempotency_keys (user_id, method, path, key, request_hash, status, body, etag) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (user_id, method, path, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, body = EXCLUDED.body, etag = EXCLUDED.etag, created_at = now()`,
      [scope.userId, scope.method, scope.path, scope.key, requestHash, response.status, JSON.stringify(response.body), response.etag],
    );
  }

  /**
   * Deletes keys past their 24 hours, `batch` at a time, and returns how many. A claim already
   * ignores them; without this every keyed write's stored answer (up to a whole case view) stayed
   * for ever. No index on `created_at`: each batch reads the table, which holds a day of keys once
   * pruned, so it runs rarely (hourly, in the worker).
   */
  async prune(db: Db, batch = 5000): Promise<number> {
    return deleteInBatches(db, 'idempotency_keys', `created_at < now() - ${IDEMPOTENCY_RETENTION}`, [], batch);
  }
}
