import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { zonedToInstant } from '../../shared/domain/dates';
import { testBackend, type TestBackend } from '../helpers/backend';

let b: TestBackend;
let ids: { sessionId: string; slotIds: Record<string, string>; enrolmentId: string; trainerId: string; otherSessionId: string };

/** A small world: a session with slots around 11 November (a public holiday), one trainee, one trainer. */
beforeEach(async () => {
  b = await testBackend('2026-11-20T09:00:00Z');
  const place = await b.api['places.save']({ name: 'Salle A', postcode: '75011', city: 'Paris' });
  const trainer = await b.api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
  const action = await b.api['actions.save']({ title: 'Bureautique', plannedMinutes: 600, modality: 'presentiel' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-13', placeId: place.id });
  const other = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 2', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-13', placeId: place.id });
  const timetable = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' }));
  await b.api['slots.generate']({ sessionId: session.id, from: '2026-11-09', to: '2026-11-13', timetable, trainerIds: [trainer.id] });
  await b.api['slots.generate']({ sessionId: other.id, from: '2026-11-12', to: '2026-11-12', timetable, trainerIds: [trainer.id] });
  const trainee = await b.api['trainees.save']({ lastName: 'Martin', firstName: 'Sophie', birthDate: '1990-01-01' });
  const enrolment = await b.api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION', plannedMinutes: 360 });
  await b.api['enrolments.setStatus']({ enrolmentId: enrolment.id, status: 'entered', effectiveDate: '2026-11-10' });
  const page = await b.api['sessions.get']({ id: session.id });
  ids = { sessionId: session.id, slotIds: Object.fromEntries(page.slots.map((s) => [s.date, s.id])), enrolmentId: enrolment.id, trainerId: trainer.id, otherSessionId: other.id };
});
afterEach(async () => b.cleanup());

async function sign(date: string, signedAt: string, close = true) {
  await b.api['attendance.record']({ slotId: ids.slotIds[date]!, submissionId: uuidv7(), deviceId: 'd', marks: [{ enrolmentId: ids.enrolmentId, kind: 'present', method: 'pin', signedAt }] });
  if (close) await b.api['attendance.close']({ slotId: ids.slotIds[date]!, trainerId: ids.trainerId, method: 'pin', deviceId: 'd' });
}

describe('coherence checks', () => {
  it('finds each kind of contradiction and links to the record to fix', async () => {
    expect(ids.slotIds['2026-11-11']).toBeUndefined(); // the generator skipped the holiday itself
    await sign('2026-11-09', zonedToInstant('2026-11-09', '09:05', 'Europe/Paris').toISOString()); // before entry (10 Nov)
    await sign('2026-11-10', zonedToInstant('2026-11-10', '18:40', 'Europe/Paris').toISOString()); // outside the window
    await sign('2026-11-12', zonedToInstant('2026-11-12', '09:02', 'Europe/Paris').toISOString(), false); // not countersigned
    // 13 Nov: no sheet at all. The trainer is also on Groupe 2 on 12 Nov at the same hours.
    const findings = await b.api['checks.run']({ sessionId: ids.sessionId });
    const codes = findings.map((f) => `${f.date} ${f.code}`);
    expect(codes).toEqual(expect.arrayContaining([
      '2026-11-09 signed-outside-enrolment',
      '2026-11-10 signed-outside-window',
      '2026-11-12 slot-not-countersigned',
      '2026-11-12 trainer-double-booked',
      '2026-11-13 slot-without-sheet',
    ]));
    const late = findings.find((f) => f.code === 'signed-outside-window')!;
    expect(late.message).toContain('18:40');
    expect(late.link).toMatchObject({ kind: 'mark', sessionId: ids.sessionId, slotId: ids.slotIds['2026-11-10'] });
    expect(findings.every((f) => f.message.length > 20)).toBe(true);
  });

  it('flags a signature on a public holiday of the place (Alsace-Moselle: 26 December)', async () => {
    const place = await b.api['places.save']({ name: 'Strasbourg', postcode: '67000', city: 'Strasbourg' });
    const action = await b.api['actions.save']({ title: 'Cuisine', plannedMinutes: 6000, modality: 'presentiel' });
    const s = await b.api['sessions.save']({ actionId: action.id, label: 'Hiver', mode: 'cohort', capacity: 3, startDate: '2026-12-21', endDate: '2026-12-31', placeId: place.id });
    // Generated with the national calendar by mistake, so 26 December (a Saturday slot) exists.
    await b.api['slots.generate']({ sessionId: s.id, from: '2026-12-26', to: '2026-12-26', timetable: [{ weekday: 6, halfDay: 'am', start: '09:00', end: '12:00' }], holidayZone: 'metropole' });
    const t = await b.api['trainees.save']({ lastName: 'Weber', firstName: 'Lea', birthDate: '1999-05-05' });
    const e = await b.api['enrolments.create']({ sessionId: s.id, traineeId: t.id, funderCode: 'OPCO' });
    await b.api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-12-21' });
    const slot = (await b.api['sessions.get']({ id: s.id })).slots[0]!;
    await b.api['attendance.record']({ slotId: slot.id, submissionId: uuidv7(), deviceId: 'd', marks: [{ enrolmentId: e.id, kind: 'present', method: 'qr', signedAt: zonedToInstant('2026-12-26', '09:01', 'Europe/Paris').toISOString() }] });
    const findings = await b.api['checks.run']({ sessionId: s.id });
    expect(findings.find((f) => f.code === 'signed-on-holiday')?.message).toMatch(/Lendemain de Noël/);
  });

  it('flags realised minutes above the planned minutes of the enrolment', async () => {
    for (const d of ['2026-11-10', '2026-11-12', '2026-11-13']) await sign(d, zonedToInstant(d, '09:00', 'Europe/Paris').toISOString());
    const findings = await b.api['checks.run']({ sessionId: ids.sessionId });
    expect(findings.find((f) => f.code === 'minutes-above-planned')?.message).toMatch(/9 h réalisées pour 6 h prévues/);
  });
});
