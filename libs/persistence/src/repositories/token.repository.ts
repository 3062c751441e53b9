import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCK_SPACES, advisoryXactLockIn, affected, type Db } from '../sql.util.js';

/** A token as its holder and admins see it: never the secret or its hash. */
export interface TokenRow {
  id: string;
  userId: string;
  label: string | null;
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = `id, user_id AS "userId", label, created_at AS "createdAt", created_by AS "createdBy", expires_at AS "expiresAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

@Injectable()
export class TokenRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Stores a token's hash; `expiresAt` null takes `now() + ttlDays` by the Postgres clock. */
  async create(
    input: { userId: string; tokenHash: string; label?: string | null; createdBy: string | null; expiresAt: string | null; ttlDays: number; bootstrap?: boolean },
    db: Db = this.dataSource,
  ): Promise<{ id: string; expiresAt: Date }> {
    const [row] = await db.query(
      `INSERT INTO api_tokens (user_id, token_hash, label, created_by, expires_at, bootstrap)
       VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, date_trunc('milliseconds', now()) + make_interval(days => $6)), $7)
       RETURNING id, expires_at AS "expiresAt"`,
      [input.userId, input.tokenHash, input.label ?? null, input.createdBy, input.expiresAt, input.ttlDays, input.bootstrap ?? false],
    );
    return row;
  }

  /**
   * `create`, unless the user already holds `limit` live tokens (neither revoked nor expired):
   * then null and nothing stored. Run in a transaction: the lock makes one user's issuances count
   * one after the other, so concurrent ones cannot both take the last place.
   */
  async createWithinLimit(input: Parameters<TokenRepository['create']>[0], limit: number, db: Db): Promise<{ id: string; expiresAt: Date } | null> {
    await advisoryXactLockIn(db, ADVISORY_LOCK_SPACES.tokens, input.userId);
    const [{ live }] = await db.query(`SELECT count(*)::int AS live FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()`, [input.userId]);
    return live < limit ? this.create(input, db) : null;
  }

  /** True when an unrevoked token was revoked now. */
  async revoke(id: string, db: Db = this.dataSource): Promise<boolean> {
    const result = await db.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return affected(result) === 1;
  }

  async exists(id: string, db: Db = this.dataSource): Promise<boolean> {
    const rows = await db.query(`SELECT 1 FROM api_tokens WHERE id = $1`, [id]);
    return rows.length === 1;
  }

  async findById(id: string, db: Db = this.dataSource): Promise<TokenRow | null> {
    const [row] = await db.query(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** A user's tokens, newest first, after the keyset (createdAt text, id). */
  async pageOfUser(userId: string, after: [string, string] | null, limit: number, db: Db = this.dataSource): Promise<Array<TokenRow & { sortKey: string }>> {
    return db.query(
      `SELECT ${COLUMNS}, created_at::text AS "sortKey" FROM api_tokens
        WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [userId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /** The bootstrap token row holding this hash, if any (revoked or not). */
  async findByHash(tokenHash: string, db: Db = this.dataSource): Promise<(TokenRow & { bootstrap: boolean }) | null> {
    const [row] = await db.query(`SELECT ${COLUMNS}, bootstrap FROM api_tokens WHERE token_hash = $1`, [tokenHash]);
    return row ?? null;
  }

  /** Revokes every live bootstrap token; returns their ids and the user who held the newest. */
  async revokeBootstrap(db: Db): Promise<{ ids: string[]; userId: string | null }> {
    // An UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver.
    const [rows] = (await db.query(`UPDATE api_tokens SET revoked_at = now() WHERE bootstrap AND revoked_at IS NULL RETURNING id`)) as [Array<{ id: string }>, number];
    const [lastHolder] = await db.query(`SELECT user_id AS "userId" FROM api_tokens WHERE bootstrap ORDER BY created_at DESC, id DESC LIMIT 1`);
    return { ids: rows.map((r) => r.id).sort(), userId: lastHolder?.userId ?? null };
  }

  /**
   * Records a use after a 2xx answer, at most once a minute per token: a live token only,
   * so a token revoked or expired during the request is never marked. Returns the token's
   * `last_used_at` after the statement (set now, or the earlier use that made it wait).
   */
  async touch(tokenHash: string, db: Db = this.dataSource): Promise<Date | null> {
    const [row] = await db.query(
      `WITH touched AS (
         UPDATE api_tokens SET last_used_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
            AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
         RETURNING last_used_at)
       SELECT COALESCE((SELECT last_used_at FROM touched), (SELECT last_used_at FROM api_tokens WHERE token_hash = $1)) AS "lastUsedAt"`,
      [tokenHash],
    );
    return row?.lastUsedAt ?? null;
  }
}
