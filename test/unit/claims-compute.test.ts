import { describe, expect, it } from 'vitest';
import { computeClaim, onceKey } from '../../shared/domain/claims/compute';
import type { ClaimInput } from '../../shared/domain/claims/model';
import type { FundingRuleInput } from '../../shared/schemas/funding';
import type { EngineMark } from '../../shared/domain/realised-hours';
import { contract, days, enrolment, funding, input, mark, programme, request, slot, version } from '../helpers/claims-fixtures';

const SEPT = request('REGION', '2026-09-01', '2026-09-30');

/** One trainee, one 210-min slot, one mark, one trainee-hour programme at 10 €/h. */
function oneMark(category: EngineMark['category'], extra: Partial<EngineMark>, r: Partial<FundingRuleInput> = {}): ClaimInput {
  return input({
    request: SEPT,
    programmes: [programme('p', 'PRF', 'REGION', [version('v', '2026-01-01', null, { unit: 'trainee-hour', rateCents: 1000, ...r } as FundingRuleInput)])],
    fundingLines: [funding('f', { funderCode: 'REGION', programmeId: 'p', enrolmentId: 'e' })],
    enrolments: [enrolment('e', 'DUPONT Marie')],
    slots: [slot('s', '2026-09-07', 210)],
    marks: [mark('s', 'e', category, extra)],
  });
}

describe('billable statuses (one 210-min slot at 10 €/h)', () => {
  const all = { present: true, late: true, earlyLeave: true, excused: true, unexcused: true, remote: true };
  it.each<[string, EngineMark['category'], Partial<EngineMark>, Partial<FundingRuleInput>, number | null, number]>([
    ['present', 'present', {}, {}, 210, 3500], // 3,50 h × 10 € = 35,00 €
    ['late 20 min', 'late', { lateMinutes: 20 }, {}, 190, 3160], // 190 min = 3,1666 h → 3,16 h → 31,60 €
    ['early leave 30 min', 'early-leave', { earlyMinutes: 30 }, {}, 180, 3000], // 3,00 h → 30,00 €
    ['late not billable', 'late', { lateMinutes: 20 }, { billable: { ...all, late: false } }, null, 0],
    ['excused not billable (default)', 'excused', {}, {}, null, 0],
    ['excused billable', 'excused', {}, { billable: { ...all, excused: true } }, 210, 3500], // the whole slot
    ['unexcused billable', 'unexcused', {}, { billable: { ...all } }, 210, 3500],
    ['remote: connection time', 'remote', { remoteMinutes: 150 }, {}, 150, 2500], // 2,50 h → 25,00 €
    ['remote not billable', 'remote', { remoteMinutes: 150 }, { billable: { ...all, remote: false } }, null, 0],
    // SIEG: planned minutes of the marked slot whatever the status — absences do not reduce.
    ['SIEG, unexcused absence', 'unexcused', {}, { unit: 'cost-based' }, 210, 3500],
    ['SIEG, late', 'late', { lateMinutes: 20 }, { unit: 'cost-based' }, 210, 3500],
  ])('%s', (_name, category, extra, r, minutes, total) => {
    const c = computeClaim(oneMark(category, extra, r));
    expect(c.totalCents).toBe(total);
    expect(c.lines.map((l) => l.minutes)).toEqual(minutes === null ? [] : [minutes]);
    if (minutes === null) expect(c.blockers.map((b) => b.code)).toEqual(['nothing-to-claim']);
    else expect(c.blockers).toEqual([]);
  });

  it('never counts a cancelled slot, and counts the correction in force', () => {
    const base = oneMark('present', {});
    const cancelled = computeClaim({ ...base, slots: [slot('s', '2026-09-07', 210, { cancelled: true })] });
    expect(cancelled.lines).toEqual([]);
    const first = mark('s', 'e', 'present');
    // Corrected to late 30 min: 180 min = 3,00 h → 30,00 €.
    const corrected = computeClaim({ ...base, marks: [first, mark('s', 'e', 'late', { lateMinutes: 30, supersedesId: first.id })] });
    expect(corrected.totalCents).toBe(3000);
  });

  it('labels in French and says how it was computed', () => {
    const c = computeClaim(oneMark('present', {}));
    expect(c.lines[0]).toMatchObject({
      label: 'DUPONT Marie — heures stagiaire — PRF', unit: 'trainee-hour', quantityE4: 35_000, unitPriceCents: 1000, amountCents: 3500, realisedMinutes: 210,
      enrolmentId: 'e', fundingId: 'f', programmeId: 'p', ruleId: 'v', detail: expect.objectContaining({ shareMinutes: 210, rateSource: 'rule' }),
    });
  });
});

