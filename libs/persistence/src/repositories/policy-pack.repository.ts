import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PolicyPack } from '@app/policy';
import type { Db } from '../sql.util.js';

const versionKey = (version: string): number[] => version.split('.').map(Number);

@Injectable()
export class PolicyPackRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Publishes a version; false when that id@version already exists (published packs are immutable). */
  async publish(pack: PolicyPack, db: Db = this.dataSource): Promise<boolean> {
    const rows = await db.query(
      `INSERT INTO policy_packs (id, version, version_key, document) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id, version) DO NOTHING RETURNING id`,
      [pack.id, pack.version, versionKey(pack.version), pack],
    );
    return rows.length === 1;
  }

  async find(id: string, version: string, db: Db = this.dataSource): Promise<PolicyPack | null> {
    const [row] = await db.query(`SELECT document FROM policy_packs WHERE id = $1 AND version = $2`, [id, version]);
    return row?.document ?? null;
  }

  async list(db: Db = this.dataSource): Promise<Array<{ id: string; version: string; title: string; publishedAt: Date }>> {
    return db.query(
      `SELECT id, version, document->>'title' AS title, published_at AS "publishedAt" FROM policy_packs ORDER BY id, version_key`,
    );
  }
}
