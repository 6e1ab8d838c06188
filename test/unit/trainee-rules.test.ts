import { describe, expect, it } from 'vitest';
import { birthDateProblem, comparableName, sameIdentity } from '../../shared/domain/trainee';
import { slotsOverPlanned } from '../../shared/domain/timetable';

describe('birthDateProblem', () => {
  it('refuses the future, accepts today as far as the future goes', () => {
    expect(birthDateProblem('2026-11-24', '2026-11-23')).toBe('La date de naissance (24/11/2026) est dans le futur.');
  });

  it('14 years on the entry day, to the day', () => {
    expect(birthDateProblem('2012-09-01', '2026-11-23', '2026-09-01')).toBeNull();
    expect(birthDateProblem('2012-09-02', '2026-11-23', '2026-09-01')).toBe(
      "La date de naissance (02/09/2012) donne moins de 14 ans à l'entrée en formation (01/09/2026) : née ou né le 01/09/2012 au plus tard.",
    );
    expect(birthDateProblem('1990-01-01', '2026-11-23')).toBeNull();
  });
});

describe('sameIdentity', () => {
  it('ignores accents, case, hyphens and extra spaces; not the birth date', () => {
    expect(comparableName("  LEFÈVRE-D’Arc ")).toBe('lefevre d arc');
    expect(sameIdentity({ lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1995-02-10' }, { lastName: 'LEFEVRE', firstName: 'helene', birthDate: '1995-02-10' })).toBe(true);
    expect(sameIdentity({ lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1995-02-10' }, { lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1995-02-11' })).toBe(false);
    expect(sameIdentity({ lastName: 'Martin', firstName: 'Léa', birthDate: '1995-02-10' }, { lastName: 'Martin', firstName: 'Léo', birthDate: '1995-02-10' })).toBe(false);
  });
});

describe('slotsOverPlanned', () => {
  it('70 h of slots for a 10 h 30 action: 59 h 30 over; equal is no warning', () => {
    expect(slotsOverPlanned(70 * 60, 630)).toEqual({ generated: 4200, planned: 630, over: 3570 });
    expect(slotsOverPlanned(630, 630)).toBeNull();
  });
});
