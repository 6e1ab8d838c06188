// Lint: TypeScript rules plus the walls of shared/design/architecture.md. A crossing fails with a
// message that teaches the architecture ("bad layering"), as VS Code's layer rule does.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const wall = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const node = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads', 'url', 'util', 'stream'];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'dist-node/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: wall([
      { group: ['electron', 'electron/*', 'better-sqlite3', 'kysely', 'react', 'react-dom', ...node], message: 'Bad layering: shared/ is pure (no Node, DOM, Electron or I/O). See shared/design/architecture.md.' },
      { group: ['**/electron/**', '**/renderer/**', '**/migrations/**'], message: 'Bad layering: shared/ imports nothing from electron/, renderer/ or migrations/.' },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: wall([
      { group: ['electron', 'better-sqlite3', 'kysely', ...node], message: 'Bad layering: the renderer is untrusted; it talks to the backend only through window.api (shared/contract.ts).' },
      { group: ['**/electron/**', '**/migrations/**'], message: 'Bad layering: the renderer reaches the backend only through window.api.' },
    ]),
  },
  {
    files: ['electron/backend/**/*.ts', 'migrations/**/*.ts'],
    rules: wall([
      { group: ['electron'], message: "Bad layering: the backend runs in plain Node (tests, CLI, bridge): never import 'electron'." },
      { group: ['**/renderer/**'], message: 'Bad layering: services know no screen.' },
      { group: ['**/electron/main/**', '**/electron/preload/**'], message: 'Bad layering: the backend does not reach into the Electron shell.' },
    ]),
  },
  {
    files: ['electron/backend/sync/connectors/**/*.ts'],
    rules: wall([{ group: ['**/services/**'], message: "Bad layering: a connector maps outbox records to a wire format; it never reaches services' internals." }]),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: wall([{ group: ['**/backend/**', '**/renderer/**'], message: 'Bad layering: the shell talks to the backend over IPC / utility-process messages only.' }]),
  },
);
