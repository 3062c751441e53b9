import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HistoryItem } from '@app/integrity';
import { chainPages, type Db } from '../sql.util.js';

const COLUMNS = `seq, type, actor, from_state AS "fromState", to_state AS "toState", at, payload, prev_hash AS "prevHash", hash`;

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

  /** Every row ascending by seq, in pages (read them in one snapshot to see one moment). */
  pages(caseId: string, db: Db = this.dataSource): AsyncGenerator<HistoryItem[]> {
    return chainPages((afterSeq, limit) => this.page(caseId, afterSeq, limit, db));
  }
}
