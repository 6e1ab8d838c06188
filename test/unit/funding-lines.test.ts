import { describe, expect, it } from 'vitest';
import {
  checkFundingLines,
  formatBasisPoints,
  parseHours,
  parsePercent,
  remainderOf,
  type FundingLineDraft,
  type FundingReference,
} from '../../shared/domain/funding-lines';

const REF: FundingReference = {
  funders: [{ code: 'REGION', name: 'Conseil régional' }, { code: 'OPCO', name: 'OPCO' }, { code: 'AGEFIPH', name: 'Agefiph' }],
  programmes: [
    { id: 'p-avenir', funderCode: 'REGION', name: '#Avenir' },
    { id: 'p-tpme', funderCode: 'OPCO', name: 'Parcours TPME' },
  ],
};

const line = (over: Partial<FundingLineDraft>): FundingLineDraft => ({ funderCode: 'REGION', programmeId: null, costType: 'pedagogique', shareKind: 'remainder', shareValue: null, ...over });

describe('checkFundingLines', () => {
  const cases: { name: string; lines: FundingLineDraft[]; requireOne?: boolean; issues: { path: string; message: string }[] }[] = [
    { name: 'one remainder line', lines: [line({})], issues: [] },
    { name: '70 % and the remainder', lines: [line({ shareKind: 'percent', shareValue: 7000 }), line({ funderCode: 'OPCO' })], issues: [] },
    { name: 'exactly 100 % in two percents', lines: [line({ shareKind: 'percent', shareValue: 6667 }), line({ funderCode: 'OPCO', shareKind: 'percent', shareValue: 3333 })], issues: [] },
    {
      name: '100 % and a remainder that gets nothing is allowed',
      lines: [line({ shareKind: 'percent', shareValue: 10_000 }), line({ funderCode: 'OPCO' })],
      issues: [],
    },
    {
      name: 'percents over 100 % in one cost type, reported on the line that passes it',
      lines: [line({ shareKind: 'percent', shareValue: 7000 }), line({ funderCode: 'OPCO', shareKind: 'percent', shareValue: 3350 }), line({ funderCode: 'AGEFIPH', shareKind: 'percent', shareValue: 500 })],
      issues: [{ path: 'lines.1.shareValue', message: 'Les pourcentages du coût pédagogique dépassent 100 % (103,5 %).' }],
    },
    {
      name: 'percents of different cost types are not added up',
      lines: [line({ shareKind: 'percent', shareValue: 7000 }), line({ costType: 'remuneration', shareKind: 'percent', shareValue: 7000 })],
      issues: [],
    },
    {
      name: 'two remainder lines in one cost type',
      lines: [line({}), line({ funderCode: 'OPCO', costType: 'remuneration' }), line({ funderCode: 'AGEFIPH' })],
      issues: [{ path: 'lines.2.shareKind', message: 'Un seul « reste » par type de coût : la ligne 1 prend déjà le reste du coût pédagogique.' }],
    },
    {
      name: 'two remainder lines of the aids',
      lines: [line({ costType: 'aide' }), line({ costType: 'aide', funderCode: 'OPCO' })],
      issues: [{ path: 'lines.1.shareKind', message: 'Un seul « reste » par type de coût : la ligne 1 prend déjà le reste des aides.' }],
    },
    {
      name: 'a programme that is not the funder’s',
      lines: [line({ programmeId: 'p-tpme' })],
      issues: [{ path: 'lines.0.programmeId', message: 'Le dispositif « Parcours TPME » appartient à un autre financeur (OPCO).' }],
    },
    { name: 'the funder’s own programme', lines: [line({ programmeId: 'p-avenir' })], issues: [] },
    { name: 'an unknown programme', lines: [line({ programmeId: 'p-nothing' })], issues: [{ path: 'lines.0.programmeId', message: 'Dispositif inconnu.' }] },
    { name: 'an unknown funder', lines: [line({ funderCode: 'NOPE' })], issues: [{ path: 'lines.0.funderCode', message: 'Financeur inconnu : NOPE.' }] },
    { name: 'no funder chosen', lines: [line({ funderCode: ' ' })], issues: [{ path: 'lines.0.funderCode', message: 'Choisissez le financeur.' }] },
    { name: 'a percent of 0', lines: [line({ shareKind: 'percent', shareValue: 0 })], issues: [{ path: 'lines.0.shareValue', message: 'Part : de 0,01 % à 100 % (ex. 33,33).' }] },
    { name: 'a percent not typed', lines: [line({ shareKind: 'percent', shareValue: null })], issues: [{ path: 'lines.0.shareValue', message: 'Part : de 0,01 % à 100 % (ex. 33,33).' }] },
    { name: 'a percent over 100 %', lines: [line({ shareKind: 'percent', shareValue: 10_001 })], issues: [{ path: 'lines.0.shareValue', message: 'Part : de 0,01 % à 100 % (ex. 33,33).' }] },
    { name: 'hours of 0', lines: [line({ shareKind: 'minutes', shareValue: 0 })], issues: [{ path: 'lines.0.shareValue', message: "Indiquez un nombre d'heures supérieur à zéro (ex. 120)." }] },
    { name: '120 h and the remainder', lines: [line({ shareKind: 'minutes', shareValue: 7200 }), line({ funderCode: 'OPCO' })], issues: [] },
    { name: 'an enrolment without a line', lines: [], requireOne: true, issues: [{ path: 'lines', message: 'Une inscription garde au moins une ligne de financement.' }] },
    { name: 'a session without a line', lines: [], issues: [] },
  ];
  it.each(cases)('$name', ({ lines, requireOne, issues }) => {
    expect(checkFundingLines(lines, REF, { requireOne: requireOne ?? false })).toEqual(issues);
  });

  it('without reference data, checks only the shares', () => {
    expect(checkFundingLines([line({ funderCode: 'NOPE', programmeId: 'p-tpme' })])).toEqual([]);
  });
});

