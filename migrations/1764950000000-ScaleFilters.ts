import { IndexMigration, type IndexDefinition } from './concurrent-indexes.js';

/**
 * More of what the case lists need at a million cases (docs/scaling.md, "A million cases"): an
 * index per filter that the lists otherwise meet only while walking another index, reading heap
 * rows to test it. Built CONCURRENTLY outside a transaction, as ScaleReads does, so that writes
 * go on meanwhile; an invalid index left by a failed build is dropped and built again.
 */
const INDEXES: IndexDefinition[] = [
  // GET /v1/cases?tier=… newest first (with or without overdue): the tier's cases in order, index-only.
  ['cases_tier_created_idx', `cases (tier, created_at DESC, id DESC)`],
];

export class ScaleFilters1764950000000 extends IndexMigration {
  readonly name = 'ScaleFilters1764950000000';
  protected readonly indexes = INDEXES;
}
