import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropAppendOnly, makeAppendOnly } from '@app/persistence';

/**
 * The log side of the witness (SPEC "The public registry as a transparency log"): every
 * cosignature a witness returned for a checkpoint the log signed, served with that checkpoint;
 * and which witness alerts regulators were told of (one inbox notice per regulator per alert).
 * Both append-only. Never edited once committed: add a new migration instead.
 */
export class WitnessCosignatures1764840000000 implements MigrationInterface {
  name = 'WitnessCosignatures1764840000000';

  async up(q: QueryRunner): Promise<void> {
    // One cosignature per witness key and checkpoint; `line` is the signed-note line as the witness sent it.
    await q.query(`
      CREATE TABLE registry_log_cosignatures (
        size bigint NOT NULL REFERENCES registry_log_checkpoints (size),
        verifier_key text NOT NULL,
        line text NOT NULL CHECK (line LIKE '— %' AND right(line, 1) = E'\\n'),
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (size, verifier_key)
      )`);
    await makeAppendOnly(q, 'registry_log_cosignatures');
    // No foreign key into the witness schema: the witness may be dropped or run elsewhere.
    await q.query(`
      CREATE TABLE witness_alert_notices (
        alert_id uuid PRIMARY KEY,
        notified_at timestamptz NOT NULL DEFAULT now(),
        recipients int NOT NULL
      )`);
    await makeAppendOnly(q, 'witness_alert_notices');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE event_type = 'WITNESS_ALERT'`);
    for (const table of ['witness_alert_notices', 'registry_log_cosignatures']) {
      await dropAppendOnly(q, table);
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
