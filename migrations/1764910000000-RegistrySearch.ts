import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Searching the public registry by part of a developer's or a model's name
 * (`GET /v1/public/registry?developer=&modelContains=`): trigram indexes serve a case-insensitive
 * substring match without scanning every record. The developer's name is read from the signed
 * document, as published, so a later rename of the organisation does not move old records.
 */
export class RegistrySearch1764910000000 implements MigrationInterface {
  name = 'RegistrySearch1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX registry_records_developer_trgm_idx ON registry_records USING gin (lower(document #>> '{developer,name}') gin_trgm_ops)`);
    await q.query(`CREATE INDEX registry_records_model_trgm_idx ON registry_records USING gin (lower(model_name) gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS registry_records_model_trgm_idx`);
    await q.query(`DROP INDEX IF EXISTS registry_records_developer_trgm_idx`);
  }
}
