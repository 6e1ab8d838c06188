import { todayIn } from '../../shared/domain/dates';
import type { Ctx } from './context';
import { toApiError } from './dispatch';
import { organisationTimeZone } from './organisation/organisation';

/** How often a daily job looks whether today's run is done: the app may stay open for days. */
export const DAILY_CHECK_EVERY_MS = 60 * 60 * 1000;

export interface DailyJobOptions {
  everyMs?: number;
  /** The timer (tests drive it by hand). */
  timers?: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
  /** Where failures are told, in French (stderr by default). */
  log?: (line: string) => void;
}

export interface DailyJob<T> {
  /** Runs today's work if it is not done yet; never throws. What it did, or null. */
  tick(): Promise<T | null>;
  /** Stops the timer and waits for a run under way. */
  stop(): Promise<void>;
}

export interface DailyWork<T> {
  /** How the log names it: « Sauvegarde quotidienne », « Purge RGPD ». */
  name: string;
  /** Whether today's work is done already (`today` in the organisation's time zone). */
  doneOn(today: string, timeZone: string): boolean;
  run(): Promise<T>;
}

/**
 * Work a long-running host does once a day (the daily backup, the RGPD purge): a look at start-up, then one every
 * hour, so an app left open past midnight does the next day's. Nothing runs on a damaged database nor before the
 * background integrity check of a big file has answered. Looks never overlap: one that comes while a run is under
 * way waits for it. Failures are written to the log in French and tried again at the next look; they never reach
 * the app. Started and stopped by backup/restorable.ts for the app and the preview.
 *
 * @example
 * const job = startDailyJob(ctx, { name: 'Purge RGPD', doneOn: (today) => today === lastDay, run: () => purge(ctx) });
 * // … at close: await job.stop();
 */
export function startDailyJob<T>(ctx: Ctx, work: DailyWork<T>, options: DailyJobOptions = {}): DailyJob<T> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const timers = options.timers ?? { setInterval: (fn, ms) => setInterval(fn, ms).unref(), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) };
  let running: Promise<T | null> | null = null;
  let stopped = false;

  const once = async (): Promise<T | null> => {
    try {
      if (ctx.integrity) await ctx.integrity.settled;
      const damaged = ctx.readOnly ?? ctx.integrity?.refusal;
      if (damaged) {
        log(`[sillon] ${work.name} non faite : ${damaged}`);
        return null;
      }
      const timeZone = await organisationTimeZone(ctx);
      if (stopped || work.doneOn(todayIn(ctx.now(), timeZone), timeZone)) return null;
      return await work.run();
    } catch (e) {
      log(`[sillon] ${work.name} impossible : ${toApiError(e).message} Nouvel essai dans une heure.`);
      return null;
    }
  };
  const tick = (): Promise<T | null> => {
    running ??= once().finally(() => {
      running = null;
    });
    return running;
  };
  const handle = timers.setInterval(() => void tick(), options.everyMs ?? DAILY_CHECK_EVERY_MS);
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
