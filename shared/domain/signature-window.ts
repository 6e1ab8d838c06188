import { addDays, localDateTime, minutesToTime, timeToMinutes, zonedToInstant } from './dates';

/**
 * When a signature (or the trainer's countersignature) is taken far outside its slot's hours: the rule
 * the checks apply afterwards (*Contrôles*, electron/backend/attendance/checks.ts) and the roll-call
 * screen applies at the moment of signing or closing, so the person sees it while it can still be explained.
 */

/** Minutes of tolerance around a slot for a signature's time (arrivals before, late signing after). */
export const SIGNATURE_WINDOW_MINUTES = 30;

/** A slot's day and hours, as the schedule gives them (`HH:MM`). */
export interface SlotHours {
  date: string;
  start: string;
  end: string;
}

/**
 * Whether an instant, read on the wall clock of the training body's time zone, falls outside the slot's
 * day or more than {@link SIGNATURE_WINDOW_MINUTES} before its start or after its end. Returns the local
 * date and time read, for the message, or null when the instant is within the window.
 *
 * @example signedOutsideWindow('2026-11-23T14:05:00Z', 'Europe/Paris', { date: '2026-11-23', start: '08:30', end: '12:00' }) // { date: '2026-11-23', time: '15:05' }
 */
export function signedOutsideWindow(instant: string | Date, timeZone: string, slot: SlotHours): { date: string; time: string } | null {
  const local = localDateTime(instant, timeZone);
  const t = timeToMinutes(local.time);
  const outside = local.date !== slot.date || t < timeToMinutes(slot.start) - SIGNATURE_WINDOW_MINUTES || t > timeToMinutes(slot.end) + SIGNATURE_WINDOW_MINUTES;
  return outside ? local : null;
}

/** An instant as `Date.toISOString` writes it (UTC, milliseconds, `Z`): such strings compare as their instants. */
export function isIsoInstant(instant: string): boolean {
  return instant.length === 24 && instant.charCodeAt(23) === 90 /* Z */ && instant.charCodeAt(10) === 84 /* T */;
}

/**
 * A slot's signature window as UTC instants `[from, to)` in `toISOString` form, or null when the zone's offset
 * changes within it (a change of time that night) or its start falls in a skipped hour. An instant in that
 * form (`isIsoInstant`) with `from <= instant < to` is within the window exactly as
 * {@link signedOutsideWindow} reads it; any other instant still goes through that function. The checks read
 * tens of thousands of signatures over a few hundred slots: two string comparisons each instead of a
 * time-zone conversion.
 */
export function signatureWindowUtc(timeZone: string, slot: SlotHours): { from: string; to: string } | null {
  const first = Math.max(0, timeToMinutes(slot.start) - SIGNATURE_WINDOW_MINUTES);
  const end = timeToMinutes(slot.end) + SIGNATURE_WINDOW_MINUTES + 1; // the wall clock's minute stays ≤ end + window
  if (!Number.isFinite(first) || !Number.isFinite(end)) return null;
  const from = zonedToInstant(slot.date, minutesToTime(first), timeZone);
  const to = end >= 24 * 60 ? zonedToInstant(addDays(slot.date, 1), '00:00', timeZone) : zonedToInstant(slot.date, minutesToTime(end), timeZone);
  const offset = (at: Date) => {
    const local = localDateTime(at, timeZone);
    return Date.parse(`${local.date}T${local.time}:00Z`) - at.getTime();
  };
  const startsRight = localDateTime(from, timeZone);
  if (startsRight.date !== slot.date || startsRight.time !== minutesToTime(first)) return null;
  if (offset(from) !== offset(new Date(to.getTime() - 60_000))) return null;
  return { from: from.toISOString(), to: to.toISOString() };
}
