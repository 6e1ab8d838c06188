import type Database from 'better-sqlite3';
import type { DatabaseConnection, Kysely } from 'kysely';
import type { DB } from './schema';
import { stmt } from './statements';

/**
 * The one way to raw SQL (prepared statements, for hot paths where building a Kysely query would dominate).
 *
 * Why it exists: SQLite gives the app one connection, and Kysely's driver guards it with a mutex that a
 * transaction holds from BEGIN to COMMIT, across its awaits. A service that used the better-sqlite3 handle
 * directly skipped that mutex: while another request's transaction awaited, a raw read ran on the same
 * connection, inside that open transaction, and saw its uncommitted rows (or wrote into it). `withRaw` asks
 * Kysely for the connection instead: inside a transaction that is the transaction's own connection; outside,
 * it waits for the running transaction to finish, exactly like a Kysely query would.
 */

/** Raw SQL on the connection, valid only inside the `withRaw` callback that received it. */
export interface Raw {
  get<T>(sql: string, ...params: unknown[]): T | undefined;
  all<T>(sql: string, ...params: unknown[]): T[];
  run(sql: string, ...params: unknown[]): Database.RunResult;
  iterate<T>(sql: string, ...params: unknown[]): IterableIterator<T>;
  /** The cached prepared statement, for loops that run it many times; use it only inside the callback. */
  prepare(sql: string): Database.Statement;
  /**
   * Runs `fn` in one synchronous SQLite transaction (IMMEDIATE: takes the write lock up front, so the app and
   * the CLI on one file queue up instead of failing to upgrade). Inside an open transaction, a savepoint.
   */
  transaction<T>(fn: () => T): T;
  /** Whether a transaction (Kysely's or `transaction` above) is open on the connection. */
  readonly inTransaction: boolean;
}

class RawConnection implements Raw {
  readonly #db: Database.Database;
  /** Callbacks running now: a Raw kept past its callback fails loudly instead of bypassing the lock. */
  depth = 0;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #open(): Database.Database {
    if (this.depth === 0) throw new Error('Raw SQL used outside withRaw: the connection lock is not held');
    return this.#db;
  }

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return stmt(this.#open(), sql).get(...params) as T | undefined;
  }
  all<T>(sql: string, ...params: unknown[]): T[] {
    return stmt(this.#open(), sql).all(...params) as T[];
  }
  run(sql: string, ...params: unknown[]): Database.RunResult {
    return stmt(this.#open(), sql).run(...params);
  }
  iterate<T>(sql: string, ...params: unknown[]): IterableIterator<T> {
    return stmt(this.#open(), sql).iterate(...params) as IterableIterator<T>;
  }
  prepare(sql: string): Database.Statement {
    return stmt(this.#open(), sql);
  }
  transaction<T>(fn: () => T): T {
    return this.#open().transaction(fn).immediate();
  }
  get inTransaction(): boolean {
    return this.#open().inTransaction;
  }
}

const connections = new WeakMap<DatabaseConnection, RawConnection>();

/** Called once by `openDatabase` (SqliteDialect's onCreateConnection): ties Kysely's connection to its file handle. */
export function registerConnection(connection: DatabaseConnection, db: Database.Database): void {
  connections.set(connection, new RawConnection(db));
}

/**
 * Runs `fn` with raw SQL on the connection `db` (a `Kysely` or a transaction) holds or will hold: inside a
 * transaction, in it; outside, after any running transaction has committed. `fn` is synchronous by design,
 * so the lock is never held across a network call.
 */
export async function withRaw<T>(db: Kysely<DB>, fn: (raw: Raw) => T): Promise<T> {
  // getExecutor is marked internal in Kysely's types but is the one door to its connection provider, which
  // is what applies the mutex (root) or reuses the transaction's connection (transaction).
  return db.getExecutor().provideConnection(async (connection) => {
    const raw = connections.get(connection);
    if (!raw) throw new Error('This Kysely was not opened by openDatabase: no raw connection registered');
    raw.depth++;
    try {
      return fn(raw);
    } finally {
      raw.depth--;
    }
  });
}

/** One raw read of all rows (see `withRaw`). */
export function rawAll<T>(db: Kysely<DB>, sql: string, ...params: unknown[]): Promise<T[]> {
  return withRaw(db, (r) => r.all<T>(sql, ...params));
}

/** One raw read of the first row (see `withRaw`). */
export function rawGet<T>(db: Kysely<DB>, sql: string, ...params: unknown[]): Promise<T | undefined> {
  return withRaw(db, (r) => r.get<T>(sql, ...params));
}

/** One raw write (see `withRaw`). */
export function rawRun(db: Kysely<DB>, sql: string, ...params: unknown[]): Promise<Database.RunResult> {
  return withRaw(db, (r) => r.run(sql, ...params));
}
