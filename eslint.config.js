// Lint: TypeScript rules plus the walls of shared/design/architecture.md. A crossing fails with a
// message that teaches the architecture ("bad layering"), as VS Code's layer rule does.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const wall = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const backendWalls = [
  { group: ['electron'], message: "Bad layering: the backend runs in plain Node (tests, CLI, bridge): never import 'electron'." },
  { group: ['**/renderer/**'], message: 'Bad layering: services know no screen.' },
  { group: ['**/electron/main/**', '**/electron/preload/**'], message: 'Bad layering: the backend does not reach into the Electron shell.' },
];
const ledgerWall = {
  group: ['**/evidence/ledger', '**/evidence/ledger.ts', './ledger'],
  message:
    'One write path for evidence: the ledger is appended only by the evidence writer, in the transaction that inserts the rows. Write evidence with writeEvidence / writeEvidenceIn (evidence/writer.ts); hashes are in evidence/hash.ts, verification in evidence/verify.ts.',
};
const driverWall = {
  group: ['better-sqlite3'],
  allowTypeImports: true,
  message:
    "Services never hold the SQLite handle: a raw statement outside Kysely's connection lock reads other requests' uncommitted rows. Use ctx.db (Kysely) or withRaw / rawAll / rawGet / rawRun (db/raw.ts).",
};
const node = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads', 'url', 'util', 'stream'];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', 'node_modules/**', 'test-results/**'] },
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
    rules: wall([...backendWalls, ledgerWall, driverWall]),
  },
  {
    // evidence/ owns the ledger; db/ owns the driver (open.ts opens the file, raw.ts is the one raw door).
    files: ['electron/backend/evidence/**/*.ts'],
    rules: wall([...backendWalls, driverWall]),
  },
  {
    files: ['electron/backend/db/**/*.ts'],
    rules: wall([...backendWalls, ledgerWall]),
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs,js}'],
    rules: wall([ledgerWall]),
  },
  {
    files: ['electron/backend/sync/connectors/**/*.ts'],
    rules: wall([{ group: ['**/attendance/**', '**/sessions/**', '**/people/**', '**/catalogue/**', '**/organisation/**', '**/demo/**', '**/transfer/**', '**/evidence/**', '**/documents/**', '**/claims/**', '**/afest/**'], message: "Bad layering: a connector maps outbox records to a wire format; it never reaches the capabilities' internals." }]),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: wall([{ group: ['**/backend/**', '**/renderer/**'], message: 'Bad layering: the shell talks to the backend over IPC / utility-process messages only.' }]),
  },
);
