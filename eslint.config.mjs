// Type-aware lint: promises must be awaited, switches exhaustive, libraries imported by their root.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Libraries are imported only through their root alias (shared by every block that sets no-restricted-imports). */
const LIBRARY_ROOTS = [
  { group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'], message: 'import a library through its root: @app/<lib>' },
  { group: ['@app/*/*'], message: 'import a library through its root only' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: LIBRARY_ROOTS }],
    },
  },
  {
    // The benchmarks keep a loose client; test/ and libs/testing read responses typed by the OpenAPI schema.
    files: ['bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The web app: its own tsconfigs (DOM, bundler resolution), the same rules as above, plus React's hook rules.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: false, project: ['apps/web/tsconfig.json', 'apps/web/tsconfig.node.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  ...boundaries(),
);

/**
 * The layout's boundaries (docs/decisions.md, "Layout"). Each block restates LIBRARY_ROOTS because a
 * later block's no-restricted-imports replaces an earlier one's for the files they share.
 */
function boundaries() {
  const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: [...LIBRARY_ROOTS, ...patterns] }] });
  const noApps = { group: ['**/apps/**', '@apps/*'], message: 'a library never imports an app: move what both need into a library' };
  return [
    {
      // The rules are pure: no framework, database, queue or Redis, nor a library that brings one.
      files: ['libs/workflow/**/*.ts', 'libs/policy/**/*.ts'],
      rules: restrict(noApps, {
        group: [
          '@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'pg/*', 'bullmq', 'bullmq/*', 'ioredis', 'ioredis/*',
          '@app/persistence', '@app/queue', '@app/cases', '@app/registry', '@app/notifications', '@app/auth', '@app/config', '@app/testing',
        ],
        message: 'libs/workflow and libs/policy are pure: no Nest, TypeORM, pg, BullMQ or ioredis (nor a library that imports them)',
      }),
    },
    {
      files: ['libs/**/*.ts'],
      ignores: ['libs/workflow/**', 'libs/policy/**'],
      rules: restrict(noApps),
    },
    {
      // The one exception: libs/testing imports the generated OpenAPI types (apps/web/src/api/schema.d.ts)
      // as types only. They are the contract the e2e tests check, and `npm run client:generate` writes them
      // into the web app, which is their other reader. Any other import of an app, or a value import of the
      // schema, is still refused.
      files: ['libs/testing/**/*.ts'],
      rules: {
        ...restrict({ regex: '(^|/)apps/(?!web/src/api/schema\\.js$)|^@apps/', message: noApps.message }),
        '@typescript-eslint/no-restricted-imports': [
          'error',
          { patterns: [{ group: ['**/apps/web/src/api/schema.js'], allowTypeImports: true, message: 'import the generated OpenAPI schema with `import type` only' }] },
        ],
      },
    },
    {
      files: ['apps/api/**/*.ts'],
      rules: restrict({ group: ['**/worker/src/**', '**/apps/worker/**', '**/web/src/**', '**/apps/web/**', '**/witness/src/**', '**/apps/witness/**'], message: 'apps never import each other: share through a library' }),
    },
    {
      files: ['apps/worker/**/*.ts'],
      rules: restrict({ group: ['**/api/src/**', '**/apps/api/**', '**/web/src/**', '**/apps/web/**', '**/witness/src/**', '**/apps/witness/**'], message: 'apps never import each other: share through a library' }),
    },
    {
      // The witness is audited on its own: the protocol library, its config and pg; nothing of the other apps.
      files: ['apps/witness/**/*.ts'],
      rules: restrict({ group: ['**/api/src/**', '**/apps/api/**', '**/worker/src/**', '**/apps/worker/**', '**/web/src/**', '**/apps/web/**'], message: 'apps never import each other: share through a library' }),
    },
  ];
}