describe('#Avenir: trainee hours, group hours and lump sums in one claim (seeds-analysis §6.6)', () => {
  // 12 trainees, 12 slots of 3 h in September. 11 present everywhere (36 h each = 396 h); the 12th misses 6
  // slots (unexcused, 18 h) and is late 120 min on one (1 h of 3): 36 − 18 − 2 = 16 h. 396 + 16 = 412 h.
  // 12 slots held × 3 h = 36 h groupe. Forfaits: 8 were billed in an earlier claim, 1 first attended in
  // August, so 3 first attend in this period.
  // 412 h × 11,50 € = 4 738,00 € ; 36 h × 95,00 € = 3 420,00 € ; 3 × 350,00 € = 1 050,00 € → 9 208,00 €.
  const dates = days('2026-09-01', 12);
  const ids = Array.from({ length: 12 }, (_, i) => `e${String(i + 1).padStart(2, '0')}`);
  const slots = [...dates.map((d, i) => slot(`s${i}`, d, 180)), slot('aug', '2026-08-31', 180)];
  const marks: EngineMark[] = [];
  ids.forEach((e, n) => dates.forEach((_d, i) => {
    if (n === 11 && i < 6) marks.push(mark(`s${i}`, e, 'unexcused'));
    else if (n === 11 && i === 6) marks.push(mark(`s${i}`, e, 'late', { lateMinutes: 120 }));
    else marks.push(mark(`s${i}`, e, 'present'));
  }));
  marks.push(mark('aug', 'e09', 'present'));
  const avenir: ClaimInput = input({
    request: request('NORMANDIE', '2026-09-01', '2026-09-30'),
    programmes: [
      programme('hs', '#Avenir', 'NORMANDIE', [version('hs1', '2026-01-01', null, { unit: 'trainee-hour', rateCents: 1150 })]),
      programme('hg', '#Avenir groupe', 'NORMANDIE', [version('hg1', '2026-01-01', null, { unit: 'group-hour', rateCents: 9500 })]),
      programme('fo', '#Avenir accompagnement', 'NORMANDIE', [version('fo1', '2026-01-01', null, { unit: 'learner-lump-sum', rateCents: 35_000 })]),
    ],
    fundingLines: [
      ...ids.map((e) => funding(`hs-${e}`, { funderCode: 'NORMANDIE', programmeId: 'hs', enrolmentId: e, sessionId: 'S' })),
      funding('hg-S', { funderCode: 'NORMANDIE', programmeId: 'hg', sessionId: 'S' }),
      funding('fo-S', { funderCode: 'NORMANDIE', programmeId: 'fo', sessionId: 'S', costType: 'accompagnement' }),
    ],
    enrolments: ids.map((e, n) => enrolment(e, `STAGIAIRE ${n + 1}`)),
    slots,
    marks,
    billedBefore: { minutesByEnrolmentProgramme: {}, amountByProgramme: {}, onceKeys: ids.slice(0, 8).map((e) => onceKey('learner-lump-sum', e, 'fo')) },
  });

  it('totals 9 208,00 €', () => {
    const c = computeClaim(avenir);
    expect(c.blockers).toEqual([]);
    const sum = (unit: string) => c.lines.filter((l) => l.unit === unit).reduce((s, l) => s + l.amountCents, 0);
    const qty = (unit: string) => c.lines.filter((l) => l.unit === unit).reduce((s, l) => s + l.quantityE4, 0);
    expect([qty('trainee-hour'), sum('trainee-hour')]).toEqual([4_120_000, 473_800]);
    expect([qty('group-hour'), sum('group-hour')]).toEqual([360_000, 342_000]);
    expect([qty('learner-lump-sum'), sum('learner-lump-sum')]).toEqual([30_000, 105_000]);
    expect(c.lines.filter((l) => l.unit === 'learner-lump-sum').map((l) => l.enrolmentId)).toEqual(['e10', 'e11', 'e12']);
    expect(c.totalCents).toBe(920_800);
    expect(c.lines.find((l) => l.enrolmentId === 'e12' && l.unit === 'trainee-hour')).toMatchObject({ minutes: 960, quantityE4: 160_000, amountCents: 18_400 });
    expect(c.lines.find((l) => l.unit === 'group-hour')?.label).toBe('CAP Cuisine 2026 — heures groupe — #Avenir groupe');
  });

  it('a slot not countersigned blocks, linked to the slot', () => {
    const c = computeClaim({ ...avenir, slots: avenir.slots.map((s) => (s.id === 's3' ? { ...s, countersigned: false } : s)) });
    expect(c.blockers).toEqual([{ code: 'not-countersigned', message: "Le créneau du 04/09/2026 (CAP Cuisine 2026) n'est pas contresigné par le formateur.", link: { kind: 'slot', id: 's3' } }]);
  });

  it('a line of the same cost type on the enrolment overrides the session line for it', () => {
    // e12 gets its own accompagnement line at 50 %: the session's remainder line no longer covers e12,
    // and e12's line bills ½ forfait = 175,00 €, with the rest unfunded (no warning: lump sums are counts).
    const c = computeClaim({
      ...avenir,
      fundingLines: [...avenir.fundingLines, funding('fo-e12', { funderCode: 'NORMANDIE', programmeId: 'fo', enrolmentId: 'e12', costType: 'accompagnement', shareKind: 'percent', shareValue: 5000 })],
    });
    expect(c.lines.filter((l) => l.unit === 'learner-lump-sum').map((l) => [l.enrolmentId, l.fundingId, l.quantityE4, l.amountCents])).toEqual([
      ['e10', 'fo-S', 10_000, 35_000],
      ['e11', 'fo-S', 10_000, 35_000],
      ['e12', 'fo-e12', 5000, 17_500],
    ]);
  });
});

