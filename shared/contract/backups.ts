import { z } from 'zod';
import { backupEntry, backupFileName, backupVerdict, exportBackupInput, exportOutcome, restoreOutcome } from '../schemas/backups';
import { mutation, none, query } from './define';

/**
 * Backups of the data folder (*sauvegardes*), for the administrator's restore screen. Files are named, never
 * pathed: the backend resolves a name inside its own backups folder.
 *
 * `backups.restore` is declared a query although it replaces the database: it must stay possible when the file is
 * damaged and open read-only (the dispatcher refuses every write then, and restoring is the way out), and it writes
 * nothing through this connection — the host closes the database, restores, and reopens it.
 */
export const backupsContract = {
  'backups.list': query('system.admin', none, z.array(backupEntry)),
  /** A manual backup now (refused on a damaged database: it would only copy the damage). */
  'backups.take': mutation('system.admin', none, backupEntry),
  'backups.check': query('system.admin', z.object({ file: backupFileName }), backupVerdict),
  'backups.restore': query('system.admin', z.object({ file: backupFileName }), restoreOutcome),
  'backups.export': query('system.admin', exportBackupInput, exportOutcome),
} as const;
