import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startBackend } from '../../electron/backend/backend';

const ROOT = resolve(__dirname, '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The administrator tests sign the CLI in with on a folder they filled themselves (not the demo). */
export const CLI_ADMIN = { login: 'cli-admin', password: 'Essai-CLI-2026!' } as const;
/** The demo's administrator (demo data only). */
export const DEMO_ADMIN = { login: 'admin', password: 'demo' } as const;

/** The commands that act on a folder's data (help, unknown commands and options never open it). */
const SIGNED_COMMANDS = new Set(['init', 'demo', 'import', 'export', 'info', 'verify', 'sync', 'claims', 'afest', 'print', 'backup', 'restore']);

function dataDirOf(args: readonly string[]): string | undefined {
  const i = args.indexOf('--data-dir');
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
}

function logins(dir: string): Set<string> {
  const file = join(dir, 'sillon.db');
  if (!existsSync(file)) return new Set();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasRole = (db.prepare("SELECT count(*) AS n FROM pragma_table_info('users') WHERE name = 'role'").get() as { n: number }).n > 0;
    if (!hasRole) return new Set();
    return new Set((db.prepare('SELECT login FROM users WHERE login IS NOT NULL AND role IS NOT NULL').all() as { login: string }[]).map((r) => r.login));
  } finally {
    db.close();
  }
}

/** Gives a folder its first administrator, in-process, as a person would with `init --user`. */
export async function addCliAdmin(dir: string): Promise<void> {
  const b = await startBackend(dir, { lock: 'cli' });
  try {
    const r = await b.dispatch('auth.setup', { login: CLI_ADMIN.login, name: 'Administrateur des tests', email: null, password: CLI_ADMIN.password });
    if (!r.ok) throw new Error(r.error.message);
  } finally {
    await b.close();
  }
}

/**
 * The credentials a person would give for this command on this folder: none for `init`/`demo`/help on a folder
 * without accounts (they need none); the demo's administrator where the demo is loaded; else the tests'
 * administrator, created first when the folder has no account yet. `credentials: false` runs with none at all.
 */
async function credentials(args: readonly string[], wanted: boolean | { login: string; password: string }): Promise<Record<string, string>> {
  if (wanted === false) return {};
  if (typeof wanted === 'object') return { SILLON_USER: wanted.login, SILLON_PASSWORD: wanted.password };
  const dir = dataDirOf(args);
  const command = args[0] ?? '';
  if (!dir || !SIGNED_COMMANDS.has(command)) return {};
  let existing = logins(dir);
  if (existing.size === 0) {
    if (command === 'init' || command === 'demo') return {};
    await addCliAdmin(dir);
    existing = logins(dir);
  }
  const who = existing.has(CLI_ADMIN.login) ? CLI_ADMIN : DEMO_ADMIN;
  return { SILLON_USER: who.login, SILLON_PASSWORD: who.password };
}

/**
 * Runs the CLI in a child process as `npm run cli -- <args>` does: the launcher that rebuilds the bundle when a
 * source changed, then runs it (npm itself adds half a second of start-up per call).
 */
export async function runCli(args: readonly string[], options: { timeout?: number; maxBuffer?: number; credentials?: boolean | { login: string; password: string }; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  for (const name of ['SILLON_DATA_DIR', 'SILLON_USER', 'SILLON_PASSWORD']) delete env[name];
  Object.assign(env, await credentials(args, options.credentials ?? true), options.env ?? {});
  return new Promise((done) => {
    execFile(process.execPath, ['scripts/cli.mjs', ...args], { cwd: ROOT, env, timeout: options.timeout ?? 120_000, maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}
