import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend } from '../../electron/backend/backend';
import { LOCAL_USER } from '../../electron/backend/context';
import { CHECKING_MESSAGE, checkInBackground, IntegrityGate, quickCheck } from '../../electron/backend/db/integrity';
import { dispatch } from '../../electron/backend/dispatch';
import { databaseFile } from '../../electron/backend/paths';

/*
 * Issue #9 §2: the file's integrity is checked on every open (`PRAGMA quick_check`), not only before
 * migrating. A damaged file is opened read-only: reads (and export) still work, every write is refused with a
 * French sentence, and the file stays byte-for-byte as it was.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = () => new Date('2026-11-23T09:00:00Z');

/** A data folder with the demo's data, closed cleanly (no -wal left). */
async function demoFolder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sillon-integrity-'));
  dirs.push(dir);
  const b = await startBackend(dir, { now: NOW });
  const r = await b.dispatch('demo.load', {});
  expect(r.ok).toBe(true);
  await b.close();
  return dir;
}

/** Overwrites one page in the middle of the file with garbage: a torn write, a bad sector. */
function corruptMiddlePage(file: string): void {
  const size = statSync(file).size;
  const page = 4096;
  const middle = Math.floor(size / page / 2) * page;
  const garbage = Buffer.alloc(page);
  for (let i = 0; i < page; i++) garbage[i] = (i * 37 + 11) & 0xff;
  const fd = openSync(file, 'r+');
  writeSync(fd, garbage, 0, page, middle);
  closeSync(fd);
}

