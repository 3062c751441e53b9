import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropAppendOnly, makeAppendOnly } from '@app/persistence';

/**
 * The public registry as a transparency log (RFC 6962 tree, C2SP tlog-tiles and checkpoints):
 * one tree-state row the sequencer locks, append-only entries and checkpoints, the tiles and
 * full entry bundles the log serves, and the full texts of records that carry them by hash.
 */
export class TransparencyLog1764810000000 implements MigrationInterface {
  name = 'TransparencyLog1764810000000';

  async up(q: QueryRunner): Promise<void> {
    // One row: the integrated tree. Appending locks it FOR UPDATE (Tessera's PostgreSQL driver).
    // legacy_logged is false while records published before this release wait to be logged first.
    await q.query(`
      CREATE TABLE registry_log_state (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        size bigint NOT NULL CHECK (size >= 0),
        root bytea NOT NULL CHECK (length(root) = 32),
        legacy_logged boolean NOT NULL
      )`);
    await q.query(
      `INSERT INTO registry_log_state (size, root, legacy_logged)
       VALUES (0, sha256(''::bytea), NOT EXISTS (SELECT 1 FROM registry_records))`,
    );
    // A shrinking tree is refused by the database too.
    await q.query(`
      CREATE FUNCTION refuse_log_shrink() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.size < OLD.size THEN
          RAISE EXCEPTION 'registry log never shrinks: % < %', NEW.size, OLD.size USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER registry_log_state_grows BEFORE UPDATE ON registry_log_state FOR EACH ROW EXECUTE FUNCTION refuse_log_shrink()`);

    await q.query(`
      CREATE TABLE registry_log_entries (
        idx bigint PRIMARY KEY CHECK (idx >= 0),
        kind text NOT NULL,
        entry bytea NOT NULL CHECK (length(entry) <= 65535),
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
        record_id uuid UNIQUE REFERENCES registry_records (id),
        logged_at timestamptz NOT NULL DEFAULT now()
      )`);
    await makeAppendOnly(q, 'registry_log_entries');

    // Hash tiles, full and partial: a partial tile only ever widens, keeping its hashes as a prefix.
    await q.query(`
      CREATE TABLE registry_log_tiles (
        level int NOT NULL CHECK (level BETWEEN 0 AND 63),
        idx bigint NOT NULL CHECK (idx >= 0),
        width int NOT NULL CHECK (width BETWEEN 1 AND 256),
        data bytea NOT NULL CHECK (length(data) = 32 * width),
        PRIMARY KEY (level, idx)
      )`);
    // Full entry bundles only: a partial bundle is read from the entries it holds.
    await q.query(`
      CREATE TABLE registry_log_bundles (
        idx bigint PRIMARY KEY CHECK (idx >= 0),
        data bytea NOT NULL
      )`);
    await makeAppendOnly(q, 'registry_log_bundles');
    await q.query(`
      CREATE FUNCTION refuse_tile_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' OR NEW.level <> OLD.level OR NEW.idx <> OLD.idx OR NEW.width <= OLD.width
           OR substring(NEW.data FROM 1 FOR length(OLD.data)) <> OLD.data THEN
          RAISE EXCEPTION 'registry log tiles only widen: % refused', TG_OP USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER registry_log_tiles_widen_only BEFORE UPDATE OR DELETE ON registry_log_tiles FOR EACH ROW EXECUTE FUNCTION refuse_tile_rewrite()`);

    // One checkpoint per size, sizes strictly increasing (checked again in the signing transaction).
    await q.query(`
      CREATE TABLE registry_log_checkpoints (
        size bigint PRIMARY KEY CHECK (size >= 0),
        root bytea NOT NULL CHECK (length(root) = 32),
        note text NOT NULL,
        key_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX registry_log_checkpoints_created_idx ON registry_log_checkpoints (created_at)`);
    await q.query(`
      CREATE FUNCTION refuse_checkpoint_regress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM registry_log_checkpoints WHERE size >= NEW.size) THEN
          RAISE EXCEPTION 'registry checkpoint of size % is not larger than the latest', NEW.size USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER registry_log_checkpoints_grow BEFORE INSERT ON registry_log_checkpoints FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint_regress()`);
    await makeAppendOnly(q, 'registry_log_checkpoints');

    await q.query(`
      CREATE TABLE registry_record_texts (
        record_id uuid NOT NULL REFERENCES registry_records (id),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        text text NOT NULL,
        PRIMARY KEY (record_id, sha256)
      )`);
    await makeAppendOnly(q, 'registry_record_texts');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['registry_record_texts', 'registry_log_checkpoints', 'registry_log_bundles', 'registry_log_entries']) await dropAppendOnly(q, table);
    await q.query(`DROP TABLE IF EXISTS registry_record_texts`);
    await q.query(`DROP TABLE IF EXISTS registry_log_checkpoints`);
    await q.query(`DROP TABLE IF EXISTS registry_log_bundles`);
    await q.query(`DROP TABLE IF EXISTS registry_log_tiles`);
    await q.query(`DROP TABLE IF EXISTS registry_log_entries`);
    await q.query(`DROP TABLE IF EXISTS registry_log_state`);
    await q.query(`DROP FUNCTION IF EXISTS refuse_checkpoint_regress()`);
    await q.query(`DROP FUNCTION IF EXISTS refuse_tile_rewrite()`);
    await q.query(`DROP FUNCTION IF EXISTS refuse_log_shrink()`);
  }
}
