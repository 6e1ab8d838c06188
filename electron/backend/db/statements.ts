import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, cached per connection. For hot paths (attendance marks, ledger) where Kysely's
 * per-query cost would dominate; it runs on the same connection, so inside the same transaction.
 */
export function stmt(raw: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(raw);
  if (!cache) caches.set(raw, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = raw.prepare(sql)));
  return s;
}
