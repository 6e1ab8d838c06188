import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTENDANCE_CATEGORIES,
  attendedMinutes,
  currentMarks,
  realisedHours,
  type EngineMark,
  type EngineSlot,
} from '../../shared/domain/realised-hours';

const slots: EngineSlot[] = [
  { id: 's1', date: '2026-09-07', minutes: 210, modality: 'presentiel' },
  { id: 's2', date: '2026-09-07', minutes: 210, modality: 'presentiel' },
  { id: 's3', date: '2026-10-05', minutes: 180, modality: 'distanciel' },
];
const enrolments = [
  { id: 'e1', traineeId: 't1', funderCode: 'REGION' },
  { id: 'e2', traineeId: 't2', funderCode: 'OPCO' },
];
const mark = (id: string, slotId: string, enrolmentId: string, category: EngineMark['category'], extra: Partial<EngineMark> = {}): EngineMark => ({
  id, slotId, enrolmentId, category, lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, supersedesId: null, ...extra,
});

describe('attendedMinutes', () => {
  it.each([
    ['present', {}, 210],
    ['late', { lateMinutes: 20 }, 190],
    ['early-leave', { earlyMinutes: 30 }, 180],
    ['late', { lateMinutes: 500 }, 0],
    ['remote', { remoteMinutes: 150 }, 150],
    ['remote', { remoteMinutes: 400 }, 210],
    ['remote', {}, 210],
    ['excused', {}, 0],
    ['unexcused', {}, 0],
  ] as const)('%s %o → %i min', (category, extra, expected) => {
    expect(attendedMinutes(210, { category, lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, ...extra })).toBe(expected);
  });
});

describe('realisedHours', () => {
  it('totals per funder and month, by category and modality', () => {
    const rows = realisedHours(
      {
        slots,
        enrolments,
        marks: [
          mark('m1', 's1', 'e1', 'present'),
          mark('m2', 's2', 'e1', 'late', { lateMinutes: 15 }),
          mark('m3', 's3', 'e1', 'remote', { remoteMinutes: 120 }),
          mark('m4', 's1', 'e2', 'unexcused'),
        ],
      },
      { groupBy: ['funder', 'month'] },
    );
    expect(rows).toEqual([
      expect.objectContaining({ key: { funder: 'OPCO', month: '2026-09' }, attended: 0, absentUnexcused: 210 }),
      expect.objectContaining({ key: { funder: 'REGION', month: '2026-09' }, attended: 405, planned: 420, missed: 15, absentExcused: 0, byCategory: expect.objectContaining({ present: 210, late: 195 }) }),
      expect.objectContaining({ key: { funder: 'REGION', month: '2026-10' }, attended: 120, byModality: { distanciel: 120 } }),
    ]);
  });

  it('counts a corrected mark once, at its latest version', () => {
    const rows = realisedHours(
      { slots, enrolments, marks: [mark('m1', 's1', 'e1', 'unexcused'), mark('m2', 's1', 'e1', 'excused', { supersedesId: 'm1' }), mark('m3', 's1', 'e1', 'present', { supersedesId: 'm2' })] },
      { groupBy: ['enrolment'] },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ attended: 210, marks: 1, absentExcused: 0, absentUnexcused: 0 });
  });

  it('filters by period', () => {
    const rows = realisedHours({ slots, enrolments, marks: [mark('m1', 's1', 'e1', 'present'), mark('m3', 's3', 'e1', 'present')] }, { groupBy: ['trainee'], from: '2026-10-01' });
    expect(rows[0]?.attended).toBe(180);
  });
});

// Random evidence: marks on random slots, then random chains of corrections on top of them.
const evidence = fc
  .record({
    slotMinutes: fc.array(fc.integer({ min: 30, max: 480 }), { minLength: 1, maxLength: 12 }),
    marks: fc.array(
      fc.record({
        slot: fc.nat(),
        enrolment: fc.integer({ min: 0, max: 3 }),
        category: fc.constantFrom(...ATTENDANCE_CATEGORIES),
        late: fc.integer({ min: 0, max: 600 }),
        early: fc.integer({ min: 0, max: 600 }),
        remote: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
        corrections: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ slotMinutes, marks }) => {
    const s: EngineSlot[] = slotMinutes.map((minutes, i) => ({ id: `s${i}`, date: `2026-09-${String((i % 28) + 1).padStart(2, '0')}`, minutes, modality: 'presentiel' }));
    const all: EngineMark[] = [];
    const used = new Set<string>();
    marks.forEach((m, i) => {
      const slotId = `s${m.slot % s.length}`;
      const enrolmentId = `e${m.enrolment}`;
      if (used.has(`${slotId}|${enrolmentId}`)) return; // one chain per pair, as the service guarantees
      used.add(`${slotId}|${enrolmentId}`);
      let prev: string | null = null;
      for (let v = 0; v <= m.corrections; v++) {
        const id = `m${i}v${v}`;
        all.push({ id, slotId, enrolmentId, category: m.category, lateMinutes: m.late, earlyMinutes: m.early, remoteMinutes: m.remote, supersedesId: prev });
        prev = id;
      }
    });
    const ens = [0, 1, 2, 3].map((i) => ({ id: `e${i}`, traineeId: `t${i}`, funderCode: i % 2 ? 'REGION' : 'OPCO' }));
    return { slots: s, marks: all, enrolments: ens };
  });

describe('realisedHours properties', () => {
  it('never exceeds the planned time of the marked slots', () => {
    fc.assert(
      fc.property(evidence, (data) => {
        for (const row of realisedHours(data, { groupBy: ['enrolment'] })) {
          expect(row.attended).toBeLessThanOrEqual(row.planned);
          expect(row.attended + row.missed + row.absentExcused + row.absentUnexcused).toBe(row.planned);
        }
      }),
    );
  });

  it('never double-counts corrections: one current mark per slot and enrolment', () => {
    fc.assert(
      fc.property(evidence, (data) => {
        const current = currentMarks(data.marks);
        const pairs = new Set(data.marks.map((m) => `${m.slotId}|${m.enrolmentId}`));
        expect(current).toHaveLength(pairs.size);
        const total = realisedHours(data, { groupBy: [] }).reduce((n, r) => n + r.marks, 0);
        expect(total).toBe(pairs.size);
      }),
    );
  });

  it('gives the same grand total whatever the grouping', () => {
    fc.assert(
      fc.property(evidence, (data) => {
        const sum = (g: Parameters<typeof realisedHours>[1]['groupBy']) => realisedHours(data, { groupBy: g }).reduce((n, r) => n + r.attended, 0);
        const all = sum([]);
        expect(sum(['funder'])).toBe(all);
        expect(sum(['trainee', 'month'])).toBe(all);
        expect(sum(['modality'])).toBe(all);
      }),
    );
  });
});
