import { contract, isMethodName } from '../../shared/contract';
import { makeCtx, registerUser, type Ctx } from './context';
import { openDatabase, type OpenOptions } from './db/open';
import { dispatch } from './dispatch';
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

/** Opens the data folder's database and wires the handler table: the same for the app, the CLI and the bridge. */
export async function startBackend(
  dataDir: string,
  options: OpenOptions & Partial<Pick<Ctx, 'now' | 'newId' | 'user'>> & { sync?: Partial<SyncOptions> } = {},
): Promise<Backend> {
  const opened = await openDatabase(databaseFile(dataDir), options);
  const ctx = makeCtx({
    db: opened.db,
    dataDir,
    ...(options.now ? { now: options.now } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.user ? { user: options.user } : {}),
  });
  registerUser(opened.raw, ctx.user, ctx.now().toISOString());
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
      await sync.stop();
      await opened.close();
    },
  };
}
