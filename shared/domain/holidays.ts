import Holidays from 'date-holidays';
import type { IsoDate } from './dates';
import type { HolidayZone } from './holiday-zones';

export { HOLIDAY_ZONES, type HolidayZone } from './holiday-zones';

const cache = new Map<string, Map<IsoDate, string>>();

/** Public holidays of one zone and year, date → French name. Cached: the library is slow per call. */
export function publicHolidays(zone: HolidayZone, year: number): Map<IsoDate, string> {
  const key = `${zone}:${year}`;
  let days = cache.get(key);
  if (!days) {
    const calendar = zone === 'metropole' ? new Holidays('FR') : new Holidays('FR', zone);
    days = new Map();
    for (const h of calendar.getHolidays(year)) {
      if (h.type === 'public') days.set(h.date.slice(0, 10), h.name);
    }
    cache.set(key, days);
  }
  return days;
}

/** The holiday's name when `date` is a public holiday in `zone`, else undefined. */
export function holidayName(date: IsoDate, zone: HolidayZone = 'metropole'): string | undefined {
  return publicHolidays(zone, Number(date.slice(0, 4))).get(date);
}

/** The holiday zone of a French postcode: Alsace-Moselle and overseas have their own days. */
export function holidayZoneOfPostcode(postcode: string): HolidayZone {
  const overseas: Record<string, HolidayZone> = { '97150': 'MF', '97133': 'BL' };
  if (overseas[postcode]) return overseas[postcode];
  const byDept: Record<string, HolidayZone> = {
    '57': '57', '67': '67', '68': '68', '971': 'GP', '972': 'MQ', '973': 'GF', '974': 'RE', '976': 'YT',
  };
  return byDept[postcode.slice(0, 3)] ?? byDept[postcode.slice(0, 2)] ?? 'metropole';
}
