import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend } from '../../electron/backend/backend';
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
