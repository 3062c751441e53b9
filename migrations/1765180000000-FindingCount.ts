import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ADD_FINDING's limit reads the findings a case holds from its context, which the machine now
 * counts. Cases with findings get their count from the findings table; the others are left as
 * they are (an absent count is 0), so the migration locks and rewrites only the cases that have
 * findings, not every case while the api writes.
 */
export class FindingCount1765180000000 implements MigrationInterface {
  name = 'FindingCount1765180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE cases c
         SET context = c.context || jsonb_build_object('findingCount', f.n)
        FROM (SELECT case_id, count(*) AS n FROM findings GROUP BY case_id) f
       WHERE f.case_id = c.id AND NOT c.context ? 'findingCount'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE cases SET context = context - 'findingCount' WHERE context ? 'findingCount'`);
  }
}
