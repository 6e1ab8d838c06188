import { describe, expect, it } from 'vitest';
import { displayToIso, frenchDatesIn, isoToDisplay, normaliseTime } from '../../shared/domain/date-text';

// Date fields read and write JJ/MM/AAAA whatever the browser's locale; the value stays YYYY-MM-DD.
describe('dates as people type them', () => {
  it('reads the day first', () => {
    expect(displayToIso('05/03/2027')).toBe('2027-03-05');
    expect(displayToIso('5/3/2027')).toBe('2027-03-05');
    expect(displayToIso(' 05.03.2027 ')).toBe('2027-03-05');
    expect(displayToIso('05-03-2027')).toBe('2027-03-05');
    expect(displayToIso('05032027')).toBe('2027-03-05');
    expect(displayToIso('05/03/27')).toBe('2027-03-05');
    expect(displayToIso('2027-03-05')).toBe('2027-03-05');
  });

  it('refuses what is no calendar day', () => {
    expect(displayToIso('31/04/2027')).toBeNull();
    expect(displayToIso('29/02/2027')).toBeNull();
    expect(displayToIso('13/13/2027')).toBeNull();
    expect(displayToIso('03/2027')).toBeNull();
    expect(displayToIso('')).toBeNull();
    expect(displayToIso('demain')).toBeNull();
    // 2028 is a leap year, 2100 is not.
    expect([displayToIso('29/02/2028'), displayToIso('29/02/2100')]).toEqual(['2028-02-29', null]);
  });

  it('writes JJ/MM/AAAA', () => {
    expect(isoToDisplay('2027-03-05')).toBe('05/03/2027');
    expect(isoToDisplay('')).toBe('');
    expect(isoToDisplay(null)).toBe('');
    expect(isoToDisplay('05/03/2027')).toBe('05/03/2027');
  });

  it('round-trips every day of a leap year', () => {
    for (let day = 0; day < 366; day++) {
      const iso = new Date(Date.UTC(2028, 0, 1 + day)).toISOString().slice(0, 10);
      expect(displayToIso(isoToDisplay(iso))).toBe(iso);
    }
  });

  it('reads times on 24 hours', () => {
    expect(['8:30', '08:30', '8h30', '0830', '830', '8h', '8'].map(normaliseTime)).toEqual(Array(7).fill('08:30').fill('08:00', 5));
    expect(['17:05', '17h05', '1705'].map(normaliseTime)).toEqual(['17:05', '17:05', '17:05']);
    expect(['24:00', '12:60', '8:30 PM', 'midi', ''].map(normaliseTime)).toEqual([null, null, null, null, null]);
  });

  it('writes the ISO dates of a sentence in French, not the instants', () => {
    expect(frenchDatesIn('Signature du 2026-12-01 hors des horaires du créneau (2026-12-01 matin).')).toBe(
      'Signature du 01/12/2026 hors des horaires du créneau (01/12/2026 matin).',
    );
    expect(frenchDatesIn('à 2026-12-01T08:30:00Z')).toBe('à 2026-12-01T08:30:00Z');
  });
});
