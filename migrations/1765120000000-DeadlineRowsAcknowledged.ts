import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deadline's outbox row is acknowledged when the relay claims it (OutboxRepository.claim). Rows
 * sent before this release waited, unacknowledged, for their jobs to run when due; every claim
 * walked them. Their jobs are in Redis (or the sweep fires them): marked processed as sent.
 */
export class DeadlineRowsAcknowledged1765120000000 implements MigrationInterface {
  name = 'DeadlineRowsAcknowledged1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE outbox SET processed_at = sent_at WHERE kind = 'deadline' AND sent_at IS NOT NULL AND processed_at IS NULL`);
  }

  async down(): Promise<void> {
    // Nothing to undo: an older relay never sends a deadline's row again, acknowledged or not.
  }
}
