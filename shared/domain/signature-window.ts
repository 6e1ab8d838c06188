import { localDateTime, timeToMinutes } from './dates';

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
