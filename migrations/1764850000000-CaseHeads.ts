import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The heads tree of the transparency log's `heads` entries: one leaf per case, at a position it
 * keeps, and every complete perfect subtree's hash, so a changed head rewrites one path. A
 * trigger on cases and case_events queues each new head (the write path is not touched); the heads job
 * drains the queue, updates the tree and appends the entry in one transaction.
 */
export class CaseHeads1764850000000 implements MigrationInterface {
  name = 'CaseHeads1764850000000';

  async up(q: QueryRunner): Promise<void> {
    // Insert-only for writers (the job deletes what it took): case writes never wait on each other here.
    await q.query(`
      CREATE TABLE case_heads_changes (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL,
        seq int NOT NULL,
        hash text NOT NULL
      )`);
    // A new case is queued with its empty chain (seq 0, the genesis hash), so it takes its position
    // when created; each history row then queues the new head.
    await q.query(`
      CREATE FUNCTION queue_case_head() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'cases' THEN
          INSERT INTO case_heads_changes (case_id, seq, hash) VALUES (NEW.id, NEW.last_seq, NEW.head_hash);
        ELSE
          INSERT INTO case_heads_changes (case_id, seq, hash) VALUES (NEW.case_id, NEW.seq, NEW.hash);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER cases_queue_head AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION queue_case_head()`);
    await q.query(`CREATE TRIGGER case_events_queue_head AFTER INSERT ON case_events FOR EACH ROW EXECUTE FUNCTION queue_case_head()`);
    // Cases that exist already: their current heads, for the first heads entry.
    await q.query(`INSERT INTO case_heads_changes (case_id, seq, hash) SELECT id, last_seq, head_hash FROM cases`);

    // A case's leaf as of the latest heads entry; position is its index in the heads tree, never reused.
    await q.query(`
      CREATE TABLE case_heads_leaves (
        case_id uuid PRIMARY KEY REFERENCES cases (id),
        position bigint NOT NULL UNIQUE CHECK (position >= 0),
        seq int NOT NULL CHECK (seq >= 0),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
      )`);
    // The perfect subtree of 2^level leaves starting at leaf idx·2^level (level 0: leaf hashes).
    await q.query(`
      CREATE TABLE case_heads_nodes (
        level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
        idx bigint NOT NULL CHECK (idx >= 0),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);
    // One row: the latest heads entry (null before the first); the heads job locks it FOR UPDATE.
    await q.query(`
      CREATE TABLE case_heads_state (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        count bigint NOT NULL CHECK (count >= 0),
        root bytea NOT NULL CHECK (length(root) = 32),
        entry_at text,
        log_index bigint,
        appended_at timestamptz,
        CHECK ((entry_at IS NULL) = (log_index IS NULL) AND (log_index IS NULL) = (appended_at IS NULL))
      )`);
    await q.query(`INSERT INTO case_heads_state (count, root) VALUES (0, sha256(''::bytea))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS case_events_queue_head ON case_events`);
    await q.query(`DROP TRIGGER IF EXISTS cases_queue_head ON cases`);
    await q.query(`DROP FUNCTION IF EXISTS queue_case_head()`);
    for (const table of ['case_heads_state', 'case_heads_nodes', 'case_heads_leaves', 'case_heads_changes']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
