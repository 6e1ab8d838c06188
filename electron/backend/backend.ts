import { makeCtx, type Ctx } from './context';
import { openDatabase, type OpenOptions } from './db/open';
import { dispatch } from './dispatch';
import { databaseFile } from './paths';

export interface Backend {
  ctx: Ctx;
  dispatch(method: unknown, payload: unknown): ReturnType<typeof dispatch>;
  close(): Promise<void>;
}

/** Opens the data folder's database and wires the handler table: the same for the app, the CLI and the bridge. */
export async function startBackend(dataDir: string, options: OpenOptions & Partial<Pick<Ctx, 'now' | 'newId' | 'user'>> = {}): Promise<Backend> {
  const opened = await openDatabase(databaseFile(dataDir), options);
  const ctx = makeCtx({
    db: opened.db,
    raw: opened.raw,
    dataDir,
    ...(options.now ? { now: options.now } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.user ? { user: options.user } : {}),
  });
  return {
    ctx,
    dispatch: (method, payload) => dispatch(ctx, method, payload),
    close: () => opened.close(),
  };
}
