/** The run's own database and Redis prefix, chosen by test/global-setup.js and removed by its teardown. */
export interface TestEnvironment {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  adminToken: string;
}

export const ENV_KEYS = {
  databaseUrl: 'CLEARANCE_TEST_DATABASE_URL',
  redisUrl: 'CLEARANCE_TEST_REDIS_URL',
  redisPrefix: 'CLEARANCE_TEST_REDIS_PREFIX',
  adminToken: 'CLEARANCE_TEST_ADMIN_TOKEN',
} as const;

/**
 * The environment globalSetup exported, for this jest worker; throws outside a jest run. Suites run
 * side by side in jest's workers, and some read every row of their database (the fuzz suite's
 * nothing-changed snapshot, the statistics), so each worker has a database and a Redis prefix of its
 * own under the run's names, which the teardown removes by that prefix.
 */
export const currentTestEnvironment = (): TestEnvironment => {
  const read = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run through jest (test/global-setup.js chooses the test database)`);
    return value;
  };
  const worker = process.env.JEST_WORKER_ID ?? '1';
  const databaseUrl = new URL(read(ENV_KEYS.databaseUrl));
  databaseUrl.pathname = `${databaseUrl.pathname}_w${worker}`;
  return {
    databaseUrl: databaseUrl.toString(),
    redisUrl: read(ENV_KEYS.redisUrl),
    redisPrefix: `${read(ENV_KEYS.redisPrefix)}:w${worker}`,
    adminToken: read(ENV_KEYS.adminToken),
  };
};
