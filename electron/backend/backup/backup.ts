import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_RETENTION, planRetention, type BackupReason, type RetentionPolicy } from '../../../shared/domain/backup-retention';
import { AppError } from '../../../shared/errors';
import type { BackupEntry, BackupManifest, BackupVerdict, RestoreOutcome } from '../../../shared/schemas/backups';
import { LATEST_SCHEMA_VERSION } from '../../../migrations';
import { withRaw } from '../db/raw';
import { copyOnline, foldWal, integrityCheck, openCopy, type OpenedCopy } from '../db/backup-file';
import { acquireInstanceLock, type LockHolder } from '../db/instance-lock';
import { backupLedgerHead, FOREIGN_KEY_MESSAGE, verifyBackupLedger, type BackupLedgerHead, type LedgerKeySource } from '../evidence/backup-ledger';
import { LEDGER_HEAD_FILE } from '../evidence/head-file';
import type { Ctx } from '../context';
import { organisationTimeZone } from '../organisation/organisation';
import { databaseFile } from '../paths';
import { APP_VERSION } from '../version';
import { BACKUPS_DIR, backupsDir, entryOf, freeName, listBackups, manifestPath, parseName, readManifest, sha256File, stampOf, writeFileAtomic, writeManifest } from './files';

/**
 * Backups of the data folder (*sauvegardes*). Each is a whole copy of the database in `<data dir>/backups/`,
 * `sillon-<AAAAMMJJ-HHMMSS>-<reason>.db` (the instant in UTC, so no daylight-saving change makes two names one),
 * with a manifest beside it, `<same name>.json`: reason, time, schema, SHA-256 of the file, the ledger's head
 * sealed under the ledger key. A restore checks a backup (SHA-256, integrity_check, the ledger under this folder's
 * key) before it replaces anything, and keeps the replaced database aside as `before-restore-<AAAAMMJJ-HHMMSS>.db`.
 *
 * Also listed: the pre-migration backups db/open.ts takes (`sillon-schema<v>-<ISO instant>.db`, no manifest).
 * Any other file in the folder is never read, listed nor deleted.
 */

/**
 * Takes a backup of the live database `raw` (the backend's handle: its file is copied through a connection of its
 * own, see db/backup-file.ts `copyOnline`; its ledger key seals the manifest's head) into the data folder's backups
 * folder, with its manifest. Nothing is left behind on failure. Does not apply the retention: see `takeBackupOf`.
 *
 * @example
 * const entry = await takeBackup(backend.raw, dataDir, 'manual', new Date('2026-11-23T09:00:00Z'));
 * // entry.file === 'sillon-20261123-090000-manual.db'
 */
