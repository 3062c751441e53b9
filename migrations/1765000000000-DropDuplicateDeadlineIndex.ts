import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently, type IndexDefinition } from './concurrent-indexes.js';

/**
 * `deadlines_due_idx (due_at)` has the predicate of `deadlines_running_due_idx (due_at, case_id)`
 * (migration ScaleReads), which answers every query it did: one index fewer to write on every
 * deadline opened, paused or closed. Outside a transaction, so that neither the drop nor a down's
 * rebuild blocks the writes.
 */
const INDEXES: IndexDefinition[] = [['deadlines_due_idx', `deadlines (due_at) WHERE closed_at IS NULL AND paused_at IS NULL`]];

export class DropDuplicateDeadlineIndex1765000000000 implements MigrationInterface {
  name = 'DropDuplicateDeadlineIndex1765000000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, INDEXES);
  }
}
