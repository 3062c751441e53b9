import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The public registry: signing keys, signed records (one per case and history seq) and signed checkpoints. */
export class PublicRegistry1764600000000 implements MigrationInterface {
  name = 'PublicRegistry1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // The private key is stored here (PKCS#8 PEM): see docs/decisions.md and docs/operations.md.
    await q.query(`
      CREATE TABLE registry_signing_keys (
        key_id text PRIMARY KEY,
        public_key_pem text NOT NULL,
        private_key_pem text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
    // At most one active key, so two processes generating one at once cannot both win.
    await q.query(`CREATE UNIQUE INDEX registry_signing_keys_one_active ON registry_signing_keys (active) WHERE active`);
    await q.query(`
      CREATE TABLE registry_records (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        seq int NOT NULL,
        published_at timestamptz NOT NULL,
        model_name text NOT NULL,
        document jsonb NOT NULL,
        UNIQUE (case_id, seq)
      )`);
    await q.query(`CREATE INDEX registry_records_published_idx ON registry_records (published_at DESC, id DESC)`);
    await q.query(`CREATE INDEX registry_records_model_idx ON registry_records (model_name, published_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE registry_checkpoints (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        heads_hash text NOT NULL,
        document jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX registry_checkpoints_created_idx ON registry_checkpoints (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS registry_checkpoints`);
    await q.query(`DROP TABLE IF EXISTS registry_records`);
    await q.query(`DROP TABLE IF EXISTS registry_signing_keys`);
  }
}
