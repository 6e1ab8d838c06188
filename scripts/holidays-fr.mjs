// Writes shared/domain/holidays-fr.json: date-holidays' rules for France (metropole, Alsace-Moselle,
// overseas departments) and the shared holiday names they refer to, nothing of the 200 other countries.
// Run it after upgrading date-holidays: `node scripts/holidays-fr.mjs` (a unit test fails until then).
import { writeFileSync } from 'node:fs';
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

export const FILE = fileURLToPath(new URL('../shared/domain/holidays-fr.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(FILE, `${JSON.stringify(frenchHolidayData(), null, 1)}\n`);
  process.stdout.write(`${FILE} écrit.\n`);
}
