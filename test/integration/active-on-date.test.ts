import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeOnDate, activeOnDateSql, holdsPlaceOn as holdsPlaceOnQuery, holdsPlaceOnSql } from '../../electron/backend/sessions/active';
import { addDays, eachDay } from '../../shared/domain/dates';
import { ENROLMENT_STATUSES, holdsPlaceOn, isActiveOn, type StatusEntry } from '../../shared/domain/enrolment-status';
import { testBackend, type TestBackend } from '../helpers/backend';

// The SQL of "who is expected" (electron/backend/sessions/active.ts) and the pure rule must answer alike
// on every date, for any history, including the odd ones (several statuses a day, statuses out of order).
let b: TestBackend;
beforeAll(async () => {
  b = await testBackend();
  // The rule reads only the enrolment's window and its statuses: sessions, trainees and funders are left out.
  b.raw.pragma('foreign_keys = OFF');
});
afterAll(async () => b.cleanup());

const FIRST = '2026-11-01';
const day = fc.integer({ min: 0, max: 29 }).map((n) => addDays(FIRST, n));
const enrolmentCase = fc.record({
  window: fc.tuple(day, day).map(([a, c]) => (a <= c ? { plannedStart: a, plannedEnd: c } : { plannedStart: c, plannedEnd: a })),
  history: fc.array(fc.record({ status: fc.constantFrom(...ENROLMENT_STATUSES), effectiveDate: day }), { maxLength: 6 }),
});

function insert(window: { plannedStart: string; plannedEnd: string }, history: StatusEntry[]): string {
  const id = b.ctx.newId();
  const at = '2026-11-01T00:00:00Z';
  b.raw.prepare(`INSERT INTO enrolments (id, session_id, trainee_id, planned_start, planned_end, planned_minutes, created_at, created_by, updated_at, updated_by)
    VALUES (?, 'session', ?, ?, ?, 0, ?, 't', ?, 't')`).run(id, id, window.plannedStart, window.plannedEnd, at, at);
  // Ids grow in recording order, as UUIDv7s do in the app: same-day statuses keep their order.
  for (const h of history) {
    b.raw.prepare(`INSERT INTO enrolment_statuses (id, enrolment_id, status, effective_date, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 't')`)
      .run(b.ctx.newId(), id, h.status, h.effectiveDate, h.status === 'exited' ? 'other' : null, at);
  }
  return id;
}

const DATES = [...eachDay(addDays(FIRST, -1), addDays(FIRST, 30))];
const datesCte = `WITH d(date) AS (VALUES ${DATES.map((x) => `('${x}')`).join(', ')})`;

describe('the SQL of "active on date" and the pure rule', () => {
  it('agree on every date for random histories (raw SQL)', () => {
    fc.assert(
      fc.property(enrolmentCase, ({ window, history }) => {
        const id = insert(window, history);
        const rows = b.raw.prepare(`${datesCte} SELECT d.date, (${activeOnDateSql('e', 'd.date')}) AS active, (${holdsPlaceOnSql('e', 'd.date')}) AS holds
          FROM enrolments e, d WHERE e.id = ? ORDER BY d.date`).all(id) as { date: string; active: number; holds: number }[];
        expect(rows.map((r) => [r.date, r.active === 1, r.holds === 1])).toEqual(DATES.map((date) => [date, isActiveOn(window, history, date), holdsPlaceOn(history, date)]));
      }),
      { numRuns: 150 },
    );
  });

  it('agree through Kysely with a bound date', async () => {
    await fc.assert(
      fc.asyncProperty(enrolmentCase, day, async ({ window, history }, date) => {
        const id = insert(window, history);
        const row = await b.ctx.db
          .selectFrom('enrolments as e')
          .select([sql<number>`${activeOnDate('e', date)}`.as('active'), sql<number>`${holdsPlaceOnQuery('e', date)}`.as('holds')])
          .where('e.id', '=', id)
          .executeTakeFirstOrThrow();
        expect([row.active === 1, row.holds === 1]).toEqual([isActiveOn(window, history, date), holdsPlaceOn(history, date)]);
      }),
      { numRuns: 60 },
    );
  });
});
