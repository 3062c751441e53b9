import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_CHANNEL } from '@app/persistence';

/**
 * Every statement that adds outbox rows notifies OUTBOX_CHANNEL. NOTIFY is delivered at commit
 * (and never for a rollback), so the worker's relay wakes exactly when there is something to
 * send, instead of polling every 200 ms; one notification per statement, not per row.
 */
export class OutboxNotify1764890000000 implements MigrationInterface {
  name = 'OutboxNotify1764890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${OUTBOX_CHANNEL}', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION IF EXISTS outbox_notify()`);
  }
}
