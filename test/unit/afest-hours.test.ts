import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afestCompliance, minutesBetween } from '../../shared/domain/afest';
import {
  AFEST_MODALITY,
  AFEST_TIME_KINDS,
  realisedHours,
  type AfestTimeKind,
  type EngineMark,
  type EngineSequence,
  type EngineSlot,
  type GroupKey,
  type HoursRow,
} from '../../shared/domain/realised-hours';

/**
 * AFEST times in the realised-hours engine (issue #11): work situations (MST), reflective sequences (SR) and
 * timed evaluations are their own modality, counted apart from the slots' attended minutes and from each other,
 * once per record whatever its corrections, not at all once withdrawn. Worked by hand first, then on random
 * chains of versions checked against a model of the chains written here, not the engine's own helper.
 */

const enrolments = [
  { id: 'e0', traineeId: 't0', funderCode: 'REGION' },
  { id: 'e1', traineeId: 't1', funderCode: 'OPCO' },
  { id: 'e2', traineeId: 't2', funderCode: 'REGION' },
];
const slots: EngineSlot[] = [
  { id: 's1', date: '2026-09-07', minutes: 210, modality: 'presentiel' },
  { id: 's2', date: '2026-10-05', minutes: 180, modality: 'distanciel' },
];
const mark = (id: string, slotId: string, enrolmentId: string, category: EngineMark['category'] = 'present'): EngineMark => ({
  id, slotId, enrolmentId, category, lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, supersedesId: null,
});
const seq = (id: string, kind: AfestTimeKind, date: string, minutes: number, extra: Partial<EngineSequence> = {}): EngineSequence => ({
  id, enrolmentId: 'e0', date, kind, minutes, supersedesId: null, withdrawn: false, ...extra,
});
const total = (rows: HoursRow[], pick: (r: HoursRow) => number) => rows.reduce((n, r) => n + pick(r), 0);

