import { sql } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { timeToMinutes } from '../../../shared/domain/dates';
import { HALF_DAY_MISMATCH, halfDayFits } from '../../../shared/domain/half-days';
import { holidayName, type HolidayZone } from '../../../shared/domain/holidays';
import type { cancelSlotInput, correctSlotInput, updateSlotInput } from '../../../shared/schemas/training';
import { recountSlotMarksIn } from '../attendance/attendance';
import { inTransaction, type Ctx } from '../context';
import { track } from '../evidence/track';
import { withRaw } from '../db/raw';
import type { SqlRow } from '../db/schema';
import { writeEvidenceIn, type EvidenceEntry } from '../evidence/writer';
import { toPlace } from '../catalogue/catalogue';

/*
 * A slot after it was planned: changed (« Modifier ») while not countersigned, corrected (« Corriger »)
 * once countersigned, cancelled and reinstated. **Every write of a slot row or of its trainer links in the
 * app goes through the four writers at the bottom of this file** (`writeSlotFacts`, `writeSlotTrainers`,
 * `writeSlotCancellation`) or `insertSlots` (sessions.ts); each public change below then records the slot's new
 * state in the ledger once (`track`, evidence/track.ts), after its writes.
 *
 * A countersigned slot (it has a closure) is guarded twice: here, with a French sentence naming the slot,
 * and in the database (migration 0012), whose triggers refuse any change of its times, place, date or
 * trainers that no correction of that slot, stamped at the same instant, accompanies.
 */

type SlotRow = SqlRow<'slots'>;

export const HALF_DAY_FR = { am: 'matin', pm: 'après-midi' } as const;

/** « Le créneau du 2026-11-23 matin (08:30–12:00) » — the dispatcher shows the date as JJ/MM/AAAA. */
export function slotName(s: Pick<SlotRow, 'date' | 'half_day' | 'start_time' | 'end_time'>): string {
  return `Le créneau du ${s.date} ${HALF_DAY_FR[s.half_day as 'am' | 'pm'] ?? s.half_day} (${s.start_time}–${s.end_time})`;
}

/** The refusal of any path other than a correction to change a countersigned slot. */
export function countersignedRefusal(s: Pick<SlotRow, 'date' | 'half_day' | 'start_time' | 'end_time'>, path = 'slotId'): AppError {
  const message = `${slotName(s)} est contresigné par le formateur : ses horaires, son lieu et ses formateurs ne changent plus que par une correction motivée (bouton « Corriger » du planning).`;
  return new AppError('business', message, [{ path, message }]);
}

async function slotRow(ctx: Ctx, slotId: string): Promise<SlotRow> {
  const row = await withRaw(ctx.db, (raw) => raw.get<SlotRow>('SELECT * FROM slots WHERE id = ? AND deleted_at IS NULL', slotId));
  if (!row) throw new AppError('not_found', 'Créneau introuvable.', [{ path: 'slotId', message: 'Créneau inconnu.' }]);
  return row;
}

async function closureOf(ctx: Ctx, slotId: string) {
  return ctx.db.selectFrom('slotClosures').select(['trainerId', 'closedAt']).where('slotId', '=', slotId).executeTakeFirst();
}

async function markCount(ctx: Ctx, slotId: string): Promise<number> {
  const r = await ctx.db.selectFrom('attendanceMarks').select(sql<number>`count(DISTINCT enrolment_id)`.as('n')).where('slotId', '=', slotId).executeTakeFirstOrThrow();
  return r.n;
}

async function trainersOf(ctx: Ctx, slotId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('slotTrainers').select('trainerId').where('slotId', '=', slotId).where('deletedAt', 'is', null).execute();
  return rows.map((r) => r.trainerId).sort();
}

/**
 * Refuses when any of the slots is countersigned, naming the first: the guard of every path that changes
 * slots outside a correction (`slots.assign`, `slots.update`, the import).
 */
export async function assertNotCountersigned(ctx: Ctx, slotIds: readonly string[], path = 'slotIds'): Promise<void> {
  if (slotIds.length === 0) return;
  for (let i = 0; i < slotIds.length; i += 500) {
    const chunk = slotIds.slice(i, i + 500);
    const row = await withRaw(ctx.db, (raw) =>
      raw.get<SlotRow>(
        `SELECT s.* FROM slots s WHERE s.id IN (${chunk.map(() => '?').join(', ')}) AND EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id = s.id) ORDER BY s.date, s.half_day LIMIT 1`,
        ...chunk,
      ),
    );
    if (row) throw countersignedRefusal(row, path);
  }
}

