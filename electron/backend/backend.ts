import { contract, isMethodName } from '../../shared/contract';
import { makeCtx, registerUser, systemClock, type Ctx, type Transport } from './context';
import { resolveCall } from './auth/sessions';
import { AppError, type ApiResult } from '../../shared/errors';
import { localiseError } from '../../shared/messages';
import { acquireInstanceLock, type LockHolder } from './db/instance-lock';
import { IntegrityGate } from './db/integrity';
import { openDatabase, type OpenOptions } from './db/open';
import { dispatch, toApiError } from './dispatch';
import { openLedger } from './evidence/seal';
import type { Locale } from '../../shared/messages';
import { databaseFile } from './paths';
import type { SyncEngine, SyncOptions } from './sync/engine';
import { attachSync } from './sync/registry';
import { openDataKey } from './privacy/data-key';
import { sealClearFields } from './privacy/startup';

export interface Backend {
  ctx: Ctx;
  /**
   * The file's own handle, for hosts and tests only (a test playing the attacker, EXPLAIN, bench fixtures).
   * Services never see it: they reach SQL through `ctx.db` or `withRaw` (db/raw.ts), which take the lock.
   */
  raw: import('better-sqlite3').Database;
  /**
   * An in-process call as the backend's own identity (`user` of the options, LOCAL_USER by default): for tests,
   * tools and benchmarks holding this object. Hosts never use it: they call `serve`. `locale`: the caller's
   * language, for the messages of the answer.
   */
  dispatch(method: unknown, payload: unknown, options?: { locale?: Locale }): ReturnType<typeof dispatch>;
  /**
   * A call carried by a host (the app's window, the preview, the CLI) with the session token it keeps: resolved to
   * its account (auth/sessions.ts), refused while locked, then dispatched. `token` in the answer: the new token to
   * keep after a sign-in, `null` to forget the one sent (signed out, ended, altered), absent to keep it. The token
   * never appears in `result`: the page never sees it.
   */
  serve(token: string | null | undefined, method: unknown, payload: unknown, call: { locale?: Locale; transport: Transport }): Promise<Served>;
  /** The sync engine of this database; the app and the preview call `sync.start()`, tests drive it by hand. */
  sync: SyncEngine;
  close(): Promise<void>;
}

export interface Served {
  result: ApiResult<unknown>;
  token?: string | null;
}

export const SESSION_LOCKED = 'Session verrouillée après inactivité : saisissez votre code PIN ou votre mot de passe pour continuer ; rien n\'a été modifié.';

/** What a locked session may still call: unlock, lock, sign out (and what anyone may). */
const WHILE_LOCKED = new Set(['auth.unlock', 'auth.lock', 'auth.signOut']);

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
  /**
   * The data key (32 bytes) personal data is sealed under (privacy/data-key.ts): in the app, the one the main
   * process keeps sealed with safeStorage (`data.key.sealed`), handed over by host.ts. Absent: the data folder's
   * `data.key` file, created on first use (CLI, tests, preview).
   */
  dataKey?: Buffer | undefined;
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
    // Personal data still in clear (before schema 17) is sealed once the key is there (privacy/startup.ts).
    const cipher = openDataKey(opened.raw, dataDir, options.dataKey);
    if (cipher && !opened.damaged && !checking) sealClearFields(opened.raw, dataDir, cipher);
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
        const cipher = openDataKey(opened.raw, dataDir, options.dataKey);
        if (cipher) sealClearFields(opened.raw, dataDir, cipher);
        return null;
      }),
      options.integrityWaitMs,
    );
  }
  const sync = attachSync(ctx, options.sync);
  const dispatchAndNotify = async (c: Ctx, method: unknown, payload: unknown, call?: { locale?: Locale }) => {
    const result = await dispatch(c, method, payload, call);
    // A committed write may have queued records for the funders: the "new local change" trigger.
    if (result.ok && isMethodName(method) && contract[method].write) sync.notifyChange();
    return result;
  };
  return {
    ctx,
    raw: opened.raw,
    sync,
    dispatch: (method, payload, call) => dispatchAndNotify(ctx, method, payload, call),
    serve: async (token, method, payload, call) => {
      const name = typeof method === 'string' ? method : '';
      let resolved;
      try {
        resolved = await resolveCall(ctx, token, name);
      } catch (e) {
        return { result: { ok: false, error: localiseError(toApiError(e), call.locale ?? 'fr') } };
      }
      const forget = resolved.stale ? { token: null } : {};
      if (resolved.session?.locked && isMethodName(name) && contract[name].permission !== 'anyone' && !WHILE_LOCKED.has(name)) {
        return { result: { ok: false, error: localiseError(new AppError('locked', SESSION_LOCKED).toJSON(), call.locale ?? 'fr') }, ...forget };
      }
      const callCtx: Ctx = { ...ctx, user: resolved.user, transport: call.transport, ...(resolved.session ? { session: resolved.session } : {}) };
      const result = await dispatchAndNotify(callCtx, method, payload, call.locale ? { locale: call.locale } : {});
      if (result.ok && name === 'auth.signOut') return { result, token: null };
      if (result.ok && result.value && typeof result.value === 'object' && 'token' in result.value) {
        // The host keeps the new session's token; the page gets everything else.
        const { token: next, ...rest } = result.value as { token?: string };
        return { result: { ok: true, value: rest }, token: next ?? null };
      }
      return { result, ...forget };
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
