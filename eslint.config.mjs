import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'bench/results*', 'tests/artefacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // src/core is the domain: no platform SDK, web framework or database driver.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: ['@slack/*', '@octokit/*', 'botbuilder*', 'botframework-*', 'mongoose', 'mongodb', 'better-sqlite3', 'express', 'pino', '../store/sqlite*', '../store/mongo*', '../../adapters/*', '../server/*'],
      }],
    },
  },
  {
    // Public holidays come from one module (src/core/holidays.ts), so the library is one file's concern.
    files: ['**/*.ts'],
    ignores: ['src/core/holidays.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "ImportDeclaration[source.value=/^date-holidays/]", message: 'Use src/core/holidays.ts for public holidays.' }],
    },
  },
  {
    // Plain CommonJS scripts run by node.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
