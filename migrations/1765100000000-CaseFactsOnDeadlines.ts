import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexesConcurrently, type IndexDefinition } from './concurrent-indexes.js';

/**
 * A case's creation time and developer organisation never change, so the rows that lists walk
 * instead of cases (running deadlines, assignments) carry a copy of them. Then one index walk meets
 * only the rows a list keeps (docs/benchmarks.md, "The million cases, round 3"): an organisation's
 * running deadlines in due order, the overdue cases newest first, an auditor's cases newest first.
 *
 * Outside a transaction, so that neither the backfill nor the index builds block the writes for
 * long. The NOT VALID checks are added first: from then on a writer that leaves a copy out fails
 * (an older process still running) instead of writing a row the lists would miss. The backfill
 * goes in batches; VALIDATE scans without blocking writes, and SET NOT NULL uses the checks.
 */
const INDEXES: IndexDefinition[] = [
  // An organisation's running deadlines in due order (a developer's list by deadline) and its overdue
  // ones with their cases' creation (a developer's overdue list).
  [
    'deadlines_org_running_due_idx',
    `deadlines (developer_organisation_id, due_at, case_id) INCLUDE (case_created_at) WHERE closed_at IS NULL AND paused_at IS NULL`,
  ],
  // Every running deadline in due order. With the id, a walk by deadline that tests each case against
  // a set (an auditor's) reads no row it drops; with the case's creation, an auditor's overdue ones are
  // sorted without reading a row.
  [
    'deadlines_running_due_created_idx',
    `deadlines (due_at, case_id) INCLUDE (case_created_at, id) WHERE closed_at IS NULL AND paused_at IS NULL`,
  ],
  // The overdue list newest first: the fired running deadlines in their case's creation order, and
  // the few that came due and are not fired yet.
  [
    'deadlines_fired_created_idx',
    `deadlines (case_created_at DESC, case_id DESC) INCLUDE (due_at) WHERE closed_at IS NULL AND paused_at IS NULL AND fired_at IS NOT NULL`,
  ],
  [
    'deadlines_unfired_due_idx',
    `deadlines (due_at) INCLUDE (case_id, case_created_at) WHERE closed_at IS NULL AND paused_at IS NULL AND fired_at IS NULL`,
  ],
  // An auditor's cases newest first.
  ['assignments_auditor_created_idx', `assignments (auditor_id, case_created_at DESC, case_id DESC)`],
];
/** Replaced by deadlines_running_due_created_idx, which has its keys. */
const REPLACED: IndexDefinition[] = [['deadlines_running_due_idx', `deadlines (due_at, case_id) WHERE closed_at IS NULL AND paused_at IS NULL`]];

const COPIES = [
  { table: 'deadlines', columns: { case_created_at: 'timestamptz', developer_organisation_id: 'uuid' } },
  { table: 'assignments', columns: { case_created_at: 'timestamptz' } },
] as const;

const BATCH = 20_000;

export class CaseFactsOnDeadlines1765100000000 implements MigrationInterface {
  name = 'CaseFactsOnDeadlines1765100000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    for (const { table, columns } of COPIES) {
      for (const [column, type] of Object.entries(columns)) {
        await q.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} ${type}`);
        await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_${column}_set`);
        await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_set CHECK (${column} IS NOT NULL) NOT VALID`);
      }
      const names = Object.keys(columns);
      const sets = names.map((column) => `${column} = c.${column === 'case_created_at' ? 'created_at' : column}`).join(', ');
      for (;;) {
        const [, updated] = (await q.query(
          `UPDATE ${table} t SET ${sets} FROM cases c
            WHERE c.id = t.case_id AND t.id IN (SELECT id FROM ${table} WHERE ${names.map((n) => `${n} IS NULL`).join(' OR ')} LIMIT ${BATCH})`,
        )) as [unknown, number];
        if (updated === 0) break;
      }
      for (const column of names) {
        await q.query(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${table}_${column}_set`);
        await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`);
        await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_${column}_set`);
      }
    }
    await createIndexesConcurrently(q, INDEXES);
    await dropIndexesConcurrently(q, REPLACED);
    // The planner's statistics for the new columns, which the lists' plans depend on.
    await q.query(`ANALYZE deadlines, assignments`);
  }

  async down(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, REPLACED);
    await dropIndexesConcurrently(q, INDEXES);
    for (const { table, columns } of COPIES) {
      for (const column of Object.keys(columns)) await q.query(`ALTER TABLE ${table} DROP COLUMN IF EXISTS ${column}`);
    }
  }
}
