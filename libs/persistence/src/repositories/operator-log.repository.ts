import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChainHead, ChainItem } from '@app/integrity';
import { chainPages, type Db } from '../sql.util.js';

const COLUMNS = `seq, type, actor, NULL AS "fromState", NULL AS "toState", at, payload, prev_hash AS "prevHash", hash`;

const toItem = (row: ChainItem & { at: Date | string }): ChainItem => ({ ...row, at: new Date(row.at).toISOString() });

/** The operator log (append-only by trigger) and its one head row. */
@Injectable()
export class OperatorLogRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The head, locked until the transaction ends: appends are serialised on this row. */
  async lockHead(db: Db): Promise<ChainHead> {
    const [row] = await db.query(`SELECT last_seq AS "lastSeq", head_hash AS "headHash" FROM operator_log_head WHERE id FOR UPDATE`);
    return row;
  }

  async head(db: Db = this.dataSource): Promise<ChainHead> {
    const [row] = await db.query(`SELECT last_seq AS "lastSeq", head_hash AS "headHash" FROM operator_log_head WHERE id`);
    return row;
  }

  /** Inserts the row and moves the head; call after lockHead in the same transaction. */
  async append(item: ChainItem, db: Db): Promise<void> {
    await db.query(
      `INSERT INTO operator_log (seq, type, actor, at, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [item.seq, item.type, JSON.stringify(item.actor), item.at, JSON.stringify(item.payload), item.prevHash, item.hash],
    );
    await db.query(`UPDATE operator_log_head SET last_seq = $1, head_hash = $2 WHERE id`, [item.seq, item.hash]);
  }

  /** A page ascending by seq, after `afterSeq`. */
  async page(afterSeq: number, limit: number, db: Db = this.dataSource): Promise<ChainItem[]> {
    const rows = await db.query(`SELECT ${COLUMNS} FROM operator_log WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
    return rows.map(toItem);
  }

  /** Every row ascending by seq, in pages (read them in one snapshot with the head to see one moment). */
  pages(db: Db = this.dataSource): AsyncGenerator<ChainItem[]> {
    return chainPages((afterSeq, limit) => this.page(afterSeq, limit, db));
  }
}
