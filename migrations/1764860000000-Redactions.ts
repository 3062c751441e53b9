import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropAppendOnly, makeAppendOnly } from '@app/persistence';

/**
 * Redactions of public records (SPEC "Redactions"): a case's standing orders to withhold fields
 * (each one a REDACTION_ADDED history row), and the openings of what each published record
 * withheld (salt and value), which only the case's readers see. Both append-only: a record's
 * commitments never change once published.
 */
export class Redactions1764860000000 implements MigrationInterface {
  name = 'Redactions1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_redactions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        path text NOT NULL,
        reason text NOT NULL,
        seq integer NOT NULL,
        added_by uuid NOT NULL REFERENCES users (id),
        added_at timestamptz NOT NULL,
        UNIQUE (case_id, path),
        UNIQUE (case_id, seq)
      )`);
    await makeAppendOnly(q, 'case_redactions');
    await q.query(`
      CREATE TABLE registry_withheld_values (
        record_id uuid NOT NULL REFERENCES registry_records (id),
        position integer NOT NULL,
        path text NOT NULL,
        reason text NOT NULL,
        salt text NOT NULL,
        value jsonb NOT NULL,
        PRIMARY KEY (record_id, position)
      )`);
    await makeAppendOnly(q, 'registry_withheld_values');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropAppendOnly(q, 'registry_withheld_values');
    await q.query(`DROP TABLE IF EXISTS registry_withheld_values`);
    await dropAppendOnly(q, 'case_redactions');
    await q.query(`DROP TABLE IF EXISTS case_redactions`);
  }
}
