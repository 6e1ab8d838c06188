import { sql, type RawBuilder } from 'kysely';

/**
 * shared/domain/planned-minutes.ts (plannedMinutesOf) as SQL, the only copy of it in queries: an
 * enrolment's agreed minutes, else the minutes of its session's live slots within its planned dates.
 * `e` is the enrolments alias of the caller's statement.
 */
export function plannedMinutesSql(e: string): string {
  return `coalesce(${e}.planned_minutes, (SELECT coalesce(sum(planned_s.minutes), 0) FROM slots planned_s WHERE planned_s.session_id = ${e}.session_id
    AND planned_s.cancelled = 0 AND planned_s.deleted_at IS NULL AND planned_s.date BETWEEN ${e}.planned_start AND ${e}.planned_end))`;
}

/** plannedMinutesSql for Kysely selects: `.select(plannedMinutes('e').as('plannedMinutes'))`. */
export function plannedMinutes(e: string): RawBuilder<number> {
  return sql<number>`${sql.raw(plannedMinutesSql(e))}`;
}
