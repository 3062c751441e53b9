import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently, type IndexDefinition } from './concurrent-indexes.js';

/**
 * What the reads need at a million cases (docs/benchmarks.md, "A million cases"): an index for
 * each list the planner otherwise sorts in full, and the table of periodically refreshed read
 * summaries (queue counts, statistics) that replicas share.
 *
 * Outside a transaction so that each index is built CONCURRENTLY: on a large table the build
 * takes seconds to minutes and must not block the writes meanwhile. A build that failed half
 * way leaves an invalid index of the same name; it is dropped and built again.
 */
const INDEXES: IndexDefinition[] = [
  // GET /v1/cases?state=… newest first: the state's cases in order, not all of them sorted.
  ['cases_state_created_idx', `cases (state, created_at DESC, id DESC)`],
  // Lists by next deadline and the overdue queue walk running deadlines in due order (CaseQueryRepository).
  ['deadlines_running_due_idx', `deadlines (due_at, case_id) WHERE closed_at IS NULL AND paused_at IS NULL`],
];

export class ScaleReads1764900000000 implements MigrationInterface {
  name = 'ScaleReads1764900000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, INDEXES);
    await q.query(`
      CREATE TABLE IF NOT EXISTS read_summaries (
        key text PRIMARY KEY,
        body jsonb NOT NULL,
        computed_at timestamptz NOT NULL,
        refreshing_since timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS read_summaries`);
    await dropIndexesConcurrently(q, INDEXES);
  }
}
