import { describe, expect, it } from 'vitest';
import { hoursE4FromMinutes, lineAmountCents, mulDivFloor, mulDivHalfUp } from '../../shared/domain/claims/amounts';
import { splitMinutes, type ShareLine } from '../../shared/domain/claims/split';
import { overlappingVersions, ruleInForce } from '../../shared/domain/claims/rules';
import { contractDaysIn, contractMajorations, daysInclusive, proRatedNpecCents } from '../../shared/domain/claims/contracts';
import { rule, version } from '../helpers/claims-fixtures';

describe('hours to the hundredth, rounded down from minutes', () => {
  it.each([
    [20, 3300], // 20/60 = 0,333… h → 0,33 h
    [59, 9800], // 0,983… → 0,98
    [60, 10_000],
    [90, 15_000],
    [190, 31_600], // 3,1666… → 3,16
    [24_720, 4_120_000], // 412 h
    [0, 0],
  ])('%i min → %i', (minutes, e4) => expect(hoursE4FromMinutes(minutes)).toBe(e4));
});

describe('line amounts: half-up to the cent, exact', () => {
  it.each([
    [4_120_000, 1150, 473_800], // 412 h × 11,50 € = 4 738,00 €
    [6_000_000, 1800, 1_080_000], // Parcours TPME 600 h × 18 € = 10 800,00 €
    [3300, 1150, 380], // 0,33 h × 11,50 € = 3,795 € → 3,80 € (the half cent goes up)
    [3300, 1050, 347], // 0,33 h × 10,50 € = 3,465 € → 3,47 €
    [3300, 1010, 333], // 0,33 h × 10,10 € = 3,333 € → 3,33 €
    [10_000, 35_000, 35_000], // 1 forfait × 350 €
    [5000, 35_001, 17_501], // ½ × 350,01 € = 175,005 € → 175,01 €
  ])('%i × %i / 10 000 → %i', (q, price, cents) => expect(lineAmountCents(q, price)).toBe(cents));

  it('stays exact beyond 2^53 in the product', () => {
    // 9 000 000 000 000 × 3 / 7 = 3 857 142 857 142,857… → …143; a float product would lose the units.
    expect(mulDivHalfUp(9_000_000_000_000, 3, 7)).toBe(3_857_142_857_143);
    // 123 456 789 012 × 99 999 = 12 345 678 901 200 000 − 123 456 789 012 = 12 345 555 444 410 988 (> 2^53);
    // / 10 000 = 1 234 555 544 441,0988 → …441
    expect(mulDivHalfUp(123_456_789_012, 99_999, 10_000)).toBe(1_234_555_544_441);
    expect(mulDivFloor(123_456_789_012, 99_999, 10_000)).toBe(1_234_555_544_441);
  });

  it('rounds a negative half away from zero (a credit mirrors its charge)', () => {
    expect(mulDivHalfUp(-3795, 1, 10)).toBe(-380);
    expect(mulDivHalfUp(3795, 1, 10)).toBe(380);
  });
});

const share = (id: string, shareKind: ShareLine['shareKind'], shareValue: number | null, position: number): ShareLine => ({ id, shareKind, shareValue, position });

describe('splitMinutes', () => {
  it.each<[string, number, ShareLine[], Record<string, number>, Record<string, number>, number]>([
    // 120 min first, then 50 % of 600 = 300, the remainder 600 − 120 − 300 = 180.
    ['minutes, percent, remainder', 600, [share('c', 'remainder', null, 3), share('b', 'percent', 5000, 2), share('a', 'minutes', 120, 1)], {}, { a: 120, b: 300, c: 180 }, 0],
    // 50 % + 50 % of 101 = 50,5 + 50,5: floors 50 + 50, the lost minute to the first by position.
    ['two halves of an odd total', 101, [share('a', 'percent', 5000, 1), share('b', 'percent', 5000, 2)], {}, { a: 51, b: 50 }, 0],
    // 3 × 33,33 % of 100 = 99,99 → 99 billed, 1 minute unfunded (never more than the shares).
    ['three thirds', 100, [share('a', 'percent', 3333, 1), share('b', 'percent', 3333, 2), share('c', 'percent', 3333, 3)], {}, { a: 33, b: 33, c: 33 }, 1],
    // 70 % + 50 % is a mistake (checkFundingLines says so): the second takes only what is left, 30.
    ['percents over 100 %', 100, [share('a', 'percent', 7000, 1), share('b', 'percent', 5000, 2)], {}, { a: 70, b: 30 }, 0],
    ['minutes beyond the total', 600, [share('a', 'minutes', 700, 1)], {}, { a: 600 }, 0],
    // 900 min of hours, 500 already taken before: 400 left for this period; the remainder takes 200.
    ['minutes already taken before', 600, [share('a', 'minutes', 900, 1), share('b', 'remainder', null, 2)], { a: 500 }, { a: 400, b: 200 }, 0],
    // 25 % alone: 150 of 600, 450 explicitly unfunded.
    ['a percent without remainder', 600, [share('a', 'percent', 2500, 1)], {}, { a: 150 }, 450],
    // 100 % beside a remainder: the remainder takes nothing, and that is fine.
    ['100 % beside a remainder', 600, [share('a', 'percent', 10_000, 1), share('b', 'remainder', null, 2)], {}, { a: 600, b: 0 }, 0],
    ['nothing to split', 0, [share('a', 'percent', 5000, 1), share('b', 'remainder', null, 2)], {}, { a: 0, b: 0 }, 0],
  ])('%s', (_name, total, lines, before, shares, unfunded) => {
    expect(splitMinutes(total, lines, before)).toEqual({ shares, unfunded });
  });
});


