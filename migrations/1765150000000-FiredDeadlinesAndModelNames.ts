import { IndexMigration, type IndexDefinition } from './concurrent-indexes.js';

/**
 * Two lookups that read a whole table at scale (measured at 200,000 cases):
 * - every `/metrics` scrape's deadline lateness over the last day read every deadline (124 ms;
 *   0.65 ms by the index). Entries are written only when a deadline fires;
 * - a lineage import (`POST /v1/cases/:id/model/import`), with the case locked, found model
 *   versions by checkpoint or name by reading all of them (53–90 ms; 0.5 ms). One entry per model
 *   version, written at case creation.
 */
const INDEXES: IndexDefinition[] = [
  ['deadlines_fired_idx', `deadlines (fired_at) INCLUDE (due_at) WHERE fired_at IS NOT NULL`],
  ['model_versions_name_idx', `model_versions (name)`],
  ['model_versions_checkpoint_idx', `model_versions (checkpoint_sha256) WHERE checkpoint_sha256 IS NOT NULL`],
];

export class FiredDeadlinesAndModelNames1765150000000 extends IndexMigration {
  readonly name = 'FiredDeadlinesAndModelNames1765150000000';
  protected readonly indexes = INDEXES;
}
