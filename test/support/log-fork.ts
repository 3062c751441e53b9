import { Buffer } from 'node:buffer';
import pg from 'pg';
import { currentTestEnvironment } from '@app/testing';

/**
 * TEST-ONLY: forks the registry log by rewriting the first leaf hash of its first level-0 tile,
 * as an attacker holding the database owner's credentials would. The next append then integrates
 * over the rewritten hash, so the log signs a checkpoint inconsistent with every earlier one.
 *
 * It cannot run outside a test: it lives in test/ (no app imports it), it needs a database of this
 * jest run (named after CLEARANCE_TEST_DATABASE_URL, which only test/global-setup.js sets), and it
 * needs a superuser, since the app role cannot get past the tile trigger (tiles only widen):
 * `session_replication_role = replica` switches triggers off for its one transaction.
 */
export const forkRegistryLogForTest = async (databaseUrl: string): Promise<{ rewritten: string; forged: string }> => {
  const runDatabase = new URL(currentTestEnvironment().databaseUrl).pathname.slice(1);
  const database = new URL(databaseUrl).pathname.slice(1);
  if (!database.startsWith(runDatabase)) throw new Error(`forkRegistryLogForTest: ${database} is not a database of this test run (${runDatabase}…)`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    const { rows } = await client.query<{ data: Buffer }>(`SELECT data FROM registry_log_tiles WHERE level = 0 AND idx = 0 FOR UPDATE`);
    if (!rows[0]) throw new Error('forkRegistryLogForTest: the log has no tile to rewrite yet');
    const forged = Buffer.alloc(32, 0xfe);
    const data = Buffer.concat([forged, rows[0].data.subarray(32)]);
    await client.query(`UPDATE registry_log_tiles SET data = $1 WHERE level = 0 AND idx = 0`, [data]);
    await client.query('COMMIT');
    return { rewritten: rows[0].data.subarray(0, 32).toString('base64'), forged: forged.toString('base64') };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
};