async function assertPlaceAndTrainers(ctx: Ctx, placeId: string | null, trainerIds: readonly string[]): Promise<HolidayZone> {
  let zone: HolidayZone = 'metropole';
  if (placeId) {
    const place = await ctx.db.selectFrom('places').selectAll().where('id', '=', placeId).executeTakeFirst();
    if (!place) throw new AppError('not_found', 'Lieu introuvable.', [{ path: 'placeId', message: 'Lieu inconnu.' }]);
    zone = toPlace(place).holidayZone;
  }
  if (trainerIds.length > 0) {
    const found = await ctx.db.selectFrom('trainers').select('id').where('id', 'in', trainerIds).execute();
    if (found.length !== new Set(trainerIds).size) throw new AppError('not_found', 'Formateur introuvable.', [{ path: 'trainerIds', message: 'Un des formateurs est inconnu.' }]);
  }
  return zone;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * « Modifier »: a slot not yet countersigned changes freely (date, half-day, times, place, trainers), with the
 * checks of slot creation (session dates, half-day, public holiday, half-day taken). Once its roll call has
 * begun (marks exist), its date stays; new times recount the marks (shared/domain/slot-changes.ts).
 */
export async function updateSlot(ctx: Ctx, data: z.output<typeof updateSlotInput>): Promise<{ recounted: number }> {
  return inTransaction(ctx, async (tx) => {
    const slot = await slotRow(tx, data.slotId);
    if (await closureOf(tx, slot.id)) throw countersignedRefusal(slot);
    if (slot.cancelled) throw new AppError('business', `${slotName(slot)} est annulé : rétablissez-le avant de le modifier.`, [{ path: 'slotId', message: 'Créneau annulé.' }]);
    const session = await tx.db.selectFrom('sessions').select(['startDate', 'endDate', 'placeId']).where('id', '=', slot.session_id).executeTakeFirstOrThrow();
    const refuse = (path: string, message: string, code: 'business' | 'conflict' = 'business') => new AppError(code, message, [{ path, message }]);
    if (data.date < session.startDate || data.date > session.endDate) {
      throw refuse('date', `Le créneau du ${data.date} tomberait hors des dates de la session (${session.startDate} au ${session.endDate}).`);
    }
    if (!halfDayFits(data.halfDay, data.start, data.end)) throw refuse('halfDay', HALF_DAY_MISMATCH);
    const zone = await assertPlaceAndTrainers(tx, data.placeId ?? session.placeId, data.trainerIds);
    const holiday = holidayName(data.date, zone);
    if (holiday && data.date !== slot.date) throw refuse('date', `Le ${data.date} est un jour férié (${holiday}) : pas de créneau ce jour-là.`);
    if (data.date !== slot.date || data.halfDay !== slot.half_day) {
      const taken = await tx.db.selectFrom('slots').select('id').where('sessionId', '=', slot.session_id).where('date', '=', data.date).where('halfDay', '=', data.halfDay).where('id', '!=', slot.id).executeTakeFirst();
      if (taken) throw refuse('halfDay', `La session a déjà un créneau le ${data.date} ${HALF_DAY_FR[data.halfDay]}.`, 'conflict');
    }
    const marked = await markCount(tx, slot.id);
    if (marked > 0 && (data.date !== slot.date || data.halfDay !== slot.half_day)) {
      throw refuse('date', `${slotName(slot)} a déjà des présences saisies (${marked} stagiaire(s)) : sa date et sa demi-journée ne changent plus. Modifiez seulement ses horaires, son lieu ou ses formateurs.`);
    }
    const minutes = timeToMinutes(data.end) - timeToMinutes(data.start);
    const at = tx.now().toISOString();
    let recounted = 0;
    if (marked > 0 && minutes !== slot.minutes) {
      recounted = await withRaw(tx.db, (raw) => {
        const r = recountSlotMarksIn(raw, slot.id, { start: data.start, end: data.end, minutes }, { reason: 'créneau modifié avant clôture', at, userId: tx.user.id, newId: tx.newId, closedAt: null });
        writeEvidenceIn(raw, r.evidence, { at });
        return r.recounted;
      });
    }
    await writeSlotFacts(tx, slot.id, { date: data.date, halfDay: data.halfDay, start: data.start, end: data.end, minutes, placeId: data.placeId }, at);
    if (!sameList(await trainersOf(tx, slot.id), data.trainerIds)) await writeSlotTrainers(tx, [slot.id], data.trainerIds, at);
    await track(tx, 'slot', [slot.id]);
    return { recounted };
  });
}

/** What a correction records of a slot, before and after (`slot_corrections.previous` / `corrected`). */
interface SlotFacts {
  start: string;
  end: string;
  minutes: number;
  placeId: string | null;
  trainerIds: string[];
}

/**
 * « Corriger »: a countersigned slot's times, place or trainers change through a recorded correction — an
 * evidence row (`slot_correction`: before, after, reason, who, when) in the ledger, and the change, in one
 * transaction. New times recount the marks (each superseded with its new minutes, see
 * shared/domain/slot-changes.ts) and queue every mark of the slot again for the funders, with the new times.
 * The trainer who countersigned stays among the slot's trainers.
 */
export async function correctSlot(ctx: Ctx, data: z.output<typeof correctSlotInput>): Promise<{ correctionId: string; recounted: number }> {
  return inTransaction(ctx, async (tx) => {
    const slot = await slotRow(tx, data.slotId);
    const closure = await closureOf(tx, slot.id);
    if (!closure) {
      throw new AppError('business', `${slotName(slot)} n'est pas contresigné : modifiez-le directement (bouton « Modifier »), sans correction.`, [{ path: 'slotId', message: 'Créneau non contresigné.' }]);
    }
    const halfDay = slot.half_day as 'am' | 'pm';
    if (!halfDayFits(halfDay, data.start, data.end)) throw new AppError('validation', HALF_DAY_MISMATCH, [{ path: 'start', message: HALF_DAY_MISMATCH }]);
    await assertPlaceAndTrainers(tx, data.placeId, data.trainerIds);
    const before: SlotFacts = { start: slot.start_time, end: slot.end_time, minutes: slot.minutes, placeId: slot.place_id, trainerIds: await trainersOf(tx, slot.id) };
    const after: SlotFacts = {
      start: data.start, end: data.end, minutes: timeToMinutes(data.end) - timeToMinutes(data.start), placeId: data.placeId, trainerIds: [...new Set(data.trainerIds)].sort(),
    };
    const trainersChange = !sameList(before.trainerIds, after.trainerIds);
    if (before.start === after.start && before.end === after.end && before.placeId === after.placeId && !trainersChange) {
      throw new AppError('validation', 'Rien à corriger : les horaires, le lieu et les formateurs sont ceux du créneau.', [{ path: 'start', message: 'Aucun changement.' }]);
    }
    if (trainersChange && !after.trainerIds.includes(closure.trainerId)) {
      const message = 'Le formateur qui a contresigné le créneau reste parmi ses formateurs : sa signature porte sur ce créneau.';
      throw new AppError('business', message, [{ path: 'trainerIds', message }]);
    }
    const at = tx.now().toISOString();
    const correction: SqlRow<'slot_corrections'> = {
      id: tx.newId(), slot_id: slot.id, previous: JSON.stringify(before), corrected: JSON.stringify(after), reason: data.reason, created_at: at, created_by: tx.user.id,
    };
    const recounted = await withRaw(tx.db, (raw) => {
      const evidence: EvidenceEntry[] = [{ type: 'slot_correction', row: correction }];
      let outbox: Parameters<typeof writeEvidenceIn>[2]['outbox'] = [];
      let n = 0;
      if (after.start !== before.start || after.end !== before.end) {
        const r = recountSlotMarksIn(raw, slot.id, after, { reason: data.reason, at, userId: tx.user.id, newId: tx.newId, closedAt: closure.closedAt });
        evidence.push(...r.evidence);
        outbox = r.outbox;
        n = r.recounted;
      }
      writeEvidenceIn(raw, evidence, { at, outbox });
      return n;
    });
    // The database lets these through only because the correction above carries the same instant.
    await writeSlotFacts(tx, slot.id, { start: after.start, end: after.end, minutes: after.minutes, placeId: after.placeId }, at);
    if (trainersChange) await writeSlotTrainers(tx, [slot.id], after.trainerIds, at);
    await track(tx, 'slot', [slot.id]);
    return { correctionId: correction.id, recounted };
  });
}

/**
 * « Annuler le créneau »: with a reason, who and when. A slot with recorded attendance stays (the marks are
 * evidence): if it did not take place, correct each mark to an absence; if it took place at other times,
 * correct (or modify) the slot. Its unsent roll-call drafts are dropped.
 */
export async function cancelSlot(ctx: Ctx, data: z.output<typeof cancelSlotInput>): Promise<{ cancelled: true }> {
  return inTransaction(ctx, async (tx) => {
    const slot = await slotRow(tx, data.slotId);
    if (slot.cancelled) throw new AppError('conflict', `${slotName(slot)} est déjà annulé.`, [{ path: 'slotId', message: 'Déjà annulé.' }]);
    const marked = await markCount(tx, slot.id);
    if (marked > 0) {
      const message = `${slotName(slot)} ne peut pas être annulé : des présences y sont enregistrées (${marked} stagiaire(s)), et une preuve ne s'efface pas. S'il n'a pas eu lieu, corrigez chaque présence en absence ; s'il a eu lieu à d'autres horaires, ${(await closureOf(tx, slot.id)) ? 'corrigez' : 'modifiez'} le créneau.`;
      throw new AppError('business', message, [{ path: 'reason', message }]);
    }
    const at = tx.now().toISOString();
    await writeSlotCancellation(tx, slot.id, { reason: data.reason }, at);
    await track(tx, 'slot', [slot.id]);
    await tx.db.deleteFrom('rollcallDrafts').where('slotId', '=', slot.id).execute();
    return { cancelled: true as const };
  });
}

/** « Rétablir »: a cancelled slot comes back (unless another slot took its half-day meanwhile). */
export async function reinstateSlot(ctx: Ctx, data: { slotId: string }): Promise<{ cancelled: false }> {
  return inTransaction(ctx, async (tx) => {
    const slot = await slotRow(tx, data.slotId);
    if (!slot.cancelled) throw new AppError('conflict', `${slotName(slot)} n'est pas annulé.`, [{ path: 'slotId', message: 'Créneau non annulé.' }]);
    await writeSlotCancellation(tx, slot.id, null, tx.now().toISOString());
    await track(tx, 'slot', [slot.id]);
    return { cancelled: false as const };
  });
}

// ——— The writers of slot rows (with insertSlots in sessions.ts). Each stamps the row's next version. ———

/** Writes a slot's date, half-day, times, minutes and/or place. */
export async function writeSlotFacts(
  tx: Ctx,
  slotId: string,
  facts: { date?: string; halfDay?: 'am' | 'pm'; start?: string; end?: string; minutes?: number; placeId?: string | null },
  at: string,
): Promise<void> {
  await tx.db
    .updateTable('slots')
    .set({
      ...(facts.date !== undefined ? { date: facts.date } : {}),
      ...(facts.halfDay !== undefined ? { halfDay: facts.halfDay } : {}),
      ...(facts.start !== undefined ? { startTime: facts.start } : {}),
      ...(facts.end !== undefined ? { endTime: facts.end } : {}),
      ...(facts.minutes !== undefined ? { minutes: facts.minutes } : {}),
      ...(facts.placeId !== undefined ? { placeId: facts.placeId } : {}),
      updatedAt: at,
      updatedBy: tx.user.id,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', slotId)
    .execute();
}

/**
 * Replaces the trainers of slots: a link that goes is tombstoned, one that comes back is revived, a new one
 * inserted, so every device sees a removal as a new version; each slot's version moves on.
 */
export async function writeSlotTrainers(tx: Ctx, slotIds: readonly string[], wanted: readonly string[], at: string): Promise<void> {
  const stamp = { updatedAt: at, updatedBy: tx.user.id, version: sql<number>`version + 1` };
  for (let i = 0; i < slotIds.length; i += 500) {
    const ids = slotIds.slice(i, i + 500);
    let gone = tx.db.updateTable('slotTrainers').set({ deletedAt: at, ...stamp }).where('slotId', 'in', ids).where('deletedAt', 'is', null);
    if (wanted.length > 0) gone = gone.where('trainerId', 'not in', wanted);
    await gone.execute();
    if (wanted.length > 0) {
      await tx.db.updateTable('slotTrainers').set({ deletedAt: null, ...stamp }).where('slotId', 'in', ids).where('trainerId', 'in', wanted).where('deletedAt', 'is not', null).execute();
      const present = await tx.db.selectFrom('slotTrainers').select(['slotId', 'trainerId']).where('slotId', 'in', ids).where('trainerId', 'in', wanted).execute();
      const have = new Set(present.map((p) => `${p.slotId}:${p.trainerId}`));
      const links = ids.flatMap((slotId) => wanted.filter((t) => !have.has(`${slotId}:${t}`)).map((trainerId) => ({ id: tx.newId(), slotId, trainerId, createdAt: at, createdBy: tx.user.id, updatedAt: at, updatedBy: tx.user.id })));
      for (let j = 0; j < links.length; j += 500) await tx.db.insertInto('slotTrainers').values(links.slice(j, j + 500)).execute();
    }
    await tx.db.updateTable('slots').set(stamp).where('id', 'in', ids).execute();
  }
}

/** Cancels a slot (`cancel` given: reason, who, when) or reinstates it (`null`: the reason is cleared). */
export async function writeSlotCancellation(tx: Ctx, slotId: string, cancel: { reason: string } | null, at: string): Promise<void> {
  await tx.db
    .updateTable('slots')
    .set({
      cancelled: cancel ? 1 : 0,
      cancelReason: cancel?.reason ?? null,
      cancelledAt: cancel ? at : null,
      cancelledBy: cancel ? tx.user.id : null,
      updatedAt: at,
      updatedBy: tx.user.id,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', slotId)
    .execute();
}
