import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import type { RollCall, SignatureInput } from '../../shared/schemas/attendance';
import type { Slot } from '../../shared/schemas/training';
import { testBackend, type TestBackend } from '../helpers/backend';

/*
 * Issue #9 §1: a countersigned slot changes its times, place and trainers only through a recorded
 * correction; a slot not yet countersigned is edited freely; a slot is cancelled with a reason.
 */

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const signature: SignatureInput = { strokes: [[[1, 1, 0], [5, 8, 16]]], pngBase64: PNG_1x1 };

let b: TestBackend;
let sessionId: string;

const count = (sql: string, ...params: unknown[]) => (b.raw.prepare(sql).get(...params) as { n: number }).n;
const slotsOf = async () => (await b.api['sessions.get']({ id: sessionId })).slots;
const slotById = async (id: string) => (await slotsOf()).find((s) => s.id === id)!;
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; issues?: { path: string; message: string }[] }> {
  const e = await p.then(() => null, (err: { api: { code: string; message: string } }) => err.api);
  expect(e, 'the call must be refused').not.toBeNull();
  return e!;
}

/** Today's open slot of the cuisine session (08:30–12:00, 210 min), its roll call recorded and closed by hand. */
async function countersignedToday(): Promise<{ slot: Slot; rc: RollCall }> {
  const slot = (await slotsOf()).find((s) => s.date === '2026-11-23' && s.halfDay === 'am')!;
  const rc = await b.api['attendance.rollCall']({ slotId: slot.id });
  const marks = rc.rows.map((r, i) =>
    i === 0
      ? { enrolmentId: r.enrolmentId, kind: 'late', lateMinutes: 20, method: 'signature' as const, signature }
      : i === 1
        ? { enrolmentId: r.enrolmentId, kind: 'unexcused', method: 'none' as const }
        : { enrolmentId: r.enrolmentId, kind: 'present', method: 'signature' as const, signature },
  );
  await b.api['attendance.record']({ slotId: slot.id, submissionId: uuidv7(), marks, close: { trainerId: slot.trainerIds[0]!, method: 'paper' } });
  return { slot: await slotById(slot.id), rc };
}

beforeEach(async () => {
  b = await testBackend('2026-11-23T09:00:00Z');
  await b.api['demo.load']({});
  sessionId = (await b.api['sessions.list']({})).find((s) => s.label.includes('étoiles'))!.id;
});
afterEach(async () => b.cleanup());