export async function takeBackup(raw: Database.Database, dataDir: string, reason: BackupReason, at: Date): Promise<BackupEntry> {
  const dir = backupsDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const name = freeName(dir, `sillon-${stampOf(at)}-${reason}`);
  const file = join(dir, name);
  const partial = join(dir, `.${name}.partial`);
  try {
    const { userVersion } = await copyOnline(raw.name, partial);
    let ledger: BackupLedgerHead | null;
    const copy = openCopy(partial, 'La copie de la base');
    try {
      ledger = backupLedgerHead(raw, copy.db);
    } finally {
      copy.close();
    }
    const { sha256, bytes } = await sha256File(partial);
    renameSync(partial, file);
    const manifest: BackupManifest = { format: 'sillon-backup', v: 1, file: name, reason, takenAt: at.toISOString(), appVersion: APP_VERSION, schemaVersion: userVersion, sha256, bytes, ledger };
    try {
      writeManifest(file, manifest);
    } catch (e) {
      rmSync(file, { force: true });
      throw e;
    }
    return entryOf(name, bytes, manifest);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** The live handle behind a context's Kysely (the one its ledger key is bound to). */
export function handleOf(ctx: Ctx): Promise<Database.Database> {
  return withRaw(ctx.db, (r) => r.prepare('SELECT 1').database);
}

/**
 * A backup of the context's database, then the retention (in the organisation's time zone). What the app calls
 * before a claim is validated (`takeBackupOf(ctx, 'claim')`, outside the validation's transaction: the copy sees
 * only committed data), for the manual button and the daily schedule. Refused on a damaged database.
 */
export async function takeBackupOf(ctx: Ctx, reason: BackupReason, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<{ entry: BackupEntry; deleted: string[] }> {
  if (ctx.readOnly) throw new AppError('business', `Aucune sauvegarde n'a été prise : ${ctx.readOnly}`);
  const at = ctx.now();
  const entry = await takeBackup(await handleOf(ctx), ctx.dataDir, reason, at);
  const { deleted } = applyRetention(ctx.dataDir, await organisationTimeZone(ctx), at, policy);
  return { entry, deleted };
}

/**
 * Deletes the backups the retention rule drops (shared/domain/backup-retention.ts), with their manifests. Returns
 * the names kept and deleted. A file that cannot be deleted is left (and stays listed).
 */
export function applyRetention(dataDir: string, timeZone: string, now: Date, policy: RetentionPolicy = DEFAULT_RETENTION): { kept: string[]; deleted: string[] } {
  const plan = planRetention(listBackups(dataDir), timeZone, now, policy);
  const deleted: string[] = [];
  for (const name of plan.drop) {
    const file = join(backupsDir(dataDir), name);
    try {
      rmSync(file, { force: true });
      rmSync(manifestPath(file), { force: true });
      deleted.push(name);
    } catch {
      // Left for the next pass.
    }
  }
  return { kept: plan.keep.map((k) => k.file), deleted };
}

/**
 * A backup named on the command line: a name from the list, or a path. The screen passes names only
 * (`backupByName`).
 */
export function resolveBackup(dataDir: string, ref: string): string {
  if (!isAbsolute(ref) && !ref.includes('/') && !ref.includes('\\')) {
    const inFolder = join(backupsDir(dataDir), ref);
    if (existsSync(inFolder)) return inFolder;
  }
  return resolve(ref);
}

/** A backup of the list, by name, or a French not_found naming it. */
export function backupByName(dataDir: string, name: string): string {
  if (!listBackups(dataDir).some((e) => e.file === name)) {
    throw new AppError('not_found', `Sauvegarde introuvable : « ${name} » n'est pas dans la liste des sauvegardes.`, [{ path: 'file', message: 'Sauvegarde introuvable.' }]);
  }
  return join(backupsDir(dataDir), name);
}

interface Inspection {
  verdict: BackupVerdict;
  /** The checked private copy, ready to be installed. */
  copyFile: string;
  adoptHead: ((dataDir: string) => void) | null;
}

/**
 * Checks a backup on a private copy in `scratchDir` (copied and hashed in one pass): its SHA-256 against the
 * manifest, that it opens, its schema (not newer than this version's), `PRAGMA integrity_check`, then the ledger
 * under this folder's key (evidence/backup-ledger.ts).
 */
async function inspect(file: string, dataDir: string, keys: LedgerKeySource, scratchDir: string): Promise<Inspection> {
  const name = basename(file);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new AppError('not_found', `Sauvegarde introuvable : ${file}.`, [{ path: 'file', message: 'Sauvegarde introuvable.' }]);
  }
  const shown = `La sauvegarde ${name}`;
  const manifest = readManifest(file);
  const problems: string[] = [];
  const notes: string[] = [];
  const copyFile = join(scratchDir, 'sillon.db');
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    createReadStream(file),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(copyFile, { mode: 0o600 }),
  );
  if (manifest) {
    if (manifest.sha256 !== hash.digest('hex') || manifest.bytes !== bytes) {
      problems.push("Le fichier a changé depuis la sauvegarde (son empreinte SHA-256 ne correspond plus à celle de son manifeste) : copie abîmée ou modifiée.");
    }
  } else {
    notes.push("Sauvegarde sans manifeste : son empreinte n'a pas pu être comparée à celle du moment de la sauvegarde.");
  }

  let schemaVersion: number | null = null;
  let entries: number | null = null;
  let adoptHead: Inspection['adoptHead'] = null;
  let copy: OpenedCopy | null = null;
  try {
    copy = openCopy(copyFile, shown);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (copy) {
    try {
      schemaVersion = copy.userVersion;
      if (schemaVersion === 0) {
        problems.push(`${shown} ne contient pas de base Sillon (schéma 0).`);
      } else if (schemaVersion > LATEST_SCHEMA_VERSION) {
        problems.push(`${shown} a été écrite par une version plus récente de Sillon (schéma ${schemaVersion}, cette version connaît le ${LATEST_SCHEMA_VERSION}) : mettez Sillon à jour avant de la restaurer.`);
      } else {
        const integrity = integrityCheck(copy.db);
        if (integrity !== 'ok') {
          problems.push(`${shown} est endommagée (contrôle d'intégrité : ${integrity}).`);
        } else {
          const ledger = verifyBackupLedger(copy.db, { dataDir, scratchDir, keys, manifestHead: manifest?.ledger ?? null });
          // Another folder's key explains everything else: it comes first.
          if (ledger.problems[0] === FOREIGN_KEY_MESSAGE) problems.unshift(...ledger.problems);
          else problems.push(...ledger.problems);
          notes.push(...ledger.notes);
          entries = ledger.entries;
          adoptHead = ledger.adoptHead;
        }
      }
    } finally {
      copy.close();
    }
  }
  const ok = problems.length === 0 && adoptHead !== null;
  const takenAt = manifest?.takenAt ?? parseName(name)?.takenAt ?? null;
  const message = ok
    ? `Sauvegarde ${name} vérifiée : base intègre, registre des preuves intact (${entries ?? 0} entrées), schéma ${schemaVersion}.`
    : `Sauvegarde ${name} refusée : ${problems[0] ?? 'vérification incomplète.'}`;
  return {
    verdict: { ok, file: name, message, problems, notes, schemaVersion, ledgerEntries: entries, takenAt },
    copyFile,
    adoptHead: ok ? adoptHead : null,
  };
}

/** A scratch folder inside the backups folder (same disk as the database: the checked copy is renamed into place). */
function scratchIn(dataDir: string): string {
  const dir = backupsDir(dataDir);
  mkdirSync(dir, { recursive: true });
  return mkdtempSync(join(dir, '.check-'));
}

/**
 * Checks a backup without touching it nor the database: a private copy is opened (never the backup itself), and
 * the verdict says in French whether it can be restored, and why not. `keys`: where this folder's ledger key comes
 * from (the running backend's handle in the app; the `ledger.key` file for the CLI and tests).
 */
export async function checkBackup(file: string, dataDir: string, keys: LedgerKeySource = {}): Promise<BackupVerdict> {
  const scratch = scratchIn(dataDir);
  try {
    return (await inspect(file, dataDir, keys, scratch)).verdict;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The schema version written in a SQLite file's header (user_version, offset 60), without opening it. */
function headerUserVersion(file: string): number | null {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    return readSync(fd, b, 0, 4, 60) === 4 ? b.readUInt32BE(0) : null;
  } finally {
    closeSync(fd);
  }
}

/** The sealed head kept in `ledger.head`, as a manifest carries it (the database it sealed is being kept aside). */
function headFromFile(text: string | null): BackupManifest['ledger'] {
  if (text === null) return null;
  try {
    const j = JSON.parse(text) as { count?: unknown; mac?: unknown; at?: unknown; keyId?: unknown; tag?: unknown };
    if (typeof j.count !== 'number' || typeof j.mac !== 'string' || typeof j.at !== 'string' || typeof j.keyId !== 'string' || typeof j.tag !== 'string') return null;
    return { seq: j.count, hash: '', mac: j.mac, at: j.at, keyId: j.keyId, tag: j.tag };
  } catch {
    return null;
  }
}

const readIfExists = (file: string): string | null => (existsSync(file) ? readFileSync(file, 'utf8') : null);
const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Restores a backup over the data folder's database. **The database must be closed and the caller must hold the
 * folder's instance lock** (`restoreWithLock` takes it; the app closes its backend first).
 *
 * 1. Checks the backup again (`checkBackup`'s checks) on a private copy in the backups folder: refused, nothing is
 *    touched.
 * 2. Moves the current `sillon.db` (with its -wal/-shm/-journal) aside to `backups/before-restore-<stamp>.db`, with a
 *    manifest carrying the head from `ledger.head` that sealed it, so it is listed and can itself be restored.
 * 3. Renames the checked copy to `sillon.db` (the file checked is the file installed, same disk, atomic).
 * 4. Makes `ledger.head` follow the restored chain (evidence/backup-ledger.ts says why this is safe).
 *
 * Any failure in 2–4 puts every file back as it was (database, side files, head) and throws.
 */
export async function restoreBackup(dataDir: string, file: string, at: Date, keys: LedgerKeySource = {}): Promise<RestoreOutcome> {
  const scratch = scratchIn(dataDir);
  try {
    const inspected = await inspect(file, dataDir, keys, scratch);
    const { verdict } = inspected;
    // Exit code 3 for the CLI, as `verify` for an altered ledger.
    if (!verdict.ok || !inspected.adoptHead) throw new AppError('business', `${verdict.message} Rien n'a été remplacé.`, undefined, 3);

    const dir = backupsDir(dataDir);
    const current = databaseFile(dataDir);
    const headPath = join(dataDir, LEDGER_HEAD_FILE);
    const oldHead = readIfExists(headPath);
    const hasCurrent = existsSync(current);
    if (hasCurrent) foldWal(current);
    const asideName = hasCurrent ? freeName(dir, `before-restore-${stampOf(at)}`) : null;
    const aside = asideName ? join(dir, asideName) : null;
    // Read before anything moves: the manifest of the database kept aside.
    const asideManifest: BackupManifest | null =
      hasCurrent && asideName
        ? { format: 'sillon-backup', v: 1, file: asideName, reason: 'restore', takenAt: at.toISOString(), appVersion: APP_VERSION, schemaVersion: headerUserVersion(current) ?? 0, ...(await sha256File(current)), ledger: headFromFile(oldHead) }
        : null;

    const moved: [string, string][] = [];
    let installed = false;
    try {
      if (aside) {
        for (const suffix of SIDE_FILES) {
          if (!existsSync(current + suffix)) continue;
          renameSync(current + suffix, aside + suffix);
          moved.push([current + suffix, aside + suffix]);
        }
        writeManifest(aside, asideManifest!);
      }
      mkdirSync(dirname(current), { recursive: true });
      renameSync(inspected.copyFile, current);
      installed = true;
      inspected.adoptHead(dataDir);
    } catch (e) {
      if (installed) rmSync(current, { force: true });
      for (const [from, to] of moved.reverse()) renameSync(to, from);
      if (aside) rmSync(manifestPath(aside), { force: true });
      if (oldHead === null) rmSync(headPath, { force: true });
      else writeFileAtomic(headPath, oldHead);
      throw e;
    }
    const restored = basename(file);
    return {
      restored,
      keptAside: asideName,
      schemaVersion: verdict.schemaVersion ?? 0,
      ledgerEntries: verdict.ledgerEntries ?? 0,
      message: `Sauvegarde ${restored} restaurée (schéma ${verdict.schemaVersion}, registre des preuves vérifié : ${verdict.ledgerEntries ?? 0} entrées).${asideName ? ` La base remplacée est conservée : ${BACKUPS_DIR}/${asideName}.` : ''}`,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * `restoreBackup` under the data folder's instance lock: refused in French while Sillon (the app, the preview, a
 * CLI command) has the folder open.
 */
export async function restoreWithLock(dataDir: string, file: string, at: Date, keys: LedgerKeySource = {}, holder: LockHolder = 'cli'): Promise<RestoreOutcome> {
  const lock = acquireInstanceLock(dataDir, holder, at.toISOString());
  try {
    return await restoreBackup(dataDir, file, at, keys);
  } finally {
    lock.release();
  }
}

export type { LedgerKeySource } from '../evidence/backup-ledger';
export { exportBackup, importBackup } from './export';
export { BACKUPS_DIR, backupsDir, listBackups, readManifest } from './files';
