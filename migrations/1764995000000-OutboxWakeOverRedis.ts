import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_CHANNEL } from '@app/persistence';

/**
 * The outbox no longer notifies. In Postgres a transaction that sends NOTIFY takes one lock for
 * the whole database at commit and holds it until its commit record is on disk, so every write
 * that added outbox rows committed one at a time: no group commit, and one disk flush per write
 * (pgbench on this design's insert: ~2,200 commits/s without NOTIFY, ~230–300 with it). The
 * process that committed the rows now wakes the relays itself, over Redis (docs/decisions.md).
 */
export class OutboxWakeOverRedis1764995000000 implements MigrationInterface {
  name = 'OutboxWakeOverRedis1764995000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION IF EXISTS outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM added) THEN
          PERFORM pg_notify('${OUTBOX_CHANNEL}', '');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }
}
