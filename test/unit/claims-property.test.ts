import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAmountCents } from '../../shared/domain/claims/amounts';
import { computeClaim } from '../../shared/domain/claims/compute';
import { splitMinutes } from '../../shared/domain/claims/split';
import { realisedHours, ATTENDANCE_CATEGORIES } from '../../shared/domain/realised-hours';
import { enrolment, funding, input, mark, programme, request, slot, version } from '../helpers/claims-fixtures';

const shareLine = fc.record({
  shareKind: fc.constantFrom('percent' as const, 'minutes' as const, 'remainder' as const),
  percent: fc.integer({ min: 1, max: 10_000 }),
  minutes: fc.integer({ min: 1, max: 3000 }),
  position: fc.integer({ min: 1, max: 5 }),
});

describe('splitMinutes (property)', () => {
  it('shares and the unfunded rest add up to the total, none negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.array(shareLine, { maxLength: 5 }), (total, raw) => {
        const lines = raw.map((l, i) => ({ id: `l${i}`, shareKind: l.shareKind, shareValue: l.shareKind === 'percent' ? l.percent : l.shareKind === 'minutes' ? l.minutes : null, position: l.position }));
        const r = splitMinutes(total, lines);
        const sum = Object.values(r.shares).reduce((s, m) => s + m, 0);
        expect(sum + r.unfunded).toBe(total);
        for (const m of [...Object.values(r.shares), r.unfunded]) expect(Number.isInteger(m) && m >= 0).toBe(true);
      }),
    );
  });
});

const dates = ['2026-08-28', '2026-09-01', '2026-09-02', '2026-09-15', '2026-09-30', '2026-10-01'];
const slotArb = fc.record({ date: fc.constantFrom(...dates), minutes: fc.integer({ min: 15, max: 300 }) });
const markArb = fc.record({
  slot: fc.nat(), enrolment: fc.nat(), category: fc.constantFrom(...ATTENDANCE_CATEGORIES),
  late: fc.integer({ min: 0, max: 120 }), early: fc.integer({ min: 0, max: 120 }), remote: fc.option(fc.integer({ min: 0, max: 400 })),
});

describe('computeClaim (property): two funders sharing trainees', () => {
  it('lines sum to the total, amounts are integers, never more minutes than realised, shares within realised', () => {
    fc.assert(
      fc.property(
        fc.array(slotArb, { minLength: 1, maxLength: 8 }),
        fc.array(markArb, { maxLength: 30 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(shareLine, { minLength: 1, maxLength: 2 }),
        fc.array(shareLine, { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 9999 }),
        (rawSlots, rawMarks, nEnrolments, regionShares, opcoShares, rate) => {
          const slots = rawSlots.map((s, i) => slot(`s${i}`, s.date, s.minutes));
          const enrolments = Array.from({ length: nEnrolments }, (_, i) => enrolment(`e${i}`, `STAGIAIRE ${i}`));
          const seenPair = new Set<string>();
          const marks = rawMarks.flatMap((m) => {
            const s = slots[m.slot % slots.length]!;
            const e = enrolments[m.enrolment % nEnrolments]!;
            if (seenPair.has(`${s.id}|${e.id}`)) return [];
            seenPair.add(`${s.id}|${e.id}`);
            return [mark(s.id, e.id, m.category, { lateMinutes: m.late, earlyMinutes: m.early, remoteMinutes: m.remote })];
          });
          const lines = [
            ...regionShares.map((l, i) => ({ l, funder: 'REGION', programmeId: 'reg', id: `r${i}` })),
            ...opcoShares.map((l, i) => ({ l, funder: 'OPCO', programmeId: 'opco', id: `o${i}` })),
          ].map(({ l, funder, programmeId, id }) =>
            funding(id, { funderCode: funder, programmeId, sessionId: 'S', shareKind: l.shareKind, shareValue: l.shareKind === 'percent' ? l.percent : l.shareKind === 'minutes' ? l.minutes : null, position: l.position }),
          );
          const base = {
            programmes: [
              programme('reg', 'PRF', 'REGION', [version('r1', '2026-01-01', '2026-09-14', { unit: 'trainee-hour', rateCents: rate }), version('r2', '2026-09-15', null, { unit: 'trainee-hour', rateCents: rate + 1 })]),
              programme('opco', 'OPCO', 'OPCO', [version('o1', '2026-01-01', null, { unit: 'trainee-hour', rateCents: rate })]),
            ],
            fundingLines: lines, enrolments, slots, marks,
          };
          const region = computeClaim(input({ request: request('REGION', '2026-09-01', '2026-09-30'), ...base }));
          const opco = computeClaim(input({ request: request('OPCO', '2026-09-01', '2026-09-30'), ...base }));
          const realised = new Map(
            realisedHours({ slots, marks, enrolments: enrolments.map((e) => ({ ...e, funderCode: '' })) }, { groupBy: ['enrolment'], from: '2026-09-01', to: '2026-09-30' }).map((r) => [r.key.enrolment!, r.attended]),
          );
          for (const c of [region, opco]) {
            expect(c.totalCents).toBe(c.lines.reduce((s, l) => s + l.amountCents, 0));
            // Every line is what a receiver recomputes: quantity × unit price, half-up.
            for (const l of c.lines) expect(l.amountCents).toBe(lineAmountCents(l.quantityE4, l.unitPriceCents));
            for (const l of c.lines) {
              expect(Number.isSafeInteger(l.amountCents) && l.amountCents >= 0).toBe(true);
              expect(Number.isSafeInteger(l.quantityE4)).toBe(true);
              expect(l.minutes!).toBeLessThanOrEqual(l.realisedMinutes!);
            }
          }
          for (const e of enrolments) {
            const billed = (c: typeof region) => c.lines.filter((l) => l.enrolmentId === e.id).reduce((s, l) => s + (l.minutes ?? 0), 0);
            expect(billed(region)).toBeLessThanOrEqual(realised.get(e.id) ?? 0);
            expect(billed(region) + billed(opco)).toBeLessThanOrEqual(realised.get(e.id) ?? 0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
