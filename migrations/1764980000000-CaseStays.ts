import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stays of the statistics' time in state, kept incrementally (docs/decisions.md, "Stays kept
 * incrementally for the statistics summaries"): computing them from the whole history for each
 * dashboard window took ~27 s of Postgres time at a million cases. A refresh of a statistics summary
 * first brings these tables up to the cases' `version` (only the cases written since the last
 * refresh), then aggregates its window from them.
 *
 * - `case_stays`: every completed stay (a state left by a later event that changed the state).
 *   History is append-only, so a completed stay never changes; rows are only added.
 * - `case_stay_marks`: per case, how far it has been read (`version`, `last_seq`), the stay still
 *   open there (its state and since when), and what the stays are grouped by (the developer
 *   organisation, the weights' release level of the current assessment), so that aggregating a
 *   window reads these narrow rows, not the cases.
 *
 * Both are derived data, filled by the first refresh after this migration (the whole history
 * once), not here: a migration must not hold a large installation for minutes.
 */
export class CaseStays1764980000000 implements MigrationInterface {
  name = 'CaseStays1764980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS case_stays (
        case_id uuid NOT NULL,
        state text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL
      )`);
    // The trailing windows keep stays that ended inside them; stays are added roughly in end order.
    await q.query(`CREATE INDEX IF NOT EXISTS case_stays_ended_idx ON case_stays USING brin (ended_at)`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS case_stay_marks (
        case_id uuid PRIMARY KEY,
        version integer NOT NULL,
        last_seq integer NOT NULL,
        state text NOT NULL,
        entered_at timestamptz NOT NULL,
        developer_organisation_id uuid NOT NULL,
        release text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_stay_marks`);
    await q.query(`DROP TABLE IF EXISTS case_stays`);
  }
}
