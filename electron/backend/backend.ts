import { contract, isMethodName } from '../../shared/contract';
import { makeCtx, registerUser, systemClock, type Ctx } from './context';
import { acquireInstanceLock, type LockHolder } from './db/instance-lock';
import { IntegrityGate } from './db/integrity';
import { openDatabase, type OpenOptions } from './db/open';
import { dispatch } from './dispatch';
import { openLedger } from './evidence/seal';
import type { Locale } from '../../shared/messages';
import { databaseFile } from './paths';
import type { SyncEngine, SyncOptions } from './sync/engine';
import { attachSync } from './sync/registry';

export interface Backend {
  ctx: Ctx;
  /**
   * The file's own handle, for hosts and tests only (a test playing the attacker, EXPLAIN, bench fixtures).
   * Services never see it: they reach SQL through `ctx.db` or `withRaw` (db/raw.ts), which take the lock.
   */
  raw: import('better-sqlite3').Database;
  /** `locale`: the caller's language (the renderer's), for the messages of the answer. */
  dispatch(method: unknown, payload: unknown, options?: { locale?: Locale }): ReturnType<typeof dispatch>;
  /** The sync engine of this database; the app and the preview call `sync.start()`, tests drive it by hand. */
  sync: SyncEngine;
  close(): Promise<void>;
}

export interface StartOptions extends OpenOptions, Partial<Pick<Ctx, 'now' | 'newId' | 'user'>> {
  sync?: Partial<SyncOptions>;
  /**
   * Who takes the data folder's lock (db/instance-lock.ts): one Sillon per folder, a second one is told in
   * French. `false` only for read-only tools (CLI `info`, `export`, `verify`), which may run beside the app.
   */
  lock?: LockHolder | false;
  /**
   * The ledger's key (32 bytes): in the app, the one the main process keeps sealed with safeStorage
   * (electron/main/secrets.ts, handed over by host.ts). Absent: the data folder's `ledger.key` file, created on
   * first use (CLI, tests, preview).
   */
  ledgerKey?: Buffer | undefined;
  /** How long a write waits for the background integrity check's verdict (db/integrity.ts INTEGRITY_WAIT_MS). */
  integrityWaitMs?: number;
}

/** Opens the data folder's database and wires the handler table: the same for the app, the CLI and the bridge. */
export async function startBackend(dataDir: string, options: StartOptions = {}): Promise<Backend> {
  const holder = options.lock ?? 'app';
  const lock = holder ? acquireInstanceLock(dataDir, holder, (options.now ?? systemClock)().toISOString()) : null;
  let opened;
  try {
    opened = await openDatabase(databaseFile(dataDir), options);
  } catch (e) {
    lock?.release();
    throw e;
  }
  const ctx = makeCtx({
    db: opened.db,
    dataDir,
    ...(options.now ? { now: options.now } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.user ? { user: options.user } : {}),
    ...(opened.damaged ? { readOnly: opened.damaged } : {}),
  });
  // A damaged file is open read-only (db/open.ts): nothing is written to it, not even the user's row. A big file
  // still being checked in the background is read at once, and written to only after a sound verdict: the
  // start-up writes below, then each write the dispatcher lets through (ctx.integrity).
  const checking = opened.checkedInBackground;
  if (!opened.damaged && !checking) registerUser(opened.raw, ctx.user, ctx.now().toISOString());
  try {
    openLedger(opened.raw, dataDir, { key: options.ledgerKey, now: ctx.now, readOnly: Boolean(opened.damaged) || checking });
  } catch (e) {
    await opened.close();
    lock?.release();
    throw e;
  }
  if (checking) {
    ctx.integrity = new IntegrityGate(
      opened.integrity.then((damaged) => {
        if (damaged) {
          // From the verdict on, the same as a file found damaged at open: every write refused in French.
          ctx.readOnly = damaged;
          return damaged;
        }
        registerUser(opened.raw, ctx.user, ctx.now().toISOString());
        openLedger(opened.raw, dataDir, { key: options.ledgerKey, now: ctx.now });
        return null;
      }),
      options.integrityWaitMs,
    );
  }
  const sync = attachSync(ctx, options.sync);
  return {
    ctx,
    raw: opened.raw,
    sync,
    dispatch: async (method, payload, call) => {
      const result = await dispatch(ctx, method, payload, call);
      // A committed write may have queued records for the funders: the "new local change" trigger.
      if (result.ok && isMethodName(method) && contract[method].write) sync.notifyChange();
      return result;
    },
    close: async () => {
      try {
        await sync.stop();
        await opened.close();
      } finally {
        lock?.release();
      }
    },
  };
}
