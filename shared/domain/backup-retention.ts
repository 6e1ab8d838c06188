import { addDays, isoWeekday, localDateTime, todayIn, type IsoDate } from './dates';

/**
 * Which backups (*sauvegardes*) of the data folder to keep. Pure: the backend lists the files and deletes what
 * this rule drops (electron/backend/backup/backup.ts `applyRetention`); the restore screen may show the same plan.
 */

/**
 * Why a backup was taken: the daily one, before a migration, before a claim is validated, asked for by a person, or
 * the database kept aside when another backup was restored over it.
 */
export const BACKUP_REASONS = ['daily', 'migration', 'claim', 'manual', 'restore'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

export interface RetentionEntry {
  /** The backup's file name (its identity in the backups folder). */
  file: string;
  /** When it was taken, an ISO 8601 instant. */
  takenAt: string;
  reason: BackupReason;
}

export interface RetentionPolicy {
  /** The newest backup of each of the last `days` calendar days (today included). */
  days: number;
  /** The newest backup of each of the last `weeks` ISO weeks, Monday to Sunday (this week included). */
  weeks: number;
  /** The newest backup of each of the last `months` calendar months (this month included). */
  months: number;
}

/** 7 daily, 4 weekly, 12 monthly. */
export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({ days: 7, weeks: 4, months: 12 });

/**
 * What keeps a backup: the newest of all, the newest of a day / week / month slot, its reason (`protected`), or a
 * date this rule cannot place (`undated`: after `now`, or unreadable).
 */
export type KeptBecause = 'newest' | 'day' | 'week' | 'month' | 'protected' | 'undated';

export interface RetentionPlan {
  /** Newest first, with every reason that keeps each one. */
  keep: { file: string; because: KeptBecause[] }[];
  /** Oldest first. */
  drop: string[];
}

/** Reasons kept whole through the monthly window, whatever the daily, weekly and monthly slots say. */
const PROTECTED: ReadonlySet<BackupReason> = new Set(['migration', 'claim', 'manual', 'restore']);

/**
 * The retention rule. Days, ISO weeks and months are those of the organisation's time zone (a backup taken at
 * 00:30 in Paris belongs to that Paris day, not to the UTC day before).
 *
 * Kept:
 * - the newest backup of each of the last `days` days, `weeks` ISO weeks and `months` months, counting the current
 *   one (whatever its reason: every backup is a copy of the whole database);
 * - every `migration`, `claim`, `manual` and `restore` backup taken in one of the last `months` months (the monthly
 *   window): each marks a moment someone may want to go back to — the schema before an upgrade, the data a claim
 *   was validated on, a copy a person asked for, the database a restore replaced. Twelve months and no more: the
 *   database itself keeps every record's history (evidence is append-only), so a backup is a way back after a
 *   loss, not an archive, and the folder must not grow without end;
 * - the newest backup of all, always, even when older than every window;
 * - any backup dated after `now` or whose date cannot be read: a clock set back must not delete what it cannot place.
 *
 * Everything else is dropped.
 *
 * @example
 * planRetention([{ file: 'a.db', takenAt: '2026-11-20T08:00:00Z', reason: 'daily' }], 'Europe/Paris', new Date('2026-11-23T10:00:00Z'))
 * // → { keep: [{ file: 'a.db', because: ['newest', 'day', 'week', 'month'] }], drop: [] }
 */
export function planRetention(entries: readonly RetentionEntry[], timeZone: string, now: Date, policy: RetentionPolicy = DEFAULT_RETENTION): RetentionPlan {
  const today = todayIn(now, timeZone);
  const dayFloor = addDays(today, -(policy.days - 1));
  const weekFloor = addDays(mondayOf(today), -7 * (policy.weeks - 1));
  const monthFloor = monthIndex(today) - (policy.months - 1);

  const placed: { entry: RetentionEntry; ms: number; date: IsoDate }[] = [];
  const because = new Map<string, Set<KeptBecause>>();
  const keep = (file: string, why: KeptBecause) => {
    let set = because.get(file);
    if (!set) because.set(file, (set = new Set()));
    set.add(why);
  };
  for (const entry of entries) {
    const ms = Date.parse(entry.takenAt);
    if (!Number.isFinite(ms) || ms > now.getTime()) keep(entry.file, 'undated');
    else placed.push({ entry, ms, date: localDateTime(new Date(ms), timeZone).date });
  }
  // Newest first; two backups of one instant are told apart by name, so the plan never depends on listing order.
  placed.sort((a, b) => b.ms - a.ms || (a.entry.file < b.entry.file ? 1 : a.entry.file > b.entry.file ? -1 : 0));

  if (placed[0]) keep(placed[0].entry.file, 'newest');
  const seen = { day: new Set<string>(), week: new Set<string>(), month: new Set<string>() };
  for (const { entry, date } of placed) {
    const month = monthIndex(date);
    if (date >= dayFloor && !seen.day.has(date)) {
      seen.day.add(date);
      keep(entry.file, 'day');
    }
    const week = mondayOf(date);
    if (week >= weekFloor && !seen.week.has(week)) {
      seen.week.add(week);
      keep(entry.file, 'week');
    }
    if (month >= monthFloor && !seen.month.has(String(month))) {
      seen.month.add(String(month));
      keep(entry.file, 'month');
    }
    if (PROTECTED.has(entry.reason) && month >= monthFloor) keep(entry.file, 'protected');
  }

  const order: KeptBecause[] = ['newest', 'day', 'week', 'month', 'protected', 'undated'];
  const kept = [...because.keys()];
  const rank = new Map(placed.map((p, i) => [p.entry.file, i]));
  // Undated ones first (they may be the newest), then newest first.
  kept.sort((a, b) => (rank.get(a) ?? -1) - (rank.get(b) ?? -1));
  return {
    keep: kept.map((file) => ({ file, because: order.filter((w) => because.get(file)!.has(w)) })),
    drop: placed
      .filter((p) => !because.has(p.entry.file))
      .map((p) => p.entry.file)
      .reverse(),
  };
}

/**
 * The newest backup that holds the data of its day: of any reason but `restore` (that one holds the database a
 * restore replaced, not a copy of that day's). What the backups screen calls « la dernière sauvegarde ». Null when none.
 */
export function lastBackup<T extends RetentionEntry>(entries: readonly T[]): T | null {
  let last: T | null = null;
  for (const entry of entries) {
    if (entry.reason === 'restore' || !Number.isFinite(Date.parse(entry.takenAt))) continue;
    if (!last || Date.parse(entry.takenAt) > Date.parse(last.takenAt)) last = entry;
  }
  return last;
}

/**
 * Whether a backup of `date` (a calendar day of the organisation's `timeZone`) is there, of any reason but `restore`
 * (see {@link lastBackup}): the daily schedule takes one when not (electron/backend/backup/schedule.ts), the backups
 * screen warns.
 *
 * @example
 * hasBackupOn([{ file: 'a.db', takenAt: '2026-11-23T23:30:00Z', reason: 'manual' }], '2026-11-24', 'Europe/Paris') // → true (00:30 in Paris)
 */
export function hasBackupOn(entries: readonly RetentionEntry[], date: IsoDate, timeZone: string): boolean {
  return entries.some((e) => e.reason !== 'restore' && Number.isFinite(Date.parse(e.takenAt)) && localDateTime(e.takenAt, timeZone).date === date);
}

/** The Monday that starts the ISO week of `date`. */
function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, 1 - isoWeekday(date));
}

/** Months counted from year 0, so that "the last 12 months" is a subtraction. */
function monthIndex(date: IsoDate): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}