describe('integrity on open', () => {
  it('opens a sound file normally', async () => {
    const dir = await demoFolder();
    const b = await startBackend(dir, { now: NOW });
    expect(b.ctx.readOnly).toBeUndefined();
    expect((await b.dispatch('places.save', { name: 'Salle B', postcode: '75001', city: 'Paris', qpv: false, zrr: false, holidayZone: 'metropole' })).ok).toBe(true);
    await b.close();
  });

  it('opens a file with a corrupted page read-only: writes refused in French, the file unchanged', async () => {
    const dir = await demoFolder();
    const file = databaseFile(dir);
    corruptMiddlePage(file);
    const bytes = readFileSync(file);

    const b = await startBackend(dir, { now: NOW });
    expect(b.ctx.readOnly).toMatch(/endommagée/);
    const write = await b.dispatch('places.save', { name: 'Salle B', postcode: '75001', city: 'Paris', qpv: false, zrr: false, holidayZone: 'metropole' });
    expect(write.ok).toBe(false);
    if (!write.ok) {
      expect(write.error.code).toBe('business');
      expect(write.error.message).toMatch(
        new RegExp(`^La base ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} est endommagée \\(.+\\) : Sillon l'a ouverte en lecture seule et rien n'a été enregistré\\. Vous pouvez encore consulter et exporter les données ; restaurez ensuite une sauvegarde`),
      );
    }
    // A write that would slip past the dispatcher is refused by SQLite itself.
    expect(() => b.raw.prepare("UPDATE organisation SET name = 'x'").run()).toThrow(/readonly/);
    // Reads still answer (the organisation lives on the first pages).
    const org = await b.dispatch('organisation.get', {});
    expect(org.ok).toBe(true);
    await b.close();
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses altogether a damaged file that would need migrating, and leaves it unchanged', async () => {
    const dir = await demoFolder();
    const file = databaseFile(dir);
    corruptMiddlePage(file);
    const bytes = readFileSync(file);
    const { migrations } = await import('../../migrations');
    const extra = { version: migrations.at(-1)!.version + 1, name: 'test-step', sql: 'CREATE TABLE t_never (x INTEGER) STRICT;' };
    await expect(startBackend(dir, { now: NOW, migrations: [...migrations, extra] })).rejects.toThrow(/est endommagée .* migration annulée, le fichier n'a pas été modifié/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});

describe('what quick_check found, in the sentence', () => {
  it('comes on one line (SQLite starts its report with "*** in database main ***" and a line break)', () => {
    const found = ['*** in database main ***\nOn tree page 12 cell 3: invalid page number 4097', 'Page 40: never used'];
    const raw = { pragma: () => found.map((quick_check) => ({ quick_check })) } as unknown as Parameters<typeof quickCheck>[0];
    expect(quickCheck(raw)).toBe('*** in database main *** On tree page 12 cell 3: invalid page number 4097 ; Page 40: never used');
  });
});

/*
 * A big file is checked in a worker thread (db/integrity.ts) while the app opens and reads at once; the first
 * write waits for the verdict. `backgroundCheckFromBytes: 1` makes the demo's file "big".
 */
describe('integrity checked in the background (big files)', () => {
  const PLACE = { name: 'Salle B', postcode: '75001', city: 'Paris', qpv: false, zrr: false, holidayZone: 'metropole' } as const;
  const BIG = { now: NOW, backgroundCheckFromBytes: 1, integrityWaitMs: 60_000 };

  it('runs quick_check in a worker thread, not on the main thread', async () => {
    const dir = await demoFolder();
    const file = databaseFile(dir);
    const mainThread = (): string => {
      throw new Error('checked on the main thread');
    };
    expect(await checkInBackground(file, 5000, mainThread).verdict).toBe('ok');
    corruptMiddlePage(file);
    const found = await checkInBackground(file, 5000, mainThread).verdict;
    expect(found).not.toBe('ok');
    expect(found).toMatch(/malformed|corrupt|Tree|Page|page/);
  });

  it('opens a damaged big file at once, reads, then refuses the first write once the verdict is in; the file unchanged', async () => {
    const dir = await demoFolder();
    const file = databaseFile(dir);
    corruptMiddlePage(file);
    const bytes = readFileSync(file);

    const b = await startBackend(dir, BIG);
    // Open before the verdict: not read-only yet, the check still running.
    expect(b.ctx.readOnly).toBeUndefined();
    expect(b.ctx.integrity?.refusal).toBeUndefined();
    const org = await b.dispatch('organisation.get', {});
    expect(org.ok).toBe(true);

    const write = await b.dispatch('places.save', PLACE);
    expect(write.ok).toBe(false);
    if (!write.ok) {
      expect(write.error.code).toBe('business');
      expect(write.error.message).toMatch(
        new RegExp(`^La base ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} est endommagée \\(.+\\) : Sillon l'a ouverte en lecture seule et rien n'a été enregistré\\.`),
      );
    }
    expect(b.ctx.readOnly).toMatch(/endommagée/);
    // What slips past the dispatcher is refused by SQLite itself (query_only).
    expect(() => b.raw.prepare("UPDATE organisation SET name = 'x'").run()).toThrow(/readonly|read-only/);
    expect((await b.dispatch('places.save', PLACE)).ok).toBe(false);
    expect((await b.dispatch('organisation.get', {})).ok).toBe(true);
    await b.close();
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('lets writes through on a sound big file once it is checked, start-up writes included', async () => {
    const dir = await demoFolder();
    const b = await startBackend(dir, { ...BIG, user: { id: 'big-user', name: 'Grande base', permissions: LOCAL_USER.permissions } });
    expect(b.ctx.integrity?.refusal).toBeUndefined();
    // The user's row waits for the verdict like every write.
    expect(b.raw.prepare("SELECT count(*) AS n FROM users WHERE id = 'big-user'").get()).toEqual({ n: 0 });
    const saved = await b.dispatch('places.save', PLACE);
    expect(saved.ok).toBe(true);
    expect(b.ctx.integrity?.refusal).toBeNull();
    expect(b.ctx.readOnly).toBeUndefined();
    expect(b.raw.prepare("SELECT count(*) AS n FROM users WHERE id = 'big-user'").get()).toEqual({ n: 1 });
    expect(b.raw.prepare("SELECT count(*) AS n FROM places WHERE name = 'Salle B'").get()).toEqual({ n: 1 });
    await b.close();
  });

  it('answers a write that waited too long for the verdict in French, and writes nothing', async () => {
    const dir = await demoFolder();
    const b = await startBackend(dir, BIG);
    const before = b.raw.prepare('SELECT count(*) AS n FROM places').get();
    // A verdict that never comes, and no patience: the write is answered at once.
    const ctx = { ...b.ctx, integrity: new IntegrityGate(new Promise<string | null>(() => {}), 0) };
    const write = await dispatch(ctx, 'places.save', PLACE);
    expect(write).toEqual({ ok: false, error: { code: 'business', message: CHECKING_MESSAGE } });
    expect(CHECKING_MESSAGE).toBe("Vérification de l'intégrité de la base en cours… Rien n'a été enregistré ; réessayez dans quelques secondes.");
    expect(b.raw.prepare('SELECT count(*) AS n FROM places').get()).toEqual(before);
    await b.close();
  });
});
