import { describe, expect, it } from 'vitest';
import { HOLIDAY_ZONES, holidayName, holidayZoneOfPostcode, publicHolidays } from '../../shared/domain/holidays';

describe('French public holidays', () => {
  it('knows the fixed metropolitan holidays of 2026', () => {
    expect(holidayName('2026-11-11')).toMatch(/Armistice/);
    expect(holidayName('2026-01-01')).toBeDefined();
    expect(holidayName('2026-05-01')).toBeDefined();
    expect(holidayName('2026-05-08')).toBeDefined();
    expect(holidayName('2026-07-14')).toBeDefined();
    expect(holidayName('2026-08-15')).toBeDefined();
    expect(holidayName('2026-11-01')).toBeDefined();
    expect(holidayName('2026-12-25')).toBeDefined();
  });

  it('knows the movable feasts of 2026 (Easter Monday, Ascension, Whit Monday)', () => {
    expect(holidayName('2026-04-06')).toMatch(/Pâques/);
    expect(holidayName('2026-05-14')).toMatch(/Ascension/);
    expect(holidayName('2026-05-25')).toMatch(/Pentecôte/);
    // Easter Sunday 2027 is 28 March, so Easter Monday is 29 March.
    expect(holidayName('2027-03-29')).toMatch(/Pâques/);
  });

  it('names holidays in French', () => {
    expect(holidayName('2026-12-25')).toBe('Noël');
  });

  it('metropolitan France has 11 public holidays in 2026', () => {
    expect(publicHolidays('metropole', 2026).size).toBe(11);
  });

  it('ordinary working days are not holidays', () => {
    expect(holidayName('2026-11-10')).toBeUndefined();
    expect(holidayName('2026-11-12')).toBeUndefined();
    expect(holidayName('2026-04-03')).toBeUndefined(); // Good Friday: not in metropolitan France
    expect(holidayName('2026-12-26')).toBeUndefined();
    expect(holidayName('2026-05-27')).toBeUndefined();
  });

  it.each(['57', '67', '68'] as const)('Alsace-Moselle (%s) adds Good Friday 2026-04-03 and 26 December', (zone) => {
    expect(holidayName('2026-04-03', zone)).toBeDefined();
    expect(holidayName('2026-12-26', zone)).toBeDefined();
    expect(holidayName('2026-11-11', zone)).toBeDefined();
    expect(publicHolidays(zone, 2026).size).toBe(13);
  });

  it('Guadeloupe has the abolition of slavery on 27 May, not metropolitan France', () => {
    expect(holidayName('2026-05-27', 'GP')).toMatch(/esclavage/i);
    expect(holidayName('2026-05-27', 'metropole')).toBeUndefined();
    expect(holidayName('2026-05-22', 'MQ')).toMatch(/esclavage/i);
    expect(holidayName('2026-12-20', 'RE')).toMatch(/esclavage/i);
  });

  it('every zone has a calendar that includes the national holidays', () => {
    for (const zone of HOLIDAY_ZONES) {
      const days = publicHolidays(zone, 2026);
      expect(days.get('2026-07-14'), zone).toBeDefined();
      expect(days.get('2026-11-11'), zone).toBeDefined();
      for (const date of days.keys()) expect(date, zone).toMatch(/^2026-\d{2}-\d{2}$/);
    }
  });

  it('caches each zone and year', () => {
    expect(publicHolidays('67', 2031)).toBe(publicHolidays('67', 2031));
  });
});

describe('holidayZoneOfPostcode', () => {
  it.each([
    ['75011', 'metropole'],
    ['69003', 'metropole'],
    ['20000', 'metropole'], // Ajaccio: Corsica follows the metropolitan calendar
    ['67400', '67'],
    ['67000', '67'],
    ['68100', '68'],
    ['57000', '57'],
    ['97100', 'GP'],
    ['97200', 'MQ'],
    ['97300', 'GF'],
    ['97400', 'RE'],
    ['97600', 'YT'],
    ['97150', 'MF'], // Saint-Martin, under a Guadeloupe-like code
    ['97133', 'BL'], // Saint-Barthélemy
    ['58000', 'metropole'], // 58 is not Moselle
    ['06700', 'metropole'], // 067 must not be read as Bas-Rhin
  ] as const)('%s → %s', (postcode, zone) => {
    expect(holidayZoneOfPostcode(postcode)).toBe(zone);
  });
});
