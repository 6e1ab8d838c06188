import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIsoInstant, signatureWindowUtc, signedOutsideWindow } from '../../shared/domain/signature-window';

/**
 * signatureWindowUtc is the checks' shortcut: an instant between its two UTC bounds must be exactly what
 * signedOutsideWindow calls within the window. Worked by hand first, then on random instants around random
 * slots, on ordinary days and on the nights the clocks change, in metropolitan France and overseas.
 */
describe('signatureWindowUtc: the slot’s window in UTC, agreeing with the rule', () => {
  it('is 08:00–12:31 Paris time for an 08:30–12:00 slot in winter (UTC+1) and in summer (UTC+2)', () => {
    expect(signatureWindowUtc('Europe/Paris', { date: '2026-11-23', start: '08:30', end: '12:00' })).toEqual({ from: '2026-11-23T07:00:00.000Z', to: '2026-11-23T11:31:00.000Z' });
    expect(signatureWindowUtc('Europe/Paris', { date: '2026-06-15', start: '08:30', end: '12:00' })).toEqual({ from: '2026-06-15T06:00:00.000Z', to: '2026-06-15T10:31:00.000Z' });
    // Réunion (UTC+4, no summer time): 08:00 local is 04:00 UTC.
    expect(signatureWindowUtc('Indian/Reunion', { date: '2026-06-15', start: '08:30', end: '12:00' })).toEqual({ from: '2026-06-15T04:00:00.000Z', to: '2026-06-15T08:31:00.000Z' });
  });

  it('stops at midnight, and gives up on a night the clocks change within the window', () => {
    expect(signatureWindowUtc('Europe/Paris', { date: '2026-11-23', start: '20:00', end: '23:50' })?.to).toBe('2026-11-23T23:00:00.000Z');
    // 29 March 2026: 02:00 → 03:00 in Paris; 25 October 2026: 03:00 → 02:00.
    expect(signatureWindowUtc('Europe/Paris', { date: '2026-03-29', start: '01:00', end: '04:00' })).toBeNull();
    expect(signatureWindowUtc('Europe/Paris', { date: '2026-10-25', start: '01:00', end: '04:00' })).toBeNull();
    expect(signatureWindowUtc('Europe/Paris', { date: '2026-03-29', start: '09:00', end: '12:00' })).not.toBeNull();
  });

  it('answers like signedOutsideWindow for every ISO instant around any slot', () => {
    const zones = ['Europe/Paris', 'America/Cayenne', 'Pacific/Noumea', 'America/Miquelon'];
    const days = ['2026-01-12', '2026-03-28', '2026-03-29', '2026-03-30', '2026-10-24', '2026-10-25', '2026-10-26', '2026-11-01'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...days),
        fc.integer({ min: 0, max: 23 * 60 }),
        fc.integer({ min: 30, max: 6 * 60 }),
        fc.integer({ min: -36 * 3600, max: 36 * 3600 }),
        fc.integer({ min: 0, max: 999 }),
        (zone, date, startMinutes, length, offsetSeconds, ms) => {
          const end = Math.min(startMinutes + length, 23 * 60 + 59);
          const time = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const slot = { date, start: time(startMinutes), end: time(end) };
          const w = signatureWindowUtc(zone, slot);
          const instant = new Date(Date.parse(`${date}T12:00:00Z`) + offsetSeconds * 1000 + ms).toISOString();
          expect(isIsoInstant(instant)).toBe(true);
          if (w && instant >= w.from && instant < w.to) expect(signedOutsideWindow(instant, zone, slot)).toBeNull();
          if (w && (instant < w.from || instant >= w.to)) expect(signedOutsideWindow(instant, zone, slot)).not.toBeNull();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('recognises only the toISOString form as comparable', () => {
    expect(isIsoInstant('2026-11-23T07:00:00.000Z')).toBe(true);
    expect(isIsoInstant('2026-11-23T07:00:00Z')).toBe(false);
    expect(isIsoInstant('2026-11-23T08:00:00.000+01:00')).toBe(false);
  });
});
