import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { addDays, isoWeekday } from '../shared/domain/dates';
import { holidayName, type HolidayZone } from '../shared/domain/holidays';
import type { TimetableEntry } from '../shared/domain/timetable';

export const BENCH_USER = 'bench';
export const STAMP = '2026-01-01T08:00:00.000Z';

/** Monday to Friday, morning and afternoon: 10 half-days a week. */
export const WEEKDAY_TIMETABLE: TimetableEntry[] = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, halfDay: 'am' as const, start: '09:00', end: '12:30' },
  { weekday, halfDay: 'pm' as const, start: '13:30', end: '17:00' },
]);

/**
 * The last date such that laying `timetable` from `from` to it, public holidays of `zone` skipped, gives
 * exactly `count` half-day slots (counting whole days, so `count` must be reachable day by day).
 */
export function endDateForSlots(from: string, count: number, timetable: readonly TimetableEntry[], zone: HolidayZone = 'metropole'): string {
  const perWeekday = new Map<number, number>();
  for (const e of timetable) perWeekday.set(e.weekday, (perWeekday.get(e.weekday) ?? 0) + 1);
  let n = 0;
  for (let d = from; ; d = addDays(d, 1)) {
    const k = perWeekday.get(isoWeekday(d)) ?? 0;
    if (k === 0 || holidayName(d, zone)) continue;
    n += k;
    if (n === count) return d;
    if (n > count) throw new Error(`Cannot reach exactly ${count} slots from ${from}: a day adds ${k}.`);
  }
}

/** Prepared single-row INSERTs for the reference data every benchmark needs. */
export function referenceInserts(raw: Database.Database) {
  const audit = [STAMP, BENCH_USER, STAMP, BENCH_USER] as const;
  // Every created_by points at users (schema 4).
  raw.prepare(`INSERT OR IGNORE INTO users (id, name, created_at, updated_at) VALUES (?, 'Banc d''essai', ?, ?)`).run(BENCH_USER, STAMP, STAMP);
  const place = raw.prepare(
    `INSERT INTO places (id, name, address, postcode, city, qpv, zrr, holiday_zone, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, 0, 0, 'metropole', ?, ?, ?, ?)`,
  );
  const trainer = raw.prepare(
    `INSERT INTO trainers (id, last_name, first_name, kind, email, phone, siret, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, 'internal', ?, NULL, NULL, ?, ?, ?, ?)`,
  );
  const action = raw.prepare(
    `INSERT INTO actions (id, title, code, certification_code, level, nsf_code, planned_minutes, modality, nature, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, NULL, NULL, NULL, ?, 'presentiel', 'action-de-formation', ?, ?, ?, ?)`,
  );
  const session = raw.prepare(
    `INSERT INTO sessions (id, action_id, label, mode, capacity, start_date, end_date, place_id, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, 'cohort', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    place: (id: string, i: number) => place.run(id, `Salle ${i}`, `${i} rue des Bancs`, '75011', 'Paris', ...audit),
    trainer: (id: string, i: number) => trainer.run(id, `Formateur${i}`, `Prénom${i}`, `formateur${i}@example.org`, ...audit),
    action: (id: string, i: number, plannedMinutes: number) => action.run(id, `Action ${i}`, `ACT-${i}`, plannedMinutes, ...audit),
    session: (s: { id: string; actionId: string; label: string; capacity: number; startDate: string; endDate: string; placeId: string | null }) =>
      session.run(s.id, s.actionId, s.label, s.capacity, s.startDate, s.endDate, s.placeId, ...audit),
  };
}

export const newId = (): string => uuidv7();

/** `n` UUIDv7 ids, in creation order. */
export function ids(n: number): string[] {
  return Array.from({ length: n }, () => uuidv7());
}

/** Row counts of the user tables. */
export function rowCounts(raw: Database.Database): Record<string, number> {
  const tables = ['places', 'trainers', 'companies', 'trainees', 'actions', 'sessions', 'slots', 'slot_trainers', 'enrolments', 'enrolment_statuses'];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (raw.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  return out;
}
