import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lineage at any depth walks down from a model version to those naming it as a base model: each
 * step is a jsonb containment on `base_models`, which this index answers instead of a table scan.
 */
export class LineageIndex1764880000000 implements MigrationInterface {
  name = 'LineageIndex1764880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX model_versions_base_models_idx ON model_versions USING gin (base_models jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX model_versions_base_models_idx`);
  }
}
