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
}