describe('a countersigned slot', () => {
  it('is refused by « Affecter », naming the slot, and nothing changes', async () => {
    const { slot } = await countersignedToday();
    expect(slot.countersigned).toBe(true);
    const other = (await slotsOf()).find((s) => s.date === '2026-11-24')!;
    const place = (await b.api['sessions.get']({ id: sessionId })).places.find((p) => p.id !== slot.placeId)!;
    const e = await failure(b.api['slots.assign']({ slotIds: [other.id, slot.id], placeId: place.id }));
    expect(e.message).toBe(
      'Le créneau du 23/11/2026 matin (08:30–12:00) est contresigné par le formateur : ses horaires, son lieu et ses formateurs ne changent plus que par une correction motivée (bouton « Corriger » du planning).',
    );
    expect((await slotById(slot.id)).placeId).toBe(slot.placeId);
    expect((await slotById(other.id)).placeId).toBe(other.placeId); // all or nothing
    const en = await b.dispatch('slots.assign', { slotIds: [slot.id], placeId: place.id }, { locale: 'en' });
    expect(!en.ok && en.error.message).toBe(
      'The slot of 23/11/2026 morning (08:30–12:00) is countersigned by the trainer: its times, place and trainers now change only through a correction with a reason (« Correct » button of the planning).',
    );
    const t = await failure(b.api['slots.assign']({ slotIds: [slot.id], trainerIds: [] }));
    expect(t.message).toMatch(/contresigné/);
    expect((await slotById(slot.id)).trainerIds).toEqual(slot.trainerIds);
  });

  it('is refused by « Modifier » (slots.update): it goes through « Corriger »', async () => {
    const { slot } = await countersignedToday();
    const e = await failure(b.api['slots.update']({ slotId: slot.id, date: slot.date, halfDay: 'am', start: '09:00', end: '12:00', placeId: slot.placeId, trainerIds: slot.trainerIds }));
    expect(e.message).toMatch(/^Le créneau du 23\/11\/2026 matin \(08:30–12:00\) est contresigné/);
  });

  it('refuses any change the database sees without a correction (times, place, cancellation, trainers)', async () => {
    const { slot } = await countersignedToday();
    const attempts = [
      () => b.raw.prepare("UPDATE slots SET start_time = '09:00', minutes = 180 WHERE id = ?").run(slot.id),
      () => b.raw.prepare('UPDATE slots SET place_id = NULL WHERE id = ?').run(slot.id),
      () => b.raw.prepare('UPDATE slots SET cancelled = 1 WHERE id = ?').run(slot.id),
      () => b.raw.prepare("UPDATE slot_trainers SET deleted_at = '2026-11-23T10:00:00.000Z' WHERE slot_id = ?").run(slot.id),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(/countersigned slot: changes only through a slot correction/);
    // What the person reads when such a refusal reaches them (db/errors.ts).
    const { fromSqliteError } = await import('../../electron/backend/db/errors');
    let caught: unknown;
    try {
      attempts[0]!();
    } catch (err) {
      caught = err;
    }
    expect(fromSqliteError(caught)?.message).toMatch(/contresigné.*correction/);
    // A slot nobody countersigned is not concerned.
    const open = (await slotsOf()).find((s) => s.date === '2026-11-24')!;
    expect(b.raw.prepare("UPDATE slots SET start_time = '09:00', minutes = 180 WHERE id = ?").run(open.id).changes).toBe(1);
  });

  it('is corrected with a reason: evidence row, new times, marks recounted and queued again, ledger intact', async () => {
    const { slot, rc } = await countersignedToday();
    const n = rc.rows.length;
    const queuedBefore = count("SELECT count(*) AS n FROM outbox WHERE record_type = 'attendance'");
    const signed = (await b.api['attendance.rollCall']({ slotId: slot.id })).rows[0]!.mark!;
    b.clock.set('2026-11-23T14:00:00Z');
    const r = await b.api['slots.correct']({ slotId: slot.id, start: '09:00', end: '12:00', placeId: slot.placeId, trainerIds: slot.trainerIds, reason: 'Arrivée du groupe à 9 h (bus en retard)' });
    // 210 → 180 min: every presence and the late arrival change their minutes; the absence (0) does not.
    expect(r.recounted).toBe(n - 1);
    const after = await slotById(slot.id);
    expect([after.start, after.end, after.minutes, after.corrections, after.countersigned]).toEqual(['09:00', '12:00', 180, 1, true]);
    const marks = await b.api['attendance.rollCall']({ slotId: slot.id });
    expect(marks.rows[0]!.mark).toMatchObject({ kind: 'late', lateMinutes: 20, minutes: 160, method: 'signature' });
    expect(marks.rows[0]!.mark!.correctionReason).toBe('Horaires du créneau corrigés (09:00–12:00) : Arrivée du groupe à 9 h (bus en retard)');
    // Same capture, same signature: only the minutes are recounted.
    expect(marks.rows[0]!.mark!.supersedesId).toBe(signed.id);
    expect(marks.rows[0]!.mark!.signatureId).toBe(signed.signatureId);
    expect(signed.signatureId).not.toBeNull();
    expect(marks.rows[1]!.mark).toMatchObject({ kind: 'unexcused', minutes: 0, supersedesId: null });
    for (const row of marks.rows.slice(2)) expect(row.mark).toMatchObject({ kind: 'present', minutes: 180 });
    // The correction is evidence: who, when, why, before and after.
    const c = b.raw.prepare('SELECT * FROM slot_corrections WHERE id = ?').get(r.correctionId) as Record<string, string>;
    expect(c).toMatchObject({ slot_id: slot.id, reason: 'Arrivée du groupe à 9 h (bus en retard)', created_by: 'local', created_at: '2026-11-23T14:00:00.000Z' });
    expect(JSON.parse(c.previous!)).toEqual({ start: '08:30', end: '12:00', minutes: 210, placeId: slot.placeId, trainerIds: [...slot.trainerIds].sort() });
    expect(JSON.parse(c.corrected!)).toEqual({ start: '09:00', end: '12:00', minutes: 180, placeId: slot.placeId, trainerIds: [...slot.trainerIds].sort() });
    expect(count("SELECT count(*) AS n FROM ledger WHERE record_type = 'slot_correction' AND record_id = ?", r.correctionId)).toBe(1);
    expect(() => b.raw.prepare("UPDATE slot_corrections SET reason = 'x'").run()).toThrow(/append-only/);
    // Every mark of the slot goes to the funders again, with the new times.
    expect(count("SELECT count(*) AS n FROM outbox WHERE record_type = 'attendance'") - queuedBefore).toBe(n);
    const last = b.raw.prepare("SELECT payload FROM outbox WHERE record_type = 'attendance' ORDER BY seq DESC LIMIT 1").get() as { payload: string };
    expect(JSON.parse(last.payload).slot).toMatchObject({ start: '09:00', end: '12:00' });
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('leaves its correction in the ledger: the corrections table dropped behind the app is reported', async () => {
    const { slot } = await countersignedToday();
    const r = await b.api['slots.correct']({ slotId: slot.id, start: '09:00', end: slot.end, placeId: slot.placeId, trainerIds: slot.trainerIds, reason: 'Retard du bus' });
    b.raw.exec('DROP TABLE slot_corrections');
    const report = verifyLedger(b.raw);
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.recordType === 'slot_correction').map((p) => [p.problem, p.recordId])).toEqual([['record-removed', r.correctionId]]);
  });

  it('changes trainers and place through a correction, keeping the trainer who countersigned', async () => {
    const { slot } = await countersignedToday();
    const page = await b.api['sessions.get']({ id: sessionId });
    const another = page.trainers.find((t) => !slot.trainerIds.includes(t.id))!;
    const place = page.places.find((p) => p.id !== slot.placeId)!;
    const without = await failure(b.api['slots.correct']({ slotId: slot.id, start: slot.start, end: slot.end, placeId: slot.placeId, trainerIds: [another.id], reason: 'Remplacement' }));
    expect(without.message).toBe('Le formateur qui a contresigné le créneau reste parmi ses formateurs : sa signature porte sur ce créneau.');
    const r = await b.api['slots.correct']({ slotId: slot.id, start: slot.start, end: slot.end, placeId: place.id, trainerIds: [...slot.trainerIds, another.id], reason: 'Co-animation oubliée' });
    expect(r.recounted).toBe(0);
    const after = await slotById(slot.id);
    expect(after.placeId).toBe(place.id);
    expect([...after.trainerIds].sort()).toEqual([...slot.trainerIds, another.id].sort());
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('refuses a correction without a reason, one that changes nothing, and one shorter than a recorded late arrival', async () => {
    const { slot, rc } = await countersignedToday();
    const base = { slotId: slot.id, start: slot.start, end: slot.end, placeId: slot.placeId, trainerIds: slot.trainerIds };
    const noReason = await failure(b.api['slots.correct']({ ...base, start: '09:00', reason: '  ' }));
    expect(noReason.issues?.[0]).toMatchObject({ path: 'reason', message: 'Ce champ est obligatoire.' });
    const nothing = await failure(b.api['slots.correct']({ ...base, reason: 'Pour voir' }));
    expect(nothing.message).toBe('Rien à corriger : les horaires, le lieu et les formateurs sont ceux du créneau.');
    // 11:50–12:00 is 10 min: the 20-minute late arrival of the first trainee no longer fits.
    const tooShort = await failure(b.api['slots.correct']({ ...base, start: '11:50', reason: 'Erreur de saisie' }));
    expect(tooShort.message).toBe(`Le créneau passerait à 10 min, mais le retard de ${rc.rows[0]!.traineeName} (20 min) dépasse cette durée : corrigez d'abord sa présence.`);
    expect(count('SELECT count(*) AS n FROM slot_corrections')).toBe(0);
    expect((await slotById(slot.id)).start).toBe('08:30');
  });

  it('cannot be corrected when it is not countersigned: « Modifier » is the way', async () => {
    const open = (await slotsOf()).find((s) => s.date === '2026-11-24' && s.halfDay === 'am')!;
    const e = await failure(b.api['slots.correct']({ slotId: open.id, start: '09:00', end: '12:00', placeId: open.placeId, trainerIds: open.trainerIds, reason: 'x' }));
    expect(e.message).toBe("Le créneau du 24/11/2026 matin (08:30–12:00) n'est pas contresigné : modifiez-le directement (bouton « Modifier »), sans correction.");
  });
});

describe('a slot not yet countersigned', () => {
  it('is edited freely: date, half-day, times, place, trainers', async () => {
    const open = (await slotsOf()).find((s) => s.date === '2026-11-24' && s.halfDay === 'am')!;
    const page = await b.api['sessions.get']({ id: sessionId });
    const another = page.trainers.find((t) => !open.trainerIds.includes(t.id))!;
    // The session has no slot on Saturday 28/11/2026.
    expect((await slotsOf()).some((s) => s.date === '2026-11-28')).toBe(false);
    await b.api['slots.update']({ slotId: open.id, date: '2026-11-28', halfDay: 'pm', start: '13:30', end: '17:00', placeId: null, trainerIds: [another.id] });
    const after = await slotById(open.id);
    expect(after).toMatchObject({ date: '2026-11-28', halfDay: 'pm', start: '13:30', end: '17:00', minutes: 210, placeId: null, trainerIds: [another.id] });
    expect(count('SELECT count(*) AS n FROM slot_corrections')).toBe(0);
  });

  it('keeps the checks of slot creation: half-day taken, holiday, outside the session', async () => {
    const open = (await slotsOf()).find((s) => s.date === '2026-11-24' && s.halfDay === 'am')!;
    const base = { slotId: open.id, halfDay: 'am' as const, start: '08:30', end: '12:00', placeId: open.placeId, trainerIds: open.trainerIds };
    expect((await failure(b.api['slots.update']({ ...base, date: '2026-11-25' }))).message).toBe('La session a déjà un créneau le 25/11/2026 matin.');
    expect((await failure(b.api['slots.update']({ ...base, date: '2026-12-25' }))).message).toBe('Le 25/12/2026 est un jour férié (Noël) : pas de créneau ce jour-là.');
    expect((await failure(b.api['slots.update']({ ...base, date: '2030-01-07' }))).message).toMatch(/hors des dates de la session/);
  });

  it('with its roll call begun, keeps its date and recounts the marks when its times change', async () => {
    const open = (await slotsOf()).find((s) => s.date === '2026-11-24' && s.halfDay === 'am')!;
    const rc = await b.api['attendance.rollCall']({ slotId: open.id });
    await b.api['attendance.record']({ slotId: open.id, submissionId: uuidv7(), marks: [{ enrolmentId: rc.rows[0]!.enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur' }] });
    const base = { slotId: open.id, halfDay: 'am' as const, placeId: open.placeId, trainerIds: open.trainerIds };
    const moved = await failure(b.api['slots.update']({ ...base, date: '2026-11-28', start: '08:30', end: '12:00' }));
    expect(moved.message).toMatch(/a déjà des présences saisies \(1 stagiaire\(s\)\) : sa date et sa demi-journée ne changent plus/);
    const r = await b.api['slots.update']({ ...base, date: open.date, start: '09:00', end: '12:00' });
    expect(r.recounted).toBe(1);
    expect((await b.api['attendance.rollCall']({ slotId: open.id })).rows[0]!.mark).toMatchObject({ minutes: 180, correctionReason: 'Horaires du créneau corrigés (09:00–12:00) : créneau modifié avant clôture' });
    expect(verifyLedger(b.raw).ok).toBe(true);
  });
});

describe('cancelling a slot', () => {
  it('takes a reason, keeps who and when, drops the slot from the planned hours, and can be undone', async () => {
    const open = (await slotsOf()).find((s) => s.date === '2026-11-24' && s.halfDay === 'am')!;
    const plannedBefore = (await b.api['sessions.list']({})).find((s) => s.id === sessionId)!.plannedMinutes;
    const noReason = await failure(b.api['slots.cancel']({ slotId: open.id, reason: '' }));
    expect(noReason.issues?.[0]).toMatchObject({ path: 'reason', message: 'Ce champ est obligatoire.' });
    b.clock.set('2026-11-23T16:00:00Z');
    await b.api['slots.cancel']({ slotId: open.id, reason: 'Formateur malade' });
    const after = await slotById(open.id);
    expect([after.cancelled, after.cancelReason]).toEqual([true, 'Formateur malade']);
    expect(b.raw.prepare('SELECT cancelled_at, cancelled_by FROM slots WHERE id = ?').get(open.id)).toEqual({ cancelled_at: '2026-11-23T16:00:00.000Z', cancelled_by: 'local' });
    expect((await b.api['sessions.list']({})).find((s) => s.id === sessionId)!.plannedMinutes).toBe(plannedBefore - open.minutes);
    expect((await failure(b.api['slots.cancel']({ slotId: open.id, reason: 'encore' }))).message).toBe('Le créneau du 24/11/2026 matin (08:30–12:00) est déjà annulé.');
    await b.api['slots.reinstate']({ slotId: open.id });
    expect(await slotById(open.id)).toMatchObject({ cancelled: false, cancelReason: null });
  });

  it('is refused once attendance is recorded, saying why and what to do', async () => {
    const open = (await slotsOf()).find((s) => s.date === '2026-11-24' && s.halfDay === 'am')!;
    const rc = await b.api['attendance.rollCall']({ slotId: open.id });
    await b.api['attendance.record']({ slotId: open.id, submissionId: uuidv7(), marks: rc.rows.slice(0, 2).map((r) => ({ enrolmentId: r.enrolmentId, kind: 'present', method: 'proxy' as const, proxyName: 'Tuteur' })) });
    const e = await failure(b.api['slots.cancel']({ slotId: open.id, reason: 'Grève' }));
    expect(e.message).toBe(
      "Le créneau du 24/11/2026 matin (08:30–12:00) ne peut pas être annulé : des présences y sont enregistrées (2 stagiaire(s)), et une preuve ne s'efface pas. S'il n'a pas eu lieu, corrigez chaque présence en absence ; s'il a eu lieu à d'autres horaires, modifiez le créneau.",
    );
    expect((await slotById(open.id)).cancelled).toBe(false);
  });
});
