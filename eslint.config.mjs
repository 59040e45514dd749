import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './eslint/layers.mjs';

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
    // The layers, by resolved path from any depth (eslint/layers.mjs; docs/ARCHITECTURE.md).
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { layers },
    rules: {
      'layers/imports': ['error', { layers: [
        {
          name: 'src/core',
          files: ['src/core'],
          forbid: ['src', 'adapters', 'models', 'bin', 'scripts'],
          allow: ['src/core'],
          packages: ['@slack/*', '@octokit/*', 'botbuilder*', 'botframework-*', 'mongoose', 'mongodb', 'better-sqlite3', 'express', 'pino*', 'http', 'https', 'net', 'worker_threads'],
          why: 'core is the domain; it declares ports and the outside implements them.',
        },
        {
          name: 'A store',
          files: ['src/store', 'models'],
          forbid: ['adapters', 'src/server', 'src/cli', 'src/app.ts', 'src/main.ts', 'src/cli.ts', 'src/surface.ts'],
          // The records only adapters use are ports declared beside them, which each store implements.
          allow: ['adapters/slack/ports', 'adapters/teams/ports', 'adapters/announcement-store'],
          packages: ['@slack/*', '@octokit/*', 'botbuilder*', 'botframework-*', 'express'],
          why: 'stores implement the ports and know nothing of chat platforms or the server.',
        },
        {
          name: 'An adapter',
          files: ['adapters'],
          forbid: ['src/store', 'models'],
          packages: ['mongoose', 'mongodb', 'better-sqlite3'],
          why: 'adapters reach storage only through the ports core declares.',
        },
      ] }],
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
