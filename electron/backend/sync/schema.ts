import type { Kysely } from 'kysely';
import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import type { DB } from '../db/schema';

// The sync tables' types live with every other table's in db/schema.ts (checked against the migrated schema).
export {
  ITEM_STATES,
  RECORD_TYPES,
  type BatchState,
  type ItemResult,
  type ItemState,
  type PausedKind,
  type RecordType,
  type ReferenceCatalogueTable,
  type SyncBatchTable,
  type SyncItemTable,
  type SyncReceiverTable,
  type SyncSettingTable,
} from '../db/schema';

/** The app's Kysely with the sync tables in its type (types only: same connection, same transaction). */
export function syncDb(ctx: Ctx): Kysely<DB> {
  return ctx.db;
}

/**
 * Runs `fn` synchronously in one SQLite transaction on the connection, holding Kysely's connection lock so
 * no other query (a user action's transaction, say) can interleave. Used on the hot paths of sync, where
 * prepared statements beat building queries. Inside an open Kysely transaction it becomes a savepoint.
 * **Important**: `fn` is synchronous by construction, so no network call can happen inside.
 */
export async function rawTransaction<T>(ctx: Ctx, fn: (raw: Raw) => T): Promise<T> {
  // IMMEDIATE (see Raw.transaction): two processes on one file (app + CLI) queue up instead of failing to
  // upgrade a read transaction.
  return withRaw(ctx.db, (raw) => raw.transaction(() => fn(raw)));
}
