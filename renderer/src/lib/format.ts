import { parseIsoDate } from '../../../shared/domain/dates';
import i18n from '../i18n';

function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'fr-FR';
}

/**
 * Building an Intl.DateTimeFormat costs a hundred times more than using one (locale data, pattern
 * resolution): one formatter per locale and style, kept, so a calendar of 264 slots formats in a blink.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(style: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale()}|${style}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', ...options })));
  return f;
}

/** `2026-11-11` → « 11/11/2026 » (dates are calendar days: formatted in UTC so no zone shifts them). */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  return dateFormat('date', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(parseIsoDate(date));
}

/** `2026-11-11` → « mer. 11 nov. 2026 ». */
export function formatLongDate(date: string): string {
  return dateFormat('long', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(parseIsoDate(date));
}

/** `2026-11-11` → « 11 nov. ». */
export function formatDayMonth(date: string): string {
  return dateFormat('dayMonth', { day: 'numeric', month: 'short' }).format(parseIsoDate(date));
}

/**
 * An instant (ISO 8601 UTC) → « 23/11/2026 09:04 » on the training body's clock (`timeZone` from lib/timeZone.ts),
 * whatever the computer's zone; `seconds` for a log (« 09:04:12 »). — when none.
 */
export function formatDateTime(iso: string | null | undefined, timeZone: string, seconds = false): string {
  if (!iso) return '—';
  return dateFormat(`dateTime|${timeZone}|${seconds}`, { dateStyle: 'short', timeStyle: seconds ? 'medium' : 'short', timeZone }).format(new Date(iso));
}

/** Integer minutes → « 7 h 30 » (fr) or « 7h30 » (en). */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (i18n.language === 'en') return m === 0 ? `${h}h` : `${h}h${String(m).padStart(2, '0')}`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** « Martine Klein » → « MK ». */
export function initials(person: { firstName: string; lastName: string }): string {
  return `${person.firstName.charAt(0)}${person.lastName.charAt(0)}`.toUpperCase();
}

export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.lastName.toUpperCase()} ${person.firstName}`;
}
