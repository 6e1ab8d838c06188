import Holidays from 'date-holidays';
import HolidaysParser from 'date-holidays-parser';
import moment from 'moment-timezone';
import { describe, expect, it } from 'vitest';
import { HOLIDAY_ZONES, publicHolidays } from '../../shared/domain/holidays';
import FRENCH_RULES from '../../shared/domain/holidays-fr.json';
import FRENCH_TIMEZONES from '../../scripts/moment-timezone-fr.json';

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

/**
 * The bundles replace moment-timezone's world data with scripts/moment-timezone-fr.json. Every zone the
 * French rules name must be there (directly or as a link), with the full data's offsets and changes.
 */
describe('French time zones cut out of moment-timezone', () => {
  const zoneNames = [...new Set(JSON.stringify(FRENCH_RULES).match(/"zones":\[[^\]]*\]/g)!.flatMap((m) => JSON.parse(m.slice(8)) as string[]))];

  it('the rules name the zones of Paris and of the overseas departments', () => {
    expect(zoneNames).toEqual(expect.arrayContaining(['Europe/Paris', 'America/Guadeloupe', 'America/Martinique', 'America/Cayenne', 'Indian/Reunion']));
  });

  it.each(zoneNames)('%s: same transitions and offsets as the full data', (name) => {
    const link = FRENCH_TIMEZONES.links.find((l) => l.split('|')[1] === name);
    const dataName = link ? link.split('|')[0]! : name;
    const packed = FRENCH_TIMEZONES.zones.find((z) => z.split('|')[0] === dataName);
    expect(packed, name).toBeDefined();
    // unpack() is moment-timezone's own reader of its packed format (missing from its typings).
    const { unpack } = moment.tz as unknown as { unpack(packed: string): { untils: number[]; offsets: number[]; abbrs: string[] } };
    const cut = unpack(packed!);
    const full = moment.tz.zone(name)!;
    expect([cut.untils, cut.offsets, cut.abbrs]).toEqual([full.untils, full.offsets, full.abbrs]);
  });
});
