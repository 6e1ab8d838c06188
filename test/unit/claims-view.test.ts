import { describe, expect, it } from 'vitest';
import { barsOf, formatLineQuantity, formatQuantityE4, issueRoute } from '../../renderer/src/pages/claims/claimsView';

const NBSP = '\u00a0';

describe('claims screens: quantities, issue links and chart bars', () => {
  it.each([
    ['trainee-hour', 4_125_000, `412,50${NBSP}h`],
    ['group-hour', 81_600, `8,16${NBSP}h`],
    ['trainee-hour', -375_000, `-37,50${NBSP}h`],
    ['learner-lump-sum', 10_000, '1'],
    ['contract', 5_833, '0,5833'],
    ['day', 125_000, '12,5'],
  ])('%s %i reads « %s »', (unit, q, text) => {
    expect(formatLineQuantity({ unit, quantityE4: q })).toBe(text);
  });

  it('counts 1 for a line stated as 1 × its amount, whatever its unit (Agefiph grant: 1 × 22,50 €, not 1,00 h)', () => {
    expect(formatLineQuantity({ unit: 'grant-percent', quantityE4: 10_000, detail: { computedQuantityE4: 90_000, computedUnitPriceCents: 1000 } })).toBe('1');
    expect(formatLineQuantity({ unit: 'trainee-hour', quantityE4: 10_000, detail: { computedQuantityE4: 2_000_000, amountCapCents: 150_000 } })).toBe('1');
  });

  it('groups thousands in counts', () => {
    expect(formatQuantityE4(12_345_000_000)).toBe(`1${NBSP}234${NBSP}500`);
  });

  it.each([
    [{ kind: 'enrolment' as const, id: 'e1', sessionId: 's1' }, '/sessions/s1?onglet=inscriptions'],
    [{ kind: 'enrolment' as const, id: 'e1' }, null],
    [{ kind: 'session' as const, id: 's1' }, '/sessions/s1'],
    [{ kind: 'slot' as const, id: 'sl1' }, '/emargement/sl1'],
    [{ kind: 'programme' as const, id: 'p1' }, '/financeurs'],
    [{ kind: 'funder' as const, id: 'REGION' }, '/financeurs'],
    [{ kind: 'contract' as const, id: 'c1' }, '/contrats'],
    [{ kind: 'organisation' as const, id: 'o1' }, '/organisme'],
    [{ kind: 'trainee' as const, id: 't1' }, '/stagiaires'],
    [null, null],
  ])('an issue linked to %j opens %s', (link, route) => {
    expect(issueRoute(link)).toBe(route);
  });

  it('sums the amounts per trainee, largest first, the rest in one bar', () => {
    const lines = [
      { label: 'MARTIN Sophie — heures stagiaire (PRF)', amountCents: 10_241 },
      { label: 'MARTIN Sophie — forfait (PRF)', amountCents: 5_000 },
      { label: 'DURAND Paul — heures stagiaire (PRF)', amountCents: 9_413 },
      { label: 'PETIT Léa — heures stagiaire (PRF)', amountCents: 11_295 },
      { label: 'ABEL Jean — heures stagiaire (PRF)', amountCents: 100 },
    ];
    expect(barsOf(lines, 10, 'Autres')).toEqual([
      { label: 'MARTIN Sophie', cents: 15_241 },
      { label: 'PETIT Léa', cents: 11_295 },
      { label: 'DURAND Paul', cents: 9_413 },
      { label: 'ABEL Jean', cents: 100 },
    ]);
    expect(barsOf(lines, 3, 'Autres')).toEqual([
      { label: 'MARTIN Sophie', cents: 15_241 },
      { label: 'PETIT Léa', cents: 11_295 },
      { label: 'Autres', cents: 9_513 },
    ]);
  });
});
