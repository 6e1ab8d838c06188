import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toApiError } from '../../electron/backend/dispatch';

// Real SQLite errors, raised by a real database, must reach people as French sentences naming the field,
// never as SQLite's own English text.
let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec(`
    CREATE TABLE sessions (id TEXT PRIMARY KEY, start_date TEXT NOT NULL, end_date TEXT NOT NULL CHECK (end_date >= start_date));
    CREATE TABLE companies (id TEXT PRIMARY KEY, siret TEXT NOT NULL UNIQUE);
    CREATE TABLE slots (id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions (id));
    CREATE TABLE marks (id TEXT PRIMARY KEY);
    CREATE TRIGGER marks_u BEFORE UPDATE ON marks BEGIN SELECT RAISE(ABORT, 'marks is evidence: append-only, corrections supersede'); END;
    INSERT INTO companies VALUES ('c1', '99900000000011');
    INSERT INTO marks VALUES ('m1');
  `);
});
afterEach(() => db.close());

function errorOf(sql: string) {
  try {
    db.exec(sql);
  } catch (e) {
    return toApiError(e);
  }
  throw new Error(`expected SQLite to refuse: ${sql}`);
}

const ENGLISH = /constraint failed|SQLITE|append-only|is locked/i;

describe('SQLite errors in French', () => {
  it.each([
    ["INSERT INTO companies VALUES ('c2', '99900000000011')", 'conflict', 'siret', /déjà ce SIRET/],
    ["INSERT INTO sessions VALUES ('s1', '2027-02-01', '2027-01-01')", 'validation', 'endDate', /Date de fin : valeur hors des limites/],
    ["INSERT INTO sessions (id, start_date) VALUES ('s1', '2027-02-01')", 'validation', 'endDate', /Date de fin : champ obligatoire/],
    ["INSERT INTO slots VALUES ('x', 'nowhere')", 'validation', undefined, /Référence inconnue/],
    ["UPDATE marks SET id = 'm2'", 'business', undefined, /preuve enregistrée ne se modifie/],
  ])('%s', (sql, code, field, message) => {
    const e = errorOf(sql);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(ENGLISH);
    if (field) expect(e.issues?.[0]?.path).toBe(field);
  });

  it('a database locked by another process says so in French', () => {
    const e = toApiError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    expect(e.message).toMatch(/^Sillon est déjà ouvert ailleurs/);
    expect(e.message).not.toMatch(ENGLISH);
  });

  it('an unexpected error gives a reference, not its raw text', () => {
    const e = toApiError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/^Erreur interne \(référence [0-9a-f]{8}\)/);
    expect(e.message).not.toMatch(/Cannot read/);
  });
});
