import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

/** A case's order to withhold a field of its future public records. */
export interface CaseRedactionRow {
  path: string;
  reason: string;
  seq: number;
}

/** The opening of one value a published record withheld. */
export interface WithheldValueRow {
  recordId: string;
  path: string;
  reason: string;
  salt: string;
  value: unknown;
}

/** Redactions of public records: a case's orders, and the salts and values each record withheld. */
@Injectable()
export class RedactionRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Records the order written as history row `seq`; false when the case already withholds `path`. */
  async insert(order: { caseId: string; path: string; reason: string; seq: number; addedBy: string; at: string }, db: Db): Promise<boolean> {
    const rows = await db.query(
      `INSERT INTO case_redactions (case_id, path, reason, seq, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (case_id, path) DO NOTHING RETURNING id`,
      [order.caseId, order.path, order.reason, order.seq, order.addedBy, order.at],
    );
    return rows.length === 1;
  }

  /** Every value the case's records withheld, in publication order, then as each record lists them. */
  async withheldOfCase(caseId: string, db: Db = this.dataSource): Promise<WithheldValueRow[]> {
    return db.query(
      `SELECT w.record_id AS "recordId", w.path, w.reason, w.salt, w.value
         FROM registry_withheld_values w JOIN registry_records r ON r.id = w.record_id
        WHERE r.case_id = $1
        ORDER BY r.published_at, r.id, w.position`,
      [caseId],
    );
  }
}
