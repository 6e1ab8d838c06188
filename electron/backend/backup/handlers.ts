import { isAbsolute } from 'node:path';
import type { Kysely } from 'kysely';
import type { backupsContract } from '../../../shared/contract/backups';
import { AppError } from '../../../shared/errors';
import type { RestoreOutcome } from '../../../shared/schemas/backups';
import type { DB } from '../db/schema';
import type { Ctx, User } from '../context';
import type { HandlersOf } from '../handler';
import { backupByName, checkBackup, exportBackup, handleOf, listBackups, takeBackupOf } from './backup';

/**
 * How the running app restores a backup: close the database, `restoreWithLock(dataDir, file, now, { ledgerKey })`
 * (backup.ts), open it again. Only the host can do that (it owns the backend's life), so it registers it here at
 * start-up; until then `backups.restore` answers that the restore is done from the command line.
 */
export type BackupRestorer = (file: string, by: User) => Promise<RestoreOutcome>;

const restorers = new WeakMap<Kysely<DB>, BackupRestorer>();

/** Called by the host once its backend is started (see BackupRestorer). */
export function registerBackupRestorer(ctx: Pick<Ctx, 'db'>, restorer: BackupRestorer): void {
  restorers.set(ctx.db, restorer);
}

/** The backend's own handle: its ledger key checks the backups (evidence/backup-ledger.ts). */
const keyedHandle = (ctx: Ctx) => handleOf(ctx);

export const backupsHandlers: HandlersOf<typeof backupsContract> = {
  'backups.list': async (ctx) => listBackups(ctx.dataDir),
  'backups.take': async (ctx) => (await takeBackupOf(ctx, 'manual')).entry,
  'backups.check': async (ctx, { file }) => checkBackup(backupByName(ctx.dataDir, file), ctx.dataDir, { keyedHandle: await keyedHandle(ctx) }),
  'backups.restore': async (ctx, { file }) => {
    const path = backupByName(ctx.dataDir, file);
    // Checked here first, under the running app's key: a refused backup is answered at once, nothing is closed.
    const verdict = await checkBackup(path, ctx.dataDir, { keyedHandle: await keyedHandle(ctx) });
    if (!verdict.ok) throw new AppError('business', `${verdict.message} Rien n'a été remplacé.`);
    const restorer = restorers.get(ctx.db);
    if (!restorer) {
      throw new AppError('business', `La restauration depuis l'application n'est pas disponible dans cette version : fermez Sillon, puis lancez « npm run cli -- restore ${file} ». La sauvegarde est vérifiée et rien n'a été remplacé.`);
    }
    return restorer(file, ctx.user);
  },
  'backups.export': async (ctx, { file, passphrase, out }) => {
    if (!isAbsolute(out)) {
      throw new AppError('validation', `Fichier d'export : chemin complet attendu (« ${out} »).`, [{ path: 'out', message: 'Chemin complet attendu.' }]);
    }
    return exportBackup(backupByName(ctx.dataDir, file), passphrase, out);
  },
};
