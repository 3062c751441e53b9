import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropAppendOnly, makeAppendOnly } from '@app/persistence';

/**
 * Incidents after release (SPEC "Incidents"). An incident row changes (its status, its final report
 * and its closing); its updates are append-only. The final-report deadline is a deadline row like
 * the others, owned by its incident through `deadlines.incident_id`.
 */
export class Incidents1764830000000 implements MigrationInterface {
  name = 'Incidents1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        category text NOT NULL,
        summary text NOT NULL,
        occurred_at timestamptz NOT NULL,
        aware_at timestamptz NOT NULL,
        reported_at timestamptz NOT NULL,
        reported_by uuid NOT NULL REFERENCES users (id),
        report_due_at timestamptz NOT NULL,
        reported_late boolean NOT NULL,
        final_report_due_at timestamptz NOT NULL,
        final_report_at timestamptz,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        closed_at timestamptz,
        closed_by uuid REFERENCES users (id),
        close_note text,
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX incidents_case_idx ON incidents (case_id, reported_at DESC, id DESC)`);
    await q.query(`CREATE INDEX incidents_reported_idx ON incidents (reported_at DESC, id DESC)`);
    await q.query(`CREATE INDEX incidents_open_due_idx ON incidents (final_report_due_at, id) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE incident_updates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents (id),
        author_id uuid NOT NULL REFERENCES users (id),
        text text NOT NULL,
        final boolean NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX incident_updates_incident_idx ON incident_updates (incident_id, at, id)`);
    await makeAppendOnly(q, 'incident_updates');
    await q.query(`ALTER TABLE deadlines ADD COLUMN incident_id uuid REFERENCES incidents (id)`);
    await q.query(`CREATE INDEX deadlines_incident_idx ON deadlines (incident_id) WHERE incident_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS deadlines_incident_idx`);
    await q.query(`DELETE FROM deadlines WHERE incident_id IS NOT NULL`);
    await q.query(`ALTER TABLE deadlines DROP COLUMN IF EXISTS incident_id`);
    await dropAppendOnly(q, 'incident_updates');
    await q.query(`DROP TABLE IF EXISTS incident_updates`);
    await q.query(`DROP TABLE IF EXISTS incidents`);
  }
}
