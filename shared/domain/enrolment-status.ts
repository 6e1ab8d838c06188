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

/** "2026-09-01" → "01/09/2026": dates in messages are read by people. */
function frDate(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** What a new dated status is checked against: the enrolment's window, the session's end, the history. */
export interface StatusDateBounds {
  plannedStart: IsoDate;
  plannedEnd: IsoDate;
  sessionEnd: IsoDate;
  /** The history so far (the initial `planned` entry included). */
  history: readonly StatusEntry[];
}

/**
 * Why a status cannot be dated on `date`, as a French sentence naming the date, or null when it can. The
 * screen shows it next to the "date d'effet" field; the backend refuses with the same sentence.
 * - an entry, a suspension or an exit dated after the enrolment's end (or the session's, if it ends
 *   first) is refused: after the end there is nothing to enter, suspend or leave;
 * - an entry before the enrolment's start says so (not "before the last change", which was the start);
 * - any status dated before the start, or before the latest recorded change, is refused.
 */
export function statusDateProblem(status: EnrolmentStatus, date: IsoDate, bounds: StatusDateBounds): string | null {
  const what = { planned: 'Le statut « prévu »', entered: "L'entrée", suspended: 'La suspension', exited: 'La sortie' }[status];
  if (bounds.sessionEnd < bounds.plannedEnd && date > bounds.sessionEnd) {
    return `${what} ne peut pas être datée après la fin de la session (${frDate(bounds.sessionEnd)}).`;
  }
  if (date > bounds.plannedEnd) return `${what} ne peut pas être datée après la fin de l'inscription (${frDate(bounds.plannedEnd)}).`;
  if (date < bounds.plannedStart) {
    return status === 'entered'
      ? `L'entrée ne peut pas être datée avant le début de l'inscription (${frDate(bounds.plannedStart)}) : avancez d'abord le début de l'inscription.`
      : `${what} ne peut pas être datée avant le début de l'inscription (${frDate(bounds.plannedStart)}).`;
  }
  const last = ordered(bounds.history).at(-1);
  if (last && date < last.effectiveDate) {
    return `La date d'effet précède le dernier changement de statut (${frDate(last.effectiveDate)}).`;
  }
  return null;
}
