// Lint: TypeScript rules plus the walls of shared/design/architecture.md. A crossing fails with a
// message that teaches the architecture ("bad layering"), as VS Code's layer rule does. Walls hold on imports,
// on globals (no Node in the renderer, neither Node nor DOM in shared/) and on the clock (services and shared/
// get time from the injected ctx.now()). One tsconfig per layer backs the globals wall at compile time.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const wall = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
// Backend import walls, repeated in every backend block: a later block's rule options replace an earlier one's.
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
const keyWall = {
  group: ['**/evidence/key', '**/evidence/key.ts'],
  message:
    "The ledger key never leaves evidence/: it is bound to the database once (evidence/seal.ts openLedger) and only the seal functions use it. Pass a key to startBackend's `ledgerKey` option; read the head with evidence/head.ts, check with evidence/verify.ts.",
};
const driverWall = {
  group: ['better-sqlite3'],
  allowTypeImports: true,
  message:
    "Services never hold the SQLite handle: a raw statement outside Kysely's connection lock reads other requests' uncommitted rows. Use ctx.db (Kysely) or withRaw / rawAll / rawGet / rawRun (db/raw.ts).",
};
const node = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads', 'url', 'util', 'stream'];

// Globals that are not ECMAScript: Node's own (process, Buffer, require…) and the host's (document, fetch, URL,
// setTimeout, console…). `checkGlobalObject` also catches globalThis.process and window.Buffer.
const ecmascript = new Set(Object.keys(globals.es2023));
const nodeOnly = Object.keys(globals.node).filter((name) => !(name in globals.browser) && !ecmascript.has(name));
const hostGlobals = [...new Set([...Object.keys(globals.browser), ...Object.keys(globals.node)])].filter((name) => !ecmascript.has(name));
const noGlobals = (names, message) => ({
  'no-restricted-globals': ['error', { globals: names.map((name) => ({ name, message })), checkGlobalObject: true }],
});

// The clock wall: wall-clock time comes from the injected ctx.now(), so tests pin it and an overseas
// organisation's dates hold. `new Date(x)` with an argument only parses or copies, and stays allowed.
const clockMessage = 'Bad layering: time comes from the injected clock (ctx.now(), or a `now` parameter), never from the machine; see electron/backend/context.ts.';
const noClock = {
  'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: clockMessage }],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: clockMessage },
    { selector: "CallExpression[callee.name='Date']", message: clockMessage },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'dist-node/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Node everywhere but in the two layers that must not have it; languageOptions.globals merge, never shrink.
    ignores: ['renderer/**', 'shared/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      ...noGlobals(hostGlobals, 'Bad layering: shared/ is pure ECMAScript that runs anywhere (renderer, backend, tests): no Node or DOM global. Take the value as a parameter, or do the work in the backend or the renderer.'),
      ...noClock,
      ...wall([
        { group: ['electron', 'electron/*', 'better-sqlite3', 'kysely', 'react', 'react-dom', ...node], message: 'Bad layering: shared/ is pure (no Node, DOM, Electron or I/O). See shared/design/architecture.md.' },
        { group: ['**/electron/**', '**/renderer/**', '**/migrations/**'], message: 'Bad layering: shared/ imports nothing from electron/, renderer/ or migrations/.' },
      ]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...noGlobals(nodeOnly, 'Bad layering: the renderer is a sandboxed web page with no Node; it asks the backend through window.api (shared/contract.ts).'),
      ...wall([
        { group: ['electron', 'better-sqlite3', 'kysely', ...node], message: 'Bad layering: the renderer is untrusted; it talks to the backend only through window.api (shared/contract.ts).' },
        { group: ['**/electron/**', '**/migrations/**'], message: 'Bad layering: the renderer reaches the backend only through window.api.' },
      ]),
    },
  },
  {
    files: ['electron/backend/**/*.ts', 'migrations/**/*.ts'],
    rules: wall([...backendWalls, ledgerWall, keyWall, driverWall]),
  },
  {
    // evidence/ owns the ledger; db/ owns the driver (open.ts opens the file, raw.ts is the one raw door).
    files: ['electron/backend/evidence/**/*.ts'],
    rules: wall([...backendWalls, driverWall]),
  },
  {
    files: ['electron/backend/db/**/*.ts'],
    rules: wall([...backendWalls, ledgerWall, keyWall]),
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs,js}'],
    rules: wall([ledgerWall, keyWall]),
  },
  {
    // Every backend capability, wherever the capability folders move, gets time from ctx.now().
    // Exempt: context.ts, which owns the wall clock (systemClock, the default ctx.now) and UUIDv7's
    // millisecond (ids are meant to carry real time; tests replace newId instead). Nothing else: code that runs
    // before a Ctx exists (backend.ts, db/open.ts, the host, CLI and bridge) takes a `now` option whose default
    // is systemClock. Timers and durations (setTimeout, performance.now()) are not the wall clock.
    files: ['electron/backend/**/*.ts'],
    ignores: ['electron/backend/context.ts'],
    rules: noClock,
  },
  {
    files: ['electron/backend/sync/connectors/**/*.ts'],
    rules: wall([...backendWalls, ledgerWall, keyWall, driverWall, { group: ['**/attendance/**', '**/sessions/**', '**/people/**', '**/catalogue/**', '**/organisation/**', '**/demo/**', '**/transfer/**', '**/evidence/**', '**/documents/**', '**/claims/**', '**/afest/**'], message: "Bad layering: a connector maps outbox records to a wire format; it never reaches the capabilities' internals." }]),
  },
  {
    // The CLI is one more transport over the contract: it reaches the backend through dispatch only.
    files: ['electron/backend/cli.ts', 'electron/backend/sync/cli-sync.ts'],
    rules: wall([
      ...backendWalls,
      ledgerWall,
      keyWall,
      driverWall,
      {
        group: ['**/attendance/**', '**/sessions/**', '**/people/**', '**/catalogue/**', '**/organisation/**', '**/demo/**', '**/transfer/**', '**/evidence/**', '**/documents/**', '**/db/**', './receivers', './status', './engine', '**/sync/receivers', '**/sync/status', '**/sync/engine'],
        message: 'Bad layering: the CLI calls the contract through dispatch (cli-call.ts), with the same validation and permissions as the app — never a service directly.',
      },
    ]),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: wall([{ group: ['**/backend/**', '**/renderer/**'], message: 'Bad layering: the shell talks to the backend over IPC / utility-process messages only.' }]),
  },
);
