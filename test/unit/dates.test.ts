import { describe, expect, it } from 'vitest';
import { isTimeZone, localDateTime, timeToMinutes, todayIn, zonedToInstant } from '../../shared/domain/dates';

// The day and time of one instant depend on the training body's zone; none is implied.
describe('dates in an explicit time zone', () => {
  // 2026-11-20T01:30Z: still the 19th at 22:30 in Cayenne (UTC−3), the 20th at 02:30 in Paris (UTC+1),
  // the 20th at 05:30 in Réunion (UTC+4).
  it.each([
    ['America/Cayenne', '2026-11-19', '22:30'],
    ['Europe/Paris', '2026-11-20', '02:30'],
    ['Indian/Reunion', '2026-11-20', '05:30'],
  ])('%s', (zone, date, time) => {
    const instant = new Date('2026-11-20T01:30:00Z');
    expect(todayIn(instant, zone)).toBe(date);
    expect(localDateTime(instant, zone)).toEqual({ date, time });
    expect(zonedToInstant(date, time, zone).toISOString()).toBe('2026-11-20T01:30:00.000Z');
  });

  it('knows real zones only', () => {
    expect([isTimeZone('America/Cayenne'), isTimeZone('Europe/Cayenne'), isTimeZone('')]).toEqual([true, false, false]);
  });
});

// localDateTime reads each hour's offset once (the checks read tens of thousands of signatures): it must give
// what the zone's formatter gives for every instant, across daylight-saving changes, half-hour and
// quarter-hour zones, and Lord Howe's 30-minute change.
describe('localDateTime with the hourly offset', () => {
  const reference = (ms: number, zone: string) => {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
    const get = (t: string) => parts.find((p) => p.type === t)!.value;
    return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
  };
  it.each([
    ['Europe/Paris', '2026-03-29T00:00:00Z'],
    ['Europe/Paris', '2026-10-25T00:00:00Z'],
    ['America/St_Johns', '2026-03-08T03:00:00Z'],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T14:00:00Z'],
    ['Pacific/Chatham', '2026-04-04T13:00:00Z'],
  ])('%s around %s', (zone, around) => {
    const start = Date.parse(around);
    const mismatches: string[] = [];
    // Every 7 min 13 s over 6 hours, and each whole minute next to the changes.
    for (let ms = start; ms < start + 6 * 3_600_000; ms += 433_000) {
      for (const at of [ms, ms - (ms % 60_000), ms - (ms % 60_000) - 1]) {
        const got = localDateTime(new Date(at), zone);
        const want = reference(at, zone);
        if (got.date !== want.date || got.time !== want.time) mismatches.push(`${new Date(at).toISOString()}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('timeToMinutes', () => {
  it('reads HH:MM (seconds ignored), NaN without a colon', () => {
    expect(['09:05', '17:00', '00:00', '23:59', '09:05:30', '9:5'].map(timeToMinutes)).toEqual([545, 1020, 0, 1439, 545, 545]);
    expect(Number.isNaN(timeToMinutes('0905'))).toBe(true);
  });
});
