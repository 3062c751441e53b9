// Removes the run's databases (one per jest worker, named after the run's: libs/testing's
// currentTestEnvironment) and Redis keys. Jest runs it only with the e2e project (jest.config.js),
// and it does nothing when global-setup.js chose no database.
import pg from 'pg';
import { Redis } from 'ioredis';

export default async function globalTeardown() {
  if (!process.env.CLEARANCE_TEST_DATABASE_URL) return;
  const url = new URL(process.env.CLEARANCE_TEST_DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [name]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const redis = new Redis(process.env.CLEARANCE_TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.CLEARANCE_TEST_REDIS_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
