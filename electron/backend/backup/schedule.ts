import { hasBackupOn } from '../../../shared/domain/backup-retention';
import { todayIn } from '../../../shared/domain/dates';
import type { BackupEntry } from '../../../shared/schemas/backups';
import type { Ctx } from '../context';
import { toApiError } from '../dispatch';
import { organisationTimeZone } from '../organisation/organisation';
import { takeBackupOf } from './backup';
import { listBackups } from './files';

/** How often the schedule looks whether today's backup is taken: the app may stay open for days. */
export const BACKUP_CHECK_EVERY_MS = 60 * 60 * 1000;

export interface BackupScheduleOptions {
  everyMs?: number;
  /** The timer (tests drive it by hand). */
  timers?: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
  /** Where failures are told, in French (stderr by default). */
  log?: (line: string) => void;
}

export interface BackupSchedule {
  /** Takes today's backup if none was taken yet; never throws. The backup taken, or null. */
  tick(): Promise<BackupEntry | null>;
  /** Stops the timer and waits for a backup under way. */
  stop(): Promise<void>;
}

/**
 * The daily backup: one at start-up when none was taken today (the organisation's time zone), then a look every
 * hour, so an app left open past midnight takes the next day's. The retention runs after each backup
 * (backup.ts `takeBackupOf`). A backup of any reason but `restore` (that one holds the database a restore
 * replaced, not today's) counts as today's.
 *
 * Failures are written to stderr in French and tried again at the next look; they never reach the app. Nothing is
 * taken from a damaged database (it would only copy the damage and push a sound backup out of the retention), nor
 * before the background integrity check of a big file has answered.
 *
 * The integrator calls it from startBackend and stops it in close():
 * @example
 * const backups = startBackupSchedule(ctx);
 * // … at close: await backups.stop();
 */
export function startBackupSchedule(ctx: Ctx, options: BackupScheduleOptions = {}): BackupSchedule {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const timers = options.timers ?? { setInterval: (fn, ms) => setInterval(fn, ms).unref(), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) };
  let running: Promise<BackupEntry | null> | null = null;
  let stopped = false;

  const once = async (): Promise<BackupEntry | null> => {
    try {
      if (ctx.integrity) await ctx.integrity.settled;
      const damaged = ctx.readOnly ?? ctx.integrity?.refusal;
      if (damaged) {
        log(`[sillon] Sauvegarde quotidienne non prise : ${damaged}`);
        return null;
      }
      const timeZone = await organisationTimeZone(ctx);
      const today = todayIn(ctx.now(), timeZone);
      const done = hasBackupOn(listBackups(ctx.dataDir), today, timeZone);
      if (done || stopped) return null;
      return (await takeBackupOf(ctx, 'daily')).entry;
    } catch (e) {
      log(`[sillon] Sauvegarde quotidienne impossible : ${toApiError(e).message} Nouvel essai dans une heure.`);
      return null;
    }
  };
  const tick = (): Promise<BackupEntry | null> => {
    // One at a time: a look that comes while a backup is under way waits for it.
    running ??= once().finally(() => {
      running = null;
    });
    return running;
  };
  const handle = timers.setInterval(() => void tick(), options.everyMs ?? BACKUP_CHECK_EVERY_MS);
  void tick();
  return {
    tick,
    stop: async () => {
      stopped = true;
      timers.clearInterval(handle);
      await running;
    },
  };
}
