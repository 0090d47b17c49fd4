import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/**
 * The layer map: which folder may not import from which (docs/decisions/0425-layer-map.md).
 * `target` files may not import anything under `from`.
 */
export const LAYERS = [
  { target: './src/models', from: ['./src/modules', './src/admin', './resources'], message: 'Models know no domain and no panel.' },
  { target: './src/lib', from: ['./src/db', './src/models', './src/modules', './src/admin', './src/http', './src/jobs'],
    message: 'src/lib is the bottom layer: it imports nothing from db, models, modules or the doors.' },
  { target: './src/modules', from: ['./src/admin', './resources', './src/jobs', './jobs'], message: 'Domains import no panel and no jobs.' },
  { target: ['./src/db/migrations', './src/db/functions'], from: ['./src/modules', './src/models', './src/admin', './resources'],
    message: 'Migrations and database functions import no domain code (migrations keep frozen copies).' },
];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.adminjs/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts' }],
    },
  },
  {
    // The config module is the one place that reads the environment; test/bench harnesses set it up.
    files: ['src/config.ts', 'test/**', 'bench/**', 'vitest.config.ts', 'src/admin/env.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Imports name the emitted '.js'; the sources are '.ts'.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYERS }],
      // An import the resolver cannot follow would slip past the layer map.
      'import-x/no-unresolved': ['error', { ignore: ['^virtual:'] }],
    },
  },
);