describe('Parcours TPME: 18 €/h cap', () => {
  // 100 slots × 6 h = 600 h × 18,00 € = 10 800,00 €.
  const tpme = (lineRate: number | null) => input({
    request: request('PDL', '2026-01-01', '2026-12-31'),
    programmes: [programme('tp', 'Parcours TPME', 'PDL', [version('t1', '2026-01-01', null, { unit: 'trainee-hour', rateCents: 1800, caps: { hourlyPriceCents: 1800 } } as FundingRuleInput)])],
    fundingLines: [funding('f', { funderCode: 'PDL', programmeId: 'tp', enrolmentId: 'e', rateCents: lineRate })],
    enrolments: [enrolment('e', 'MARTIN Paul')],
    slots: days('2026-03-01', 100).map((d, i) => slot(`s${i}`, d, 360)),
    marks: days('2026-03-01', 100).map((_d, i) => mark(`s${i}`, 'e')),
  });
  it('600 h × 18 € = 10 800,00 €', () => {
    const c = computeClaim(tpme(null));
    expect([c.totalCents, c.blockers]).toEqual([1_080_000, []]);
  });
  it('a negotiated 19 €/h is above the cap: a blocker linked to the enrolment', () => {
    const c = computeClaim(tpme(1900));
    expect(c.totalCents).toBe(1_140_000); // 600 h × 19 €, shown but blocked
    expect(c.blockers).toEqual([
      { code: 'hourly-cap', message: "Tarif de 19,00\u00a0€ de l'heure au-dessus du plafond de 18,00\u00a0€ du programme Parcours TPME pour MARTIN Paul.", link: { kind: 'enrolment', id: 'e' } },
    ]);
  });
});

