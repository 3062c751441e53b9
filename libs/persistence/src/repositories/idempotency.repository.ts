import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

export interface IdempotencyScope {
  userId: string;
  method: string;
  path: string;
  key: string;
}

export interface StoredResponse {
  requestHash: string;
  status: number | null;
  body: unknown;
  etag: string | null;
}

@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Claims the key for a first request; null when claimed, else what is stored (expired keys are reclaimed). */
  async claim(scope: IdempotencyScope, requestHash: string, db: Db = this.dataSource): Promise<StoredResponse | null> {
    // Kept 24 hours; a claim whose request died mid-flight (no response after 5 minutes) is abandoned.
    await db.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND method = $2 AND path = $3 AND key = $4
          AND (created_at < now() - interval '24 hours' OR (status IS NULL AND created_at < now() - interval '5 minutes'))`,
      [scope.userId, scope.method, scope.path, scope.key],
    );
    const inserted = await db.query(
      `INSERT INTO idempotency_keys (user_id, method, path, key, request_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING key`,
      [scope.userId, scope.method, scope.path, scope.key, requestHash],
    );
    if (inserted.length === 1) return null;
    const [row] = await db.query(
      `SELECT request_hash AS "requestHash", status, body, etag FROM idempotency_keys
        WHERE user_id = $1 AND method = $2 AND path = $3 AND key = $4`,
      [scope.userId, scope.method, scope.path, scope.key],
    );
    return row ?? { requestHash, status: null, body: null, etag: null };
  }

  /** Stores the first 2xx response; runs in the write's own transaction. */
  async complete(scope: IdempotencyScope, status: number, body: unknown, etag: string | null, db: Db): Promise<void> {
    await db.query(
      `UPDATE idempotency_keys SET status = $5, body = $6, etag = $7
        WHERE user_id = $1 AND method = $2 AND path = $3 AND key = $4`,
      [scope.userId, scope.method, scope.path, scope.key, status, JSON.stringify(body), etag],
    );
  }

  /** Frees the key after a refusal: refusals are not stored. */
  async release(scope: IdempotencyScope, db: Db = this.dataSource): Promise<void> {
    await db.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND method = $2 AND path = $3 AND key = $4 AND status IS NULL`,
      [scope.userId, scope.method, scope.path, scope.key],
    );
  }
}
