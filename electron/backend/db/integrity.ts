import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';

/**
 * The file's integrity (issue #9 §2): `PRAGMA quick_check` on every open. Linear in the file's size, without the
 * index cross-checks of integrity_check — yet it reads every page: on this machine 0.6–2 s for 400–550 MB in the
 * page cache, 14–22 s from disk (the first open after a reboot), 12–16 s for the 1.16 GB bench file. A small file
 * is checked before the app opens (db/open.ts); a big one in a worker thread with its own read-only connection,
 * while the app opens and reads at once, and every write waits for the verdict here.
 */
/** `PRAGMA quick_check` on an open file: "ok", or what it found (its first lines), or the error it raised. */
export function quickCheck(raw: Database.Database): string {
  try {
    const rows = raw.pragma('quick_check(5)') as { quick_check: string }[];
    const found = rows.map((r) => r.quick_check);
    return found.length === 1 && found[0] === 'ok' ? 'ok' : oneLine(found.join(' ; '));
  } catch (e) {
    return oneLine((e as Error).message);
  }
}

/** quick_check's lines ("*** in database main ***\nOn tree page 12…") as one line, for a French sentence. */
function oneLine(found: string): string {
  return found.replace(/\s+/g, ' ').trim();
}

/**
 * Files from this size on are checked in the background. From disk quick_check reads ~20–35 MB/s here (400 MB in
 * 14–22 s), so 16 MB costs at most ~0.5–0.8 s at open, ~50 ms from the page cache — less than the window's own
 * start; 64 MB would be 2–3 s from disk. Below it a worker is not worth its start (~40–100 ms, loading the
 * driver).
 */
export const BACKGROUND_CHECK_FROM_BYTES = 16 * 1024 * 1024;

/** The answer to a write that came before the verdict and waited for it longer than `INTEGRITY_WAIT_MS`. */
export const CHECKING_MESSAGE =
  "Vérification de l'intégrité de la base en cours… Rien n'a été enregistré ; réessayez dans quelques secondes.";

/**
 * How long a write waits for the verdict before being answered with CHECKING_MESSAGE. Long enough to cover the
 * check of a large file read cold from disk (measured: 12–24 s for 400–550 MB), so that a save or a roll-call
 * draft made just after start-up simply takes longer (the screen shows it busy) instead of being refused; reads
 * answer all along.
 */
export const INTEGRITY_WAIT_MS = 60_000;

/**
 * The worker's code, given as a string (`eval: true`) so that it survives every bundling (esbuild for the app's
 * backend-host.cjs and the CLI/preview's dist-node/*.mjs) without an entry of its own. It loads better-sqlite3
 * from the path the main thread resolved (so from the app's own node_modules, not from the working directory).
 * Its answer: `{ verdict }` (what quick_check said) or `{ failed }` (it could not even run: the main thread then
 * checks itself).
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
let db = null;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: workerData.timeout });
} catch (e) {
  parentPort.postMessage({ failed: String((e && e.message) || e) });
}
if (db) {
  let verdict;
  try {
    const found = db.pragma('quick_check(5)').map((r) => r.quick_check);
    verdict = found.length === 1 && found[0] === 'ok' ? 'ok' : found.join(' ; ');
  } catch (e) {
    verdict = String((e && e.message) || e);
  }
  try { db.close(); } catch {}
  parentPort.postMessage({ verdict });
}
`;

/** Where better-sqlite3 is, for the worker: `require` exists in the CJS bundle, in the ESM bundle (banner) and under vitest. */
function driverPath(): string {
  try {
    return typeof require === 'function' ? require.resolve('better-sqlite3') : 'better-sqlite3';
  } catch {
    return 'better-sqlite3';
  }
}

export interface BackgroundCheck {
  /** quick_check's answer ("ok" or what it found); falls back to `fallback()` when the worker could not run. */
  verdict: Promise<string>;
  /** Stops the worker (the database is being closed). */
  stop(): Promise<void>;
}

/** Runs quick_check on `file` in a worker thread. */
export function checkInBackground(file: string, timeout: number, fallback: () => string): BackgroundCheck {
  let worker: Worker | null = null;
  let stopped = false;
  const verdict = new Promise<string>((resolve) => {
    let settled = false;
    const settle = (v: string) => {
      if (settled) return;
      settled = true;
      worker = null;
      resolve(v);
    };
    // Stopped (the database closes): no verdict at all, nothing waits on it any more.
    // The worker's `exit` follows its message: only a worker that ended without a verdict falls back.
    const fallBack = () => {
      if (!stopped && !settled) settle(fallback());
    };
    try {
      worker = new Worker(WORKER_CODE, { eval: true, workerData: { file, driver: driverPath(), timeout } });
    } catch {
      // No worker at all: checked on the main thread, as a small file is.
      queueMicrotask(fallBack);
      return;
    }
    worker.unref();
    worker.on('message', (m: { verdict?: string; failed?: string }) => {
      if (typeof m.verdict === 'string' && !stopped) settle(m.verdict === 'ok' ? 'ok' : oneLine(m.verdict));
      else fallBack();
    });
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
  });
  return {
    verdict,
    stop: async () => {
      stopped = true;
      const w = worker;
      if (w) await w.terminate();
    },
  };
}

/**
 * Where writes stand while a big file is checked in the background: they wait for the verdict (at most
 * `waitMs`), then go through on a sound file or are refused with `refusal` (the damaged file's sentence).
 */
export class IntegrityGate {
  #refusal: string | null | undefined = undefined;
  readonly settled: Promise<void>;

  constructor(
    verdict: Promise<string | null>,
    readonly waitMs: number = INTEGRITY_WAIT_MS,
  ) {
    this.settled = verdict.then(
      (refusal) => {
        this.#refusal = refusal;
      },
      (e: unknown) => {
        this.#refusal = e instanceof Error ? e.message : String(e);
      },
    );
  }

  /** undefined while checking; null for a sound file; the French sentence answering every write otherwise. */
  get refusal(): string | null | undefined {
    return this.#refusal;
  }

  /** Before a write: waits for the verdict (or answers "en cours"), and throws the refusal of a damaged file. */
  async beforeWrite(): Promise<void> {
    if (this.#refusal === undefined) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), this.waitMs);
      });
      const first = await Promise.race([this.settled, late]);
      clearTimeout(timer);
      if (first === 'late' && this.#refusal === undefined) throw new AppError('business', CHECKING_MESSAGE);
    }
    if (this.#refusal) throw new AppError('business', this.#refusal);
  }
}
