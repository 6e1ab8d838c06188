import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/backend/db/open';
import { TABLES, type ColumnSpec } from '../../electron/backend/db/schema';

/**
 * The Kysely types are derived from `TABLES` (db/schema.ts); this compares `TABLES` with what the migrations
 * actually built, so a type can no longer drift from the schema.
 */
let dir: string;
let raw: Database.Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sillon-schema-'));
  const file = join(dir, 'sillon.db');
  const opened = await openDatabase(file);
  await opened.close();
  raw = new Database(file, { readonly: true });
});

afterAll(() => {
  raw.close();
  rmSync(dir, { recursive: true, force: true });
});

interface PragmaColumn {
  name: string;
  type: string;
  notnull: 0 | 1;
  pk: number;
  dflt_value: string | null;
}

/** What a column of the migrated database looks like in `TABLES`' notation. */
function specOf(c: PragmaColumn, tableSql: string): ColumnSpec {
  const type = c.type.toLowerCase();
  // An INTEGER PRIMARY KEY alone is the rowid: SQLite numbers it when the insert leaves it out.
  if (type === 'integer' && c.pk === 1 && new RegExp(`\\b${c.name} INTEGER PRIMARY KEY\\b`, 'i').test(tableSql)) return 'rowid';
  // PRIMARY KEY columns of STRICT tables are NOT NULL even when the declaration does not say it.
  const nullable = c.notnull === 0 && c.pk === 0;
  // NOT NULL with a default that inserts rely on (the row version): optional on insert.
  if (type === 'integer' && !nullable && c.name === 'version' && c.dflt_value !== null) return 'integer=';
  return `${type}${nullable ? '?' : ''}` as ColumnSpec;
}

describe('db/schema.ts against the migrated database', () => {
  it('describes every table the migrations create, and no other', () => {
    const tables = (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(Object.keys(TABLES).sort()).toEqual(tables);
  });

  for (const [table, columns] of Object.entries(TABLES)) {
    it(`${table}: same columns, types and nullability`, () => {
      const tableSql = (raw.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string } | undefined)?.sql ?? '';
      const actual = Object.fromEntries((raw.prepare(`SELECT name, type, "notnull", pk, dflt_value FROM pragma_table_info(?)`).all(table) as PragmaColumn[]).map((c) => [c.name, specOf(c, tableSql)]));
      expect(columns).toEqual(actual);
    });
  }

  it('reads an INTEGER PRIMARY KEY without NOT NULL as never null, and a declared NULL column as nullable', () => {
    // The two PRAGMA quirks the comparison relies on, checked on the real file rather than assumed.
    const outbox = raw.prepare(`SELECT name, "notnull", pk FROM pragma_table_info('outbox') WHERE name = 'seq'`).get() as PragmaColumn;
    expect(outbox).toEqual({ name: 'seq', notnull: 0, pk: 1 });
    expect(TABLES.outbox.seq).toBe('rowid');
    expect(TABLES.trainees.nir).toBe('text?');
    expect(TABLES.ledger.seq).toBe('rowid');
  });
});
