import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

/** The cursor-signing key kept in Postgres when CURSOR_KEY is not configured. */
@Injectable()
export class CursorKeyRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * The stored key, storing `candidate` first if there is none. Race-safe across replicas: a
   * concurrent insert waits for the first, does nothing, and both read the one committed row.
   */
  async getOrCreate(candidate: Buffer, db: Db = this.dataSource): Promise<Buffer> {
    await db.query(`INSERT INTO cursor_keys (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [candidate]);
    const [row] = (await db.query(`SELECT secret FROM cursor_keys WHERE id = 1`)) as Array<{ secret: Buffer }>;
    if (!row) throw new Error('cursor_keys holds no key after inserting one');
    return row.secret;
  }
}