describe('split between funders (10 h realised)', () => {
  const tenHours = (lines: ReturnType<typeof funding>[], funderCode: string, extraMarks: EngineMark[] = [], extraSlots: ReturnType<typeof slot>[] = []) => input({
    request: request(funderCode, '2026-09-01', '2026-09-30'),
    programmes: [
      programme('reg', 'PRF', 'REGION', [version('r1', '2026-01-01', null, { unit: 'trainee-hour', rateCents: 1000 })]),
      programme('agf', 'Agefiph abondement', 'AGEFIPH', [version('a1', '2026-01-01', null, { unit: 'trainee-hour', rateCents: 1000 })]),
    ],
    fundingLines: lines,
    enrolments: [enrolment('e', 'DUPONT Marie')],
    slots: [slot('s1', '2026-09-07', 300), slot('s2', '2026-09-08', 300), ...extraSlots],
    marks: [mark('s1', 'e'), mark('s2', 'e'), ...extraMarks],
  });
  const reg = (o: Partial<ReturnType<typeof funding>>) => funding('fr', { funderCode: 'REGION', programmeId: 'reg', enrolmentId: 'e', position: 1, ...o });
  const agf = (o: Partial<ReturnType<typeof funding>>) => funding('fa', { funderCode: 'AGEFIPH', programmeId: 'agf', enrolmentId: 'e', position: 2, ...o });

  it.each<[string, ReturnType<typeof funding>[], number, number]>([
    // 75 % / 25 %: 7,50 h → 75,00 € and 2,50 h → 25,00 €.
    ['75 % + 25 %', [reg({ shareKind: 'percent', shareValue: 7500 }), agf({ shareKind: 'percent', shareValue: 2500 })], 7500, 2500],
    // 4 h first to the Region's hours line, the rest (6 h) to Agefiph's remainder.
    ['hours then remainder', [reg({ shareKind: 'minutes', shareValue: 240 }), agf({ shareKind: 'remainder' })], 4000, 6000],
    // 100 % to the Region beside Agefiph's remainder: Agefiph gets nothing.
    ['100 % beside a remainder', [reg({ shareKind: 'percent', shareValue: 10_000 }), agf({ shareKind: 'remainder' })], 10_000, 0],
  ])('%s', (_name, lines, regionCents, agefiphCents) => {
    expect(computeClaim(tenHours(lines, 'REGION')).totalCents).toBe(regionCents);
    expect(computeClaim(tenHours(lines, 'AGEFIPH')).totalCents).toBe(agefiphCents);
  });

  it('an hours line counts what it took before the period', () => {
    // 3 h in August went to the Region's 4 h line: 1 h left in September (10,00 €), Agefiph 9 h (90,00 €).
    const lines = [reg({ shareKind: 'minutes', shareValue: 240 }), agf({ shareKind: 'remainder' })];
    const aug = [slot('sa', '2026-08-31', 180)];
    expect(computeClaim(tenHours(lines, 'REGION', [mark('sa', 'e')], aug)).totalCents).toBe(1000);
    expect(computeClaim(tenHours(lines, 'AGEFIPH', [mark('sa', 'e')], aug)).totalCents).toBe(9000);
  });

  it('the split is made once over the period, whatever the versions of each funder', () => {
    // 2 slots of 15 min = 30 min. The Region's rule changes on 15/09, OPCO's does not. OPCO 3,34 % of 30 =
    // 1,002 → 1 min; the Region's remainder takes 29 (split per version it would take 15 + 15 = 30: 31 > 30).
    const c = (funderCode: string) => computeClaim(input({
      request: request(funderCode, '2026-09-01', '2026-09-30'),
      programmes: [
        programme('reg', 'PRF', 'REGION', [version('r1', '2026-01-01', '2026-09-14', { unit: 'trainee-hour', rateCents: 1000 }), version('r2', '2026-09-15', null, { unit: 'trainee-hour', rateCents: 1000 })]),
        programme('op', 'OPCO', 'OPCO', [version('o1', '2026-01-01', null, { unit: 'trainee-hour', rateCents: 1000 })]),
      ],
      fundingLines: [reg({ shareKind: 'remainder' }), funding('fo', { funderCode: 'OPCO', programmeId: 'op', enrolmentId: 'e', shareKind: 'percent', shareValue: 334 })],
      enrolments: [enrolment('e', 'DUPONT Marie')],
      slots: [slot('a', '2026-09-01', 15), slot('b', '2026-09-30', 15)],
      marks: [mark('a', 'e'), mark('b', 'e')],
    }));
    expect(c('REGION').lines.map((l) => [l.ruleId, l.minutes])).toEqual([['r1', 15], ['r2', 14]]);
    expect(c('OPCO').lines.map((l) => l.minutes)).toEqual([1]);
  });

  it('the rest without a funder is a warning', () => {
    const c = computeClaim(tenHours([reg({ shareKind: 'percent', shareValue: 6000 })], 'REGION'));
    expect(c.totalCents).toBe(6000); // 6 h × 10 €
    expect(c.warnings).toEqual([
      { code: 'unfunded', message: 'DUPONT Marie : 4,00\u00a0h du coût pédagogique sans financeur du 07/09/2026 au 08/09/2026.', link: { kind: 'enrolment', id: 'e' } },
    ]);
  });
});

