import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The documents the write path stores and reads back on every step are compressed with lz4
 * instead of pglz when Postgres stores them compressed (a row over ~2 kB: a case's assessment beside
 * its context, a registry record and its log entry, a stored idempotent answer). pglz spent a visible share of
 * Postgres's CPU per transition compressing each new context, and every read of a case
 * decompressed its assessment; lz4 does both several times faster. Only new values are written
 * with lz4; values already stored stay pglz and are read as before (no table rewrite).
 *
 * A Postgres built without lz4 (`--with-lz4`, which the official images and Debian's packages
 * have) keeps pglz: the migration then changes nothing.
 */
const LZ4_COLUMNS: Record<string, string[]> = {
  cases: ['context', 'assessment'],
  case_events: ['actor', 'payload'],
  outbox: ['payload'],
  revisions: ['assessment'],
  registry_records: ['document'],
  registry_log_entries: ['entry'],
  idempotency_keys: ['body'],
  webhook_deliveries: ['payload'],
  operator_log: ['payload'],
};

const setCompression = async (q: QueryRunner, method: 'lz4' | 'DEFAULT'): Promise<void> => {
  for (const [table, columns] of Object.entries(LZ4_COLUMNS))
    await q.query(`ALTER TABLE ${table} ${columns.map((column) => `ALTER COLUMN ${column} SET COMPRESSION ${method}`).join(', ')}`);
};

export class Lz4Compression1764970000000 implements MigrationInterface {
  name = 'Lz4Compression1764970000000';

  async up(q: QueryRunner): Promise<void> {
    // default_toast_compression offers lz4 exactly when the server was built with it.
    const [{ lz4 }] = (await q.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`)) as Array<{ lz4: boolean }>;
    if (lz4) await setCompression(q, 'lz4');
  }

  async down(q: QueryRunner): Promise<void> {
    await setCompression(q, 'DEFAULT');
  }
}
