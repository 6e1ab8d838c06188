/**
 * SQL makers shared by migrations. **Important**: a landed migration's SQL must never change, so a helper
 * used by one may only be extended with new options, never have its output altered.
 */

/** Triggers that refuse UPDATE and DELETE on an evidence table: corrections are new rows that supersede. */
export function appendOnly(table: string, message = `${table} is evidence: append-only, corrections supersede`): string {
  return `
CREATE TRIGGER ${table}_append_only_u BEFORE UPDATE ON ${table}
  BEGIN SELECT RAISE(ABORT, '${message}'); END;
CREATE TRIGGER ${table}_append_only_d BEFORE DELETE ON ${table}
  BEGIN SELECT RAISE(ABORT, '${message}'); END;`;
}

/** A table rebuilt by SQLite's documented 12-step procedure (https://sqlite.org/lang_altertable.html#otheralter). */
export interface Rebuild {
  table: string;
  /** The new definition: everything between the parentheses of CREATE TABLE. */
  columns: string;
  /** Table options after the parentheses. */
  options?: string;
  /**
   * What the new table receives, in order: a column name copied as is, or [new column, SQL expression over
   * the old rows]. New columns left out take their DEFAULT.
   */
  copy: readonly (string | readonly [string, string])[];
  /** The FROM clause of the copy; the old table by default (joins may alias it). */
  from?: string;
  /** Indexes and triggers to create again: DROP TABLE took the old ones with it. */
  after?: string;
}

/**
 * SQL that replaces a table by a new definition (new constraints, added or removed columns), keeping its
 * name and its rows. **Important**: runs only with `PRAGMA foreign_keys=OFF` (the migrator does so and
 * runs `foreign_key_check` before committing): with foreign keys on, DROP TABLE would delete the rows of
 * the old table one by one, firing append-only triggers and cascading to children.
 */
export function rebuildTable(r: Rebuild): string {
  const temp = `${r.table}__rebuild`;
  const targets = r.copy.map((c) => (typeof c === 'string' ? c : c[0])).join(', ');
  const sources = r.copy.map((c) => (typeof c === 'string' ? c : c[1])).join(', ');
  return `
CREATE TABLE ${temp} (${r.columns}) ${r.options ?? 'STRICT'};
INSERT INTO ${temp} (${targets}) SELECT ${sources} FROM ${r.from ?? r.table};
DROP TABLE ${r.table};
ALTER TABLE ${temp} RENAME TO ${r.table};
${r.after ?? ''}`;
}

/**
 * A UUIDv7 made in SQL, for rows a migration creates: the 48-bit millisecond time from `msExpr` (an
 * integer expression over the row), then the version, variant and random bits. Every call of randomblob()
 * is per row, so ids made in one statement differ.
 */
export function uuidV7Sql(msExpr: string): string {
  return `(SELECT substr(t, 1, 8) || '-' || substr(t, 9, 4) || '-7' || substr(r, 1, 3) || '-' || substr('89ab', unicode(substr(r, 4, 1)) % 4 + 1, 1) || substr(r, 5, 3) || '-' || substr(r, 8, 12)
  FROM (SELECT printf('%012x', ${msExpr}) AS t, lower(hex(randomblob(10))) AS r))`;
}

/** Milliseconds since 1970 of an ISO-8601 text column, as the integer uuidV7Sql wants. */
export function epochMsSql(isoExpr: string): string {
  return `CAST(round((julianday(${isoExpr}) - 2440587.5) * 86400000) AS INTEGER)`;
}
