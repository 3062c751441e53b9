import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_ONLY_FUNCTION, dropAppendOnly, makeAppendOnly } from '@app/persistence';

/** The tables of this migration that refuse UPDATE, DELETE and TRUNCATE; later ones call makeAppendOnly themselves. */
const TABLES = ['case_events', 'revisions', 'opinions', 'opinion_voids', 'registry_records', 'registry_checkpoints'];

/**
 * Every append-only table refuses rewrites by trigger, through one function that later
 * migrations reuse (makeAppendOnly). Voiding an opinion becomes an appended `opinion_voids`
 * row, so opinion rows never change. Never edited once committed: add a new migration instead.
 */
export class AppendOnlyTables1764780000000 implements MigrationInterface {
  name = 'AppendOnlyTables1764780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ${APPEND_ONLY_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    // case_events had a function of its own (Init): the shared one replaces it, with the same message.
    await q.query(`DROP TRIGGER case_events_no_update_delete ON case_events`);
    await q.query(`DROP TRIGGER case_events_no_truncate ON case_events`);
    await q.query(`DROP FUNCTION case_events_append_only()`);

    await q.query(`
      CREATE TABLE opinion_voids (
        opinion_id uuid PRIMARY KEY REFERENCES opinions (id),
        case_id uuid NOT NULL REFERENCES cases (id),
        voided_at timestamptz NOT NULL
      )`);
    await q.query(`INSERT INTO opinion_voids (opinion_id, case_id, voided_at) SELECT id, case_id, voided_at FROM opinions WHERE voided_at IS NOT NULL`);
    await q.query(`ALTER TABLE opinions DROP COLUMN voided_at`);

    for (const table of TABLES) await makeAppendOnly(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await dropAppendOnly(q, table);
    await q.query(`ALTER TABLE opinions ADD COLUMN voided_at timestamptz`);
    await q.query(`UPDATE opinions o SET voided_at = v.voided_at FROM opinion_voids v WHERE v.opinion_id = o.id`);
    await q.query(`DROP TABLE opinion_voids`);
    await q.query(`DROP FUNCTION ${APPEND_ONLY_FUNCTION}()`);
    await q.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER case_events_no_update_delete BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`);
    await q.query(`
      CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
      FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only()`);
  }
}
