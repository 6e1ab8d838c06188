import { eachDay, isoWeekday, timeToMinutes, type IsoDate } from './dates';
import { holidayName, type HolidayZone } from './holidays';

import type { HalfDay } from './half-days';

export type { HalfDay } from './half-days';

export interface TimetableEntry {
  /** ISO weekday, 1 = lundi … 7 = dimanche. */
  weekday: number;
  halfDay: HalfDay;
  start: string;
  end: string;
}

export interface PlannedSlot {
  date: IsoDate;
  halfDay: HalfDay;
  start: string;
  end: string;
  minutes: number;
}

export interface SlotPlan {
  slots: PlannedSlot[];
  skippedHolidays: { date: IsoDate; name: string }[];
}

/**
 * Lays a weekly timetable over a date range, skipping the public holidays of the place's zone.
 *
 * @example planSlots('2026-05-04', '2026-05-08', [{ weekday: 1, halfDay: 'am', start: '09:00', end: '12:30' }])
 */
export function planSlots(
  from: IsoDate,
  to: IsoDate,
  timetable: readonly TimetableEntry[],
  zone: HolidayZone = 'metropole',
  excludedDates: ReadonlySet<IsoDate> = new Set(),
): SlotPlan {
  const byWeekday = new Map<number, TimetableEntry[]>();
  for (const entry of [...timetable].sort((a, b) => a.start.localeCompare(b.start))) {
    const list = byWeekday.get(entry.weekday) ?? [];
    list.push(entry);
    byWeekday.set(entry.weekday, list);
  }
  const slots: PlannedSlot[] = [];
  const skippedHolidays: SlotPlan['skippedHolidays'] = [];
  for (const date of eachDay(from, to)) {
    const entries = byWeekday.get(isoWeekday(date));
    if (!entries || excludedDates.has(date)) continue;
    const holiday = holidayName(date, zone);
    if (holiday) {
      skippedHolidays.push({ date, name: holiday });
      continue;
    }
    for (const e of entries) {
      slots.push({ date, halfDay: e.halfDay, start: e.start, end: e.end, minutes: timeToMinutes(e.end) - timeToMinutes(e.start) });
    }
  }
  return { slots, skippedHolidays };
}

export { HALF_DAY_MISMATCH, halfDayFits } from './half-days';

/**
 * How far a session's slots go beyond its action's planned duration (issue #8: 70 h of slots generated for
 * a 10 h 30 action went unnoticed): null when they fit, otherwise the minutes of the slots, the plan and
 * the excess. A warning, not a refusal: a session may legitimately run a longer timetable.
 */
export function slotsOverPlanned(slotMinutes: number, plannedMinutes: number): { generated: number; planned: number; over: number } | null {
  return slotMinutes > plannedMinutes ? { generated: slotMinutes, planned: plannedMinutes, over: slotMinutes - plannedMinutes } : null;
}
