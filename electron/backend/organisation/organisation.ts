import { todayIn } from '../../../shared/domain/dates';
import type { z } from 'zod';
import type { Organisation, organisationInput } from '../../../shared/schemas/organisation';
import { inTransaction, stampNew, stampUpdate, type Ctx } from '../context';

/** The training body's profile: one row per installation. */
export async function getOrganisation(ctx: Ctx): Promise<Organisation | null> {
  return (await ctx.db.selectFrom('organisation').selectAll().executeTakeFirst()) ?? null;
}

/** Inputs are already parsed by the contract (dispatch) or the importer: services trust their types. */
export async function saveOrganisation(ctx: Ctx, data: z.output<typeof organisationInput>): Promise<Organisation> {
  return inTransaction(ctx, async (tx) => {
    const existing = await getOrganisation(tx);
    if (existing) {
      await tx.db.updateTable('organisation').set({ ...data, ...stampUpdate(tx) }).where('id', '=', existing.id).execute();
    } else {
      await tx.db.insertInto('organisation').values({ id: tx.newId(), ...data, ...stampNew(tx) }).execute();
    }
    return (await getOrganisation(tx))!;
  });
}

/** When no profile is saved yet (first launch, tests): the time zone of metropolitan France. */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/** The training body's IANA time zone: every date of the app ("today", a signature's day) is read in it. */
export async function organisationTimeZone(ctx: Ctx): Promise<string> {
  const row = await ctx.db.selectFrom('organisation').select('timeZone').orderBy('createdAt').limit(1).executeTakeFirst();
  return row?.timeZone || DEFAULT_TIME_ZONE;
}

/** Today's date in the training body's time zone. */
export async function todayOf(ctx: Ctx): Promise<string> {
  return todayIn(ctx.now(), await organisationTimeZone(ctx));
}
