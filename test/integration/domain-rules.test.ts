import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { sheetModel } from '../../electron/backend/documents/sheet-model';
import type { MarkInput } from '../../shared/schemas/attendance';
import { testBackend, type TestBackend } from '../helpers/backend';

// The rules of shared/domain as the backend applies them: marks refused field by field, suspended
// trainees out of every "expected" count, dates read in the training body's own time zone.
let b: TestBackend;
let w: { sessionId: string; slot: Record<string, string>; ana: string; bruno: string; trainerId: string };

/** A week without holidays (16–20 Nov 2026), mornings 09:00–12:00 (180 min), two trainees entered on the 16th. */
async function world(timeZone?: string) {
  await b.api['organisation.save']({ name: 'OF test', siret: '73282932000074', ...(timeZone ? { timeZone } : {}) });
  const trainer = await b.api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
  const action = await b.api['actions.save']({ title: 'Bureautique', plannedMinutes: 900, modality: 'presentiel' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 2, startDate: '2026-11-16', endDate: '2026-11-20' });
  const timetable = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' }));
  await b.api['slots.generate']({ sessionId: session.id, from: '2026-11-16', to: '2026-11-20', timetable, trainerIds: [trainer.id] });
  const enrol = async (lastName: string) => {
    const t = await b.api['trainees.save']({ lastName, firstName: 'X', birthDate: '1990-01-01' });
    const e = await b.api['enrolments.create']({ sessionId: session.id, traineeId: t.id, funderCode: 'REGION' });
    await b.api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-16' });
    return e.id;
  };
  const ana = await enrol('Arnaud');
  const bruno = await enrol('Bernard');
  const page = await b.api['sessions.get']({ id: session.id });
  w = { sessionId: session.id, slot: Object.fromEntries(page.slots.map((s) => [s.date, s.id])), ana, bruno, trainerId: trainer.id };
}

afterEach(async () => b.cleanup());

describe('marks: the backend refuses what the status does not take, naming the field', () => {
  beforeEach(async () => {
    b = await testBackend('2026-11-16T10:00:00Z');
    await world();
  });
  const record = (m: Partial<MarkInput>) =>
    b.api['attendance.record']({ slotId: w.slot['2026-11-16']!, submissionId: uuidv7(), marks: [{ enrolmentId: w.ana, kind: 'present', method: 'proxy', proxyName: 'Tuteur', ...m } as MarkInput] })
      .then(() => null, (e: { api: unknown }) => e.api);

  it('999 connection minutes on a 180-minute slot', async () => {
    expect(await record({ kind: 'remote', method: 'proxy', proxyName: 'Tuteur', remoteMinutes: 999 })).toMatchObject({
      code: 'validation', message: 'Minutes de connexion : au plus la durée du créneau (180 min).', issues: [{ path: 'marks.0.remoteMinutes' }],
    });
    expect(b.raw.prepare('SELECT count(*) AS n FROM attendance_marks').get()).toEqual({ n: 0 });
    // The same status with the slot's length is fine: 180 minutes attended.
    expect(await record({ kind: 'remote', method: 'proxy', proxyName: 'Tuteur', remoteMinutes: 180 })).toBeNull();
  });

  it('late minutes on a present mark, and connection minutes on anything but remote', async () => {
    expect(await record({ lateMinutes: 15 })).toMatchObject({ message: 'Minutes de retard : ne s\'applique pas au statut « Présent ».', issues: [{ path: 'marks.0.lateMinutes' }] });
    expect(await record({ kind: 'late', lateMinutes: 15, remoteMinutes: 60 })).toMatchObject({ issues: [{ path: 'marks.0.remoteMinutes' }] });
    expect(b.raw.prepare('SELECT count(*) AS n FROM attendance_marks').get()).toEqual({ n: 0 });
  });
});

