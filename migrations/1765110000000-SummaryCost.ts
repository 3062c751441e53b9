import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a summary's last computation cost, kept beside it: the pace of its refreshes then holds
 * across api restarts and replicas, and for the statistics windows stored alongside the one that
 * was refreshed (each was due again a minute later, recomputing all four: ~53 s of Postgres at a
 * million cases, almost without pause).
 */
export class SummaryCost1765110000000 implements MigrationInterface {
  name = 'SummaryCost1765110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE read_summaries ADD COLUMN IF NOT EXISTS cost_ms double precision NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE read_summaries DROP COLUMN IF EXISTS cost_ms`);
  }
}
