import type { IsoDate } from './dates';

/**
 * The life of an enrolment (*inscription*) as a dated, append-only history of statuses, and the one rule
 * that says who is expected on a given day. The roll call, the checks, the printed sheets and the screens
 * all ask {@link isActiveOn}; the backend's SQL (electron/backend/sessions/active.ts) is the same rule
 * written for queries, and a property test keeps the two in agreement.
 */

export const ENROLMENT_STATUSES = ['planned', 'entered', 'suspended', 'exited'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** Allowed moves of the status; `exited` is final. */
export const TRANSITIONS: Record<EnrolmentStatus, readonly EnrolmentStatus[]> = {
  planned: ['entered', 'exited'],
  entered: ['suspended', 'exited'],
  suspended: ['entered', 'exited'],
  exited: [],
};

export function canMove(from: EnrolmentStatus, to: EnrolmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** One dated status. A history is given in recording order (effective date, then id). */
export interface StatusEntry {
  status: EnrolmentStatus;
  effectiveDate: IsoDate;
}

/** A stable sort by effective date: entries of one day keep their recording order. */
function ordered(history: readonly StatusEntry[]): StatusEntry[] {
  return [...history].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0));
}

/** The latest status, whatever its date; an enrolment without history is `planned`. */
export function currentStatus(history: readonly StatusEntry[]): EnrolmentStatus {
  return ordered(history).at(-1)?.status ?? 'planned';
}

/** The status in force on a date: the last one effective on or before it (`planned` before any). */
export function statusOn(history: readonly StatusEntry[], date: IsoDate): EnrolmentStatus {
  let status: EnrolmentStatus = 'planned';
  for (const h of ordered(history)) if (h.effectiveDate <= date) status = h.status;
  return status;
}

/**
 * Whether the trainee has left by a date. The exit date itself is the last day of presence: a trainee
 * exited on the 20th is still expected on the 20th and has left on the 21st.
 */
export function exitedBefore(history: readonly StatusEntry[], date: IsoDate): boolean {
  return history.some((h) => h.status === 'exited' && h.effectiveDate < date);
}

/**
 * Whether an enrolment still holds its place in the session on a date (capacity, the session's
 * "enrolled" count): every enrolment not exited before that date. A suspension keeps the place, since
 * the trainee comes back.
 */
export function holdsPlaceOn(history: readonly StatusEntry[], date: IsoDate): boolean {
  return !exitedBefore(history, date);
}

/**
 * Whether the trainee is expected on a date (roll call, checks, sheets), all of:
 * - the date lies within the enrolment's planned window, both ends included;
 * - not exited before the date ({@link exitedBefore}: the exit day still counts);
 * - not suspended on the date: a suspension effective on D, followed by a re-entry on E, covers D to
 *   E − 1; the re-entry day is expected again. A suspension and a re-entry on the same day cover nothing.
 * A `planned` enrolment whose start has come is expected even if its entry was not declared yet: the
 * roll call must show the trainee who turns up on the first morning; the checks flag a presence before
 * the declared entry separately.
 */
export function isActiveOn(enrolment: { plannedStart: IsoDate; plannedEnd: IsoDate }, history: readonly StatusEntry[], date: IsoDate): boolean {
  if (date < enrolment.plannedStart || date > enrolment.plannedEnd) return false;
  if (exitedBefore(history, date)) return false;
  return statusOn(history, date) !== 'suspended';
}
