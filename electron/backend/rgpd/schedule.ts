import { todayIn } from '../../../shared/domain/dates';
import type { PurgeResult } from '../../../shared/schemas/rgpd';
import type { Ctx } from '../context';
import { toApiError } from '../dispatch';
import { organisationTimeZone } from '../organisation/organisation';
import { purgeDueErasures } from './erase';

/** How often the schedule looks whether today's purge has run: the app may stay open for days. */
export const PURGE_CHECK_EVERY_MS = 60 * 60 * 1000;

export interface PurgeScheduleOptions {
  everyMs?: number;
  /** The timer (tests drive it by hand). */
  timers?: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
  /** Where failures are told, in French (stderr by default). */
  log?: (line: string) => void;
}

export interface PurgeSchedule {
  /** Runs today's purge if it has not run yet today; never throws. What it did, or null. */
  tick(): Promise<PurgeResult | null>;
  /** Stops the timer and waits for a purge under way. */
  stop(): Promise<void>;
}

/**
 * The RGPD purge (rgpd/erase.ts `purgeDueErasures`): once at start-up, then once a day (a look every hour, so an app
 * left open past midnight runs the next day's). Nothing runs on a damaged database nor before the background
 * integrity check of a big file has answered, nor where the ledger cannot be written (a CLI beside the app): the
 * failure is written to stderr in French and the next look tries again.
 *
 * Long-running hosts (the app, the preview) start it in backup/restorable.ts openRestorable and stop it there:
 * @example
 * const purges = startRgpdPurgeSchedule(ctx);
 * // … at close: await purges.stop();
 */
export function startRgpdPurgeSchedule(ctx: Ctx, options: PurgeScheduleOptions = {}): PurgeSchedule {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const timers = options.timers ?? { setInterval: (fn, ms) => setInterval(fn, ms).unref(), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) };
  let running: Promise<PurgeResult | null> | null = null;
  let lastDay: string | null = null;
  let stopped = false;

  const once = async (): Promise<PurgeResult | null> => {
    try {
      if (ctx.integrity) await ctx.integrity.settled;
      const damaged = ctx.readOnly ?? ctx.integrity?.refusal;
      if (damaged) {
        log(`[sillon] Purge RGPD non faite : ${damaged}`);
        return null;
      }
      const today = todayIn(ctx.now(), await organisationTimeZone(ctx));
      if (today === lastDay || stopped) return null;
      const result = await purgeDueErasures(ctx);
      lastDay = today;
      return result;
    } catch (e) {
      log(`[sillon] Purge RGPD impossible : ${toApiError(e).message} Nouvel essai dans une heure.`);
      return null;
    }
  };
  const tick = (): Promise<PurgeResult | null> => {
    running ??= once().finally(() => {
      running = null;
    });
    return running;
  };
  const handle = timers.setInterval(() => void tick(), options.everyMs ?? PURGE_CHECK_EVERY_MS);
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
