import { sql, type Insertable } from 'kysely';
import type { z } from 'zod';
import type { SessionPage } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { holidayName, type HolidayZone } from '../../../shared/domain/holidays';
import { timeToMinutes } from '../../../shared/domain/dates';
import { matchesSearch } from '../../../shared/domain/search';
import { HALF_DAY_MISMATCH, halfDayFits, planSlots, slotsOverPlanned } from '../../../shared/domain/timetable';
import type {
  assignSlotsInput,
  generateSlotsInput,
  Modality,
  Session,
  sessionInput,
  Slot,
} from '../../../shared/schemas/training';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';
import { track } from '../evidence/track';
import type { SlotTable } from '../db/schema';
import { getAction, listPlaces, toPlace } from '../catalogue/catalogue';
import { holdsPlaceOn } from './active';
import { listEnrolmentRows } from './enrolments';
import { todayOf } from '../organisation/organisation';
import { listTrainers } from '../people/people';
import { assertNotCountersigned, writeSlotFacts, writeSlotTrainers } from './slots';

export async function getSession(ctx: Ctx, id: string): Promise<Session> {
  const row = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'Session introuvable.', [{ path: 'sessionId', message: 'Session inconnue.' }]);
  return row;
}

async function assertPlace(ctx: Ctx, placeId: string | null | undefined): Promise<void> {
  if (!placeId) return;
  const found = await ctx.db.selectFrom('places').select('id').where('id', '=', placeId).executeTakeFirst();
  if (!found) throw new AppError('not_found', 'Lieu introuvable.', [{ path: 'placeId', message: 'Lieu inconnu.' }]);
}

export async function saveSession(ctx: Ctx, data: z.output<typeof sessionInput>): Promise<Session> {
  const { id, ...fields } = data;
  return inTransaction(ctx, async (tx) => {
    await getAction(tx, fields.actionId);
    await assertPlace(tx, fields.placeId);
    let sessionId = id;
    if (sessionId) {
      const outside = await tx.db
        .selectFrom('slots')
        .select(sql<number>`count(*)`.as('n'))
        .where('sessionId', '=', sessionId)
        .where((eb) => eb.or([eb('date', '<', fields.startDate), eb('date', '>', fields.endDate)]))
        .executeTakeFirstOrThrow();
      if (outside.n > 0) {
        throw new AppError('business', `${outside.n} créneau(x) tomberaient hors des nouvelles dates de la session.`, [
          { path: 'startDate', message: 'Des créneaux existent hors de ces dates.' },
        ]);
      }
      const res = await tx.db.updateTable('sessions').set({ ...fields, ...stampVersion(tx) }).where('id', '=', sessionId).executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw new AppError('not_found', 'Session introuvable.');
    } else {
      sessionId = tx.newId();
      await tx.db.insertInto('sessions').values({ id: sessionId, ...fields, ...stampNew(tx) }).execute();
    }
    return getSession(tx, sessionId);
  });
}

/** The sessions, each with its places taken today (`enrolled`, the capacity check's count). */
export async function listSessions(ctx: Ctx, query: { actionId?: string | undefined; search?: string | undefined }) {
  const today = await todayOf(ctx);
  let q = ctx.db
    .selectFrom('sessions as s')
    .innerJoin('actions as a', 'a.id', 's.actionId')
    .selectAll('s')
    .select([
      'a.title as actionTitle',
      sql<number>`(SELECT count(*) FROM enrolments e WHERE e.session_id = s.id AND ${holdsPlaceOn('e', today)})`.as('enrolled'),
      sql<number>`(SELECT count(*) FROM slots x WHERE x.session_id = s.id AND x.cancelled = 0)`.as('slotCount'),
      sql<number>`coalesce((SELECT sum(x.minutes) FROM slots x WHERE x.session_id = s.id AND x.cancelled = 0), 0)`.as('plannedMinutes'),
    ]);
  q = q.where('s.deletedAt', 'is', null);
  if (query.actionId) q = q.where('s.actionId', '=', query.actionId);
  // The search ignores case and accents (shared/domain/search.ts): sessions are few, folded here.
  return (await q.orderBy('s.startDate', 'desc').execute()).filter((s) => matchesSearch([s.label, s.actionTitle], query.search));
}

function defaultModality(actionModality: string): Modality {
  return actionModality === 'mixte' ? 'presentiel' : (actionModality as Modality);
}

/** Chunked multi-row INSERTs: SQLite caps bound parameters per statement. */
export async function insertSlots(ctx: Ctx, rows: Insertable<SlotTable>[], trainerIds: readonly string[]): Promise<void> {
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    await ctx.db.insertInto('slots').values(rows.slice(i, i + chunk)).execute();
  }
  if (trainerIds.length > 0) {
    const stamp = stampNew(ctx);
    const links = rows.flatMap((r) => trainerIds.map((trainerId) => ({ id: ctx.newId(), slotId: r.id, trainerId, ...stamp })));
    for (let i = 0; i < links.length; i += chunk) {
      await ctx.db.insertInto('slotTrainers').values(links.slice(i, i + chunk)).execute();
    }
  }
  // Slots' times, place and trainers are covered by the ledger (evidence/track.ts).
  await track(ctx, 'slot', rows.map((r) => r.id));
}

