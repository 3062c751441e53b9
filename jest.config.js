// ESM + ts-jest: '.js' suffixes are stripped so ts sources resolve; path aliases mirror tsconfig.
const libs = ['workflow', 'policy', 'integrity', 'evidence', 'persistence', 'cases', 'registry', 'http', 'queue', 'config', 'auth', 'testing', 'problems', 'notifications', 'tlog', 'witness-client'];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
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
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
};
