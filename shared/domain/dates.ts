/**
 * Calendar dates are plain `YYYY-MM-DD` strings in the training body's time zone; instants are ISO 8601 UTC.
 * These helpers do calendar arithmetic in UTC so no daylight-saving change can shift a day.
 */
export type IsoDate = string;

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
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
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

/** The local date and time (`YYYY-MM-DD`, `HH:MM`) of an instant in a time zone. */
export function localDateTime(instant: string | Date, timeZone: string): { date: IsoDate; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(typeof instant === 'string' ? new Date(instant) : instant);
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