describe('AFEST times, by hand (the Pays de la Loire sample)', () => {
  // MST 09:00–16:00 = 7 h = 420 min; SR 10:00–11:30 = 1 h 30 = 90 min; final evaluation 14:00–14:45 = 45 min.
  const mst = minutesBetween('09:00', '16:00');
  const srMinutes = minutesBetween('10:00', '11:30');
  const evaluation = minutesBetween('14:00', '14:45');
  const sample = {
    slots,
    enrolments,
    // One 210-minute classroom slot attended in full on 07/09.
    marks: [mark('k1', 's1', 'e0')],
    sequences: [seq('m1', 'work-situation', '2026-09-14', mst), seq('r1', 'reflective', '2026-09-15', srMinutes), seq('v1', 'evaluation', '2026-10-02', evaluation)],
  };

  it('keeps each kind apart and out of attended: 210 attended, 420 + 90 + 45 AFEST, 765 realised', () => {
    expect([mst, srMinutes, evaluation]).toEqual([420, 90, 45]);
    const [row] = realisedHours(sample, { groupBy: ['enrolment'] });
    expect(row).toMatchObject({
      attended: 210,
      planned: 210,
      marks: 1,
      afest: { 'work-situation': 420, reflective: 90, evaluation: 45 },
      // 210 + 420 + 90 + 45 = 765.
      realised: 765,
      sequences: 3,
      byModality: { presentiel: 210, 'afest-mst': 420, 'afest-sr': 90, 'afest-evaluation': 45 },
    });
  });

  it('feeds the compliance panel: 555 of 765 min is 72,5 % of the pathway', () => {
    const [row] = realisedHours(sample, { groupBy: ['enrolment'] });
    const afestMinutes = row!.afest['work-situation'] + row!.afest.reflective + row!.afest.evaluation;
    // 555 × 100 = 55 500 ≥ 70 × 765 = 53 550; 555 000 / 765 = 725,49… → « 72,5 % ».
    const report = afestCompliance({
      setup: { companyId: 'c', tutorId: 't', tutorDesignatedOn: '2026-09-01', tutorAcceptedOn: '2026-09-01', facilitatorId: 'f', conventionRef: 'C', analysisDate: '2026-09-01', workSituations: 'w', tasks: 't', competences: 1, plannedMinutes: null, pathwayMinutes: null },
      rules: { minSharePercent: 70, facilitatorDistinct: true },
      sequences: [],
      evaluations: [],
      realised: { afestMinutes, otherMinutes: row!.attended },
    });
    expect(report.share.realisedPermille).toBe(725);
    expect(report.checks.find((c) => c.code === 'share-realised')).toMatchObject({ status: 'pass', message: expect.stringMatching(/9 h 15 d'AFEST réalisées sur 12 h 45 de parcours, soit 72,5 %/) });
  });

  it('counts a corrected MST at its latest version, a withdrawn SR not at all, an untimed evaluation as nothing', () => {
    const rows = realisedHours(
      {
        ...sample,
        sequences: [
          ...sample.sequences,
          // m1 corrected to 09:00–12:00 (180 min), then to 09:00–12:30 (210 min): 210 counts, once.
          seq('m1b', 'work-situation', '2026-09-14', 180, { supersedesId: 'm1' }),
          seq('m1c', 'work-situation', '2026-09-14', 210, { supersedesId: 'm1b' }),
          // r1 withdrawn: a version of it that withdraws.
          seq('r1w', 'reflective', '2026-09-15', 90, { supersedesId: 'r1', withdrawn: true }),
          seq('v2', 'evaluation', '2026-10-09', 0),
        ],
      },
      { groupBy: ['enrolment'] },
    );
    // 210 attended + 210 MST + 0 SR + 45 evaluation = 465.
    expect(rows[0]).toMatchObject({ attended: 210, afest: { 'work-situation': 210, reflective: 0, evaluation: 45 }, realised: 465, sequences: 2 });
  });

  it('groups AFEST times under the modality « afest », by their own month, within the period', () => {
    const byModality = realisedHours(sample, { groupBy: ['modality'] });
    expect(byModality.map((r) => [r.key.modality, r.attended, r.realised])).toEqual([
      [AFEST_MODALITY, 0, 555],
      ['presentiel', 210, 210],
    ]);
    const byMonth = realisedHours(sample, { groupBy: ['month'] });
    // September: 210 attended + 420 MST + 90 SR; October: the 45-minute evaluation of 02/10.
    expect(byMonth.map((r) => [r.key.month, r.realised])).toEqual([
      ['2026-09', 720],
      ['2026-10', 45],
    ]);
    // From 15/09: the slot of 07/09 and the MST of 14/09 fall out; the SR of 15/09 (bound included) and the evaluation stay.
    const [period] = realisedHours(sample, { groupBy: [], from: '2026-09-15', to: '2026-10-02' });
    expect(period).toMatchObject({ attended: 0, afest: { 'work-situation': 0, reflective: 90, evaluation: 45 }, realised: 135 });
  });

  it('ignores sequences of an enrolment the query does not hold', () => {
    const rows = realisedHours({ ...sample, sequences: [...sample.sequences, { ...seq('x', 'work-situation', '2026-09-14', 300), enrolmentId: 'elsewhere' }] }, { groupBy: [] });
    expect(rows[0]!.afest['work-situation']).toBe(420);
  });
});

// Random AFEST records: each a chain of versions, every one superseding the previous head; any version may withdraw.
const dateOf = (day: number) => new Date(Date.UTC(2026, 8, day)).toISOString().slice(0, 10); // 01/09 + (day − 1), over three months
interface Chain {
  enrolment: number;
  kind: AfestTimeKind;
  versions: { day: number; minutes: number; withdrawn: boolean }[];
}
const chains = fc.array(
  fc.record({
    enrolment: fc.integer({ min: 0, max: 2 }),
    kind: fc.constantFrom(...AFEST_TIME_KINDS),
    versions: fc.array(fc.record({ day: fc.integer({ min: 1, max: 90 }), minutes: fc.integer({ min: 0, max: 480 }), withdrawn: fc.integer({ min: 0, max: 3 }).map((n) => n === 0) }), { minLength: 1, maxLength: 4 }),
  }),
  { maxLength: 25 },
);
function versionsOf(list: readonly Chain[]): EngineSequence[] {
  return list.flatMap((c, i) =>
    c.versions.map((v, n) => ({ id: `q${i}v${n}`, enrolmentId: `e${c.enrolment}`, date: dateOf(v.day), kind: c.kind, minutes: v.minutes, supersedesId: n ? `q${i}v${n - 1}` : null, withdrawn: v.withdrawn })),
  );
}
/** The model: per record its last version, unless that one withdraws; within the period by that version's date. */
function heads(list: readonly Chain[], from?: string, to?: string) {
  return list
    .map((c) => ({ enrolment: `e${c.enrolment}`, kind: c.kind, head: c.versions.at(-1)! }))
    .filter(({ head }) => !head.withdrawn && (!from || dateOf(head.day) >= from) && (!to || dateOf(head.day) <= to))
    .map(({ enrolment, kind, head }) => ({ enrolment, kind, date: dateOf(head.day), minutes: head.minutes }));
}
const sumOf = (list: { minutes: number }[]) => list.reduce((n, s) => n + s.minutes, 0);

// Some attended classroom time beside, so that « never inside attended » means something.
const marks = fc.array(fc.record({ slot: fc.constantFrom('s1', 's2'), enrolment: fc.integer({ min: 0, max: 2 }), category: fc.constantFrom<EngineMark['category']>('present', 'unexcused') }), { maxLength: 6 }).map((list) => {
  const seen = new Set<string>();
  return list.filter((m) => !seen.has(`${m.slot}${m.enrolment}`) && seen.add(`${m.slot}${m.enrolment}`)).map((m, i) => mark(`k${i}`, m.slot, `e${m.enrolment}`, m.category));
});
// The versions in a random order: the engine must not rely on the order they come in.
const evidence = fc.tuple(chains, marks).chain(([list, ms]) => {
  const all = versionsOf(list);
  return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }).map((sequences) => ({ list, data: { slots, enrolments, marks: ms, sequences } }));
});
const groupings: GroupKey[][] = [[], ['enrolment'], ['trainee', 'month'], ['modality'], ['funder', 'modality', 'month']];
const period = fc.record({ from: fc.option(fc.integer({ min: 1, max: 90 }).map(dateOf), { nil: undefined }), to: fc.option(fc.integer({ min: 1, max: 90 }).map(dateOf), { nil: undefined }) });

describe('AFEST times, properties', () => {
  it('an SR never counts as MST time: work situations are the MST heads only, and an added SR changes neither them nor attended', () => {
    fc.assert(
      fc.property(evidence, fc.integer({ min: 1, max: 480 }), fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 2 }), ({ list, data }, extra, day, e) => {
        const rows = realisedHours(data, { groupBy: ['enrolment'] });
        for (const row of rows) {
          const mine = heads(list).filter((s) => s.enrolment === row.key.enrolment);
          expect(row.afest['work-situation']).toBe(sumOf(mine.filter((s) => s.kind === 'work-situation')));
          expect(row.afest.reflective).toBe(sumOf(mine.filter((s) => s.kind === 'reflective')));
          expect(row.byModality['afest-mst'] ?? 0).toBe(row.afest['work-situation']);
        }
        const withSr = realisedHours({ ...data, sequences: [...data.sequences, { id: 'added', enrolmentId: `e${e}`, date: dateOf(day), kind: 'reflective', minutes: extra, supersedesId: null, withdrawn: false }] }, { groupBy: ['enrolment'] });
        const get = (rs: HoursRow[], id: string) => rs.find((r) => r.key.enrolment === id);
        for (const id of ['e0', 'e1', 'e2']) {
          expect(get(withSr, id)?.afest['work-situation'] ?? 0).toBe(get(rows, id)?.afest['work-situation'] ?? 0);
          expect(get(withSr, id)?.attended ?? 0).toBe(get(rows, id)?.attended ?? 0);
        }
        expect(get(withSr, `e${e}`)!.afest.reflective).toBe((get(rows, `e${e}`)?.afest.reflective ?? 0) + extra);
      }),
      { numRuns: 300 },
    );
  });

  it('corrections never double-count: totals are the heads not withdrawn, within the period', () => {
    fc.assert(
      fc.property(evidence, period, ({ list, data }, { from, to }) => {
        const model = heads(list, from, to);
        const rows = realisedHours(data, { groupBy: [], from, to });
        for (const kind of AFEST_TIME_KINDS) expect(total(rows, (r) => r.afest[kind])).toBe(sumOf(model.filter((s) => s.kind === kind)));
        // A record counts once at most, and only when it took time.
        expect(total(rows, (r) => r.sequences)).toBe(model.filter((s) => s.minutes > 0).length);
      }),
      { numRuns: 300 },
    );
  });

  it('realised is attended plus every AFEST minute, in every row of every grouping', () => {
    fc.assert(
      fc.property(evidence, period, ({ data }, { from, to }) => {
        for (const groupBy of groupings) {
          const rows = realisedHours(data, { groupBy, from, to });
          for (const r of rows) expect(r.realised).toBe(r.attended + r.afest['work-situation'] + r.afest.reflective + r.afest.evaluation);
          // The grand total does not depend on the grouping.
          expect(total(rows, (r) => r.realised)).toBe(total(realisedHours(data, { groupBy: [], from, to }), (r) => r.realised));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('groups AFEST minutes under the modality « afest » and by the month of their own date', () => {
    fc.assert(
      fc.property(evidence, period, ({ list, data }, { from, to }) => {
        const model = heads(list, from, to).filter((s) => s.minutes > 0);
        const byModality = realisedHours(data, { groupBy: ['modality'], from, to });
        const afestRow = byModality.find((r) => r.key.modality === AFEST_MODALITY);
        expect(afestRow?.realised ?? 0).toBe(sumOf(model));
        if (afestRow) expect(afestRow).toMatchObject({ attended: 0, planned: 0, marks: 0 });
        for (const r of byModality.filter((x) => x.key.modality !== AFEST_MODALITY)) expect(r.realised).toBe(r.attended);
        const byMonth = realisedHours(data, { groupBy: ['month'], from, to });
        const months = new Set([...model.map((s) => s.date.slice(0, 7)), ...byMonth.map((r) => r.key.month!)]);
        for (const month of months) {
          const row = byMonth.find((r) => r.key.month === month);
          const inMonth = model.filter((s) => s.date.slice(0, 7) === month);
          expect(row ? row.afest['work-situation'] + row.afest.reflective + row.afest.evaluation : 0).toBe(sumOf(inMonth));
        }
      }),
      { numRuns: 200 },
    );
  });
});
