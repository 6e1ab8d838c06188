import { join } from 'node:path';
import { recordAudit } from '../audit/audit';
import type { Backend, StartOptions } from '../backend';
import { startBackend } from '../backend';
import { systemClock, type User } from '../context';
import { restoreWithLock } from './backup';
import { backupsDir } from './files';
import { registerBackupRestorer } from './handlers';
import { startRgpdPurgeSchedule } from '../rgpd/schedule';
import { startBackupSchedule } from './schedule';

/**
 * The backend of a long-running host (the app's backend process, the preview): daily backups and the daily RGPD
 * purge (rgpd/schedule.ts) while it runs, and a
 * restore from the screen that replaces the database in place — the backend closed, the checked backup put in
 * place (the current file kept aside, backup.ts restoreWithLock), the backend opened again on it. The host reaches
 * the backend through `current()` at every call, so the next call already sees the restored data.
 */
export interface RestorableBackend {
  current(): Backend;
  close(): Promise<void>;
}

export async function openRestorable(dataDir: string, options: StartOptions, afterOpen: (b: Backend) => void = () => {}): Promise<RestorableBackend> {
  let backend: Backend;
  let schedules: { stop(): Promise<void> | void }[];
  const stopSchedules = () => Promise.all(schedules.map((s) => s.stop()));
  const open = async () => {
    backend = await startBackend(dataDir, options);
    schedules = [startBackupSchedule(backend.ctx), startRgpdPurgeSchedule(backend.ctx)];
    registerBackupRestorer(backend.ctx, (file, by) => restoreInPlace(file, by));
    afterOpen(backend);
  };
  const restoreInPlace = async (file: string, by: User) => {
    const old = backend;
    await stopSchedules();
    await old.close();
    let outcome;
    try {
      outcome = await restoreWithLock(dataDir, join(backupsDir(dataDir), file), (options.now ?? systemClock)(), { ledgerKey: options.ledgerKey }, options.lock || 'app');
    } finally {
      // Restored or not (a failed restore put every file back), the backend opens again on what is in place.
      await open();
    }
    // Logged in the restored base, as the person who asked (their account may postdate the backup: then unnamed).
    const known = await backend.ctx.db.selectFrom('users').select('id').where('id', '=', by.id).executeTakeFirst();
    await recordAudit({ ...backend.ctx, user: by }, 'backup.restored', {
      userId: known ? by.id : null,
      subjectType: 'backup',
      subjectId: file,
      summary: `Sauvegarde ${file} restaurée par ${by.name} ; la base d'avant est gardée dans backups.`,
    });
    return outcome;
  };
  await open();
  return {
    current: () => backend,
    close: async () => {
      await stopSchedules();
      await backend.close();
    },
  };
}

/** A Backend that is always the restorable's current one: for hosts that keep one object (the bridge). */
export function currentOf(restorable: RestorableBackend): Backend {
  return new Proxy({} as Backend, { get: (_target, key) => restorable.current()[key as keyof Backend] });
}
