// Type-aware lint: promises must be awaited, switches exhaustive, libraries imported by their root.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'], message: 'import a library through its root: @app/<lib>' },
            { group: ['@app/*/*'], message: 'import a library through its root only' },
          ],
        },
      ],
    },
  },
  {
    // Test clients read loosely typed JSON responses.
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', 'libs/testing/src/http-client.ts'],
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
);
