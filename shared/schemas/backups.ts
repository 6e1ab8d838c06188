import { z } from 'zod';
import { BACKUP_REASONS, type BackupReason } from '../domain/backup-retention';
import { instant } from './common';

/** Backups of the data folder (*sauvegardes*): listing, checking, restoring, the encrypted export. */

export const backupReason = z.enum(BACKUP_REASONS);

/** How a reason reads on the restore screen and in `npm run cli -- backup list`. */
export const BACKUP_REASON_LABELS: Readonly<Record<BackupReason, string>> = Object.freeze({
  daily: 'quotidienne',
  migration: 'avant mise à jour de la base',
  claim: "avant validation d'une demande de paiement",
  manual: 'manuelle',
  restore: 'base remplacée par une restauration',
});

/**
 * A backup's file name in the data folder's backups folder: a name, never a path (the screen picks from the list;
 * the backend resolves it inside its own folder).
 */
export const backupFileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.db$/, { error: 'Nom de sauvegarde invalide : choisissez une sauvegarde de la liste.' });

/** The shortest passphrase an encrypted export accepts: with scrypt, twelve characters hold against guessing. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** The passphrase of an encrypted export (`.sillonbak`), chosen when exporting. */
export const backupPassphrase = z
  .string()
  .min(MIN_PASSPHRASE_LENGTH, { error: 'La phrase de passe doit compter au moins 12 caractères.' })
  .max(1024, { error: 'La phrase de passe est limitée à 1 024 caractères.' });

/**
 * The manifest beside each backup (`<name>.json`): what the backup is, written when it was taken. Read back from
 * disk, so parsed like any outside input.
 */
export const backupManifest = z.object({
  format: z.literal('sillon-backup'),
  v: z.literal(1),
  file: z.string(),
  reason: backupReason,
  takenAt: instant,
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  /** SHA-256 (hex) of the backup file as written. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  /**
   * The ledger's head in the backup (last entry: seq, hash, seal, time) and its tag under the ledger key, as in
   * `ledger.head`: a backup whose chain was cut afterwards no longer reaches it. Null before the ledger existed.
   */
  ledger: z
    .object({
      seq: z.number().int().nonnegative(),
      hash: z.string(),
      mac: z.string(),
      at: z.string(),
      keyId: z.string().nullable(),
      tag: z.string().nullable(),
    })
    .nullable(),
});
export type BackupManifest = z.infer<typeof backupManifest>;

/** One backup in the list (newest first). */
export const backupEntry = z.object({
  file: z.string(),
  reason: backupReason,
  takenAt: instant,
  bytes: z.number().int().nonnegative(),
  /** From the manifest; from the file name for the pre-migration backups of older versions; else null. */
  schemaVersion: z.number().int().nullable(),
  ledgerEntries: z.number().int().nullable(),
  appVersion: z.string().nullable(),
  /** Whether a readable manifest goes with the file (its SHA-256 is then checked before a restore). */
  manifest: z.boolean(),
});
export type BackupEntry = z.infer<typeof backupEntry>;

/** The verdict on a backup: checked before anything is replaced. */
export const backupVerdict = z.object({
  ok: z.boolean(),
  file: z.string(),
  /** One French sentence: « Sauvegarde … vérifiée : … » or why it is refused. */
  message: z.string(),
  problems: z.array(z.string()),
  notes: z.array(z.string()),
  schemaVersion: z.number().int().nullable(),
  ledgerEntries: z.number().int().nullable(),
  takenAt: instant.nullable(),
});
export type BackupVerdict = z.infer<typeof backupVerdict>;

/** What a restore did. */
export const restoreOutcome = z.object({
  restored: z.string(),
  /** The database that was replaced, kept in the backups folder (null when the folder had none). */
  keptAside: z.string().nullable(),
  schemaVersion: z.number().int(),
  ledgerEntries: z.number().int(),
  message: z.string(),
});
export type RestoreOutcome = z.infer<typeof restoreOutcome>;

/**
 * An encrypted export: the backup, its passphrase, and where to write it — `out`, an absolute path (the CLI, a
 * host's save dialog), or none: the screen cannot name a path, so the export comes back as a download.
 */
export const exportBackupInput = z.object({
  file: backupFileName,
  passphrase: backupPassphrase,
  out: z.string().regex(/\.sillonbak$/i, { error: "Le fichier d'export doit porter l'extension .sillonbak (ex. sauvegarde.sillonbak)." }).optional(),
});

/** The export written where `out` said. */
export const exportWritten = z.object({ out: z.string(), bytes: z.number().int().nonnegative() });

/** The export without `out`: the `.sillonbak` itself, named after the backup, for the screen to offer as a download. */
export const exportDownload = z.object({
  fileName: z.string().regex(/\.sillonbak$/),
  /** The whole file, base64 (the transport is JSON). */
  base64: z.string(),
  bytes: z.number().int().nonnegative(),
});
export type ExportDownload = z.infer<typeof exportDownload>;

export const exportOutcome = z.union([exportWritten, exportDownload]);
