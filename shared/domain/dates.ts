/**
 * Calendar dates are plain `YYYY-MM-DD` strings in the training body's time zone; instants are ISO 8601 UTC.
 * These helpers do calendar arithmetic in UTC so no daylight-saving change can shift a day.
 */
export type IsoDate = string;

/**
 * The calendar Sillon accepts, first and last day (birth dates, erased ones included, to plans a century ahead).
 * Beyond it the arithmetic below fails: Date.UTC reads years 0–99 as 1900–1999, ISO text has no 4-digit year
 * past 9999, the time zone formatter writes year 1 as « 1 »; a date of 0001 once crashed the audit log's filter.
 */
export const FIRST_DATE: IsoDate = '1900-01-01';
export const LAST_DATE: IsoDate = '2199-12-31';

export function parseIsoDate(date: IsoDate): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

export function formatIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = parseIsoDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return formatIsoDate(d);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  const wd = parseIsoDate(date).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** Every date from `from` to `to`, both included. */
export function* eachDay(from: IsoDate, to: IsoDate): Generator<IsoDate> {
  for (let d = from; d <= to; d = addDays(d, 1)) yield d;
}

/**
 * Today's date in the training body's IANA time zone, for an instant the caller gives (the domain reads
 * no clock). The zone is never implied: an overseas training body's day is not Paris's.
 */
export function todayIn(now: Date, timeZone: string): IsoDate {
  // en-CA formats as YYYY-MM-DD. One formatter per zone, kept: building one costs far more than using it.
  let f = dayFormatters.get(timeZone);
  if (!f) dayFormatters.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(now);
}
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Whether a name is an IANA time zone the platform knows (`Europe/Paris`, `America/Cayenne`…). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Minutes since midnight of a `HH:MM` time. */
export function timeToMinutes(time: string): number {
  // As `time.split(':').map(Number)` would read it, without the arrays (the checks call it per signature).
  const i = time.indexOf(':');
  if (i < 0) return NaN;
  const j = time.indexOf(':', i + 1);
  return Number(time.slice(0, i)) * 60 + Number(time.slice(i + 1, j < 0 ? undefined : j));
}

export function minutesToTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "7 h 30" — French display of a duration in minutes. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${seconds ? 's' : 'm'}|${timeZone}`;
  let f = FORMATTERS.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' as const } : {}), hourCycle: 'h23',
    });
    FORMATTERS.set(key, f);
  }
  return f;
}

const HOUR_MS = 3_600_000;
/** The fast path keeps to years the ISO format writes with four digits. */
const YEAR_1000_MS = Date.UTC(1000, 0, 1);
const YEAR_9000_MS = Date.UTC(9000, 0, 1);

/** The zone's offset from UTC at an instant (whole seconds), read from the formatter. */
function offsetAt(ms: number, timeZone: string): number {
  const at = Math.floor(ms / 1000) * 1000;
  const parts = formatterOf(timeZone, true).formatToParts(new Date(at));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - at;
}

/**
 * Per time zone and UTC hour, the offset in force through the whole hour, or null when the offset changes
 * within it (then each instant goes through the formatter). The checks read tens of thousands of signatures:
 * one formatter call per hour instead of one per signature.
 */
const HOURLY_OFFSETS = new Map<string, Map<number, number | null>>();
function hourlyOffset(ms: number, timeZone: string): number | null {
  let zone = HOURLY_OFFSETS.get(timeZone);
  if (!zone || zone.size > 200_000) HOURLY_OFFSETS.set(timeZone, (zone = new Map()));
  const hour = Math.floor(ms / HOUR_MS);
  let off = zone.get(hour);
  if (off === undefined) {
    const start = offsetAt(hour * HOUR_MS, timeZone);
    off = start === offsetAt((hour + 1) * HOUR_MS - 1000, timeZone) ? start : null;
    zone.set(hour, off);
  }
  return off;
}

/** The local date and time (`YYYY-MM-DD`, `HH:MM`) of an instant in a time zone. */
export function localDateTime(instant: string | Date, timeZone: string): { date: IsoDate; time: string } {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  const ms = d.getTime();
  const off = Number.isFinite(ms) && ms >= YEAR_1000_MS && ms < YEAR_9000_MS ? hourlyOffset(ms, timeZone) : null;
  if (off !== null) {
    const iso = new Date(ms + off).toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
  }
  const parts = formatterOf(timeZone, false).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** The UTC instant of a wall-clock date and time in a time zone (DST-aware, two passes suffice). */
export function zonedToInstant(date: IsoDate, time: string, timeZone: string): Date {
  const target = Date.parse(`${date}T${time}:00Z`);
  let guess = target;
  for (let i = 0; i < 2; i++) {
    const local = localDateTime(new Date(guess), timeZone);
    const shown = Date.parse(`${local.date}T${local.time}:00Z`);
    guess += target - shown;
  }
  return new Date(guess);
}
