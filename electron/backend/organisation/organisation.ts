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
