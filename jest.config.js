// ESM + ts-jest: '.js' suffixes are stripped so ts sources resolve; path aliases mirror tsconfig.
const libs = ['workflow', 'policy', 'integrity', 'evidence', 'persistence', 'cases', 'registry', 'http', 'queue', 'config', 'auth', 'testing', 'problems', 'notifications', 'tlog', 'reports', 'witness-client'];

// What both projects share: how sources load.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/web/dist/'],
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((lib) => [`^@app/${lib}$`, `<rootDir>/libs/${lib}/src/index.ts`])),
    '^@app/migrations$': '<rootDir>/migrations/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    // The web app's pure modules (apps/web/src/**/*.spec.ts) compile with its own tsconfig (DOM, bundler resolution).
    '^.+/apps/web/src/.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'apps/web/tsconfig.json' }],
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json'}],
  },
};

/**
 * Two projects: `unit` (the *.spec.ts beside the code: no database, no Redis) and `e2e` (test/,
 * against real Postgres and Redis). The run's database and Redis prefix belong to the e2e project,
 * whose global setup and teardown jest runs only when an e2e suite is selected.
 */
export default {
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.js',
      globalTeardown: '<rootDir>/test/global-teardown.js',
    },
  ],
};
