import { IndexMigration, type IndexDefinition } from './concurrent-indexes.js';

/**
 * Lineage finds a model version's cases: the latest case of each ancestor at intake and in
 * `GET /v1/models/:id/lineage` (and its public form), the cases to send to reassessment when a base
 * model is flagged, the registry records of base models in a bill of materials. Only open cases were
 * indexed (`cases_one_open_per_model`), so each of these read every case: at 200,000 cases, tens of
 * milliseconds for each model version named. The index costs every non-HOT case update one entry more.
 */
const INDEXES: IndexDefinition[] = [['cases_model_version_idx', `cases (model_version_id, created_at DESC, id DESC)`]];

export class CasesByModelVersion1765140000000 extends IndexMigration {
  readonly name = 'CasesByModelVersion1765140000000';
  protected readonly indexes = INDEXES;
}