/** One slot as the import file (or a later "add a slot" screen) gives it. */
export interface SlotDraft {
  sessionId: string;
  date: string;
  halfDay: 'am' | 'pm';
  start: string;
  end: string;
  modality: Modality;
  placeId: string | null;
  trainerIds: readonly string[];
  cancelled: boolean;
}

/**
 * Creates one slot with the checks slot generation applies: inside the session's dates, times that fit
 * the half-day, not on a public holiday of the place's zone, not a half-day the session already has.
 */
export async function createSlot(ctx: Ctx, d: SlotDraft): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const session = await getSession(tx, d.sessionId);
    const refuse = (path: string, message: string, code: 'business' | 'conflict' | 'validation' = 'business') => new AppError(code, message, [{ path, message }]);
    if (d.date < session.startDate || d.date > session.endDate) throw refuse('date', `Le créneau du ${d.date} tombe hors des dates de la session (${session.startDate} au ${session.endDate}).`);
    if (d.end <= d.start) throw refuse('end', "L'heure de fin doit suivre l'heure de début.", 'validation');
    if (!halfDayFits(d.halfDay, d.start, d.end)) throw refuse('halfDay', HALF_DAY_MISMATCH, 'validation');
    const placeId = d.placeId ?? session.placeId;
    await assertPlace(tx, placeId);
    await assertTrainers(tx, d.trainerIds);
    let zone: HolidayZone = 'metropole';
    if (placeId) zone = toPlace(await tx.db.selectFrom('places').selectAll().where('id', '=', placeId).executeTakeFirstOrThrow()).holidayZone;
    const holiday = holidayName(d.date, zone);
    if (holiday) throw refuse('date', `Le ${d.date} est un jour férié (${holiday}) : pas de créneau ce jour-là.`);
    const taken = await tx.db.selectFrom('slots').select('id').where('sessionId', '=', d.sessionId).where('date', '=', d.date).where('halfDay', '=', d.halfDay).executeTakeFirst();
    // A countersigned slot is said so: whatever the file holds for it, only a correction changes it.
    if (taken) await assertNotCountersigned(tx, [taken.id], 'halfDay');
    if (taken) throw refuse('halfDay', `La session a déjà un créneau le ${d.date} ${d.halfDay === 'am' ? 'matin' : 'après-midi'}.`, 'conflict');
    const id = tx.newId();
    await insertSlots(
      tx,
      [{ id, sessionId: d.sessionId, date: d.date, halfDay: d.halfDay, startTime: d.start, endTime: d.end, minutes: timeToMinutes(d.end) - timeToMinutes(d.start), modality: d.modality, placeId: d.placeId, cancelled: d.cancelled ? 1 : 0, ...stampNew(tx) }],
      d.trainerIds,
    );
    return id;
  });
}

async function assertTrainers(ctx: Ctx, trainerIds: readonly string[]): Promise<void> {
  if (trainerIds.length === 0) return;
  const found = await ctx.db.selectFrom('trainers').select('id').where('id', 'in', trainerIds).execute();
  if (found.length !== new Set(trainerIds).size) {
    throw new AppError('not_found', 'Formateur introuvable.', [{ path: 'trainerIds', message: 'Un des formateurs est inconnu.' }]);
  }
}

/**
 * Generates a session's half-day slots from a weekly timetable, skipping public holidays of the place's
 * zone and half-days that already have a slot (so running it twice creates nothing twice).
 */
