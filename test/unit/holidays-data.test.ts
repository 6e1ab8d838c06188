import Holidays from 'date-holidays';
import HolidaysParser from 'date-holidays-parser';
import { describe, expect, it } from 'vitest';
import { HOLIDAY_ZONES, publicHolidays } from '../../shared/domain/holidays';
import FRENCH_RULES from '../../shared/domain/holidays-fr.json';

/**
 * shared/domain/holidays-fr.json is France cut out of date-holidays' world data (scripts/holidays-fr.mjs).
 * Proof the cut lost nothing: every day of every type, in every zone, over 61 years, is the one the full
 * library gives. After a date-holidays upgrade this fails until the file is generated again.
 */
const YEARS = Array.from({ length: 61 }, (_, i) => 2000 + i);
type Zone = (typeof HOLIDAY_ZONES)[number];
const fullLibrary = (zone: Zone) => (zone === 'metropole' ? new Holidays('FR') : new Holidays('FR', zone));
const cutOut = (zone: Zone) => (zone === 'metropole' ? new HolidaysParser(FRENCH_RULES, 'FR') : new HolidaysParser(FRENCH_RULES, 'FR', zone));

describe('French holiday rules cut out of date-holidays', () => {
  it.each(HOLIDAY_ZONES)('zone %s: every holiday from 2000 to 2060 is the full library’s', (zone) => {
    const full = fullLibrary(zone);
    const cut = cutOut(zone);
    for (const year of YEARS) {
      const days = (h: { date: string; name: string; type: string }[]) => h.map(({ date, name, type }) => `${date} ${type} ${name}`);
      expect(days(cut.getHolidays(year)), `${zone} ${year}`).toEqual(days(full.getHolidays(year)));
    }
  });

  it.each(HOLIDAY_ZONES)('zone %s: publicHolidays() lists the full library’s public days', (zone) => {
    const full = fullLibrary(zone);
    for (const year of [2000, 2026, 2050]) {
      const expected = full.getHolidays(year).filter((h) => h.type === 'public').map((h) => [h.date.slice(0, 10), h.name]);
      expect([...publicHolidays(zone, year)]).toEqual(expected);
    }
  });

  it('carries France and the overseas entries its zones borrow from, no other country', () => {
    expect(Object.keys(FRENCH_RULES.holidays).sort()).toEqual(['BL', 'FR', 'GF', 'GP', 'MF', 'MQ', 'RE', 'YT']);
  });
});
