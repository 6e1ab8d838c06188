import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/dates';
import {
  canMove,
  currentStatus,
  ENROLMENT_STATUSES,
  exitedBefore,
  holdsPlaceOn,
  isActiveOn,
  statusOn,
  TRANSITIONS,
  type EnrolmentStatus,
  type StatusEntry,
} from '../../shared/domain/enrolment-status';

const window = { plannedStart: '2026-11-02', plannedEnd: '2026-11-30' };
const h = (...entries: [EnrolmentStatus, string][]): StatusEntry[] => entries.map(([status, effectiveDate]) => ({ status, effectiveDate }));

describe('enrolment status transitions', () => {
  it.each([
    ['planned', ['entered', 'exited']],
    ['entered', ['suspended', 'exited']],
    ['suspended', ['entered', 'exited']],
    ['exited', []],
  ] as const)('from %s only to %j', (from, allowed) => {
    for (const to of ENROLMENT_STATUSES) expect(canMove(from, to)).toBe((allowed as readonly string[]).includes(to));
    expect(TRANSITIONS[from]).toEqual(allowed);
  });
});

describe('status of a dated history', () => {
  const history = h(['planned', '2026-11-02'], ['entered', '2026-11-02'], ['suspended', '2026-11-10'], ['entered', '2026-11-16'], ['exited', '2026-11-27']);
  it.each([
    ['2026-11-01', 'planned'], // before any entry: planned
    ['2026-11-02', 'entered'], // two entries the same day: the later recorded wins
    ['2026-11-09', 'entered'],
    ['2026-11-10', 'suspended'],
    ['2026-11-15', 'suspended'],
    ['2026-11-16', 'entered'],
    ['2026-11-27', 'exited'],
    ['2026-12-15', 'exited'],
  ] as const)('on %s is %s', (date, status) => expect(statusOn(history, date)).toBe(status));

  it('current is the last recorded; none recorded means planned', () => {
    expect(currentStatus(history)).toBe('exited');
    expect(currentStatus([])).toBe('planned');
  });
});

describe('isActiveOn', () => {
  // Suspended from the 10th, back on the 16th, exited on the 27th: the suspension covers 10–15, the
  // exit day still counts, nothing after it.
  const history = h(['planned', '2026-11-02'], ['entered', '2026-11-02'], ['suspended', '2026-11-10'], ['entered', '2026-11-16'], ['exited', '2026-11-27']);
  it.each([
    ['2026-11-01', false, 'before the planned window'],
    ['2026-11-02', true, 'first day'],
    ['2026-11-09', true, 'the day before the suspension'],
    ['2026-11-10', false, 'first day of the suspension'],
    ['2026-11-15', false, 'last day of the suspension'],
    ['2026-11-16', true, 'the re-entry day'],
    ['2026-11-27', true, 'the exit day'],
    ['2026-11-28', false, 'the day after the exit'],
    ['2026-12-01', false, 'after the planned window'],
  ] as const)('%s → %s (%s)', (date, active, _why) => expect(isActiveOn(window, history, date)).toBe(active));

  it('expects a planned enrolment whose start has come, entry not declared yet', () => {
    expect(isActiveOn(window, h(['planned', '2026-11-02']), '2026-11-05')).toBe(true);
    expect(isActiveOn(window, [], '2026-11-05')).toBe(true);
  });

  it('a suspension and a re-entry the same day cover nothing', () => {
    expect(isActiveOn(window, h(['entered', '2026-11-02'], ['suspended', '2026-11-10'], ['entered', '2026-11-10']), '2026-11-10')).toBe(true);
  });

  it('a suspension keeps the place, an exit frees it the day after', () => {
    const suspended = h(['entered', '2026-11-02'], ['suspended', '2026-11-10']);
    expect(holdsPlaceOn(suspended, '2026-11-20')).toBe(true);
    expect(isActiveOn(window, suspended, '2026-11-20')).toBe(false);
    const exited = h(['entered', '2026-11-02'], ['exited', '2026-11-10']);
    expect([holdsPlaceOn(exited, '2026-11-10'), holdsPlaceOn(exited, '2026-11-11')]).toEqual([true, false]);
  });

  it('never expects anyone outside the planned window, nor after an exit (any history)', () => {
    const day = fc.integer({ min: 0, max: 40 }).map((n) => addDays('2026-10-25', n));
    const entry = fc.record({ status: fc.constantFrom(...ENROLMENT_STATUSES), effectiveDate: day });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), day, (history, date) => {
        const active = isActiveOn(window, history, date);
        if (date < window.plannedStart || date > window.plannedEnd || exitedBefore(history, date)) expect(active).toBe(false);
        if (active) expect(statusOn(history, date)).not.toBe('suspended');
      }),
    );
  });
});
