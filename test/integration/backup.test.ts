import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { applyRetention, backupsDir, checkBackup, exportBackup, importBackup, listBackups, readManifest, restoreBackup, restoreWithLock, takeBackup, takeBackupOf } from '../../electron/backend/backup/backup';
import { backupsHandlers, registerBackupRestorer } from '../../electron/backend/backup/handlers';
import { startBackupSchedule } from '../../electron/backend/backup/schedule';
import { acquireInstanceLock } from '../../electron/backend/db/instance-lock';
import { FOREIGN_KEY_MESSAGE } from '../../electron/backend/evidence/backup-ledger';
import { databaseFile } from '../../electron/backend/paths';
import { backupsContract } from '../../shared/contract/backups';
import { testBackend, type TestBackend } from '../helpers/backend';
import { recordDemoRollCall } from '../helpers/demo-rollcall';

/**
 * Backups and restore (issue #12): real backends on real files in temp folders, the real ledger key of each folder,
 * and the CLI as a child process.
 */

const ROOT = resolve(__dirname, '..', '..');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A backend on a fresh folder, closed and removed after the test (unless the test closed it itself). */
async function fresh(startAt = '2026-11-23T09:00:00Z'): Promise<TestBackend> {
  const b = await testBackend(startAt);
  let closed = false;
  const close = b.close;
  b.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  cleanups.push(async () => {
    await b.close();
    rmSync(b.dataDir, { recursive: true, force: true });
  });
  return b;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const readOnly = (file: string) => new Database(file, { readonly: true, fileMustExist: true });
const scalar = <T>(db: Database.Database, sql: string): T => Object.values(db.prepare(sql).get() as Record<string, T>)[0]!;

/** Records today's roll call of the demo's cuisine session, everyone present and signed: the marks written. */
const recordRollCall = async (b: TestBackend): Promise<number> => (await recordDemoRollCall(b)).rows.length;

async function verifyVia(b: Backend) {
  const r = await b.dispatch('ledger.verify', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value as { ok: boolean; entries: number; problems: { problem: string }[] };
}

describe('backup and restore', () => {
  it('round trip: backup, change, close, restore, reopen — the change is gone, the ledger intact, the replaced file kept aside', async () => {
    const b = await fresh();
    await b.api['demo.load']({});
    const org = (await b.api['organisation.get']({}))!;
    const before = await b.api['ledger.verify']({});
    expect(before.ok).toBe(true);
    const marksBefore = scalar<number>(b.raw, 'SELECT count(*) FROM attendance_marks');

    const { entry } = await takeBackupOf(b.ctx, 'manual');
    expect(entry).toMatchObject({ file: 'sillon-20261123-090000-manual.db', reason: 'manual', takenAt: '2026-11-23T09:00:00.000Z', manifest: true, ledgerEntries: before.entries });
    const backupFile = join(backupsDir(b.dataDir), entry.file);
    // The manifest's hash is the file's, computed here independently.
    expect(readManifest(backupFile)).toMatchObject({ sha256: sha256(backupFile), bytes: statSync(backupFile).size, reason: 'manual' });
    // A backup is one self-contained file (no -wal beside it) readable by its owner only.
    expect(existsSync(`${backupFile}-wal`)).toBe(false);
    expect(statSync(backupFile).mode & 0o077).toBe(0);

    // Changes after the backup: the organisation renamed, a roll call recorded (marks and ledger entries).
    b.clock.set('2026-11-23T10:00:00Z');
    await b.api['organisation.save']({ ...org, name: 'Nom changé après la sauvegarde' });
    const signed = await recordRollCall(b);
    expect(signed).toBeGreaterThan(0);
    const after = await b.api['ledger.verify']({});
    expect(after.ok).toBe(true);
    expect(after.entries).toBeGreaterThan(before.entries);
    await b.close();

    const outcome = await restoreWithLock(b.dataDir, backupFile, new Date('2026-11-23T10:05:00Z'));
    expect(outcome).toMatchObject({ restored: entry.file, keptAside: 'before-restore-20261123-100500.db', ledgerEntries: before.entries });

    const reopened = await startBackend(b.dataDir, { now: () => new Date('2026-11-23T10:06:00Z') });
    try {
      const org2 = await reopened.dispatch('organisation.get', {});
      expect(org2.ok && (org2.value as { name: string }).name).toBe(org.name);
      expect(scalar<number>(reopened.raw, 'SELECT count(*) FROM attendance_marks')).toBe(marksBefore);
      const verified = await verifyVia(reopened);
      expect(verified.problems).toEqual([]);
      expect(verified.ok).toBe(true);
      // The head outside the database followed the restored chain (it was ahead, at the later entries).
      const head = JSON.parse(readFileSync(join(b.dataDir, 'ledger.head'), 'utf8')) as { count: number };
      expect(head.count).toBeGreaterThanOrEqual(before.entries);
      expect(head.count).toBeLessThan(after.entries);
    } finally {
      await reopened.close();
    }

    // The replaced database is kept aside, with the change, listed as a 'restore' backup, and itself restorable.
    const aside = join(backupsDir(b.dataDir), 'before-restore-20261123-100500.db');
    const db = readOnly(aside);
    try {
      expect(scalar<string>(db, 'SELECT name FROM organisation')).toBe('Nom changé après la sauvegarde');
      expect(scalar<number>(db, 'SELECT count(*) FROM attendance_marks')).toBe(marksBefore + signed);
      expect(scalar<number>(db, 'SELECT count(*) FROM ledger')).toBe(after.entries);
    } finally {
      db.close();
    }
    expect(listBackups(b.dataDir).map((e) => [e.file, e.reason])).toEqual([
      ['before-restore-20261123-100500.db', 'restore'],
      [entry.file, 'manual'],
    ]);
    const asideVerdict = await checkBackup(aside, b.dataDir);
    expect(asideVerdict.problems).toEqual([]);
    expect(asideVerdict).toMatchObject({ ok: true, ledgerEntries: after.entries });
  }, 120_000);

  it('refuses a backup with flipped bytes and replaces nothing', async () => {
    const b = await fresh();
    const entry = await takeBackup(b.raw, b.dataDir, 'manual', b.clock.now);
    const file = join(backupsDir(b.dataDir), entry.file);
    expect((await checkBackup(file, b.dataDir)).ok).toBe(true);

    // 64 bytes flipped in the middle of the file.
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    for (let i = at; i < at + 64; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(file, bytes);

    const verdict = await checkBackup(file, b.dataDir);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toBe("Le fichier a changé depuis la sauvegarde (son empreinte SHA-256 ne correspond plus à celle de son manifeste) : copie abîmée ou modifiée.");
    expect(verdict.message).toBe(`Sauvegarde ${entry.file} refusée : ${verdict.problems[0]}`);

    await b.close();
    const current = databaseFile(b.dataDir);
    const shaBefore = sha256(current);
    const headBefore = readFileSync(join(b.dataDir, 'ledger.head'), 'utf8');
    await expect(restoreWithLock(b.dataDir, file, new Date('2026-11-23T10:00:00Z'))).rejects.toThrow(`Sauvegarde ${entry.file} refusée : ${verdict.problems[0]} Rien n'a été remplacé.`);
    expect(sha256(current)).toBe(shaBefore);
    expect(readFileSync(join(b.dataDir, 'ledger.head'), 'utf8')).toBe(headBefore);
    expect(readdirSync(backupsDir(b.dataDir)).sort()).toEqual([entry.file, entry.file.replace(/\.db$/, '.json')]);
  });

  it('refuses a truncated backup without manifest: its integrity check fails', async () => {
    const b = await fresh();
    const entry = await takeBackup(b.raw, b.dataDir, 'manual', b.clock.now);
    const file = join(backupsDir(b.dataDir), entry.file);
    rmSync(file.replace(/\.db$/, '.json'));
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const verdict = await checkBackup(file, b.dataDir);
    expect(verdict.ok).toBe(false);
    expect(verdict.notes).toContain("Sauvegarde sans manifeste : son empreinte n'a pas pu être comparée à celle du moment de la sauvegarde.");
    expect(verdict.problems[0]).toMatch(/^La sauvegarde sillon-20261123-090000-manual\.db (est endommagée \(contrôle d'intégrité : |n'est pas une base de données Sillon lisible)/);
  });

  it("refuses a backup from another data folder (another ledger key), with or without its manifest", async () => {
    const a = await fresh();
    const other = await fresh();
    const theirs = await takeBackup(other.raw, other.dataDir, 'manual', other.clock.now);
    expect(theirs.ledgerEntries).toBeGreaterThan(0);
    const from = join(backupsDir(other.dataDir), theirs.file);
    mkdirSync(backupsDir(a.dataDir), { recursive: true });
    const copied = join(backupsDir(a.dataDir), theirs.file);
    copyFileSync(from, copied);
    copyFileSync(from.replace(/\.db$/, '.json'), copied.replace(/\.db$/, '.json'));
    // Sound in its own folder…
    expect((await checkBackup(from, other.dataDir)).ok).toBe(true);
    // …refused here, by the key named in its manifest,
    const verdict = await checkBackup(copied, a.dataDir);
    expect(verdict).toMatchObject({ ok: false, problems: [FOREIGN_KEY_MESSAGE] });
    // and without the manifest, by its seals.
    rmSync(copied.replace(/\.db$/, '.json'));
    const bare = await checkBackup(copied, a.dataDir);
    expect(bare.ok).toBe(false);
    expect(bare.problems[0]).toBe(FOREIGN_KEY_MESSAGE);
    await a.close();
    const shaBefore = sha256(databaseFile(a.dataDir));
    await expect(restoreBackup(a.dataDir, copied, new Date('2026-11-23T10:00:00Z'))).rejects.toThrow("Rien n'a été remplacé.");
    expect(sha256(databaseFile(a.dataDir))).toBe(shaBefore);
  });

  it('checks a running backend’s backup under the key bound to its handle', async () => {
    const b = await fresh();
    const entry = await takeBackup(b.raw, b.dataDir, 'manual', b.clock.now);
    const verdict = await checkBackup(join(backupsDir(b.dataDir), entry.file), b.dataDir, { keyedHandle: b.raw });
    expect(verdict).toMatchObject({ ok: true, file: entry.file, takenAt: '2026-11-23T09:00:00.000Z', ledgerEntries: entry.ledgerEntries });
  });

  it("in a folder whose key the app keeps, checks and restores only with the app's key", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sillon-appkey-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const appKey = Buffer.alloc(32, 7);
    const app = await startBackend(dataDir, { now: () => new Date('2026-11-23T09:00:00Z'), ledgerKey: appKey });
    let entry;
    try {
      entry = await takeBackup(app.raw, dataDir, 'manual', new Date('2026-11-23T09:00:00Z'));
    } finally {
      await app.close();
    }
    writeFileSync(join(dataDir, 'ledger.key.sealed'), 'sealed by safeStorage');
    const file = join(backupsDir(dataDir), entry.file);
    // The manifest's head is sealed under the app's key…
    expect(readManifest(file)?.ledger?.tag).toMatch(/^[0-9a-f]{64}$/);
    // …so without it (the CLI here) nothing can be checked, and no plain key is made behind the app's back;
    const without = await checkBackup(file, dataDir);
    expect(without).toMatchObject({ ok: false, problems: ["La clé du registre de ce dossier de données est gardée par l'application Sillon (trousseau du système) : vérifiez et restaurez cette sauvegarde depuis l'application (Administration › Sauvegardes)."] });
    expect(existsSync(join(dataDir, 'ledger.key'))).toBe(false);
    // with it (what the app's host passes), the backup is checked and restored.
    expect((await checkBackup(file, dataDir, { ledgerKey: appKey })).ok).toBe(true);
    const outcome = await restoreWithLock(dataDir, file, new Date('2026-11-23T10:00:00Z'), { ledgerKey: appKey }, 'app');
    expect(outcome.keptAside).toBe('before-restore-20261123-100000.db');
    const reopened = await startBackend(dataDir, { now: () => new Date('2026-11-23T10:01:00Z'), ledgerKey: appKey });
    try {
      expect((await verifyVia(reopened)).problems).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  it('exports a backup encrypted and imports it back; a wrong passphrase or a changed byte is refused and writes nothing', async () => {
    const b = await fresh();
    const entry = await takeBackup(b.raw, b.dataDir, 'manual', b.clock.now);
    const file = join(backupsDir(b.dataDir), entry.file);
    const original = sha256(file);
    const outDir = mkdtempSync(join(tmpdir(), 'sillon-export-'));
    cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
    const out = join(outDir, 'sillon.sillonbak');
    const passphrase = 'cheval agrafe batterie correcte';

    const written = await exportBackup(file, passphrase, out);
    expect(written).toEqual({ out, bytes: statSync(out).size });
    const sealed = readFileSync(out);
    expect(sealed.subarray(0, 8).toString('latin1')).toBe('SILLONBK');
    // Neither the database nor its manifest appear in clear.
    expect(sealed.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(sealed.includes(Buffer.from(entry.file))).toBe(false);
    expect(readdirSync(outDir)).toEqual(['sillon.sillonbak']);

    // Gone from the folder, then imported back: the same bytes, the same manifest, listed again.
    rmSync(file);
    rmSync(file.replace(/\.db$/, '.json'));
    const imported = await importBackup(out, passphrase, b.dataDir);
    expect(imported).toMatchObject({ file: entry.file, alreadyThere: false, manifest: true, reason: 'manual' });
    expect(sha256(file)).toBe(original);
    expect(listBackups(b.dataDir).map((e) => e.file)).toEqual([entry.file]);
    expect((await checkBackup(file, b.dataDir)).ok).toBe(true);
    // Importing it again adds nothing.
    expect(await importBackup(out, passphrase, b.dataDir)).toMatchObject({ file: entry.file, alreadyThere: true });

    const listing = () => readdirSync(backupsDir(b.dataDir)).sort();
    const before = listing();
    await expect(importBackup(out, 'ce n’est pas la bonne phrase', b.dataDir)).rejects.toThrow("Phrase de passe incorrecte pour sillon.sillonbak : rien n'a été importé.");
    expect(listing()).toEqual(before);

    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 200] = tampered[tampered.length - 200]! ^ 0x01;
    const bad = join(outDir, 'abime.sillonbak');
    writeFileSync(bad, tampered);
    rmSync(file);
    rmSync(file.replace(/\.db$/, '.json'));
    const emptied = listing();
    await expect(importBackup(bad, passphrase, b.dataDir)).rejects.toThrow("Le fichier abime.sillonbak a été modifié ou est abîmé (son contrôle d'authenticité échoue) : rien n'a été importé.");
    expect(listing()).toEqual(emptied);

    await expect(importBackup(join(outDir, 'absent.sillonbak'), passphrase, b.dataDir)).rejects.toThrow(`Fichier introuvable : ${join(outDir, 'absent.sillonbak')}.`);
    writeFileSync(join(outDir, 'pas-un-export.sillonbak'), 'bonjour');
    await expect(importBackup(join(outDir, 'pas-un-export.sillonbak'), passphrase, b.dataDir)).rejects.toThrow("n'est pas une sauvegarde chiffrée Sillon lisible (signature absente)");
  }, 60_000);

  it('applies the retention on disk and never touches other files', async () => {
    const b = await fresh('2026-11-01T08:00:00Z');
    // A daily backup at 08:00 UTC from 1 to 12 November 2026.
    for (let day = 1; day <= 12; day++) await takeBackup(b.raw, b.dataDir, 'daily', new Date(Date.UTC(2026, 10, day, 8)));
    const dir = backupsDir(b.dataDir);
    // A pre-migration backup as db/open.ts names them (no manifest), and a file of someone else's.
    copyFileSync(join(dir, 'sillon-20261103-080000-daily.db'), join(dir, 'sillon-schema14-2026-11-03T08-00-00-000Z.db'));
    writeFileSync(join(dir, 'notes.txt'), 'à garder');

    // Now: Thursday 12 November, Paris. Days 6 → 12 kept; ISO weeks: 9–15 (the 12th), 2–8 (the 8th), 26 Oct–1 Nov
    // (the 1st); month: the 12th; the pre-migration backup is kept (12 months). Dropped: 2, 3, 4 and 5 November.
    const { deleted } = applyRetention(b.dataDir, 'Europe/Paris', new Date('2026-11-12T12:00:00Z'));
    expect(deleted).toEqual(['02', '03', '04', '05'].map((d) => `sillon-202611${d}-080000-daily.db`));
    const daily = (d: string) => [`sillon-202611${d}-080000-daily.db`, `sillon-202611${d}-080000-daily.json`];
    expect(readdirSync(dir).sort()).toEqual(
      [...['01', '06', '07', '08', '09', '10', '11', '12'].flatMap(daily), 'notes.txt', 'sillon-schema14-2026-11-03T08-00-00-000Z.db'].sort(),
    );
    expect(listBackups(b.dataDir).find((e) => e.file.startsWith('sillon-schema14'))).toMatchObject({ reason: 'migration', schemaVersion: 14, manifest: false, takenAt: '2026-11-03T08:00:00.000Z' });
  }, 60_000);

  it('takes the daily backup at start and once per day in the organisation’s time zone, logging failures', async () => {
    const b = await fresh('2026-11-23T09:00:00Z');
    let fire: (() => void) | null = null;
    const timers = { setInterval: (fn: () => void) => ((fire = fn), 1), clearInterval: () => void (fire = null) };
    const logs: string[] = [];
    const schedule = startBackupSchedule(b.ctx, { timers, log: (l) => logs.push(l) });
    // The look at start-up took today's.
    const first = await schedule.tick();
    expect(first).toMatchObject({ file: 'sillon-20261123-090000-daily.db', reason: 'daily' });
    expect(await schedule.tick()).toBeNull();
    // 23:59 in Paris: still the 23rd.
    b.clock.set('2026-11-23T22:59:00Z');
    fire!();
    expect(await schedule.tick()).toBeNull();
    // 00:01 in Paris on the 24th (23:01 UTC on the 23rd): the next day's.
    b.clock.set('2026-11-23T23:01:00Z');
    fire!();
    expect(await schedule.tick()).toMatchObject({ file: 'sillon-20261123-230100-daily.db' });
    // A manual backup counts as the day's.
    b.clock.set('2026-11-25T08:00:00Z');
    await takeBackupOf(b.ctx, 'manual');
    expect(await schedule.tick()).toBeNull();
    expect(listBackups(b.dataDir).map((e) => e.file)).toEqual(['sillon-20261125-080000-manual.db', 'sillon-20261123-230100-daily.db', 'sillon-20261123-090000-daily.db']);
    // A failure (the backups folder replaced by a file) is logged in French and never thrown.
    rmSync(backupsDir(b.dataDir), { recursive: true });
    writeFileSync(backupsDir(b.dataDir), '');
    b.clock.set('2026-11-26T08:00:00Z');
    expect(await schedule.tick()).toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^\[sillon\] Sauvegarde quotidienne impossible : .+ Nouvel essai dans une heure\.$/);
    await schedule.stop();
    expect(fire).toBeNull();
  }, 60_000);
});

/**
 * The contract fragment and its handlers, not yet in the one handler table (the integrator registers them): called
 * here with the fragment's own input and output schemas, as dispatch would.
 */
describe('the backups.* methods', () => {
  async function via<M extends keyof typeof backupsContract>(b: TestBackend, method: M, input: unknown): Promise<z.output<(typeof backupsContract)[M]['output']>> {
    const def = backupsContract[method];
    const handler = backupsHandlers[method] as (ctx: TestBackend['ctx'], input: unknown) => Promise<unknown>;
    return def.output.parse(await handler(b.ctx, def.input.parse(input))) as z.output<(typeof backupsContract)[M]['output']>;
  }

  it('lists, takes, checks, exports and hands a checked restore to the host', async () => {
    const b = await fresh();
    expect(Object.values(backupsContract).map((d) => d.permission)).toEqual(['system.admin', 'system.admin', 'system.admin', 'system.admin', 'system.admin']);
    expect(await via(b, 'backups.list', {})).toEqual([]);
    const taken = await via(b, 'backups.take', {});
    expect(taken).toMatchObject({ file: 'sillon-20261123-090000-manual.db', reason: 'manual', manifest: true });
    expect(await via(b, 'backups.list', {})).toEqual([taken]);
    expect(await via(b, 'backups.check', { file: taken.file })).toMatchObject({ ok: true, file: taken.file });

    // Names only: a path is refused by the schema, an unknown name by the handler.
    expect(backupsContract['backups.check'].input.safeParse({ file: '../sillon.db' }).success).toBe(false);
    await expect(via(b, 'backups.check', { file: 'sillon-20200101-000000-manual.db' })).rejects.toThrow('Sauvegarde introuvable : « sillon-20200101-000000-manual.db » n\'est pas dans la liste des sauvegardes.');

    const outDir = mkdtempSync(join(tmpdir(), 'sillon-export-'));
    cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
    await expect(via(b, 'backups.export', { file: taken.file, passphrase: 'une phrase de passe longue', out: 'relatif.sillonbak' })).rejects.toThrow("Fichier d'export : chemin complet attendu");
    expect(backupsContract['backups.export'].input.safeParse({ file: taken.file, passphrase: 'court', out: join(outDir, 'a.sillonbak') }).error?.issues[0]?.message).toBe('La phrase de passe doit compter au moins 12 caractères.');
    const exported = await via(b, 'backups.export', { file: taken.file, passphrase: 'une phrase de passe longue', out: join(outDir, 'a.sillonbak') });
    expect(exported).toEqual({ out: join(outDir, 'a.sillonbak'), bytes: statSync(join(outDir, 'a.sillonbak')).size });

    // Without `out` (the screen, which can name no path): the file itself, named after the backup, and nothing left
    // behind in the data folder.
    const dataFiles = () => readdirSync(b.dataDir).sort();
    const filesBefore = dataFiles();
    const download = await via(b, 'backups.export', { file: taken.file, passphrase: 'une phrase de passe longue' });
    if (!('base64' in download)) throw new Error('expected the download form');
    expect(download.fileName).toBe('sillon-20261123-090000-manual.sillonbak');
    const sealed = Buffer.from(download.base64, 'base64');
    expect(sealed.length).toBe(download.bytes);
    expect(sealed.subarray(0, 8).toString('latin1')).toBe('SILLONBK');
    expect(sealed.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(dataFiles()).toEqual(filesBefore);
    // It is a real export under that passphrase: it decrypts back to the very backup (already in the list).
    writeFileSync(join(outDir, download.fileName), sealed);
    await expect(importBackup(join(outDir, download.fileName), 'pas la bonne phrase', b.dataDir)).rejects.toThrow('Phrase de passe incorrecte');
    expect(await importBackup(join(outDir, download.fileName), 'une phrase de passe longue', b.dataDir)).toMatchObject({ file: taken.file, alreadyThere: true });

    // Without a host to close and reopen the database, the restore says how to do it; nothing is replaced.
    await expect(via(b, 'backups.restore', { file: taken.file })).rejects.toThrow(`fermez Sillon, puis lancez « npm run cli -- restore ${taken.file} »`);
    const asked: string[] = [];
    registerBackupRestorer(b.ctx, async (file) => {
      asked.push(file);
      return { restored: file, keptAside: null, schemaVersion: 1, ledgerEntries: 0, message: 'fait' };
    });
    expect(await via(b, 'backups.restore', { file: taken.file })).toMatchObject({ restored: taken.file, message: 'fait' });
    expect(asked).toEqual([taken.file]);

    // A damaged backup is refused before the host is asked.
    const file = join(backupsDir(b.dataDir), taken.file);
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(file, bytes);
    await expect(via(b, 'backups.restore', { file: taken.file })).rejects.toThrow("refusée : Le fichier a changé depuis la sauvegarde");
    expect(asked).toEqual([taken.file]);
    // Nor is it exported for download, and the refused export leaves no temporary file in the data folder.
    await expect(via(b, 'backups.export', { file: taken.file, passphrase: 'une phrase de passe longue' })).rejects.toThrow(`La sauvegarde ${taken.file} a changé depuis qu'elle a été prise`);
    expect(dataFiles()).toEqual(filesBefore);
  }, 60_000);
});

// The CLI, as `npm run cli -- …` runs it: the launcher that rebuilds the bundle when a source changed.
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
const ADMIN = ['--user', 'admin'];
const PASSWORD = 'Sauvegarde-Test-2026!';
const PASSPHRASE = 'une phrase de passe assez longue';
function cli(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const all: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', SILLON_PASSWORD: PASSWORD, ...env };
  delete all.SILLON_DATA_DIR;
  if (!('SILLON_BACKUP_PASSPHRASE' in env)) delete all.SILLON_BACKUP_PASSPHRASE;
  return new Promise((done) => {
    execFile(process.execPath, ['scripts/cli.mjs', ...args], { cwd: ROOT, env: all, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe.concurrent('backup and restore from the CLI', { timeout: 240_000 }, () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'sillon-backup-cli-'));
    // One build of the bundle before the commands run side by side.
    await cli({}, 'help');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** A data folder with its first administrator, as a person sets one up. */
  async function folder(name: string): Promise<string> {
    const dir = join(tmp, name);
    const init = await cli({}, 'init', ...ADMIN, '--name', 'Admin', '--data-dir', dir);
    expect(init.code, init.stderr).toBe(0);
    return dir;
  }

  it('backup, backup list --json, backup export, restore from the export; errors name the option', async () => {
    const dir = await folder('flow');
    const taken = await cli({}, 'backup', ...ADMIN, '--data-dir', dir);
    expect(taken.code, taken.stderr).toBe(0);
    const m = /^Sauvegarde prise : (.+sillon-\d{8}-\d{6}-manual\.db)\n$/.exec(taken.stdout);
    expect(m, taken.stdout).not.toBeNull();
    const path = m![1]!;
    expect(existsSync(path)).toBe(true);

    const list = await cli({}, 'backup', 'list', '--json', ...ADMIN, '--data-dir', dir);
    expect(list.code, list.stderr).toBe(0);
    const entries = JSON.parse(list.stdout) as { file: string; reason: string; manifest: boolean }[];
    expect(entries.map((e) => [join(dir, 'backups', e.file), e.reason, e.manifest])).toEqual([[path, 'manual', true]]);

    const noOut = await cli({ SILLON_BACKUP_PASSPHRASE: PASSPHRASE }, 'backup', 'export', entries[0]!.file, ...ADMIN, '--data-dir', dir);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toContain('Option --out manquante');
    const short = await cli({ SILLON_BACKUP_PASSPHRASE: 'court' }, 'backup', 'export', entries[0]!.file, '--out', join(tmp, 'x.sillonbak'), ...ADMIN, '--data-dir', dir);
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('Erreur : Phrase de passe (SILLON_BACKUP_PASSPHRASE) : La phrase de passe doit compter au moins 12 caractères.\n');
    expect(existsSync(join(tmp, 'x.sillonbak'))).toBe(false);

    const out = join(tmp, 'flow.sillonbak');
    const exported = await cli({ SILLON_BACKUP_PASSPHRASE: PASSPHRASE }, 'backup', 'export', entries[0]!.file, '--out', out, ...ADMIN, '--data-dir', dir);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`Sauvegarde chiffrée écrite dans ${out}`);

    const wrong = await cli({ SILLON_BACKUP_PASSPHRASE: 'pas la bonne phrase' }, 'restore', out, '--data-dir', dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe("Erreur : Phrase de passe incorrecte pour flow.sillonbak : rien n'a été importé.\n");

    const restored = await cli({ SILLON_BACKUP_PASSPHRASE: PASSPHRASE }, 'restore', out, '--data-dir', dir);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^Export déchiffré \(cette sauvegarde était déjà dans la liste\) : .+\nSauvegarde sillon-\d{8}-\d{6}-manual\.db restaurée \(schéma \d+, registre des preuves vérifié : \d+ entrées\)\. La base remplacée est conservée : backups\/before-restore-\d{8}-\d{6}\.db\.\n$/);

    const verify = await cli({}, 'verify', ...ADMIN, '--data-dir', dir);
    expect(verify.code, verify.stderr).toBe(0);
  });

  it('restore refuses while Sillon has the folder open, and a damaged backup with exit code 3', async () => {
    const dir = await folder('locked');
    const taken = await cli({}, 'backup', ...ADMIN, '--data-dir', dir);
    expect(taken.code, taken.stderr).toBe(0);
    const file = /: (.+\.db)\n$/.exec(taken.stdout)![1]!;
    const current = databaseFile(dir);
    const shaBefore = sha256(current);

    const lock = acquireInstanceLock(dir, 'app', '2026-11-23T09:00:00.000Z');
    try {
      const refused = await cli({}, 'restore', file, '--data-dir', dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`Erreur : Sillon est déjà ouvert sur ce dossier de données (l'application Sillon, processus ${process.pid})`);
    } finally {
      lock.release();
    }

    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] = bytes[Math.floor(bytes.length / 2)]! ^ 0xff;
    writeFileSync(file, bytes);
    const damaged = await cli({}, 'restore', file, '--data-dir', dir);
    expect(damaged.code).toBe(3);
    expect(damaged.stderr).toContain('refusée : Le fichier a changé depuis la sauvegarde');
    expect(damaged.stderr).toContain("Rien n'a été remplacé.");
    expect(sha256(current)).toBe(shaBefore);

    const missing = await cli({}, 'restore', '--data-dir', dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Indiquez la sauvegarde à restaurer');
  });
});
