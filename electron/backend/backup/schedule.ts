import { hasBackupOn } from '../../../shared/domain/backup-retention';
import type { BackupEntry } from '../../../shared/schemas/backups';
import type { Ctx } from '../context';
import { startDailyJob, type DailyJob, type DailyJobOptions } from '../daily-job';
import { takeBackupOf } from './backup';
import { listBackups } from './files';

/**
 * The daily backup (daily-job.ts): one at start-up when none was taken today (the organisation's time zone), then a
 * look every hour. The retention runs after each backup (backup.ts `takeBackupOf`). A backup of any reason but
 * `restore` (that one holds the database a restore replaced, not today's) counts as today's. Nothing is taken from
 * a damaged database: it would only copy the damage and push a sound backup out of the retention.
 *
 * @example
 * const backups = startBackupSchedule(ctx);
 * // … at close: await backups.stop();
 */
export function startBackupSchedule(ctx: Ctx, options: DailyJobOptions = {}): DailyJob<BackupEntry> {
  return startDailyJob(
    ctx,
    {
      name: 'Sauvegarde quotidienne',
      doneOn: (today, timeZone) => hasBackupOn(listBackups(ctx.dataDir), today, timeZone),
      run: async () => (await takeBackupOf(ctx, 'daily')).entry,
    },
    options,
  );
}
