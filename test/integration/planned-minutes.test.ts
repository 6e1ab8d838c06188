/**
 * Issue #8, item 10: an enrolment's planned minutes follow the slots (shared/domain/planned-minutes.ts and
 * its SQL form sessions/planned.ts). Enrolling before generating the slots used to leave 0 planned minutes,
 * so every signed half-day was flagged "au-dessus du prévu".
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/backend/db/open';
import { databaseFile } from '../../electron/backend/paths';
import { plannedMinutesOf } from '../../shared/domain/planned-minutes';
import { zonedToInstant } from '../../shared/domain/dates';
import { migrations } from '../../migrations';
import { testBackend, type TestBackend } from '../helpers/backend';

let b: TestBackend;
beforeEach(async () => {
  b = await testBackend('2026-11-20T09:00:00Z');
});
afterEach(async () => b.cleanup());

// Mornings 09:00–12:00 (180 min) and afternoons 13:30–17:00 (210 min), Monday to Friday.
const DAY = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' },
  { weekday, halfDay: 'pm' as const, start: '13:30', end: '17:00' },
]);

async function world() {
  const trainer = await b.api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
  const action = await b.api['actions.save']({ title: 'Bureautique', plannedMinutes: 6000, modality: 'presentiel' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-20' });
  const trainee = async (lastName: string) => (await b.api['trainees.save']({ lastName, firstName: 'A', birthDate: '1990-01-01' })).id;
  // Enrolled BEFORE any slot exists: the whole session, from 12 November, and one with an agreed 10 h.
  const whole = await b.api['enrolments.create']({ sessionId: session.id, traineeId: await trainee('Martin'), funderCode: 'REGION' });
  const late = await b.api['enrolments.create']({ sessionId: session.id, traineeId: await trainee('Durand'), funderCode: 'REGION', plannedStart: '2026-11-12', plannedEnd: '2026-11-20' });
  const agreed = await b.api['enrolments.create']({ sessionId: session.id, traineeId: await trainee('Petit'), funderCode: 'OPCO', plannedMinutes: 600 });
  return { trainer, session, whole, late, agreed };
}

describe('planned minutes follow the slots', () => {
  it('are counted from slots generated after enrolling, and again when more are generated', async () => {
    const w = await world();
    expect([w.whole.plannedMinutes, w.late.plannedMinutes, w.agreed.plannedMinutes]).toEqual([0, 0, 600]);
    expect(w.whole.plannedMinutesAgreed).toBeNull();
    expect(w.agreed.plannedMinutesAgreed).toBe(600);

    // Week 1: 9–13 November, 11 November (Armistice) skipped: 4 days × (180 + 210) = 1 560 min.
    const first = await b.api['slots.generate']({ sessionId: w.session.id, from: '2026-11-09', to: '2026-11-13', timetable: DAY, trainerIds: [w.trainer.id] });
    expect(first.created).toBe(8);
    const get = async (id: string) => (await b.api['sessions.get']({ id: w.session.id })).enrolments.find((e) => e.id === id)!;
    expect((await get(w.whole.id)).plannedMinutes).toBe(1560);
    // From 12 November: 12 and 13 November = 2 × 390 = 780 min.
    expect((await get(w.late.id)).plannedMinutes).toBe(780);
    expect((await get(w.agreed.id)).plannedMinutes).toBe(600);

    // Week 2: 16–20 November, mornings only: 5 × 180 = 900 min more.
    await b.api['slots.generate']({ sessionId: w.session.id, from: '2026-11-16', to: '2026-11-20', timetable: DAY.filter((d) => d.halfDay === 'am'), trainerIds: [w.trainer.id] });
    expect((await get(w.whole.id)).plannedMinutes).toBe(2460);
    expect((await get(w.late.id)).plannedMinutes).toBe(1680);
    expect((await get(w.agreed.id)).plannedMinutes).toBe(600);

    // The pure rule and the SQL give the same figure.
    const page = await b.api['sessions.get']({ id: w.session.id });
    const slots = page.slots.map((s) => ({ date: s.date, minutes: s.minutes, cancelled: s.cancelled }));
    expect(plannedMinutesOf({ plannedStart: '2026-11-12', plannedEnd: '2026-11-20', agreedMinutes: null }, slots)).toBe(1680);
  });

  it('no longer flag every signed half-day as above plan', async () => {
    const w = await world();
    await b.api['slots.generate']({ sessionId: w.session.id, from: '2026-11-09', to: '2026-11-13', timetable: DAY, trainerIds: [w.trainer.id] });
    await b.api['enrolments.setStatus']({ enrolmentId: w.whole.id, status: 'entered', effectiveDate: '2026-11-09' });
    const page = await b.api['sessions.get']({ id: w.session.id });
    const slot = page.slots.find((s) => s.date === '2026-11-10' && s.halfDay === 'am')!;
    await b.api['attendance.record']({ slotId: slot.id, submissionId: uuidv7(), marks: [
      { enrolmentId: w.whole.id, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt: zonedToInstant('2026-11-10', '09:02', 'Europe/Paris').toISOString() },
    ] });
    const findings = await b.api['checks.run']({ sessionId: w.session.id });
    expect(findings.filter((f) => f.code === 'minutes-above-planned')).toEqual([]);
  });

  it('migration 8 clears the stale zeros and the figures equal to the slots, and keeps an agreed duration', async () => {
    await b.close();
    const file = databaseFile(join(b.dataDir, 'v4'));
    const v4 = await openDatabase(file, { migrations: migrations.filter((m) => m.version <= 4) });
    const raw = new Database(file);
    const now = '2026-11-01T08:00:00.000Z';
    const audit = `'${now}', 'local', '${now}', 'local'`;
    const [action, session] = [uuidv7(), uuidv7()];
    raw.exec(`INSERT INTO actions (id, title, planned_minutes, modality, nature, created_at, created_by, updated_at, updated_by) VALUES ('${action}', 'A', 600, 'presentiel', 'action-de-formation', ${audit});
      INSERT INTO sessions (id, action_id, label, mode, capacity, start_date, end_date, created_at, created_by, updated_at, updated_by) VALUES ('${session}', '${action}', 'S', 'cohort', 5, '2026-11-09', '2026-11-13', ${audit});`);
    // Two slots of 180 min on 9 and 10 November, one cancelled on 12 November.
    for (const [date, cancelled] of [['2026-11-09', 0], ['2026-11-10', 0], ['2026-11-12', 1]] as const) {
      raw.exec(`INSERT INTO slots (id, session_id, date, half_day, start_time, end_time, minutes, modality, cancelled, created_at, created_by, updated_at, updated_by) VALUES ('${uuidv7()}', '${session}', '${date}', 'am', '09:00', '12:00', 180, 'presentiel', ${cancelled}, ${audit});`);
    }
    const enrol = (planned: number, start = '2026-11-09') => {
      const [trainee, id] = [uuidv7(), uuidv7()];
      raw.exec(`INSERT INTO trainees (id, last_name, first_name, birth_date, created_at, created_by, updated_at, updated_by) VALUES ('${trainee}', 'T', 'X', '1990-01-01', ${audit});
        INSERT INTO enrolments (id, session_id, trainee_id, planned_start, planned_end, planned_minutes, created_at, created_by, updated_at, updated_by) VALUES ('${id}', '${session}', '${trainee}', '${start}', '2026-11-13', ${planned}, ${audit});`);
      return id;
    };
    const stale = enrol(0);
    const same = enrol(360);
    const sameLate = enrol(180, '2026-11-10');
    const agreed = enrol(500);
    raw.close();
    await v4.close();

    const v8 = await openDatabase(file);
    const rows = new Map((v8.raw.prepare('SELECT id, planned_minutes FROM enrolments').all() as { id: string; planned_minutes: number | null }[]).map((r) => [r.id, r.planned_minutes]));
    expect(rows.get(stale)).toBeNull();
    expect(rows.get(same)).toBeNull();
    expect(rows.get(sameLate)).toBeNull();
    expect(rows.get(agreed)).toBe(500);
    expect(v8.raw.pragma('foreign_key_check')).toEqual([]);
    await v8.close();
  });
});
