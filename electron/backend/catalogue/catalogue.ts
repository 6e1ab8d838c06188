import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { holidayZoneOfPostcode, type HolidayZone } from '../../../shared/domain/holidays';
import { matchesSearch } from '../../../shared/domain/search';
import type { Place, placeInput } from '../../../shared/schemas/organisation';
import type { Action, actionInput } from '../../../shared/schemas/training';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';
import type { PlaceTable } from '../db/schema';

export function toPlace(row: Selectable<PlaceTable>): Place {
  return { ...row, qpv: row.qpv === 1, zrr: row.zrr === 1, holidayZone: row.holidayZone as HolidayZone };
}

/** The places; `search` keeps those whose name, address or town has every word of it, case and accents aside. */
export async function listPlaces(ctx: Ctx, search?: string): Promise<Place[]> {
  const rows = await ctx.db.selectFrom('places').selectAll().where('deletedAt', 'is', null).orderBy('name').execute();
  return rows.filter((r) => matchesSearch([r.name, r.address, r.postcode, r.city], search)).map(toPlace);
}

/** Creates or updates a place; its holiday zone follows the postcode unless given. */
export async function savePlace(ctx: Ctx, data: z.output<typeof placeInput>): Promise<Place> {
  const { id, ...fields } = data;
  const row = {
    ...fields,
    qpv: fields.qpv ? 1 : 0,
    zrr: fields.zrr ? 1 : 0,
    holidayZone: fields.holidayZone ?? holidayZoneOfPostcode(fields.postcode),
  };
  return inTransaction(ctx, async (tx) => {
    let placeId = id;
    if (placeId) {
      const res = await tx.db.updateTable('places').set({ ...row, ...stampVersion(tx) }).where('id', '=', placeId).executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw new AppError('not_found', 'Lieu introuvable.');
    } else {
      placeId = tx.newId();
      await tx.db.insertInto('places').values({ id: placeId, ...row, ...stampNew(tx) }).execute();
    }
    return toPlace(await tx.db.selectFrom('places').selectAll().where('id', '=', placeId).executeTakeFirstOrThrow());
  });
}

/** The actions; `search` keeps those whose title or codes have every word of it, case and accents aside. */
export async function listActions(ctx: Ctx, search?: string): Promise<Action[]> {
  const rows = (await ctx.db.selectFrom('actions').selectAll().where('deletedAt', 'is', null).orderBy('title').execute()) as Action[];
  return rows.filter((r) => matchesSearch([r.title, r.code, r.certificationCode], search));
}

export async function getAction(ctx: Ctx, id: string): Promise<Action> {
  const row = await ctx.db.selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'Action de formation introuvable.', [{ path: 'actionId', message: 'Action inconnue.' }]);
  return row as Action;
}

export async function saveAction(ctx: Ctx, data: z.output<typeof actionInput>): Promise<Action> {
  const { id, ...fields } = data;
  return inTransaction(ctx, async (tx) => {
    let actionId = id;
    if (actionId) {
      const res = await tx.db.updateTable('actions').set({ ...fields, ...stampVersion(tx) }).where('id', '=', actionId).executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw new AppError('not_found', 'Action de formation introuvable.');
    } else {
      actionId = tx.newId();
      await tx.db.insertInto('actions').values({ id: actionId, ...fields, ...stampNew(tx) }).execute();
    }
    return getAction(tx, actionId);
  });
}
