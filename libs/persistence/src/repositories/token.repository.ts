import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affected, type Db } from '../sql.util.js';

@Injectable()
export class TokenRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(userId: string, tokenHash: string, db: Db = this.dataSource): Promise<{ id: string }> {
    const [row] = await db.query(`INSERT INTO api_tokens (user_id, token_hash) VALUES ($1, $2) RETURNING id`, [
      userId,
      tokenHash,
    ]);
    return row;
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
}