describe('caps', () => {
  it('minutes per enrolment: what is left after earlier claims (a warning)', () => {
    // Cap 10 h, 9 h already billed: of 3,50 h only 1 h is billed → 10,00 €.
    const base = oneMark('present', {}, { caps: { minutesPerEnrolment: 600 } } as Partial<FundingRuleInput>);
    const c = computeClaim({ ...base, billedBefore: { ...base.billedBefore, minutesByEnrolmentProgramme: { 'e|p': 540 } } });
    expect(c.lines.map((l) => [l.minutes, l.amountCents])).toEqual([[60, 1000]]);
    expect(c.warnings.map((w) => w.message)).toEqual(['Plafond de 10,00\u00a0h atteint pour DUPONT Marie (PRF) : 2,50\u00a0h non facturées.']);
    expect(c.blockers).toEqual([]);
  });
  it('amount per line (a warning)', () => {
    const c = computeClaim(oneMark('present', {}, { caps: { amountPerLineCents: 3000 } } as Partial<FundingRuleInput>));
    expect(c.totalCents).toBe(3000); // 35,00 € capped at 30,00 €
    expect(c.warnings.map((w) => w.code)).toEqual(['amount-cap']);
  });
  it('programme budget passed (a warning)', () => {
    const base = oneMark('present', {}, { caps: { budgetCents: 100_000 } } as Partial<FundingRuleInput>);
    const c = computeClaim({ ...base, billedBefore: { ...base.billedBefore, amountByProgramme: { p: 97_000 } } });
    expect(c.warnings).toEqual([
      { code: 'budget', message: 'Le budget du programme PRF (1\u00a0000,00\u00a0€) est dépassé : 970,00\u00a0€ déjà facturés et 35,00\u00a0€ dans cette demande.', link: { kind: 'programme', id: 'p' } },
    ]);
  });
});

