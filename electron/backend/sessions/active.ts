import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { EnrolmentStatus, StatusEntry } from '../../../shared/domain/enrolment-status';
import type { Raw } from '../db/raw';

/**
 * The rules of shared/domain/enrolment-status.ts (isActiveOn, holdsPlaceOn) as SQL conditions, the only
 * copy of them in queries: the roll call, the day's slots, the checks, the session counts, the capacity
 * check and the printed sheets all use these. test/integration/active-on-date.test.ts checks, on random
 * histories, that they answer like the pure functions on every date.
 *
 * `date` is SQL text (a column such as `s.date`); the `…Sql` forms are for raw statements, the others
 * for Kysely, where a date can also be a bound value.
 */

// The inner alias is unusual on purpose: it must not shadow the caller's aliases (`x`, `s`, `t`…).
const notExitedParts = (e: string) => [
  `NOT EXISTS (SELECT 1 FROM enrolment_statuses active_x WHERE active_x.enrolment_id = ${e}.id AND active_x.status = 'exited' AND active_x.effective_date < `,
  ')',
];
const activeParts = (e: string) => [
  `(${e}.planned_start <= `,
  ` AND ${e}.planned_end >= `,
  ` AND ${notExitedParts(e)[0]}`,
  `) AND coalesce((SELECT active_s.status FROM enrolment_statuses active_s WHERE active_s.enrolment_id = ${e}.id AND active_s.effective_date <= `,
  ` ORDER BY active_s.effective_date DESC, active_s.id DESC LIMIT 1), 'planned') <> 'suspended')`,
];

function kysely(parts: string[], date: string | RawBuilder<unknown>): RawBuilder<SqlBool> {
  const d = typeof date === 'string' ? sql`${date}` : date;
  return sql<SqlBool>`${sql.join(parts.map((p) => sql.raw(p)), d)}`;
}

/** isActiveOn: enrolment alias `e` expected on `dateExpr` (SQL text). */
export function activeOnDateSql(e: string, dateExpr: string): string {
  return activeParts(e).join(dateExpr);
}

/** holdsPlaceOn: enrolment alias `e` not exited before `dateExpr` (SQL text). */
export function holdsPlaceOnSql(e: string, dateExpr: string): string {
  return notExitedParts(e).join(dateExpr);
}

/** isActiveOn for Kysely: `date` a bound YYYY-MM-DD value, or a raw column reference (`sql.ref('s.date')`). */
export function activeOnDate(e: string, date: string | RawBuilder<unknown>): RawBuilder<SqlBool> {
  return kysely(activeParts(e), date);
}

/** holdsPlaceOn for Kysely. */
export function holdsPlaceOn(e: string, date: string | RawBuilder<unknown>): RawBuilder<SqlBool> {
  return kysely(notExitedParts(e), date);
}

/** The dated status histories of some enrolments, in recording order, for the pure rules. */
export function statusHistories(raw: Raw, enrolmentIds: readonly string[]): Map<string, StatusEntry[]> {
  const out = new Map<string, StatusEntry[]>();
  const ids = [...new Set(enrolmentIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = raw.prepare(`SELECT enrolment_id, status, effective_date FROM enrolment_statuses WHERE enrolment_id IN (${chunk.map(() => '?').join(', ')})
      ORDER BY enrolment_id, effective_date, id`).all(...chunk) as { enrolment_id: string; status: EnrolmentStatus; effective_date: string }[];
    for (const r of rows) out.set(r.enrolment_id, [...(out.get(r.enrolment_id) ?? []), { status: r.status, effectiveDate: r.effective_date }]);
  }
  return out;
}
