import type { Kysely } from 'kysely';
import type { Ctx } from '../context';
import type { DB } from '../db/schema';
import { SyncEngine, type SyncOptions } from './engine';

// One engine per open database: handlers reach it from their ctx without the context knowing about sync.
const engines = new WeakMap<Kysely<DB>, SyncEngine>();

/** Creates the engine of this database (the backend does it at start-up, with the app's options). */
export function attachSync(ctx: Ctx, options: Partial<SyncOptions> = {}): SyncEngine {
  const existing = engines.get(ctx.db);
  if (existing) {
    existing.configure(options);
    return existing;
  }
  const engine = new SyncEngine(ctx, options);
  engines.set(ctx.db, engine);
  return engine;
}

/** The engine of the database `ctx` works on. */
export function syncOf(ctx: Ctx): SyncEngine {
  const engine = engines.get(ctx.db);
  if (engine) return engine;
  // Handlers run on the root context; a transaction cannot own a long-lived engine.
  if (ctx.db.isTransaction) throw new Error('The sync engine is attached at start-up (attachSync), not inside a transaction');
  return attachSync(ctx);
}
