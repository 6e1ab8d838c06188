/**
 * An enrolment's planned minutes (*durée prévue*): the duration agreed for it when one was typed in (an
 * individualised path), otherwise the minutes of its session's slots, not cancelled, within its planned
 * dates. Derived, never stored: slots generated, moved or cancelled after enrolling are followed at once.
 * Statuses (suspension, early exit) are facts, not the plan: they do not change it.
 * Its SQL form, the one the queries use, is electron/backend/sessions/planned.ts.
 *
 * @example plannedMinutesOf({ plannedStart: '2026-11-09', plannedEnd: '2026-11-13', agreedMinutes: null }, slots) // 900 for 5 × 3 h
 */
export function plannedMinutesOf(
  enrolment: { plannedStart: string; plannedEnd: string; agreedMinutes: number | null },
  slots: readonly { date: string; minutes: number; cancelled: boolean }[],
): number {
  if (enrolment.agreedMinutes !== null) return enrolment.agreedMinutes;
  return slots.reduce((sum, s) => (!s.cancelled && s.date >= enrolment.plannedStart && s.date <= enrolment.plannedEnd ? sum + s.minutes : sum), 0);
}
