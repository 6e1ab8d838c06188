import { closeSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';

/**
 * One Sillon per data folder. The app, the preview and the CLI commands that write take `sillon.lock` in
 * the data folder: created exclusively (`wx`, atomic on every file system Sillon supports) with the holder's
 * pid, host and role, removed when the backend closes (and at process exit). A second process finds the
 * file and is told in French who holds it; a lock whose pid no longer runs on this machine (crash, power
 * cut) is stale and taken over. SQLite's own locking still guards the file itself (busy timeout, see open.ts).
 */
export const LOCK_FILE = 'sillon.lock';

export type LockHolder = 'app' | 'preview' | 'cli' | 'test';

interface LockContent {
  pid: number;
  host: string;
  holder: LockHolder;
  since: string;
}

export interface InstanceLock {
  file: string;
  release(): void;
}

const HOLDER_LABEL: Record<LockHolder, string> = {
  app: "l'application Sillon",
  preview: "l'aperçu navigateur de Sillon",
  cli: 'la ligne de commande de Sillon',
  test: 'un autre programme Sillon',
};

/** Takes the data folder's lock or throws a French AppError naming who holds it. */
export function acquireInstanceLock(dataDir: string, holder: LockHolder, since: string): InstanceLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, host: hostname(), holder, since };
  // A stale lock is removed then created again; another process may win that race, hence a few rounds.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      createWithContent(file, JSON.stringify(mine));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const other = readLock(file);
      if (other && isAlive(other)) throw heldError(other);
      removeIfSame(file, other);
      continue;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      const now = readLock(file);
      if (now && now.pid === mine.pid && now.host === mine.host && now.since === mine.since) {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      }
    };
    process.on('exit', release);
    return { file, release };
  }
  throw new AppError('business', `Le verrou du dossier de données (${file}) n'a pas pu être pris : un autre programme Sillon démarre en même temps. Réessayez dans un instant.`);
}

/**
 * Creates `file` with its content in one step, failing with EEXIST if it exists: the content is written to
 * a private file first, then hard-linked under the lock's name (atomic), so nobody ever reads a half-written
 * lock. Where hard links are not supported, an exclusive create then a write.
 */
function createWithContent(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, content, { flag: 'wx' });
  try {
    linkSync(tmp, file);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
  } finally {
    unlinkSync(tmp);
  }
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

function readLock(file: string): LockContent | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return { pid: parsed.pid, host: parsed.host, holder: parsed.holder ?? 'test', since: parsed.since ?? '' };
  } catch {
    // Unreadable or half-written (a crash between create and write): stale.
    return null;
  }
}

/** Whether the holder still runs. A lock taken on another machine (shared folder) cannot be checked: held. */
function isAlive(lock: LockContent): boolean {
  if (lock.host !== hostname()) return true;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfSame(file: string, seen: LockContent | null): void {
  const now = readLock(file);
  if (JSON.stringify(now) !== JSON.stringify(seen)) return; // someone else replaced it meanwhile
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function heldError(lock: LockContent): AppError {
  const where = lock.host === hostname() ? `processus ${lock.pid}` : `processus ${lock.pid} sur l'ordinateur « ${lock.host} »`;
  return new AppError(
    'business',
    `Sillon est déjà ouvert sur ce dossier de données (${HOLDER_LABEL[lock.holder]}, ${where}) : fermez-le d'abord, ou utilisez un autre dossier de données. Si aucun Sillon n'est ouvert, supprimez le fichier ${LOCK_FILE} de ce dossier.`,
  );
}