describe('rule versions', () => {
  const twoSlots = (rules: ReturnType<typeof version>[]) => input({
    request: SEPT,
    programmes: [programme('p', 'PRF', 'REGION', rules)],
    fundingLines: [funding('f', { funderCode: 'REGION', programmeId: 'p', enrolmentId: 'e' })],
    enrolments: [enrolment('e', 'DUPONT Marie')],
    slots: [slot('a', '2026-09-14', 180), slot('b', '2026-09-16', 180)],
    marks: [mark('a', 'e'), mark('b', 'e')],
  });
  it('a version change mid-period gives two lines, each slot under its version', () => {
    // 3 h × 10 € = 30,00 € until 15/09, 3 h × 12 € = 36,00 € from 16/09 → 66,00 €.
    const c = computeClaim(twoSlots([
      version('v2', '2026-09-16', null, { unit: 'trainee-hour', rateCents: 1200 }),
      version('v1', '2026-01-01', '2026-09-15', { unit: 'trainee-hour', rateCents: 1000 }),
    ]));
    expect(c.lines.map((l) => [l.ruleId, l.amountCents, l.label])).toEqual([
      ['v1', 3000, "DUPONT Marie — heures stagiaire — PRF (règle jusqu'au 15/09/2026)"],
      ['v2', 3600, 'DUPONT Marie — heures stagiaire — PRF (règle à partir du 16/09/2026)'],
    ]);
    expect(c.totalCents).toBe(6600);
  });
  it('a date with evidence and no rule in force blocks', () => {
    const c = computeClaim(twoSlots([
      version('v1', '2026-01-01', '2026-09-14', { unit: 'trainee-hour', rateCents: 1000 }),
      version('v2', '2026-09-17', null, { unit: 'trainee-hour', rateCents: 1200 }),
    ]));
    expect(c.blockers).toEqual([{ code: 'no-rule', message: 'Aucune règle en vigueur le 16/09/2026 pour le programme PRF.', link: { kind: 'programme', id: 'p' } }]);
  });
  it('a gap of several dates without a rule is one blocker naming its first and last date', () => {
    // twoSlots marks 14 and 16 September; the only version ended on the 13th, so both dates lack a rule.
    const c = computeClaim(twoSlots([version('v1', '2026-01-01', '2026-09-13', { unit: 'trainee-hour', rateCents: 1000 })]));
    expect(c.blockers.filter((x) => x.code === 'no-rule')).toEqual([{ code: 'no-rule', message: 'Aucune règle en vigueur du 14/09/2026 au 16/09/2026 (2 dates) pour le programme PRF.', link: { kind: 'programme', id: 'p' } }]);
  });
  it('overlapping versions block', () => {
    const c = computeClaim(twoSlots([
      version('v1', '2026-01-01', '2026-09-20', { unit: 'trainee-hour', rateCents: 1000 }),
      version('v2', '2026-09-16', null, { unit: 'trainee-hour', rateCents: 1200 }),
    ]));
    expect(c.blockers.map((b) => b.message)).toEqual(['Deux versions des règles du programme PRF se chevauchent (en vigueur du 01/01/2026 et du 16/09/2026).']);
  });
});

describe('other blockers', () => {
  it('no rate in the rule nor on the line', () => {
    const c = computeClaim(oneMark('present', {}, { rateCents: null }));
    expect(c.blockers.map((b) => [b.code, b.message, b.link])).toEqual([
      ['no-rate', "Aucun tarif pour DUPONT Marie (PRF) : la règle n'en donne pas, indiquez-le sur la ligne de financement.", { kind: 'enrolment', id: 'e' }],
      ['nothing-to-claim', 'Rien à facturer pour REGION du 01/09/2026 au 30/09/2026 : aucune présence facturable ni contrat dans la période.', { kind: 'funder', id: 'REGION' }],
    ]);
  });
  it('a negotiated rate on the line replaces a missing rule rate', () => {
    const base = oneMark('present', {}, { rateCents: null });
    expect(computeClaim({ ...base, fundingLines: [{ ...base.fundingLines[0]!, rateCents: 1200 }] }).totalCents).toBe(4200); // 3,5 h × 12 €
  });
  it('a funding line without programme', () => {
    const base = oneMark('present', {});
    const c = computeClaim({ ...base, fundingLines: [{ ...base.fundingLines[0]!, programmeId: null }] });
    expect(c.blockers[0]).toEqual({ code: 'funding-without-programme', message: "La ligne de financement de DUPONT Marie (coût pédagogique) n'a pas de programme.", link: { kind: 'enrolment', id: 'e' } });
  });
  it('scope: another funder, programme or purchase order bills nothing', () => {
    const base = oneMark('present', {});
    expect(computeClaim({ ...base, request: { ...SEPT, funderCode: 'OPCO' } }).totalCents).toBe(0);
    expect(computeClaim({ ...base, request: { ...SEPT, programmeId: 'other' } }).totalCents).toBe(0);
    expect(computeClaim({ ...base, request: { ...SEPT, purchaseOrder: 'BC-1' } }).totalCents).toBe(0);
    expect(computeClaim({ ...base, fundingLines: [{ ...base.fundingLines[0]!, purchaseOrder: 'BC-1' }], request: { ...SEPT, purchaseOrder: 'BC-1' } }).totalCents).toBe(3500);
  });
});

