// Writes France's share of two world-wide data sets, so that bundles carry nothing else:
// * shared/domain/holidays-fr.json: date-holidays' rules for France (metropole, Alsace-Moselle, overseas
//   departments) and the shared holiday names they refer to, not the 200 other countries';
// * scripts/moment-timezone-fr.json: the time zones those rules name, out of moment-timezone's 600
//   (the parser computes each holiday's start and end in its zone; see moment-timezone-fr.mjs).
// Run it after upgrading date-holidays or moment-timezone: `node scripts/holidays-fr.mjs` (unit tests
// in test/unit/holidays-data.test.ts fail until then).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { data } from 'date-holidays/data';

export function frenchHolidayData() {
  // The overseas zones borrow their days from the overseas countries' own entries (`_days: GP`), which
  // borrow France's in turn: follow those references until nothing new is named.
  const holidays = {};
  const pending = ['FR'];
  while (pending.length) {
    const country = pending.pop();
    if (holidays[country]) continue;
    holidays[country] = data.holidays[country];
    for (const m of JSON.stringify(holidays[country]).matchAll(/"_days":(?:"([^"]+)"|\["([^"]+)")/g)) pending.push(m[1] ?? m[2]);
  }
  // Rules name a shared entry with `_name`; substitute days use names.substitutes.
  const used = new Set(['substitutes']);
  for (const [, name] of JSON.stringify(holidays).matchAll(/"_name":"([^"]*)"/g)) used.add(name);
  const names = Object.fromEntries(Object.entries(data.names).filter(([key]) => used.has(key)));
  return { version: data.version, license: data.license, holidays, names };
}

/** moment-timezone's packed data cut down to `zoneNames` (a name may be a link to another zone's data). */
export function timezoneSubset(zoneNames) {
  // moment-timezone is date-holidays-parser's dependency: resolved from there, as the bundles do.
  const parser = createRequire(import.meta.url).resolve('date-holidays-parser');
  const packed = JSON.parse(readFileSync(createRequire(parser).resolve('moment-timezone/data/packed/latest.json'), 'utf8'));
  const wanted = new Set(zoneNames);
  const links = packed.links.filter((l) => wanted.has(l.split('|')[1]));
  const canonical = new Set([...wanted, ...links.map((l) => l.split('|')[0])]);
  return { version: packed.version, zones: packed.zones.filter((z) => canonical.has(z.split('|')[0])), links, countries: [] };
}

/** Every time zone named in the rules (the country's and its states'). */
export const zonesOf = (rules) => [...new Set([...JSON.stringify(rules).matchAll(/"zones":\[([^\]]*)\]/g)].flatMap((m) => JSON.parse(`[${m[1]}]`)))].sort();

export const HOLIDAYS_FILE = fileURLToPath(new URL('../shared/domain/holidays-fr.json', import.meta.url));
export const TIMEZONES_FILE = fileURLToPath(new URL('./moment-timezone-fr.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rules = frenchHolidayData();
  writeFileSync(HOLIDAYS_FILE, `${JSON.stringify(rules, null, 1)}\n`);
  writeFileSync(TIMEZONES_FILE, `${JSON.stringify(timezoneSubset(zonesOf(rules)), null, 1)}\n`);
  process.stdout.write(`${HOLIDAYS_FILE} et ${TIMEZONES_FILE} écrits.\n`);
}
