import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Jobs acknowledge their outbox row, so the relay can send again what a lost Redis never ran. */
export class OutboxAcknowledgement1764500000000 implements MigrationInterface {
  name = 'OutboxAcknowledgement1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN processed_at timestamptz`);
    // Rows sent before this migration were run or are deadlines the sweep covers.
    await q.query(`UPDATE outbox SET processed_at = sent_at WHERE sent_at IS NOT NULL`);
    await q.query(`CREATE INDEX outbox_unacknowledged_idx ON outbox (sent_at) WHERE processed_at IS NULL AND sent_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_unacknowledged_idx`);
    await q.query(`ALTER TABLE outbox DROP COLUMN IF EXISTS processed_at`);
  }
}