describe('other units', () => {
  const unitClaim = (r: Partial<FundingRuleInput> & Pick<FundingRuleInput, 'unit'>, marks: EngineMark[], o: Partial<ClaimInput> = {}) => input({
    request: SEPT,
    programmes: [programme('p', 'PRF', 'REGION', [version('v', '2026-01-01', null, r)])],
    fundingLines: [funding('f', { funderCode: 'REGION', programmeId: 'p', sessionId: 'S' })],
    enrolments: [enrolment('e', 'DUPONT Marie', { exitDate: '2026-09-25' })],
    slots: [slot('a1', '2026-09-07', 210), slot('a2', '2026-09-07', 210), slot('b1', '2026-09-08', 210)],
    marks,
    ...o,
  });
  it('day: days with at least minDayMinutes billable', () => {
    // 07/09: 210 + 210 = 420 min ≥ 180 → a day; 08/09: late 60 → 150 min < 180 → none. 1 × 150 € = 150,00 €.
    const c = computeClaim(unitClaim({ unit: 'day', rateCents: 15_000, minDayMinutes: 180 }, [mark('a1', 'e'), mark('a2', 'e'), mark('b1', 'e', 'late', { lateMinutes: 60 })]));
    expect(c.lines.map((l) => [l.quantityE4, l.amountCents])).toEqual([[10_000, 15_000]]);
  });
  it('grant-percent: a share of the cost of the realised hours', () => {
    // 10,50 h × 20,00 € = 210,00 € × 25 % = 52,50 €.
    const c = computeClaim(unitClaim({ unit: 'grant-percent', rateCents: 2000, grantBasisPoints: 2500 }, [mark('a1', 'e'), mark('a2', 'e'), mark('b1', 'e')]));
    // Not quantity × price, so stated as 1 × 52,50 € with the hours and rate kept in the detail.
    expect(c.lines.map((l) => [l.quantityE4, l.unitPriceCents, l.amountCents])).toEqual([[10_000, 5250, 5250]]);
    expect(c.lines[0]!.detail).toMatchObject({ computedQuantityE4: 105_000, computedUnitPriceCents: 2000, grantBasisPoints: 2500 });
  });
  it('pathway-lump-sum: in the period it exits with billable attendance behind it', () => {
    const r = { unit: 'pathway-lump-sum', rateCents: 120_000 } as const;
    expect(computeClaim(unitClaim(r, [mark('a1', 'e')])).totalCents).toBe(120_000);
    expect(computeClaim(unitClaim(r, [mark('a1', 'e', 'unexcused')])).totalCents).toBe(0);
    expect(computeClaim(unitClaim(r, [mark('a1', 'e')], { enrolments: [enrolment('e', 'DUPONT Marie', { exitDate: '2026-10-02' })] })).totalCents).toBe(0);
  });
  it('session-lump-sum: once per session', () => {
    const r = { unit: 'session-lump-sum', rateCents: 500_000 } as const;
    expect(computeClaim(unitClaim(r, [mark('a1', 'e')])).totalCents).toBe(500_000);
    expect(computeClaim(unitClaim(r, [mark('a1', 'e')], { billedBefore: { minutesByEnrolmentProgramme: {}, amountByProgramme: {}, onceKeys: [onceKey('session-lump-sum', 'S', 'p')] } })).totalCents).toBe(0);
  });
});

