import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BackupReason } from '../../../shared/domain/backup-retention';
import { backupManifest, type BackupEntry, type BackupManifest } from '../../../shared/schemas/backups';

/**
 * The backups folder on disk: file names, manifests, the list. Shared by backup.ts (take, check, restore) and
 * export.ts (the encrypted export).
 */

export const BACKUPS_DIR = 'backups';

export function backupsDir(dataDir: string): string {
  return join(dataDir, BACKUPS_DIR);
}

const NEW_NAME = /^sillon-(\d{8})-(\d{6})-(daily|migration|claim|manual|restore)(?:-\d+)?\.db$/;
const BEFORE_RESTORE = /^before-restore-(\d{8})-(\d{6})(?:-\d+)?\.db$/;
const PRE_MIGRATION = /^sillon-schema(\d+)-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z(?:-\d+)?\.db$/;

/** `20261123-090000`: the instant in UTC, as file names carry it. */
export function stampOf(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

function instantOfStamp(day: string, time: string): string {
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}.000Z`;
}

/** What a file name says of a backup, or null for a file that is not one. */
export function parseName(name: string): { reason: BackupReason; takenAt: string; schemaVersion: number | null } | null {
  let m = NEW_NAME.exec(name);
  if (m) return { reason: m[3] as BackupReason, takenAt: instantOfStamp(m[1]!, m[2]!), schemaVersion: null };
  m = BEFORE_RESTORE.exec(name);
  if (m) return { reason: 'restore', takenAt: instantOfStamp(m[1]!, m[2]!), schemaVersion: null };
  m = PRE_MIGRATION.exec(name);
  if (m) return { reason: 'migration', takenAt: `${m[2]}T${m[3]}:${m[4]}:${m[5]}.${m[6]}Z`, schemaVersion: Number(m[1]) };
  return null;
}

/** `base.db`, else `base-2.db`, `base-3.db`…: two backups of one second never share a file. */
export function freeName(dir: string, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base}.db` : `${base}-${n}.db`;
    if (!existsSync(join(dir, name)) && !existsSync(manifestPath(join(dir, name)))) return name;
  }
}

/** The manifest beside a backup file. */
export function manifestPath(file: string): string {
  return file.replace(/\.db$/, '.json');
}

/** The backup's manifest, or null when it has none, or one that is unreadable or names another file. */
export function readManifest(file: string): BackupManifest | null {
  let text: string;
  try {
    text = readFileSync(manifestPath(file), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = backupManifest.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.file === basename(file) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes a file atomically: a temporary file beside it, flushed to disk, then renamed over. */
export function writeFileAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function writeManifest(file: string, manifest: BackupManifest): void {
  writeFileAtomic(manifestPath(file), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** SHA-256 (hex) and size of a file, streamed. */
export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function entryOf(file: string, bytes: number, manifest: BackupManifest | null, fromName?: ReturnType<typeof parseName>): BackupEntry {
  return {
    file,
    reason: manifest?.reason ?? fromName!.reason,
    takenAt: manifest?.takenAt ?? fromName!.takenAt,
    bytes,
    schemaVersion: manifest?.schemaVersion ?? fromName?.schemaVersion ?? null,
    ledgerEntries: manifest?.ledger?.seq ?? null,
    appVersion: manifest?.appVersion ?? null,
    manifest: manifest !== null,
  };
}

/** The data folder's backups, newest first. */
export function listBackups(dataDir: string): BackupEntry[] {
  const dir = backupsDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const entries: BackupEntry[] = [];
  for (const name of names) {
    const parsed = parseName(name);
    if (!parsed) continue;
    const file = join(dir, name);
    let bytes: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) continue;
      bytes = stat.size;
    } catch {
      continue; // deleted meanwhile
    }
    entries.push(entryOf(name, bytes, readManifest(file), parsed));
  }
  return entries.sort((a, b) => Date.parse(b.takenAt) - Date.parse(a.takenAt) || (a.file < b.file ? 1 : -1));
}

