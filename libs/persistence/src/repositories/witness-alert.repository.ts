import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

/** An alert the witness raised (witness.alerts: the app role may only read it). */
export interface WitnessAlertRow {
  id: string;
  origin: string;
  kind: string;
  detail: string;
  cosignedSize: string;
  cosignedCheckpoint: string | null;
  submittedOldSize: string;
  submittedCheckpoint: string;
  submittedProof: string[];
  firstSeenAt: Date;
  lastSeenAt: Date;
  occurrences: number;
}

const COLUMNS = `id, origin, kind, detail, cosigned_size::text AS "cosignedSize", cosigned_checkpoint AS "cosignedCheckpoint",
  submitted_old_size::text AS "submittedOldSize", submitted_checkpoint AS "submittedCheckpoint", submitted_proof AS "submittedProof",
  first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", occurrences`;

/** Reads the witness's alerts for regulators (GET /v1/witness-alerts); the witness alone writes them. */
@Injectable()
export class WitnessAlertRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Newest first by first sighting, keyset after (first_seen_at, id). */
  async page(after: [string, string] | null, limit: number, db: Db = this.dataSource): Promise<Array<WitnessAlertRow & { sortKey: string }>> {
    return db.query(
      `SELECT ${COLUMNS}, first_seen_at::text AS "sortKey" FROM witness.alerts
        WHERE $1::timestamptz IS NULL OR (first_seen_at, id) < ($1::timestamptz, $2::uuid)
        ORDER BY first_seen_at DESC, id DESC LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /** Alerts no regulator was told of yet, oldest first. */
  async unnoticed(limit: number, db: Db = this.dataSource): Promise<Array<Pick<WitnessAlertRow, 'id' | 'origin' | 'kind' | 'detail'>>> {
    return db.query(
      `SELECT a.id, a.origin, a.kind, a.detail FROM witness.alerts a
        WHERE NOT EXISTS (SELECT 1 FROM witness_alert_notices n WHERE n.alert_id = a.id)
        ORDER BY a.first_seen_at, a.id LIMIT $1`,
      [limit],
    );
  }

  /**
   * Puts a WITNESS_ALERT notice in every regulator's inbox, once per alert: one statement marks the
   * alert noticed and writes the notices, so two workers racing write them once.
   * Returns how many notices were written (0 when the alert was noticed already).
   */
  async noticeToRegulators(alertId: string, reason: string, db: Db = this.dataSource): Promise<number> {
    const rows: unknown[] = await db.query(
      `WITH marked AS (
         INSERT INTO witness_alert_notices (alert_id, recipients)
         SELECT $1, count(*) FROM users WHERE role = 'regulator'
         ON CONFLICT (alert_id) DO NOTHING RETURNING alert_id)
       INSERT INTO notifications (user_id, case_id, seq, event_type, to_state, reason)
       SELECT u.id, NULL, NULL, 'WITNESS_ALERT', NULL, $2 FROM users u, marked WHERE u.role = 'regulator'
       RETURNING id`,
      [alertId, reason],
    );
    return rows.length;
  }
}