describe('a suspended trainee is expected nowhere during the suspension, and again after re-entry', () => {
  beforeEach(async () => {
    b = await testBackend('2026-11-16T10:00:00Z');
    await world();
    // Ana is suspended on Tuesday 17 and back on Thursday 19: she is off on 17 and 18.
    await b.api['enrolments.setStatus']({ enrolmentId: w.ana, status: 'suspended', effectiveDate: '2026-11-17' });
    await b.api['enrolments.setStatus']({ enrolmentId: w.ana, status: 'entered', effectiveDate: '2026-11-19' });
  });
  const EXPECTED_ANA = { '2026-11-16': true, '2026-11-17': false, '2026-11-18': false, '2026-11-19': true, '2026-11-20': true };

  it('on the roll call, the day list and in closing', async () => {
    for (const [date, ana] of Object.entries(EXPECTED_ANA)) {
      const call = await b.api['attendance.rollCall']({ slotId: w.slot[date]! });
      expect(call.rows.map((r) => r.enrolmentId), date).toEqual(ana ? [w.ana, w.bruno] : [w.bruno]);
      expect((await b.api['attendance.day']({ date }))[0]?.expected, date).toBe(ana ? 2 : 1);
    }
    // Closing the 17th needs Bruno's mark only; a mark for Ana is refused as not expected.
    const refused = await b.api['attendance.record']({ slotId: w.slot['2026-11-17']!, submissionId: uuidv7(), marks: [{ enrolmentId: w.ana, kind: 'present', method: 'proxy', proxyName: 'Tuteur' }] }).catch((e: { api: unknown }) => e.api);
    expect(refused).toMatchObject({ issues: [{ path: 'marks.0.enrolmentId' }] });
    const done = await b.api['attendance.record']({ slotId: w.slot['2026-11-17']!, submissionId: uuidv7(), marks: [{ enrolmentId: w.bruno, kind: 'present', method: 'proxy', proxyName: 'Tuteur' }], close: { trainerId: w.trainerId, method: 'paper' } });
    expect(done.closure?.marks).toBe(1);
  });

  it('in the checks: a slot without sheet counts who was expected', async () => {
    b.clock.set('2026-11-23T10:00:00Z');
    const findings = (await b.api['checks.run']({ sessionId: w.sessionId })).filter((f) => f.code === 'slot-without-sheet');
    expect(findings.map((f) => [f.date, /\((\d) stagiaire/.exec(f.message)?.[1]])).toEqual([
      ['2026-11-16', '2'], ['2026-11-17', '1'], ['2026-11-18', '1'], ['2026-11-19', '2'], ['2026-11-20', '2'],
    ]);
  });

  it('on the printed sheet: no box to sign during the suspension, and planned minutes without those mornings', async () => {
    const model = await sheetModel(b.ctx, 'blank-sheet', { sessionId: w.sessionId, weekStart: '2026-11-16' });
    const ana = model.rows.find((r) => r.enrolmentId === w.ana)!;
    expect(ana.cells.map((c) => c.expected)).toEqual(Object.values(EXPECTED_ANA));
    expect(ana.plannedMinutes).toBe(3 * 180);
    expect(model.rows.find((r) => r.enrolmentId === w.bruno)!.plannedMinutes).toBe(5 * 180);
  });

  it('in the session counts and the capacity: a suspension keeps the place, an exit frees it the day after', async () => {
    b.clock.set('2026-11-18T10:00:00Z'); // during Ana's suspension
    const enrolled = async () => (await b.api['sessions.list']({})).find((s) => s.id === w.sessionId)!.enrolled;
    expect(await enrolled()).toBe(2);
    const other = await b.api['trainees.save']({ lastName: 'Caron', firstName: 'Y', birthDate: '1990-01-01' });
    await expect(b.api['enrolments.create']({ sessionId: w.sessionId, traineeId: other.id, funderCode: 'REGION' })).rejects.toThrow(/complète \(2 places\)/);
    await b.api['enrolments.setStatus']({ enrolmentId: w.bruno, status: 'exited', effectiveDate: '2026-11-18', reason: 'abandon' });
    expect(await enrolled()).toBe(2); // Bruno's exit day is still his
    b.clock.set('2026-11-19T10:00:00Z');
    expect(await enrolled()).toBe(1);
    expect((await b.api['enrolments.create']({ sessionId: w.sessionId, traineeId: other.id, funderCode: 'REGION' })).sessionId).toBe(w.sessionId);
  });
});

describe("the organisation's time zone (Cayenne, UTC−3 all year)", () => {
  // 16 Nov 2026 12:30 UTC is 09:30 in Cayenne (within the 09:00–12:00 slot) but 13:30 in Paris, an hour
  // past the slot's end and its 30-minute tolerance: the old Paris reading flagged a signature made on time.
  // 20 Nov 2026 01:30 UTC is still the 19th, 22:30, in Cayenne (Paris: 20th, 02:30): the 19th's slot is
  // not past yet, so no "slot without sheet" for it.
  beforeEach(async () => {
    b = await testBackend('2026-11-16T12:30:00Z');
    await world('America/Cayenne');
  });

  it('reads a signature in local time, and "today" in the local day', async () => {
    await b.api['attendance.record']({ slotId: w.slot['2026-11-16']!, submissionId: uuidv7(), close: { trainerId: w.trainerId, method: 'paper' },
      marks: [w.ana, w.bruno].map((enrolmentId) => ({ enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt: '2026-11-16T12:30:00Z' })) });
    b.clock.set('2026-11-20T01:30:00Z');
    const findings = await b.api['checks.run']({ sessionId: w.sessionId });
    expect(findings.filter((f) => f.code === 'signed-outside-window')).toEqual([]);
    expect(findings.filter((f) => f.code === 'slot-without-sheet').map((f) => f.date)).toEqual(['2026-11-17', '2026-11-18']);
  });

  it('still flags a signature outside the slot in local time', async () => {
    // 16:00 UTC is 13:00 in Cayenne: past 12:00 + 30 min. The signature's time is the backend's clock.
    b.clock.set('2026-11-16T12:30:00Z');
    await b.api['attendance.record']({ slotId: w.slot['2026-11-16']!, submissionId: uuidv7(), marks: [{ enrolmentId: w.bruno, kind: 'present', method: 'proxy', proxyName: 'Tuteur' }] });
    b.clock.set('2026-11-16T16:00:00Z');
    await b.api['attendance.record']({ slotId: w.slot['2026-11-16']!, submissionId: uuidv7(), close: { trainerId: w.trainerId, method: 'paper' },
      marks: [{ enrolmentId: w.ana, kind: 'present', method: 'proxy', proxyName: 'Tuteur' }] });
    const outside = (await b.api['checks.run']({ sessionId: w.sessionId })).filter((f) => f.code === 'signed-outside-window');
    expect(outside.map((f) => f.message)).toEqual(['Arnaud X : signature du 16/11/2026 à 13:00, hors du créneau du 16/11/2026 09:00–12:00 (±30 min).']);
  });

  it('refuses a time zone that does not exist', async () => {
    await expect(b.api['organisation.save']({ name: 'OF test', siret: '73282932000074', timeZone: 'Europe/Cayenne' })).rejects.toThrow(/Fuseau horaire inconnu/);
  });
});