export async function generateSlots(ctx: Ctx, data: z.output<typeof generateSlotsInput>) {
  return inTransaction(ctx, async (tx) => {
    const session = await getSession(tx, data.sessionId);
    if (data.from < session.startDate || data.to > session.endDate) {
      throw new AppError('business', `La période doit rester dans les dates de la session (${session.startDate} au ${session.endDate}).`, [
        { path: data.from < session.startDate ? 'from' : 'to', message: 'Hors des dates de la session.' },
      ]);
    }
    const placeId = data.placeId === undefined ? session.placeId : data.placeId;
    await assertPlace(tx, placeId);
    await assertTrainers(tx, data.trainerIds);
    let zone: HolidayZone = data.holidayZone ?? 'metropole';
    if (!data.holidayZone && placeId) {
      const place = await tx.db.selectFrom('places').selectAll().where('id', '=', placeId).executeTakeFirstOrThrow();
      zone = toPlace(place).holidayZone;
    }
    const action = await getAction(tx, session.actionId);
    const existing = await tx.db
      .selectFrom('slots')
      .select(['date', 'halfDay'])
      .where('sessionId', '=', session.id)
      .where('date', '>=', data.from)
      .where('date', '<=', data.to)
      .execute();
    const taken = new Set(existing.map((s) => `${s.date}:${s.halfDay}`));
    const plan = planSlots(data.from, data.to, data.timetable, zone);
    const stamp = stampNew(tx);
    const modality = data.modality ?? defaultModality(action.modality);
    const fresh = plan.slots.filter((s) => !taken.has(`${s.date}:${s.halfDay}`));
    const rows: Insertable<SlotTable>[] = fresh.map((s) => ({
      id: tx.newId(),
      sessionId: session.id,
      date: s.date,
      halfDay: s.halfDay,
      startTime: s.start,
      endTime: s.end,
      minutes: s.minutes,
      modality,
      placeId: placeId ?? null,
      cancelled: 0,
      ...stamp,
    }));
    await insertSlots(tx, rows, data.trainerIds);
    // All the session's slots against the action's planned hours: a warning the screen shows (issue #8).
    const total = await tx.db
      .selectFrom('slots')
      .select(sql<number>`coalesce(sum(minutes), 0)`.as('m'))
      .where('sessionId', '=', session.id)
      .where('cancelled', '=', 0)
      .where('deletedAt', 'is', null)
      .executeTakeFirstOrThrow();
    return {
      created: rows.length,
      skippedHolidays: plan.skippedHolidays,
      skippedExisting: plan.slots.length - fresh.length,
      overPlanned: slotsOverPlanned(total.m, action.plannedMinutes),
    };
  });
}

/**
 * Assigns a place and/or trainers to slots; trainers given replace the slot's current ones (slots.ts
 * `writeSlotTrainers`). A countersigned slot is refused, named: it changes only by correction.
 */
export async function assignSlots(ctx: Ctx, data: z.output<typeof assignSlotsInput>) {
  return inTransaction(ctx, async (tx) => {
    await assertPlace(tx, data.placeId);
    if (data.trainerIds) await assertTrainers(tx, data.trainerIds);
    const found = await tx.db.selectFrom('slots').select('id').where('id', 'in', data.slotIds).execute();
    if (found.length !== new Set(data.slotIds).size) {
      throw new AppError('not_found', 'Créneau introuvable.', [{ path: 'slotIds', message: 'Un des créneaux est inconnu.' }]);
    }
    await assertNotCountersigned(tx, data.slotIds);
    const at = tx.now().toISOString();
    if (data.placeId !== undefined) {
      for (const slotId of data.slotIds) await writeSlotFacts(tx, slotId, { placeId: data.placeId }, at);
    }
    if (data.trainerIds) await writeSlotTrainers(tx, data.slotIds, data.trainerIds, at);
    await track(tx, 'slot', data.slotIds);
    return { updated: found.length };
  });
}

export async function listSlots(ctx: Ctx, sessionId: string): Promise<Slot[]> {
  const rows = await ctx.db
    .selectFrom('slots as s')
    .selectAll('s')
    .select([
      sql<number>`EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id = s.id)`.as('countersigned'),
      sql<number>`EXISTS (SELECT 1 FROM attendance_marks m WHERE m.slot_id = s.id)`.as('marked'),
      sql<number>`(SELECT count(*) FROM slot_corrections k WHERE k.slot_id = s.id)`.as('corrections'),
    ])
    .where('s.sessionId', '=', sessionId)
    .where('s.deletedAt', 'is', null)
    .orderBy('s.date')
    .orderBy('s.halfDay')
    .execute();
  const links = await ctx.db
    .selectFrom('slotTrainers as st')
    .innerJoin('slots as s', 's.id', 'st.slotId')
    .select(['st.slotId', 'st.trainerId'])
    .where('s.sessionId', '=', sessionId)
    .where('st.deletedAt', 'is', null)
    .execute();
  const bySlot = new Map<string, string[]>();
  for (const l of links) bySlot.set(l.slotId, [...(bySlot.get(l.slotId) ?? []), l.trainerId]);
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.sessionId,
    date: r.date,
    halfDay: r.halfDay,
    start: r.startTime,
    end: r.endTime,
    minutes: r.minutes,
    modality: r.modality as Modality,
    placeId: r.placeId,
    trainerIds: bySlot.get(r.id) ?? [],
    cancelled: r.cancelled === 1,
    cancelReason: r.cancelReason,
    countersigned: r.countersigned === 1,
    marked: r.marked === 1,
    corrections: r.corrections,
  }));
}

/** Everything the session page shows, in one call. */
export async function getSessionPage(ctx: Ctx, id: string): Promise<SessionPage> {
  const session = await getSession(ctx, id);
  const [action, slots, enrolments, trainers, places] = await Promise.all([
    getAction(ctx, session.actionId),
    listSlots(ctx, id),
    listEnrolmentRows(ctx, id),
    listTrainers(ctx),
    listPlaces(ctx),
  ]);
  const place = places.find((p) => p.id === session.placeId) ?? null;
  return { session, action, place, slots, enrolments, trainers, places };
}
