import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The witness's own schema (SPEC "The public registry as a transparency log"): its cosigning key,
 * the latest checkpoint it cosigned per log origin (the row it locks; size 0 and no
 * checkpoint until the first), every tree it cosigned,
 * and the alerts it raised on a fork or a shrink. The witness role's privileges are set by
 * `npm run migrate` (grantWitnessRole), like the app role's.
 */
export class Witness1764820000000 implements MigrationInterface {
  name = 'Witness1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA witness`);
    await q.query(`
      CREATE TABLE witness.signing_keys (
        id smallint PRIMARY KEY CHECK (id = 1),
        private_key_pem text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE witness.logs (
        origin text PRIMARY KEY,
        tree_size bigint NOT NULL CHECK (tree_size >= 0),
        root_hash bytea NOT NULL,
        checkpoint text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE witness.cosigned_trees (
        origin text NOT NULL,
        tree_size bigint NOT NULL,
        root_hash bytea NOT NULL,
        cosigned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (origin, tree_size)
      )`);
    await q.query(`
      CREATE TABLE witness.alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        origin text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('fork', 'shrink', 'inconsistent-proof')),
        detail text NOT NULL,
        cosigned_size bigint NOT NULL,
        cosigned_checkpoint text,
        submitted_old_size bigint NOT NULL,
        submitted_checkpoint text NOT NULL,
        submitted_proof text[] NOT NULL,
        submitted_sha256 text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        occurrences int NOT NULL DEFAULT 1,
        UNIQUE (origin, kind, submitted_sha256)
      )`);
    await q.query(`CREATE INDEX alerts_recent_idx ON witness.alerts (first_seen_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS witness CASCADE`);
  }
}