describe('rule versions', () => {
  const v1 = version('v1', '2026-01-01', '2026-06-30', { unit: 'trainee-hour', rateCents: 1000 });
  const v2 = version('v2', '2026-07-01', null, { unit: 'trainee-hour', rateCents: 1200 });
  it.each([
    ['2025-12-31', null],
    ['2026-01-01', 'v1'],
    ['2026-06-30', 'v1'],
    ['2026-07-01', 'v2'],
    ['2030-01-01', 'v2'],
  ])('%s → %s', (date, id) => expect(ruleInForce([v2, v1], date)?.id ?? null).toBe(id));

  it('finds overlapping versions', () => {
    expect(overlappingVersions([v2, v1])).toEqual([]);
    const v3 = version('v3', '2026-06-30', '2026-12-31', { unit: 'trainee-hour', rateCents: 1100 });
    expect(overlappingVersions([v1, v2, v3]).map(([a, b]) => [a.id, b.id])).toEqual([['v1', 'v3'], ['v3', 'v2']]);
  });
});

describe('apprenticeship contracts', () => {
  it('counts days inclusive and the contract days of a period', () => {
    expect(daysInclusive('2022-09-05', '2022-12-31')).toBe(118); // 26 + 31 + 30 + 31
    expect(daysInclusive('2024-02-28', '2024-03-01')).toBe(3); // leap year
    expect(contractDaysIn({ startDate: '2022-09-12', endDate: '2024-08-31', ruptureDate: '2023-01-20' }, '2023-01-01', '2023-01-31')).toEqual({ from: '2023-01-01', to: '2023-01-20', days: 20 });
    expect(contractDaysIn({ startDate: '2022-09-12', endDate: '2024-08-31', ruptureDate: '2023-01-20' }, '2023-02-01', '2023-02-28')).toBeNull();
  });

  it('pro-rates the NPEC by days, half-up', () => {
    // 118 × 7 000 € / 365 = 2 263,0136… € → 226 301 cents
    expect(proRatedNpecCents(118, 700_000, 365)).toBe(226_301);
    // 1 × 1 € / 8 = 0,125 € → 0,13 € (yearDays bounds aside, the half goes up)
    expect(proRatedNpecCents(1, 100, 8)).toBe(13);
  });

  const rules = (o: { combineMajorations?: boolean; onRupture?: 'keep' | 'pro-rata' | 'drop' }) =>
    rule({
      unit: 'contract-majoration',
      majorations: [
        { code: 'ZRR-QPV', label: 'site en ZRR ou QPV', amountCents: 150_000, condition: 'site-zrr-qpv' },
        { code: 'SECTEUR', label: 'secteur stratégique', amountCents: 100_000, condition: 'strategic-sector', sectors: [{ rncpCode: 'RNCP37859', from: '2022-01-01', to: '2022-12-31' }] },
      ],
      ...o,
    });
  const lea = { siteZrr: true, siteQpv: false, rncpCode: 'RNCP37859', startDate: '2022-09-05', endDate: '2024-08-31', ruptureDate: null };
  const yanis = { siteZrr: false, siteQpv: true, rncpCode: 'RNCP00001', startDate: '2022-09-12', endDate: '2024-08-31', ruptureDate: '2023-01-20' };

  it.each<[string, ReturnType<typeof rules>, typeof lea | typeof yanis, [string, number][]]>([
    // Léa: ZRR (1 500 €) and sector on the list at her start (1 000 €): not combined → the highest only.
    ['not combined: the highest', rules({ combineMajorations: false }), lea, [['ZRR-QPV', 150_000]]],
    ['combined: both', rules({ combineMajorations: true }), lea, [['ZRR-QPV', 150_000], ['SECTEUR', 100_000]]],
    // The sector entry ended 31/12/2022: a contract starting in 2023 is not on it.
    ['sector list dated', rules({ combineMajorations: true }), { ...lea, startDate: '2023-01-09' }, [['ZRR-QPV', 150_000]]],
    ['no condition', rules({}), { ...lea, siteZrr: false }, [['SECTEUR', 100_000]]],
    // Yanis: QPV, rupture 20/01/2023 after 131 days of 720 planned (12/09/2022 → 31/08/2024).
    ['rupture kept', rules({ onRupture: 'keep' }), yanis, [['ZRR-QPV', 150_000]]],
    // 1 500 € × 131 / 720 = 272,9166… € → 272,92 €
    ['rupture pro-rata', rules({ onRupture: 'pro-rata' }), yanis, [['ZRR-QPV', 27_292]]],
    ['rupture drops', rules({ onRupture: 'drop' }), yanis, [['ZRR-QPV', 0]]],
  ])('%s', (_name, r, c, expected) => {
    expect(contractMajorations(r, c).map((m) => [m.code, m.amountCents])).toEqual(expected);
  });

  it('says how a pro-rated majoration was computed', () => {
    expect(contractMajorations(rules({ onRupture: 'pro-rata' }), yanis)).toEqual([
      { code: 'ZRR-QPV', label: 'site en ZRR ou QPV', fullCents: 150_000, amountCents: 27_292, treatment: 'pro-rata', daysDone: 131, daysPlanned: 720 },
    ]);
  });
});