describe('apprenticeship contracts (Occitanie, seeds-analysis §6.4)', () => {
  const majRule = (o: Partial<FundingRuleInput>) => version('m1', '2022-01-01', null, {
    unit: 'contract-majoration', payerCategory: 'C-2a',
    majorations: [
      { code: 'ZRR-QPV', label: 'site en ZRR ou QPV', amountCents: 150_000, condition: 'site-zrr-qpv' },
      { code: 'SECTEUR', label: 'secteur stratégique', amountCents: 100_000, condition: 'strategic-sector', sectors: [{ rncpCode: 'RNCP37859', from: '2022-01-01' }] },
    ],
    ...o,
  } as FundingRuleInput);
  const occitanie = (req: ReturnType<typeof request>, o: Partial<FundingRuleInput> = {}) => input({
    request: req,
    programmes: [
      programme('appr', 'Apprentissage AKTO', 'AKTO', [version('a1', '2022-01-01', null, { unit: 'contract', rateCents: null })]),
      programme('maj', 'Majorations apprentissage', 'OCCITANIE', [majRule(o)]),
    ],
    contracts: [
      contract('lea', 'F. Léa', { siteZrr: true, rncpCode: 'RNCP37859' }),
      contract('yanis', 'K. Yanis', { siteQpv: true, startDate: '2022-09-12', ruptureDate: '2023-01-20' }),
    ],
  });

  it('coût contrat pro-rated by days, a rupture stops it', () => {
    // Léa: 05/09 → 31/12/2022 = 118 days × 7 000 € / 365 = 2 263,01 €; Yanis: 12/09 → 31/12 = 111 days
    // × 7 000 € / 365 = 2 128,767… → 2 128,77 €. Total 4 391,78 €.
    const c = computeClaim(occitanie(request('AKTO', '2022-09-01', '2022-12-31')));
    expect(c.lines.map((l) => [l.contractId, l.detail.days, l.amountCents])).toEqual([['lea', 118, 226_301], ['yanis', 111, 212_877]]);
    // Stated as 1 × the pro-rated amount, so that amount = quantity × unit price holds for every line.
    expect(c.lines.map((l) => [l.quantityE4, l.unitPriceCents, l.detail.computedUnitPriceCents])).toEqual([[10_000, 226_301, 700_000], [10_000, 212_877, 700_000]]);
    expect(c.totalCents).toBe(439_178);
    // January 2023: Léa 31 days → 594,52 € (31 × 700 000 / 365 = 59 452,05); Yanis to his rupture, 20 days → 383,56 € (38 356,16).
    expect(computeClaim(occitanie(request('AKTO', '2023-01-01', '2023-01-31'))).lines.map((l) => l.amountCents)).toEqual([59_452, 38_356]);
  });

  it('majorations in the claim whose period holds the start, not combined: 2 × 1 500 € (seeds: 3 000 €)', () => {
    const c = computeClaim(occitanie(request('OCCITANIE', '2022-09-01', '2022-09-30'), { onRupture: 'keep' }));
    expect(c.lines.map((l) => [l.contractId, l.detail.majorationCode, l.amountCents])).toEqual([['lea', 'ZRR-QPV', 150_000], ['yanis', 'ZRR-QPV', 150_000]]);
    expect(c.totalCents).toBe(300_000);
    expect(c.lines[0]!.label).toBe('F. Léa — majoration site en ZRR ou QPV — Majorations apprentissage');
  });
  it('combined: Léa 2 500 €; rupture pro-rata: Yanis 272,92 €', () => {
    const c = computeClaim(occitanie(request('OCCITANIE', '2022-09-01', '2022-09-30'), { combineMajorations: true, onRupture: 'pro-rata' }));
    expect(c.lines.map((l) => [l.contractId, l.detail.majorationCode, l.amountCents])).toEqual([['lea', 'SECTEUR', 100_000], ['lea', 'ZRR-QPV', 150_000], ['yanis', 'ZRR-QPV', 27_292]]);
  });
  it('rupture drop: nothing for Yanis; never billed twice', () => {
    const c = computeClaim(occitanie(request('OCCITANIE', '2022-09-01', '2022-09-30'), { onRupture: 'drop' }));
    expect(c.lines.map((l) => l.contractId)).toEqual(['lea']);
    const again = occitanie(request('OCCITANIE', '2022-09-01', '2022-09-30'), { onRupture: 'keep' });
    again.billedBefore.onceKeys = [onceKey('contract-majoration', 'lea', 'maj', 'ZRR-QPV')];
    expect(computeClaim(again).lines.map((l) => l.contractId)).toEqual(['yanis']);
    expect(computeClaim(occitanie(request('OCCITANIE', '2022-10-01', '2022-10-31'))).lines).toEqual([]);
  });
});
