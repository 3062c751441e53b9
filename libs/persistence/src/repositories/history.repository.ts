import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HistoryItem } from '@app/integrity';
import type { Db } from '../sql.util.js';

const COLUMNS = `seq, type, actor, from_state AS "fromState", to_state AS "toState", at, payload, prev_hash AS "prevHash", hash`;

/** The INSERT of one history row, its parameters numbered from `$first` (also run inside CaseRepository.saveStep). */
export const appendEventSql = (caseId: string, item: HistoryItem, first: number): { sql: string; values: unknown[] } => ({
  sql: `INSERT INTO case_events (case_id, seq, type, actor, from_state, to_state, at, payload, prev_hash, hash)
       VALUES (${Array.from({ length: 10 }, (_, i) => `$${first + i}`).join(', ')})`,
  values: [
    caseId,
    item.seq,
    item.type,
    JSON.stringify(item.actor),
    item.fromState,
    item.toState,
    item.at,
    JSON.stringify(item.payload),
    item.prevHash,
    item.hash,
  ],
});

const toItem = (row: HistoryItem & { at: Date | string }): HistoryItem => ({ ...row, at: new Date(row.at).toISOString() });

@Injectable()
export class HistoryRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** A page ascending by seq, after `afterSeq`. */
  async page(caseId: string, afterSeq: number, limit: number, db: Db = this.dataSource): Promise<HistoryItem[]> {
    const rows = await db.query(
      `SELECT ${COLUMNS} FROM case_events WHERE case_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [caseId, afterSeq, limit],
    );
    return rows.map(toItem);
  }

  async all(caseId: string, db: Db = this.dataSource): Promise<HistoryItem[]> {
    const rows = await db.query(`SELECT ${COLUMNS} FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId]);
    return rows.map(toItem);
  }
}
