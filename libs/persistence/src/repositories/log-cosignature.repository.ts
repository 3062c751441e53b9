import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

/** A witness's cosignature of one checkpoint: its verifier key and the signed-note line it returned. */
export interface LogCosignatureRow {
  verifierKey: string;
  line: string;
}

/** The cosignatures the registry log received from its witnesses (append-only). */
@Injectable()
export class LogCosignatureRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Keeps a witness's cosignature of the checkpoint of `size`; a second one of the same key is ignored. */
  async insert(size: number, cosignature: LogCosignatureRow, db: Db = this.dataSource): Promise<void> {
    await db.query(`INSERT INTO registry_log_cosignatures (size, verifier_key, line) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      size,
      cosignature.verifierKey,
      cosignature.line,
    ]);
  }

  /** The cosignatures of the checkpoint of `size`, in the order they arrived. */
  async ofCheckpoint(size: number, db: Db = this.dataSource): Promise<LogCosignatureRow[]> {
    return db.query(
      `SELECT verifier_key AS "verifierKey", line FROM registry_log_cosignatures WHERE size = $1 ORDER BY received_at, verifier_key`,
      [size],
    );
  }

  /** The witness keys on the newest checkpoint that has any cosignature. */
  async latestWitnessKeys(db: Db = this.dataSource): Promise<string[]> {
    const rows: Array<{ verifierKey: string }> = await db.query(
      `SELECT verifier_key AS "verifierKey" FROM registry_log_cosignatures
        WHERE size = (SELECT max(size) FROM registry_log_cosignatures) ORDER BY received_at, verifier_key`,
    );
    return rows.map((row) => row.verifierKey);
  }
}
