import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Ctx } from '../context';
import type { DB } from '../db/schema';

/** Record types of the exchange protocol; the same four the outbox accepts. */
export const RECORD_TYPES = ['enrolment', 'attendance', 'afest-sequence', 'claim'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const ITEM_STATES = ['pending', 'in_flight', 'acked', 'rejected', 'dead'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export type BatchState = 'in_flight' | 'acked' | 'split' | 'failed' | 'dead';
export type PausedKind = 'user' | 'auth' | 'protocol';

/** Kysely's view of the tables of migrations/0003_sync.ts (camelCase). */
export interface SyncReceiverTable {
  id: string;
  name: string;
  kind: 'http' | 'file';
  url: string | null;
  tokenSealed: string | null;
  recordTypes: string;
  paused: number;
  pausedKind: PausedKind | null;
  pausedReason: string | null;
  pausedAt: string | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  offlineSince: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface SyncBatchTable {
  id: string;
  receiverId: string;
  body: string;
  recordCount: number;
  bodyBytes: number;
  state: BatchState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  response: string | null;
  parentId: string | null;
  fileName: string | null;
  fileStatus: 'exported' | 'uploaded' | null;
  createdAt: string;
  sentAt: string | null;
  ackedAt: string | null;
}

export type ItemResult = 'accepted' | 'duplicate' | 'superseded' | 'rejected' | 'covered' | 'too_large' | 'manual';

export interface SyncItemTable {
  receiverId: string;
  seq: number;
  recordType: RecordType;
  recordId: string;
  version: number;
  state: ItemState;
  batchId: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  result: ItemResult | null;
  coveredBy: number | null;
  receiverRef: string | null;
  errors: string | null;
  updatedAt: string;
  ackedAt: string | null;
}

export interface ReferenceCatalogueTable {
  receiverId: string;
  catalogue: string;
  items: string;
  cursor: string | null;
  etag: string | null;
  fetchedAt: string | null;
  lastError: string | null;
}

export interface SyncSettingTable {
  key: string;
  value: string;
}

// A type alias (not an interface): Kysely wants an index-signature-compatible record of tables.
export type SyncTables = {
  syncReceivers: SyncReceiverTable;
  syncBatches: SyncBatchTable;
  syncItems: SyncItemTable;
  referenceCatalogues: ReferenceCatalogueTable;
  syncSettings: SyncSettingTable;
};

/** The app's Kysely with the sync tables in its type (types only: same connection, same transaction). */
export function syncDb(ctx: Ctx): Kysely<DB & SyncTables> {
  return ctx.db.withTables<SyncTables>();
}

/**
 * Runs `fn` synchronously in one SQLite transaction on the raw handle, holding Kysely's connection lock so
 * no other query (a user action's transaction, say) can interleave. Used on the hot paths of sync, where
 * prepared statements beat building queries. Inside an open Kysely transaction it becomes a savepoint.
 * **Important**: `fn` is synchronous by construction, so no network call can happen inside.
 */
export async function rawTransaction<T>(ctx: Ctx, fn: (raw: Database.Database) => T): Promise<T> {
  // IMMEDIATE: take the write lock up front, so two processes on one file (app + CLI) queue up instead of
  // failing to upgrade a read transaction.
  const run = () => ctx.raw.transaction(() => fn(ctx.raw)).immediate();
  // An open Kysely transaction already holds the lock (and refuses connection()): join it as a savepoint.
  if (ctx.db.isTransaction) return run();
  return ctx.db.connection().execute(async () => run());
}
