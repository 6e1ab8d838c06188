import type Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { PERMISSIONS, type Permission, type Role } from '../../shared/permissions';
import type { Locale } from '../../shared/messages';
import type { DB } from './db/schema';
import type { IntegrityGate } from './db/integrity';
import { withRaw } from './db/raw';
import { flushLedgerHead } from './evidence/seal';

export interface User {
  id: string;
  name: string;
  permissions: ReadonlySet<Permission>;
  /** The account's role; absent for the in-process identities below (tests, tools). */
  role?: Role;
  /**
   * Record-level scope (auth/scope.ts): a trainer's account sees only the sessions and slots they teach and the
   * AFESTs they facilitate, a tutor's only their own learners' AFESTs. Absent: no restriction.
   */
  scope?: { trainerId?: string | null; tutorId?: string | null };
}

/** The signed-in session a call came with (auth/sessions.ts). */
export interface CallSession {
  id: string;
  transport: Transport;
  locked: boolean;
}

/** Who carries the calls: the app's window, the preview in a browser, a CLI run, an in-process test. */
export type Transport = 'app' | 'preview' | 'cli' | 'test';

/** Everything a service may touch. Time and ids come from here so tests control them. */
export interface Ctx {
  /** The only door to SQL: Kysely, or raw statements through `withRaw(ctx.db, …)` (db/raw.ts), which takes the same lock. */
  db: Kysely<DB>;
  user: User;
  dataDir: string;
  now(): Date;
  newId(): string;
  /**
   * Set when the database file is damaged and open read-only (db/open.ts): the French sentence every write
   * gets (dispatch.ts). Absent for a sound file.
   */
  readOnly?: string;
  /**
   * A big file whose integrity is being checked in the background (db/integrity.ts): every write waits for the
   * verdict through it (dispatch.ts). Absent when the file was checked before opening.
   */
  integrity?: IntegrityGate;
  /** The language of the person calling (the renderer's, per call): messages are given in it. French when absent. */
  locale?: Locale;
  /** The session of the call when it came through a host (auth/sessions.ts); absent for in-process calls. */
  session?: CallSession;
  /** The transport new sessions are opened for (auth.signIn): the host's. */
  transport?: Transport;
}

/**
 * The in-process identity of trusted callers that hold the backend object itself — tests, benchmarks, the demo
 * loader, a tool opening its own database — and the author of everything written before accounts existed. It has
 * no login and cannot sign in: the hosts (the app, the preview bridge, the CLI) never call as it, every call they
 * carry runs as the account of its session (Backend.serve).
 */
export const LOCAL_USER: User = Object.freeze({ id: 'local', name: 'Utilisateur local', permissions: new Set(PERMISSIONS) });

/** The caller of a host before any sign-in: no permission, only the methods open to anyone. Never a row of `users`. */
export const ANONYMOUS: User = Object.freeze({ id: 'anonymous', name: 'Non connecté', permissions: new Set<Permission>() });

/**
 * UUIDv7 from the `uuid` package, fed with random bytes drawn 4 KiB at a time: one system call per 256
 * ids instead of one per id (a roll call makes dozens). The millisecond and sequence follow uuid's own
 * rule, so ids made in one process stay strictly increasing.
 */
const pool = new Uint8Array(16 * 256);
let poolOffset = pool.length;
const clock = { msecs: -Infinity, seq: 0 };
export function newUuidV7(): string {
  if (poolOffset >= pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const random = pool.subarray(poolOffset, (poolOffset += 16));
  const now = Date.now();
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    clock.seq = (clock.seq + 1) | 0;
    if (clock.seq === 0) clock.msecs++;
  }
  return uuidv7({ random, msecs: clock.msecs, seq: clock.seq });
}

/**
 * The wall clock, read here and nowhere else in the backend (lint forbids `Date.now()` and `new Date()`
 * elsewhere): code that runs before a Ctx exists takes a `now` option that defaults to this.
 */
export const systemClock = (): Date => new Date();

export function makeCtx(parts: Pick<Ctx, 'db' | 'dataDir'> & Partial<Pick<Ctx, 'user' | 'now' | 'newId' | 'readOnly'>>): Ctx {
  return { user: LOCAL_USER, now: systemClock, newId: newUuidV7, ...parts };
}

/**
 * Runs `fn` in one transaction. Inside an open transaction it simply joins it, so services compose.
 * **Important**: never await a network call in here; the transaction holds the only connection.
 * After the top level commits, the ledger's head outside the database (evidence/seal.ts) follows the chain.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  const result = await ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
  await withRaw(ctx.db, (raw) => flushLedgerHead(raw));
  return result;
}

/** created/updated columns for a new row. */
export function stampNew(ctx: Ctx) {
  const at = ctx.now().toISOString();
  return { createdAt: at, createdBy: ctx.user.id, updatedAt: at, updatedBy: ctx.user.id };
}

export function stampUpdate(ctx: Ctx) {
  return { updatedAt: ctx.now().toISOString(), updatedBy: ctx.user.id };
}

/**
 * updated columns and the next version, for the rows that sync (schema 4): a receiver or another device
 * tells two states of one row apart by their version.
 */
export function stampVersion(ctx: Ctx) {
  return { ...stampUpdate(ctx), version: sql<number>`version + 1` };
}

/**
 * Makes the user a row of `users` (every created_by points there). Until accounts arrive the app runs as
 * LOCAL_USER, which migration 4 already made; tools and tests may open the backend as another user.
 */
export function registerUser(raw: Database.Database, user: User, at: string): void {
  raw.prepare('INSERT OR IGNORE INTO users (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(user.id, user.name, at, at);
}
