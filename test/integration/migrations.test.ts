import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../electron/backend/db/open';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../../migrations';
import { appendOnly, rebuildTable } from '../../migrations/helpers';
import { AppError } from '../../shared/errors';

let dir: string;
let file: string;
const opened: OpenedDatabase[] = [];

async function open(options: Parameters<typeof openDatabase>[1] = {}): Promise<OpenedDatabase> {
  const db = await openDatabase(file, options);
  opened.push(db);
  return db;
}
async function closeAll(): Promise<void> {
  while (opened.length) await opened.pop()!.close();
}
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const tables = (raw: Database.Database) =>
  (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const step1: Migration = { version: 1, name: 'people', sql: 'CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;' };
const step2: Migration = { version: 2, name: 'people-email', sql: 'ALTER TABLE people ADD COLUMN email TEXT; CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT) STRICT;' };
const failing: Migration = {
  version: 2,
  name: 'broken',
  sql: "CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT; INSERT INTO people (id, name) VALUES (99, 'ghost'); INSERT INTO no_such_table VALUES (1);",
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sillon-migrations-'));
  file = join(dir, 'data', 'sillon.db');
});
afterEach(async () => {
  await closeAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates a new database at the latest schema, in WAL mode with foreign keys on', async () => {
    const db = await open();
    expect(existsSync(file)).toBe(true);
    expect(db.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(db.raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.at(-1)!.version);
    expect(db.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.raw.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.backupPath).toBeNull(); // nothing to back up in a new file
    expect(tables(db.raw)).toEqual(expect.arrayContaining(['sessions', 'slots', 'enrolments', 'enrolment_statuses', 'outbox']));
    // Foreign keys are really enforced.
    expect(() =>
      db.raw.prepare("INSERT INTO sessions (id, action_id, label, mode, capacity, start_date, end_date, created_at, created_by, updated_at, updated_by) VALUES ('s', 'nope', 'x', 'cohort', 1, '2026-01-01', '2026-01-02', 'a', 'b', 'c', 'd')").run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('re-opening an up-to-date database runs nothing and takes no backup', async () => {
    await open({ migrations: [step1] });
    await closeAll();
    // A migration that cannot run twice (plain CREATE TABLE) proves it is not run again.
    const again = await open({ migrations: [step1] });
    expect(again.raw.pragma('user_version', { simple: true })).toBe(1);
    expect(again.backupPath).toBeNull();
    expect(existsSync(join(dir, 'data', 'backups'))).toBe(false);
    await closeAll();
    // The same with the real list, on another file.
    file = join(dir, 'real', 'sillon.db');
    await open();
    await closeAll();
    const realAgain = await open();
    expect(realAgain.raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(realAgain.backupPath).toBeNull();
    expect(existsSync(join(dir, 'real', 'backups'))).toBe(false);
  });

  it('refuses a database written by a newer version, in French, without changing a byte', async () => {
    file = join(dir, 'sillon.db');
    const raw = new Database(file);
    raw.exec("CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('from the future');");
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = hash(file);
    const filesBefore = readdirSync(dir).sort();

    const e = await refusal(open());
    expect(e.code).toBe('business');
    expect(e.message).toMatch(/version plus récente de Sillon/);
    expect(e.message).toMatch(new RegExp(`schéma ${LATEST_SCHEMA_VERSION + 5}`));
    expect(e.message).toMatch(/n'a pas été modifié/);

    expect(hash(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(filesBefore); // no -wal, -shm or backups left behind
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('refuses a corrupt file (random bytes) and leaves it untouched', async () => {
    file = join(dir, 'sillon.db');
    writeFileSync(file, randomBytes(64 * 1024));
    const before = hash(file);

    const e = await refusal(open());
    expect(e.code).toBe('business');
    expect(e.message).toMatch(/n'est pas une base de données Sillon lisible/);
    expect(e.message).toMatch(/il n'a pas été modifié/);
    expect(hash(file)).toBe(before);
    expect(readdirSync(dir)).toEqual(['sillon.db']);
  });

  it('migrating an older database first takes a backup that opens and holds the old data', async () => {
    const v1 = await open({ migrations: [step1] });
    v1.raw.prepare("INSERT INTO people (id, name) VALUES (1, 'Nadia Benali'), (2, 'Julien Renaud')").run();
    await closeAll();

    const v2 = await open({ migrations: [step1, step2], now: () => new Date('2026-11-23T09:30:00.000Z') });
    expect(v2.raw.pragma('user_version', { simple: true })).toBe(2);
    expect(v2.raw.prepare('SELECT name, email FROM people ORDER BY id').all()).toEqual([
      { name: 'Nadia Benali', email: null },
      { name: 'Julien Renaud', email: null },
    ]);
    expect(tables(v2.raw)).toContain('notes');

    expect(v2.backupPath).toBe(join(dir, 'data', 'backups', 'sillon-schema1-2026-11-23T09-30-00-000Z.db'));
    expect(existsSync(v2.backupPath!)).toBe(true);
    const backup = new Database(v2.backupPath!, { readonly: true });
    try {
      expect(backup.pragma('user_version', { simple: true })).toBe(1);
      expect(backup.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(backup.prepare('SELECT name FROM people ORDER BY id').all()).toEqual([{ name: 'Nadia Benali' }, { name: 'Julien Renaud' }]);
      expect(tables(backup)).not.toContain('notes');
      expect((backup.prepare('PRAGMA table_info(people)').all() as { name: string }[]).map((c) => c.name)).toEqual(['id', 'name']);
    } finally {
      backup.close();
    }
  });

  it('puts backups in backupDir when given', async () => {
    await open({ migrations: [step1] });
    await closeAll();
    const backupDir = join(dir, 'elsewhere');
    const v2 = await open({ migrations: [step1, step2], backupDir });
    expect(v2.backupPath?.startsWith(backupDir)).toBe(true);
    expect(readdirSync(backupDir)).toHaveLength(1);
  });

  it('a failing migration rolls back: user_version unchanged, no partial table or row', async () => {
    const v1 = await open({ migrations: [step1] });
    v1.raw.prepare("INSERT INTO people (id, name) VALUES (1, 'Nadia Benali')").run();
    await closeAll();

    const e = await refusal(open({ migrations: [step1, failing] }));
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/^La migration 2 \(broken\) .* a échoué ; elle a été annulée et la base est restée au schéma 1\./);

    const check = new Database(file);
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(1);
      expect(tables(check)).not.toContain('half_done');
      expect(check.prepare('SELECT id, name FROM people').all()).toEqual([{ id: 1, name: 'Nadia Benali' }]);
    } finally {
      check.close();
    }
    // The file is still usable by the version that wrote it.
    const reopened = await open({ migrations: [step1] });
    expect(reopened.raw.pragma('user_version', { simple: true })).toBe(1);
  });

  it('a new file whose second migration fails is left at version 0 with no table at all', async () => {
    const e = await refusal(open({ migrations: [step1, failing] }));
    expect(e.code).toBe('internal');
    const check = new Database(file);
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(0);
      expect(tables(check)).toEqual([]);
    } finally {
      check.close();
    }
    // Opening again with a good list works from scratch.
    const ok = await open({ migrations: [step1, step2] });
    expect(ok.raw.pragma('user_version', { simple: true })).toBe(2);
  });

  describe('foreign keys during migrations', () => {
    const parents: Migration = {
      version: 1,
      name: 'parents',
      sql: `CREATE TABLE parents (id TEXT PRIMARY KEY) STRICT;
CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents (id), note TEXT) STRICT;
${appendOnly('children')}`,
    };
    const orphan: Migration = { version: 2, name: 'orphan', sql: "CREATE TABLE extra (x TEXT) STRICT; INSERT INTO children (id, parent_id) VALUES ('c2', 'nobody');" };
    // Rebuilds the parent (the documented 12 steps) under a child that is append-only.
    const rebuildParents: Migration = {
      version: 2,
      name: 'rebuild-parents',
      sql: rebuildTable({ table: 'parents', columns: 'id TEXT PRIMARY KEY, label TEXT NOT NULL', copy: ['id', ['label', "'parent ' || id"]] }),
    };

    it('a step that leaves a broken reference is rolled back, in French, and the file is unchanged', async () => {
      const v1 = await open({ migrations: [parents] });
      v1.raw.prepare("INSERT INTO parents (id) VALUES ('p1')").run();
      v1.raw.prepare("INSERT INTO children (id, parent_id) VALUES ('c1', 'p1')").run();
      await closeAll();
      const before = hash(file);

      const e = await refusal(open({ migrations: [parents, orphan], backupDir: join(dir, 'backups') }));
      expect(e.code).toBe('internal');
      expect(e.message).toMatch(/^La migration vers le schéma 2 de la base .* a échoué ; elle a été annulée et la base est restée au schéma 1\. Détail : 1 référence\(s\) vers un enregistrement introuvable après migration \(children → parents\)\.$/);
      expect(hash(file)).toBe(before);
      const check = new Database(file);
      try {
        expect(check.pragma('user_version', { simple: true })).toBe(1);
        expect(tables(check)).not.toContain('extra');
        expect(check.prepare('SELECT id FROM children').all()).toEqual([{ id: 'c1' }]);
      } finally {
        check.close();
      }
    });

    it('rebuilds a parent table without touching its append-only children, then turns foreign keys back on', async () => {
      const v1 = await open({ migrations: [parents] });
      v1.raw.prepare("INSERT INTO parents (id) VALUES ('p1'), ('p2')").run();
      v1.raw.prepare("INSERT INTO children (id, parent_id) VALUES ('c1', 'p1'), ('c2', 'p2')").run();
      await closeAll();

      const v2 = await open({ migrations: [parents, rebuildParents] });
      expect(v2.raw.pragma('user_version', { simple: true })).toBe(2);
      expect(v2.raw.prepare('SELECT id, label FROM parents ORDER BY id').all()).toEqual([
        { id: 'p1', label: 'parent p1' },
        { id: 'p2', label: 'parent p2' },
      ]);
      expect(v2.raw.prepare('SELECT id, parent_id FROM children ORDER BY id').all()).toEqual([
        { id: 'c1', parent_id: 'p1' },
        { id: 'c2', parent_id: 'p2' },
      ]);
      expect(v2.raw.pragma('foreign_keys', { simple: true })).toBe(1);
      // The child's reference now points at the new table, enforced.
      expect(() => v2.raw.prepare("INSERT INTO children (id, parent_id) VALUES ('c3', 'p9')").run()).toThrow(/FOREIGN KEY/);
      expect(() => v2.raw.prepare("DELETE FROM parents WHERE id = 'p1'").run()).toThrow(/FOREIGN KEY/);
    });
  });
});
