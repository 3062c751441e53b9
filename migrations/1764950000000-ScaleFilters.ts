import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * More of what the case lists need at a million cases (docs/scaling.md, "A million cases"): an
 * index per filter that the lists otherwise meet only while walking another index, reading heap
 * rows to test it. Built CONCURRENTLY outside a transaction, as ScaleReads does, so that writes
 * go on meanwhile; an invalid index left by a failed build is dropped and built again.
 */
const INDEXES: Array<[name: string, definition: string]> = [
  // GET /v1/cases?tier=… newest first (with or without overdue): the tier's cases in order, index-only.
  ['cases_tier_created_idx', `cases (tier, created_at DESC, id DESC)`],
];

export class ScaleFilters1764950000000 implements MigrationInterface {
  name = 'ScaleFilters1764950000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) {
      const [invalid] = await q.query(
        `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND NOT i.indisvalid`,
        [name],
      );
      if (invalid) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${definition}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  }
}
