/**
 * `npm run cli -- backup …` and `npm run cli -- restore FICHIER` (electron/backend/cli.ts):
 *   backup · backup list [--json] · backup check FICHIER · backup export FICHIER --out F.sillonbak · restore FICHIER
 * Output on stdout; errors thrown as AppError in French, naming the option (exit 1), 3 when a backup is refused by
 * its check. `restore` runs on the closed database under the folder's lock (`restoreCommand`), never through an
 * open backend: it must work when the current file cannot even be opened.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { read } from 'read';
import { isoToDisplay } from '../../../shared/domain/date-text';
import { localDateTime } from '../../../shared/domain/dates';
import { AppError } from '../../../shared/errors';
import { BACKUP_REASON_LABELS, backupPassphrase, type BackupEntry } from '../../../shared/schemas/backups';
import type { Backend } from '../backend';
import { systemClock } from '../context';
import { acquireInstanceLock } from '../db/instance-lock';
import { toApiError } from '../dispatch';
import { organisationTimeZone } from '../organisation/organisation';
import { backupsDir, checkBackup, exportBackup, importBackup, listBackups, resolveBackup, restoreBackup, takeBackupOf } from './backup';
import { manifestPath } from './files';

export const BACKUP_HELP = `  backup               prend une sauvegarde maintenant et affiche son chemin (dossier « backups » du
                       dossier de données), puis applique la conservation : la plus récente de chacun des
                       7 derniers jours, des 4 dernières semaines et des 12 derniers mois, et les sauvegardes
                       manuelles, d'avant mise à jour ou d'avant validation d'une demande de moins de 12 mois
  backup list [--json] liste les sauvegardes, la plus récente d'abord
  backup check FICHIER vérifie une sauvegarde sans rien remplacer : empreinte, intégrité de la base, registre
                       des preuves sous la clé de ce dossier (code 0 si elle peut être restaurée, 3 sinon)
  backup export FICHIER --out F.sillonbak
                       chiffre une sauvegarde (AES-256-GCM, phrase de passe de 12 caractères au moins, lue
                       dans SILLON_BACKUP_PASSPHRASE ou demandée au terminal) pour la copier sur un autre disque
  restore FICHIER      restaure une sauvegarde (nom de la liste, chemin d'un .db ou d'un export .sillonbak)
                       après l'avoir vérifiée (code 3 si elle est refusée : rien n'est remplacé) ; la base
                       remplacée est gardée dans « backups » ; refusé tant que Sillon est ouvert sur ce dossier
`;

/** The exit code of a backup refused by its check (like `verify` for an altered ledger). */
export const REFUSED_EXIT = 3;

export interface BackupOpts {
  out?: string | undefined;
  json?: boolean | undefined;
}

