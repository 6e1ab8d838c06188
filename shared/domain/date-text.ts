/**
 * Dates and times as people read and type them: `JJ/MM/AAAA` and 24 h `HH:MM`, whatever the system's
 * locale. Values stored and exchanged stay `YYYY-MM-DD` and `HH:MM`; these helpers only cross the line
 * between the two (date fields, messages, documents). Pure: no clock, no locale of the platform.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-01` → `01/12/2026`. Anything that is not an ISO calendar date comes back unchanged. */
export function isoToDisplay(date: string | null | undefined): string {
  if (!date) return '';
  const m = ISO.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

/**
 * What a person typed in a date field → `YYYY-MM-DD`, or null when it is no real date. Reads day first:
 * `05/03/2027`, `5/3/2027`, `05.03.2027`, `05-03-2027`, `05032027`; a 2-digit year is 20xx. An ISO date
 * (`2027-03-05`, e.g. pasted) is taken as is.
 */
export function displayToIso(text: string): string | null {
  const s = text.trim();
  let y: number, mo: number, d: number;
  const iso = ISO.exec(s);
  const dmy = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{2}|\d{4})$/.exec(s);
  const compact = /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) [d, mo, y] = [Number(dmy[1]), Number(dmy[2]), dmy[3]!.length === 2 ? 2000 + Number(dmy[3]) : Number(dmy[3])];
  else if (compact) [d, mo, y] = [Number(compact[1]), Number(compact[2]), Number(compact[3])];
  else return null;
  return isRealDate(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null;
}

/**
 * What a person typed in a time field → 24 h `HH:MM`, or null. Accepts `8:30`, `08:30`, `8h30`, `8h`,
 * `0830`, `830`, `8`.
 */
export function normaliseTime(text: string): string | null {
  const s = text.trim().toLowerCase().replace(/\s/g, '');
  const m = /^(\d{1,2})(?:[:h.]?(\d{2}))?h?$/.exec(s) ?? /^(\d{1,2})(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${pad(h)}:${pad(min)}`;
}

/**
 * Every ISO calendar date inside a sentence written as `JJ/MM/AAAA` (« signature du 2026-12-01 » →
 * « signature du 01/12/2026 »). Instants (`2026-12-01T08:30:00Z`) are left alone: the caller formats those
 * in the organisation's zone.
 */
export function frenchDatesIn(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b(?!T)/g, (_all, y: string, m: string, d: string) => `${d}/${m}/${y}`);
}
