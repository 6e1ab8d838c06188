import Database from 'better-sqlite3';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { BUSY_TIMEOUT_MS } from './open';

/**
 * The driver's side of backups (electron/backend/backup/): the online copy of the live file and the opening of a
 * copy to check it. Here because db/ owns the SQLite driver (an eslint wall keeps it out of the other folders).
 */

/**
 * Pages copied per step of the online backup (4 KiB pages: 16 MiB). Between steps the event loop runs, so the app
 * keeps answering while a few hundred MB are copied.
 */
const STEP_PAGES = 4096;

/**
 * Copies the database file `source` into `dest` (a new file) with SQLite's online backup API, while the app keeps
 * reading and writing it. The copy runs on a connection of its own, read-only, inside one read transaction: in WAL
 * mode a reader neither blocks the app's writer nor sees its later commits, so the copy is the database exactly as
 * it was when the transaction began, never restarted by the app's writes, never mixed. (The app's own connection
 * cannot be the source: a backup step on a connection with a write transaction open fails with SQLITE_LOCKED,
 * and Kysely keeps transactions open across awaits.)
 *
 * The copy is then made a single self-contained file (`journal_mode = DELETE`: no -wal/-shm beside it) and
 * `PRAGMA quick_check`ed: a damaged copy is deleted and refused, so that a damaged database never pushes a sound
 * backup out of the retention window.
 */
export async function copyOnline(source: string, dest: string): Promise<{ userVersion: number }> {
  const reader = new Database(source, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    reader.exec('BEGIN');
    // The first read starts the read transaction: from here on this connection sees one snapshot.
    reader.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    await reader.backup(dest, { progress: () => STEP_PAGES });
    reader.exec('COMMIT');
  } finally {
    reader.close();
  }
  // A backup holds everyone's personal data: readable by the account that runs Sillon only.
  chmodSync(dest, 0o600);
  const copy = new Database(dest, { fileMustExist: true });
  let quick: string;
  let userVersion: number;
  try {
    copy.pragma('journal_mode = DELETE');
    userVersion = copy.pragma('user_version', { simple: true }) as number;
    quick = (copy.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check).join(' ; ');
  } finally {
    copy.close();
  }
  if (quick !== 'ok') {
    throw new AppError('business', `La copie de la base est endommagée (${quick}) : la sauvegarde est annulée et les sauvegardes précédentes sont conservées. Restaurez la plus récente (dossier « backups »).`);
  }
  return { userVersion };
}

/** A copy of a backup opened to be checked (backup/backup.ts `checkBackup`). */
export interface OpenedCopy {
  /** The copy's handle: queries only (`query_only`), never the backup file itself. */
  db: Database.Database;
  /** `PRAGMA user_version`: the copy's schema version. */
  userVersion: number;
  close(): void;
}

/**
 * Opens a private copy of a backup (never the backup itself: opening can write) and makes it a single file
 * (`journal_mode = DELETE`), then query-only. Throws a French AppError when it is not a readable SQLite database.
 */
export function openCopy(file: string, shownAs: string): OpenedCopy {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    db.pragma('schema_version', { simple: true });
    db.pragma('journal_mode = DELETE');
    db.pragma('query_only = ON');
    const opened = db;
    return { db: opened, userVersion, close: () => opened.close() };
  } catch (e) {
    db?.close();
    throw new AppError('business', `${shownAs} n'est pas une base de données Sillon lisible (fichier abîmé ou d'un autre type). Détail : ${(e as Error).message}`);
  }
}

/** `PRAGMA integrity_check` (the full check: pages, free lists and every index against its table): "ok" or what it found. */
export function integrityCheck(db: Database.Database): string {
  try {
    const rows = db.pragma('integrity_check(10)') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join(' ; ').replace(/\s+/g, ' ').trim();
  } catch (e) {
    return (e as Error).message.replace(/\s+/g, ' ').trim();
  }
}

/**
 * Folds a closed database's -wal into its file before a restore moves it aside, so the file kept aside is whole on
 * its own (its manifest's SHA-256 then covers everything). Best effort: a file that cannot be opened (damaged) is
 * moved as it is, its -wal beside it.
 */
export function foldWal(file: string): void {
  try {
    if (!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0) return;
    const db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // Moved as it is.
  }
}
