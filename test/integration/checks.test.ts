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

/** Signs at `signedAt` on the backend's clock (the signature's time is the backend's), then closes as of now. */
async function atInstant<T>(instant: string, fn: () => Promise<T>): Promise<T> {
  const now = b.clock.now.toISOString();
  b.clock.set(instant);
  try {
    return await fn();
  } finally {
    b.clock.set(now);
  }
}

async function sign(date: string, signedAt: string, close = true) {
  await atInstant(signedAt, () => b.api['attendance.record']({ slotId: ids.slotIds[date]!, submissionId: uuidv7(), marks: [{ enrolmentId: ids.enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt }] }));
  if (close) await b.api['attendance.close']({ slotId: ids.slotIds[date]!, trainerId: ids.trainerId, method: 'paper' });
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
    const signedAt = zonedToInstant('2026-12-26', '09:01', 'Europe/Paris').toISOString();
    await atInstant(signedAt, () => b.api['attendance.record']({ slotId: slot.id, submissionId: uuidv7(), marks: [{ enrolmentId: e.id, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt }] }));
    const findings = await b.api['checks.run']({ sessionId: s.id });
    expect(findings.find((f) => f.code === 'signed-on-holiday')?.message).toMatch(/Lendemain de Noël/);
  });

  it('flags realised minutes above the planned minutes of the enrolment', async () => {
    for (const d of ['2026-11-10', '2026-11-12', '2026-11-13']) await sign(d, zonedToInstant(d, '09:00', 'Europe/Paris').toISOString());
    const findings = await b.api['checks.run']({ sessionId: ids.sessionId });
    expect(findings.find((f) => f.code === 'minutes-above-planned')?.message).toMatch(/9 h réalisées pour 6 h prévues/);
  });
});

/** Issue #8, items 11–13: false all-clears and wrong numbers in the checks. */
describe('checks: suspensions, time zone, period', () => {
  it('the roll call does not expect a suspended trainee, and refuses a mark for them', async () => {
    await b.api['enrolments.setStatus']({ enrolmentId: ids.enrolmentId, status: 'suspended', effectiveDate: '2026-11-12' });
    const roll = await b.api['attendance.rollCall']({ slotId: ids.slotIds['2026-11-12']! });
    expect(roll.rows.map((r) => r.enrolmentId)).toEqual([]);
    const day = await b.api['attendance.day']({ date: '2026-11-12' });
    expect(day.find((s) => s.id === ids.slotIds['2026-11-12'])?.expected).toBe(0);
    // Still expected on 10 November, before the suspension.
    expect((await b.api['attendance.rollCall']({ slotId: ids.slotIds['2026-11-10']! })).rows.map((r) => r.enrolmentId)).toEqual([ids.enrolmentId]);
    const refused = await b.api['attendance.record']({ slotId: ids.slotIds['2026-11-12']!, submissionId: uuidv7(), marks: [{ enrolmentId: ids.enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt: zonedToInstant('2026-11-12', '09:05', 'Europe/Paris').toISOString() }] })
      .then(() => null, (e: { api: { issues?: { path: string }[] } }) => e.api);
    expect(refused?.issues?.[0]?.path).toBe('marks.0.enrolmentId');
  });

  it('flags a presence signed during a suspension declared afterwards, and only that one', async () => {
    await sign('2026-11-10', zonedToInstant('2026-11-10', '09:05', 'Europe/Paris').toISOString());
    await sign('2026-11-12', zonedToInstant('2026-11-12', '09:05', 'Europe/Paris').toISOString());
    // The suspension from 12 November is recorded later, dated back: the 12 November presence contradicts it.
    await b.api['enrolments.setStatus']({ enrolmentId: ids.enrolmentId, status: 'suspended', effectiveDate: '2026-11-12' });
    const findings = await b.api['checks.run']({ sessionId: ids.sessionId });
    const outside = findings.filter((f) => f.code === 'signed-outside-enrolment');
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatchObject({ date: '2026-11-12', link: { kind: 'mark', sessionId: ids.sessionId, slotId: ids.slotIds['2026-11-12'] } });
    expect(outside[0]!.message).toMatch(/pendant une suspension/);
  });

  it('reads signature times in the organisation time zone (Guadeloupe: 09:05 is 09:05, not flagged)', async () => {
    await b.api['organisation.save']({ name: 'OF Antilles', siret: '73282932000074', timeZone: 'America/Guadeloupe' });
    // 09:05 in Guadeloupe (UTC−4) is 13:05 UTC and 14:05 in Paris: inside 09:00–12:00 only when read locally.
    const at = zonedToInstant('2026-11-10', '09:05', 'America/Guadeloupe').toISOString();
    expect(at).toBe('2026-11-10T13:05:00.000Z');
    await sign('2026-11-10', at);
    // 18:40 in Guadeloupe is 22:40 UTC (still 10 November there, 11 November in Paris): flagged, told in local time.
    await sign('2026-11-12', zonedToInstant('2026-11-12', '18:40', 'America/Guadeloupe').toISOString());
    const findings = await b.api['checks.run']({ sessionId: ids.sessionId });
    const window = findings.filter((f) => f.code === 'signed-outside-window');
    expect(window.map((f) => f.date)).toEqual(['2026-11-12']);
    expect(window[0]!.message).toContain('18:40');
    expect(window[0]!.message).not.toContain('23:40');
  });

  it('refuses a reversed period, naming the end date, instead of answering "no finding"', async () => {
    const error = await b.api['checks.run']({ from: '2026-12-31', to: '2026-11-01' }).then(() => null, (e: { api: { code: string; message: string; issues?: { path: string; message: string }[] } }) => e.api);
    expect(error).not.toBeNull();
    expect(error!.code).toBe('validation');
    expect(error!.issues?.[0]?.path).toBe('to');
    expect(error!.message).toMatch(/fin de la période précède sa date de début/);
    // The same period the right way round answers.
    expect(Array.isArray(await b.api['checks.run']({ from: '2026-11-01', to: '2026-12-31' }))).toBe(true);
    const hours = await b.api['hours.realised']({ from: '2026-12-31', to: '2026-11-01' }).then(() => null, (e: { api: { issues?: { path: string }[] } }) => e.api);
    expect(hours?.issues?.[0]?.path).toBe('to');
  });
});
