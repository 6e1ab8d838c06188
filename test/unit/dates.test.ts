import { describe, expect, it } from 'vitest';
import { isTimeZone, localDateTime, todayIn, zonedToInstant } from '../../shared/domain/dates';

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
