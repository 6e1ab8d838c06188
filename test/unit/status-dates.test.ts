import { describe, expect, it } from 'vitest';
import { statusDateProblem, type StatusDateBounds } from '../../shared/domain/enrolment-status';

// Issue #8 item 14: status dates stay within the enrolment (and the session).
const bounds: StatusDateBounds = {
  plannedStart: '2026-09-01',
  plannedEnd: '2027-06-30',
  sessionEnd: '2027-06-30',
  history: [{ status: 'planned', effectiveDate: '2026-09-01' }],
};

describe('statusDateProblem', () => {
  it('accepts an entry on the first day, a suspension inside, an exit on the last day', () => {
    expect(statusDateProblem('entered', '2026-09-01', bounds)).toBeNull();
    const entered = { ...bounds, history: [...bounds.history, { status: 'entered' as const, effectiveDate: '2026-09-01' }] };
    expect(statusDateProblem('suspended', '2027-01-15', entered)).toBeNull();
    expect(statusDateProblem('exited', '2027-06-30', entered)).toBeNull();
  });

  it.each([
    ['entered', '2027-07-01', "L'entrée ne peut pas être datée après la fin de l'inscription (30/06/2027)."],
    ['suspended', '2027-09-01', "La suspension ne peut pas être datée après la fin de l'inscription (30/06/2027)."],
    ['exited', '2027-07-01', "La sortie ne peut pas être datée après la fin de l'inscription (30/06/2027)."],
  ] as const)('refuses %s dated %s after the enrolment end', (status, date, message) => {
    expect(statusDateProblem(status, date, bounds)).toBe(message);
  });

  it('names the session end when the session was shortened below the enrolment end', () => {
    expect(statusDateProblem('exited', '2027-06-01', { ...bounds, sessionEnd: '2027-05-31' })).toBe(
      'La sortie ne peut pas être datée après la fin de la session (31/05/2027).',
    );
  });

  it('an entry before the enrolment start says so (not "before the last change")', () => {
    expect(statusDateProblem('entered', '2026-08-31', bounds)).toBe(
      "L'entrée ne peut pas être datée avant le début de l'inscription (01/09/2026) : avancez d'abord le début de l'inscription.",
    );
  });

  it('still refuses a date before the latest change', () => {
    const suspended = {
      ...bounds,
      history: [...bounds.history, { status: 'entered' as const, effectiveDate: '2026-09-01' }, { status: 'suspended' as const, effectiveDate: '2026-12-01' }],
    };
    expect(statusDateProblem('entered', '2026-11-30', suspended)).toBe("La date d'effet précède le dernier changement de statut (01/12/2026).");
    expect(statusDateProblem('entered', '2026-12-01', suspended)).toBeNull();
  });
});
