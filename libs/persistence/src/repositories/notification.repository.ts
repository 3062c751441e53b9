import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affected, type Db } from '../sql.util.js';

export interface NotificationRow {
  id: string;
  /** Null for a notice about the account itself (TOKEN_ISSUED), with `seq` and `toState`. */
  caseId: string | null;
  seq: number | null;
  eventType: string;
  toState: string | null;
  reason: string;
  createdAt: Date;
  readAt: Date | null;
}

const COLUMNS = `id, case_id AS "caseId", seq, event_type AS "eventType", to_state AS "toState", reason,
  created_at AS "createdAt", read_at AS "readAt"`;

@Injectable()
export class NotificationRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** One row per (user, case, seq): a fan-out that runs twice adds nothing. */
  async addMany(
    rows: Array<{ userId: string; caseId: string; seq: number; eventType: string; toState: string; reason: string }>,
    db: Db = this.dataSource,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await db.query(
      `INSERT INTO notifications (user_id, case_id, seq, event_type, to_state, reason)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (user_id, case_id, seq) DO NOTHING RETURNING id`,
      [
        rows.map((r) => r.userId),
        rows.map((r) => r.caseId),
        rows.map((r) => r.seq),
        rows.map((r) => r.eventType),
        rows.map((r) => r.toState),
        rows.map((r) => r.reason),
      ],
    );
    return inserted.length;
  }

  /** An inbox item that concerns no case (an account notice such as TOKEN_ISSUED). */
  async addAccountNotice(input: { userId: string; eventType: string; reason: string }, db: Db = this.dataSource): Promise<void> {
    await db.query(`INSERT INTO notifications (user_id, case_id, seq, event_type, to_state, reason) VALUES ($1, NULL, NULL, $2, NULL, $3)`, [
      input.userId,
      input.eventType,
      input.reason,
    ]);
  }

  /** A page of the user's inbox, newest first; unread only from an index of unread items alone. */
  async page(userId: string, after: [string, string] | null, limit: number, unreadOnly: boolean, db: Db = this.dataSource): Promise<Array<NotificationRow & { sortKey: string }>> {
    return db.query(
      `SELECT ${COLUMNS}, created_at::text AS "sortKey" FROM notifications
        WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
          ${unreadOnly ? 'AND read_at IS NULL' : ''}
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [userId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /** Marks the user's own notification read; false when it is not theirs. */
  async markRead(userId: string, id: string, db: Db = this.dataSource): Promise<NotificationRow | null> {
    const result = await db.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId],
    );
    return affected(result) === 1 ? result[0][0] : null;
  }
}