describe('remainderOf', () => {
  it('70 % of 100 h leaves 30 h to the remainder line', () => {
    const lines = [line({ shareKind: 'percent', shareValue: 7000 }), line({ funderCode: 'OPCO' })];
    expect(remainderOf(lines, 'pedagogique', 6000)).toEqual({ index: 1, minutes: 1800 });
  });
  it('hours first, then percents rounded down, the rest unfunded without a remainder line', () => {
    // 400 h = 24 000 min; 120 h → 16 800 left; 33,33 % of 24 000 = 7 999,2 → 7 999; left 8 801.
    const lines = [line({ shareKind: 'percent', shareValue: 3333 }), line({ funderCode: 'OPCO', shareKind: 'minutes', shareValue: 7200 })];
    expect(remainderOf(lines, 'pedagogique', 24_000)).toEqual({ index: null, minutes: 8801 });
  });
  it('hands out the minutes the percents lose to rounding as the claim does, so the remainder shown is the one billed', () => {
    // 101 min at 50 % + 50 %: 50,5 each; floors 50 + 50 = 100, the exact total 101 is whole, so the minute lost
    // goes to the first line (equal fractions: position order) → 51 + 50, and the remainder line takes 0.
    const lines = [line({ shareKind: 'percent', shareValue: 5000 }), line({ funderCode: 'OPCO', shareKind: 'percent', shareValue: 5000 }), line({ funderCode: 'AGEFIPH' })];
    expect(remainderOf(lines, 'pedagogique', 101)).toEqual({ index: 2, minutes: 0 });
  });
  it('never goes below zero, and a cost type without a line has no remainder', () => {
    const lines = [line({ shareKind: 'minutes', shareValue: 9000 }), line({ funderCode: 'OPCO' })];
    expect(remainderOf(lines, 'pedagogique', 6000)).toEqual({ index: 1, minutes: 0 });
    expect(remainderOf(lines, 'remuneration', 6000)).toBeNull();
  });
});

describe('typed numbers', () => {
  it.each([
    ['33,33', 3333], ['70', 7000], ['33.5', 3350], ['100 %', 10_000], ['', null],
  ])('percent « %s » → %s', (text, bp) => expect(parsePercent(text)).toBe(bp));
  it('a percent that is not a number is NaN', () => expect(parsePercent('abc')).toBeNaN());
  it.each([['120', 7200], ['7,5', 450], ['0,25', 15], ['', null]])('hours « %s » → %s min', (text, m) => expect(parseHours(text)).toBe(m));
  it.each([[3333, '33,33 %'], [7000, '70 %'], [3350, '33,5 %'], [3305, '33,05 %']])('%s bp → « %s »', (bp, text) => expect(formatBasisPoints(bp)).toBe(text));
});
