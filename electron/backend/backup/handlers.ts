import { readFile, rm } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { backupsContract } from '../../../shared/contract/backups';
import { AppError } from '../../../shared/errors';
import type { ExportDownload, RestoreOutcome } from '../../../shared/schemas/backups';
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

/**
 * The export for the screen, which can name no path: written to a temporary file of the data folder (the same
 * streamed, checked writer as the CLI's), read back, deleted. The whole file travels in memory once, as base64.
 */
async function exportForDownload(ctx: Ctx, source: string, passphrase: string): Promise<ExportDownload> {
  const tmp = join(ctx.dataDir, `.export-${ctx.newId()}.sillonbak`);
  try {
    const { bytes } = await exportBackup(source, passphrase, tmp);
    const content = await readFile(tmp);
    return { fileName: basename(source).replace(/\.db$/, '.sillonbak'), base64: content.toString('base64'), bytes };
  } finally {
    await rm(tmp, { force: true });
  }
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
    if (out === undefined) return exportForDownload(ctx, backupByName(ctx.dataDir, file), passphrase);
    if (!isAbsolute(out)) {
      throw new AppError('validation', `Fichier d'export : chemin complet attendu (« ${out} »).`, [{ path: 'out', message: 'Chemin complet attendu.' }]);
    }
    return exportBackup(backupByName(ctx.dataDir, file), passphrase, out);
  },
};
