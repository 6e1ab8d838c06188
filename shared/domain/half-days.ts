/**
 * The half-day rule on its own, without the holiday calendar: the schemas import it, and the renderer's main
 * chunk must not carry the holiday rules (they load with the pages that plan slots).
 */
/** A half-day of a weekly timetable: *matin* (morning) or *après-midi* (afternoon). */
export type HalfDay = 'am' | 'pm';

/** Whether times fit a half-day: a morning starts before 13:00, an afternoon ends after 12:00. */
export function halfDayFits(halfDay: HalfDay, start: string, end: string): boolean {
  return halfDay === 'am' ? start < '13:00' : end > '12:00';
}
export const HALF_DAY_MISMATCH = 'La demi-journée ne correspond pas aux horaires (matin avant 13 h, après-midi après 12 h).';