/** The passphrase: SILLON_BACKUP_PASSPHRASE (scripts), else typed at the terminal without echo, on stderr. */
async function passphrase(confirm: boolean): Promise<string> {
  const fromEnv = process.env.SILLON_BACKUP_PASSPHRASE;
  let value: string;
  if (fromEnv !== undefined) value = fromEnv;
  else {
    if (!process.stdin.isTTY) {
      throw new AppError('validation', 'Phrase de passe de la sauvegarde : aucun terminal pour la demander ; indiquez-la dans la variable SILLON_BACKUP_PASSPHRASE.', [{ path: 'passphrase', message: 'Phrase de passe manquante.' }]);
    }
    value = await read({ prompt: 'Phrase de passe de la sauvegarde : ', silent: true, replace: '', output: process.stderr });
    if (confirm) {
      const again = await read({ prompt: 'Confirmez la phrase de passe : ', silent: true, replace: '', output: process.stderr });
      if (again !== value) throw new AppError('validation', "Phrase de passe — les deux saisies diffèrent ; rien n'a été écrit.", [{ path: 'passphrase', message: 'Les deux saisies diffèrent.' }]);
    }
  }
  if (confirm) {
    const checked = backupPassphrase.safeParse(value);
    if (!checked.success) throw new AppError('validation', `Phrase de passe${fromEnv !== undefined ? ' (SILLON_BACKUP_PASSPHRASE)' : ''} : ${checked.error.issues[0]!.message}`, [{ path: 'passphrase', message: checked.error.issues[0]!.message }]);
  }
  return value;
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;

function line(entry: BackupEntry, timeZone: string): string {
  const local = localDateTime(entry.takenAt, timeZone);
  const parts = [
    `${isoToDisplay(local.date)} ${local.time}`,
    BACKUP_REASON_LABELS[entry.reason],
    megabytes(entry.bytes),
    ...(entry.schemaVersion !== null ? [`schéma ${entry.schemaVersion}`] : []),
    ...(entry.ledgerEntries !== null ? [`registre ${entry.ledgerEntries.toLocaleString('fr-FR')} entrées`] : []),
    ...(entry.manifest ? [] : ['sans manifeste']),
  ];
  return `${entry.file}\n  ${parts.join(' · ')}\n`;
}

/**
 * `backup` and its subcommands, on the CLI's open backend (which holds the folder's lock).
 * Once the contract's `backups.*` methods are registered, take, list and export can go through `call(b, …)` like the
 * other commands, so that the signed-in account's `system.admin` is checked.
 */
export async function backupCommand(b: Backend, args: string[], opts: BackupOpts): Promise<void> {
  const [sub, ref, ...extra] = args;
  const dataDir = b.ctx.dataDir;
  if (sub === undefined) {
    const { entry, deleted } = await takeBackupOf(b.ctx, 'manual');
    process.stdout.write(`Sauvegarde prise : ${join(backupsDir(dataDir), entry.file)}\n`);
    if (deleted.length > 0) process.stdout.write(`${deleted.length} sauvegarde(s) plus ancienne(s) supprimée(s) par la règle de conservation.\n`);
    return;
  }
  if (extra.length > 0) throw new AppError('validation', `Argument en trop : « ${extra[0]} ».`);
  switch (sub) {
    case 'list': {
      const entries = listBackups(dataDir);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      if (entries.length === 0) {
        process.stdout.write(`Aucune sauvegarde dans ${backupsDir(dataDir)}.\n`);
        return;
      }
      const timeZone = await organisationTimeZone(b.ctx);
      process.stdout.write(entries.map((e) => line(e, timeZone)).join(''));
      return;
    }
    case 'check': {
      const file = required(ref, 'check');
      const verdict = await checkBackup(resolveBackup(dataDir, file), dataDir, { keyedHandle: b.raw });
      for (const note of verdict.notes) process.stdout.write(`${note}\n`);
      if (!verdict.ok) {
        for (const p of verdict.problems.slice(1, 20)) process.stderr.write(`  - ${p}\n`);
        throw new AppError('business', verdict.message, undefined, REFUSED_EXIT);
      }
      process.stdout.write(`${verdict.message}\n`);
      return;
    }
    case 'export': {
      const file = required(ref, 'export');
      const out = opts.out?.trim();
      if (!out) throw new AppError('validation', 'Option --out manquante (ex. --out /media/cle/sillon.sillonbak).', [{ path: 'out', message: 'Option --out manquante.' }]);
      if (!/\.sillonbak$/i.test(out)) {
        throw new AppError('validation', `Option --out invalide « ${out} » : le fichier d'export doit porter l'extension .sillonbak (ex. --out sillon.sillonbak).`, [{ path: 'out', message: 'Extension .sillonbak attendue.' }]);
      }
      const target = resolve(out);
      if (!existsSync(dirname(target))) throw new AppError('validation', `Option --out : le dossier ${dirname(target)} n'existe pas ; rien n'a été écrit.`, [{ path: 'out', message: 'Dossier introuvable.' }]);
      const source = resolveBackup(dataDir, file);
      if (!existsSync(source)) throw new AppError('not_found', `Sauvegarde introuvable : « ${file} » (ni dans la liste, ni à ce chemin).`, [{ path: 'file', message: 'Sauvegarde introuvable.' }]);
      const written = await exportBackup(source, await passphrase(true), target);
      process.stdout.write(`Sauvegarde chiffrée écrite dans ${written.out} (${megabytes(written.bytes)}). Gardez la phrase de passe : sans elle, ce fichier ne peut pas être restauré.\n`);
      return;
    }
    default:
      throw new AppError('validation', `Sous-commande inconnue « ${sub} » : backup, backup list, backup check FICHIER, backup export FICHIER --out F.sillonbak.`);
  }
}

function required(ref: string | undefined, sub: string): string {
  if (!ref) throw new AppError('validation', `Indiquez la sauvegarde : npm run cli -- backup ${sub} FICHIER (un nom de « backup list » ou un chemin).`, [{ path: 'file', message: 'Sauvegarde manquante.' }]);
  return ref;
}

/**
 * `restore FICHIER`: takes the data folder's lock (refused while the app, the preview or another command has the
 * folder), decrypts an export `.sillonbak` into the backups folder first, then `restoreBackup` (check, keep the
 * current database aside, install, head follows). Prints what happened; returns the exit code.
 */
export async function restoreCommand(dataDir: string, args: string[], now: () => Date = systemClock): Promise<number> {
  try {
    const [ref, ...extra] = args;
    if (!ref) throw new AppError('validation', 'Indiquez la sauvegarde à restaurer : npm run cli -- restore FICHIER (un nom de « backup list », un .db ou un .sillonbak).', [{ path: 'file', message: 'Sauvegarde manquante.' }]);
    if (extra.length > 0) throw new AppError('validation', `Argument en trop : « ${extra[0]} ».`);
    const at = now();
    const lock = acquireInstanceLock(dataDir, 'cli', at.toISOString());
    try {
      let file = resolveBackup(dataDir, ref);
      if (!existsSync(file)) throw new AppError('not_found', `Sauvegarde introuvable : « ${ref} » (ni dans la liste, ni à ce chemin).`, [{ path: 'file', message: 'Sauvegarde introuvable.' }]);
      let imported: (BackupEntry & { alreadyThere: boolean }) | null = null;
      if (/\.sillonbak$/i.test(file)) {
        imported = await importBackup(file, await passphrase(false), dataDir);
        file = join(backupsDir(dataDir), imported.file);
        process.stdout.write(`Export déchiffré${imported.alreadyThere ? ' (cette sauvegarde était déjà dans la liste)' : ''} : ${file}\n`);
      }
      try {
        const outcome = await restoreBackup(dataDir, file, at);
        process.stdout.write(`${outcome.message}\n`);
      } catch (e) {
        // A refused export is of no use in this folder: it does not stay in its list.
        if (imported && !imported.alreadyThere) {
          rmSync(file, { force: true });
          rmSync(manifestPath(file), { force: true });
        }
        throw e;
      }
    } finally {
      lock.release();
    }
    return 0;
  } catch (e) {
    const api = toApiError(e);
    process.stderr.write(`Erreur : ${api.message}\n`);
    return e instanceof AppError && e.exitCode ? e.exitCode : 1;
  }
}
