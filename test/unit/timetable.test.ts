import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, eachDay, formatMinutes, isoWeekday } from '../../shared/domain/dates';
import { HOLIDAY_ZONES, holidayName } from '../../shared/domain/holidays';
import { planSlots, type TimetableEntry } from '../../shared/domain/timetable';

const mondayMorning: TimetableEntry = { weekday: 1, halfDay: 'am', start: '09:00', end: '12:30' };
const fullWeek = (days: number[]): TimetableEntry[] =>
  days.flatMap((weekday) => [
    { weekday, halfDay: 'am' as const, start: '08:30', end: '12:00' },
    { weekday, halfDay: 'pm' as const, start: '13:00', end: '16:30' },
  ]);

describe('dates helpers', () => {
  it('isoWeekday: Monday is 1 and Sunday 7', () => {
    expect(isoWeekday('2026-11-09')).toBe(1);
    expect(isoWeekday('2026-11-15')).toBe(7);
  });
  it('addDays crosses months, years and daylight-saving changes', () => {
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26'); // DST ends 25 October
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
  it('formatMinutes writes French durations', () => {
    expect(formatMinutes(210)).toBe('3 h 30');
    expect(formatMinutes(420)).toBe('7 h');
  });
});

describe('planSlots', () => {
  it('lays the example timetable over one week', () => {
    const plan = planSlots('2026-05-04', '2026-05-08', [mondayMorning]);
    expect(plan.slots).toEqual([{ date: '2026-05-04', halfDay: 'am', start: '09:00', end: '12:30', minutes: 210 }]);
    expect(plan.skippedHolidays).toEqual([]);
  });

  it('skips 11 November 2026 (a Wednesday) and reports it', () => {
    const plan = planSlots('2026-11-09', '2026-11-13', fullWeek([1, 2, 3, 4, 5]));
    expect(plan.slots.map((s) => s.date)).not.toContain('2026-11-11');
    expect(plan.slots).toHaveLength(8);
    expect(plan.skippedHolidays).toEqual([{ date: '2026-11-11', name: expect.stringMatching(/Armistice/) }]);
  });

  it('skips Easter Monday 2026-04-06 everywhere', () => {
    for (const zone of HOLIDAY_ZONES) {
      const plan = planSlots('2026-04-06', '2026-04-06', [mondayMorning], zone);
      expect(plan.slots, zone).toEqual([]);
      expect(plan.skippedHolidays.map((h) => h.date), zone).toEqual(['2026-04-06']);
    }
  });

  it('skips Good Friday 2026-04-03 only in Alsace-Moselle (and the West Indies)', () => {
    const friday: TimetableEntry[] = [{ weekday: 5, halfDay: 'am', start: '09:00', end: '12:00' }];
    expect(planSlots('2026-04-03', '2026-04-03', friday, 'metropole').slots).toHaveLength(1);
    expect(planSlots('2026-04-03', '2026-04-03', friday, '67').slots).toHaveLength(0);
    expect(planSlots('2026-04-03', '2026-04-03', friday, '57').skippedHolidays).toHaveLength(1);
  });

  it('skips 26 December only in Alsace-Moselle and 27 May only in Guadeloupe', () => {
    const saturday: TimetableEntry[] = [{ weekday: 6, halfDay: 'am', start: '09:00', end: '12:00' }];
    expect(planSlots('2026-12-26', '2026-12-26', saturday, '68').slots).toHaveLength(0);
    expect(planSlots('2026-12-26', '2026-12-26', saturday, 'metropole').slots).toHaveLength(1);
    const wednesday: TimetableEntry[] = [{ weekday: 3, halfDay: 'pm', start: '14:00', end: '17:00' }];
    expect(planSlots('2026-05-27', '2026-05-27', wednesday, 'GP').slots).toHaveLength(0);
    expect(planSlots('2026-05-27', '2026-05-27', wednesday, 'metropole').slots).toHaveLength(1);
  });

  it('respects weekdays and half-days, in date then start order, with minutes computed', () => {
    const timetable: TimetableEntry[] = [
      { weekday: 4, halfDay: 'pm', start: '13:30', end: '17:15' },
      { weekday: 2, halfDay: 'am', start: '08:00', end: '12:00' },
      { weekday: 4, halfDay: 'am', start: '08:45', end: '12:00' },
    ];
    const plan = planSlots('2026-09-07', '2026-09-13', timetable);
    expect(plan.slots).toEqual([
      { date: '2026-09-08', halfDay: 'am', start: '08:00', end: '12:00', minutes: 240 },
      { date: '2026-09-10', halfDay: 'am', start: '08:45', end: '12:00', minutes: 195 },
      { date: '2026-09-10', halfDay: 'pm', start: '13:30', end: '17:15', minutes: 225 },
    ]);
  });

  it('leaves out excluded dates without counting them as holidays', () => {
    const plan = planSlots('2026-09-07', '2026-09-18', [mondayMorning], 'metropole', new Set(['2026-09-14']));
    expect(plan.slots.map((s) => s.date)).toEqual(['2026-09-07']);
    expect(plan.skippedHolidays).toEqual([]);
  });

  it('gives nothing for an empty timetable or a range without the weekday', () => {
    expect(planSlots('2026-09-07', '2026-09-30', []).slots).toEqual([]);
    expect(planSlots('2026-09-08', '2026-09-13', [mondayMorning]).slots).toEqual([]);
  });

  const timetableArb = fc
    .uniqueArray(
      fc.record({
        weekday: fc.integer({ min: 1, max: 7 }),
        halfDay: fc.constantFrom('am' as const, 'pm' as const),
        startMin: fc.integer({ min: 0, max: 60 }),
        length: fc.integer({ min: 15, max: 240 }),
      }),
      { selector: (e) => `${e.weekday}:${e.halfDay}`, minLength: 1, maxLength: 14 },
    )
    .map((entries) =>
      entries.map(({ weekday, halfDay, startMin, length }): TimetableEntry => {
        const start = (halfDay === 'am' ? 8 * 60 : 13 * 60) + startMin;
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        return { weekday, halfDay, start: hhmm(start), end: hhmm(start + length) };
      }),
    );
  const rangeArb = fc
    .tuple(fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 120 }))
    .map(([d, len]) => {
      const from = d.toISOString().slice(0, 10);
      return { from, to: addDays(from, len) };
    });

  it('property: no slot on a holiday, all dates within range, count = matching weekdays × entries', () => {
    fc.assert(
      fc.property(timetableArb, rangeArb, fc.constantFrom(...HOLIDAY_ZONES), (timetable, { from, to }, zone) => {
        const plan = planSlots(from, to, timetable, zone);
        let expected = 0;
        let expectedHolidays = 0;
        for (const date of eachDay(from, to)) {
          const entries = timetable.filter((e) => e.weekday === isoWeekday(date)).length;
          if (entries === 0) continue;
          if (holidayName(date, zone)) expectedHolidays++;
          else expected += entries;
        }
        expect(plan.slots).toHaveLength(expected);
        expect(plan.skippedHolidays).toHaveLength(expectedHolidays);
        const seen = new Set<string>();
        for (const s of plan.slots) {
          expect(s.date >= from && s.date <= to).toBe(true);
          expect(holidayName(s.date, zone)).toBeUndefined();
          const entry = timetable.find((e) => e.weekday === isoWeekday(s.date) && e.halfDay === s.halfDay);
          expect(entry).toBeDefined();
          expect(s.start).toBe(entry!.start);
          expect(s.minutes).toBeGreaterThan(0);
          const key = `${s.date}:${s.halfDay}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
        for (const h of plan.skippedHolidays) expect(holidayName(h.date, zone)).toBe(h.name);
      }),
      { numRuns: 300 },
    );
  });

  it('property: minutes are end − start', () => {
    fc.assert(
      fc.property(timetableArb, (timetable) => {
        const plan = planSlots('2026-09-07', '2026-09-13', timetable);
        for (const s of plan.slots) {
          const [sh, sm] = s.start.split(':').map(Number) as [number, number];
          const [eh, em] = s.end.split(':').map(Number) as [number, number];
          expect(s.minutes).toBe(eh * 60 + em - (sh * 60 + sm));
        }
        // That week (7–13 September 2026) has no holiday: one slot per entry.
        expect(plan.slots).toHaveLength(timetable.length);
      }),
    );
  });
});
