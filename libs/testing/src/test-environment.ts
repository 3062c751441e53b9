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

/** The environment globalSetup exported; throws outside a jest run. */
export const currentTestEnvironment = (): TestEnvironment => {
  const read = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run through jest (test/global-setup.js chooses the test database)`);
    return value;
  };
  return {
    databaseUrl: read(ENV_KEYS.databaseUrl),
    redisUrl: read(ENV_KEYS.redisUrl),
    redisPrefix: read(ENV_KEYS.redisPrefix),
    adminToken: read(ENV_KEYS.adminToken),
  };
};
