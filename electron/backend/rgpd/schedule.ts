import { todayIn } from '../../../shared/domain/dates';
import type { PurgeResult } from '../../../shared/schemas/rgpd';
import type { Ctx } from '../context';
import { startDailyJob, type DailyJob, type DailyJobOptions } from '../daily-job';
import { organisationTimeZone } from '../organisation/organisation';
import { purgeDueErasures } from './erase';

/**
 * The RGPD purge (rgpd/erase.ts `purgeDueErasures`) as a daily job (daily-job.ts): at start-up, then once a day.
 * Nothing runs where the ledger cannot be written (a CLI beside the app): the failure is logged, the next look
 * tries again.
 *
 * @example
 * const purges = startRgpdPurgeSchedule(ctx);
 * // … at close: await purges.stop();
 */
export function startRgpdPurgeSchedule(ctx: Ctx, options: DailyJobOptions = {}): DailyJob<PurgeResult> {
  let lastDay: string | null = null;
  return startDailyJob(
    ctx,
    {
      name: 'Purge RGPD',
      doneOn: (today) => today === lastDay,
      run: async () => {
        const result = await purgeDueErasures(ctx);
        lastDay = todayIn(ctx.now(), await organisationTimeZone(ctx));
        return result;
      },
    },
    options,
  );
}
