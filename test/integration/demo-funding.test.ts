import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../helpers/backend';

/**
 * Issue #10, demo data: funders, rules, funding lines, contracts and the claim ready to validate, worked out by
 * hand for Wednesday 25 November 2026 (Paris); the demo's week starts Monday 23.
 *
 * #Avenir Caen (Région Normandie): Monday and Tuesday, 09:00–12:30 and 13:30–17:00 (210 min a slot), from
 * Monday 9. The ready claim covers the two past complete weeks, 09/11 → 22/11: 9, 10, 16, 17 November, 8 slots.
 *  - PERRIN Mathis, entered 09/11, present on the 8: 1 680 min = 28,00 h × 11,50 € = 322,00 €;
 *  - GUÉRIN Sandrine, entered 09/11, 20 min late on Tuesday 17 morning: 1 660 min = 27,666… h → 27,66 h (rounded
 *    down) × 11,50 € = 318,09 €;
 *  - TOURÉ Omar, entered 16/11 (rolling entry), absent unexcused on Tuesday 17 afternoon: 3 × 210 = 630 min =
 *    10,50 h × 11,50 € = 120,75 €;
 *  - group hours: the 8 slots each held with at least one trainee present, 1 680 min = 28,00 h × 95,00 € = 2 660,00 €;
 *  - lump sum: the three have their first attendance in the period, 3 × 350,00 € = 1 050,00 €.
 *  Total 322,00 + 318,09 + 120,75 + 2 660,00 + 1 050,00 = 4 470,84 €.
 *
 * Occitanie (CAP HCR from Monday 9, contracts 09/11/2026 → 29/08/2028 = 660 days planned, NPEC 7 800 €):
 *  - AKTO coût contrat, 09/11 → 22/11: Léa 14 days × 7 800 € / 365 = 299,178… → 299,18 €; Yanis, rupture on
 *    Thursday 19, 11 days → 235,068… → 235,07 €;
 *  - Région Occitanie majorations (not combined: the highest; pro-rata on rupture): Léa, site Mende in a ZRR
 *    (1 500 €) and RNCP37860 on the strategic list (1 000 €) → 1 500,00 €; Yanis, site Toulouse in a QPV and the
 *    same RNCP code, ruptured → 1 500 € × 11 / 660 = 25,00 €.
 */
let tb: TestBackend;

beforeAll(async () => {
  tb = await testBackend('2026-11-25T09:00:00Z');
  await tb.api['demo.load']({});
}, 60_000);
afterAll(async () => {
  await tb.cleanup();
});

describe('demo funding and claims', () => {
  it('has the claim ready to validate: #Avenir, three units, no blocker, the total worked out by hand', async () => {
    const list = await tb.api['claims.list']({ funderCode: 'REGION_NORMANDIE' });
    expect(list.claims).toHaveLength(1);
    const page = await tb.api['claims.get']({ id: list.claims[0]!.id });
    expect(page.claim).toMatchObject({ status: 'draft', from: '2026-11-09', to: '2026-11-22', blockerCount: 0 });
    expect(page.preflight).toEqual({ blockers: [], warnings: [] });
    const lines = page.lines.map((l) => [l.label.split(' — ')[0], l.unit, l.quantityE4, l.unitPriceCents, l.amountCents]).sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
    expect(lines).toEqual([
      ['#Avenir', 'group-hour', 280_000, 9_500, 266_000],
      ['GUÉRIN Sandrine', 'learner-lump-sum', 10_000, 35_000, 35_000],
      ['GUÉRIN Sandrine', 'trainee-hour', 276_600, 1_150, 31_809],
      ['PERRIN Mathis', 'learner-lump-sum', 10_000, 35_000, 35_000],
      ['PERRIN Mathis', 'trainee-hour', 280_000, 1_150, 32_200],
      ['TOURÉ Omar', 'learner-lump-sum', 10_000, 35_000, 35_000],
      ['TOURÉ Omar', 'trainee-hour', 105_000, 1_150, 12_075],
    ]);
    expect(page.claim.totalCents).toBe(447_084);
    const validated = await tb.api['claims.validate']({ id: page.claim.id });
    expect(validated.claim.status).toBe('validated');
    expect(validated.claim.invoiceNumber).toMatch(/^F2026-\d{6}$/);
  });

  it('bills the coût contrat by days and the Region majorations as the rule says', async () => {
    const akto = await tb.api['claims.build']({ funderCode: 'AKTO', from: '2026-11-09', to: '2026-11-22' });
    expect(akto.preflight.blockers).toEqual([]);
    // Days in the detail; each line stated as 1 × its pro-rated amount (amount = quantity × unit price).
    expect(akto.lines.map((l) => [l.label.split(' — ')[0], l.unit, l.detail.days, l.quantityE4, l.unitPriceCents, l.amountCents])).toEqual([
      ['FABRE Léa', 'contract', 14, 10_000, 29_918, 29_918],
      ['KACEM Yanis', 'contract', 11, 10_000, 23_507, 23_507],
    ]);
    const occitanie = await tb.api['claims.build']({ funderCode: 'REGION_OCCITANIE', from: '2026-11-09', to: '2026-11-22' });
    expect(occitanie.preflight.blockers).toEqual([]);
    expect(occitanie.lines.map((l) => [l.label.split(' — ')[0], l.unit, l.unitPriceCents, l.amountCents, l.detail.majorationCode, l.detail.treatment])).toEqual([
      ['FABRE Léa', 'contract-majoration', 150_000, 150_000, 'ZRR-QPV', 'full'],
      ['KACEM Yanis', 'contract-majoration', 2_500, 2_500, 'ZRR-QPV', 'pro-rata'],
    ]);
    expect(occitanie.lines[1]!.detail.computedUnitPriceCents).toBe(150_000);
    const contracts = await tb.api['contracts.list']({});
    expect(contracts.map((c) => [c.apprenticeName, c.employerSiret, c.siteZrr, c.siteQpv, c.ruptureDate, c.endDate])).toEqual(
      expect.arrayContaining([
        ['Fabre Léa', '99900500200012', true, false, null, '2028-08-29'],
        ['Kacem Yanis', '99900700800017', false, true, '2026-11-19', '2028-08-29'],
      ]),
    );
  });

  it('has the funders with their BPF category, six co-funders on the cuisine session and a rule history', async () => {
    const funders = await tb.api['funders.list']();
    const category = Object.fromEntries(funders.map((f) => [f.code, f.payerCategory]));
    expect(category).toMatchObject({
      REGION_GE: 'C-6', REGION_PDL: 'C-6', REGION_NORMANDIE: 'C-6', REGION_OCCITANIE: 'C-6', REGION_BFC: 'C-6',
      AKTO: 'C-2a', CD67: 'C-8', BISTROTS_RHIN: 'C-1', ETAT: 'C-5', FRANCE_TRAVAIL: 'C-7', AGEFIPH: 'C-8',
    });
    const sessions = await tb.api['sessions.list']({});
    const cuisine = sessions.find((s) => s.label.startsWith('Des étoiles'))!;
    const { lines } = await tb.api['fundings.list']({ sessionId: cuisine.id });
    expect(lines.map((l) => [l.funderCode, l.shareKind, l.shareValue])).toEqual([
      ['ETAT', 'percent', 5091], ['REGION_GE', 'percent', 2424], ['CD67', 'percent', 808], ['FRANCE_TRAVAIL', 'percent', 970], ['BISTROTS_RHIN', 'percent', 404], ['APPORT_DUMAS', 'remainder', null],
    ]);
    // État's share of the cuisine weeks before this one: clean, each line 50,91 % of a trainee's hours at 7,53 €.
    const etat = await tb.api['claims.build']({ funderCode: 'ETAT', from: '2026-10-26', to: '2026-11-22' });
    expect(etat.preflight.blockers).toEqual([]);
    expect(etat.lines).toHaveLength(12);
    for (const l of etat.lines) {
      expect(l.unitPriceCents).toBe(753);
      expect(l.detail.share).toEqual({ kind: 'percent', value: 5091 });
      // Largest remainder: the floor of 50,91 % of the trainee's minutes, or one more.
      expect(l.minutes! - Math.floor((l.realisedMinutes! * 5091) / 10_000)).toBeGreaterThanOrEqual(0);
      expect(l.minutes! - Math.floor((l.realisedMinutes! * 5091) / 10_000)).toBeLessThanOrEqual(1);
    }

    const [tpme] = await tb.api['programmes.list']({ funderCode: 'REGION_PDL' });
    expect(tpme!.versions.map((v) => [v.validFrom, v.validTo, v.rule.rateCents, v.rule.caps.hourlyPriceCents, v.state, v.frozen])).toEqual([
      ['2025-11-25', '2026-11-24', 1700, 1800, 'ended', false],
      ['2026-11-25', null, 1800, 1800, 'in-force', false],
    ]);
  });

  it('has the SIEG compensation (absences not deducted) and the Agefiph 25 % top-up', async () => {
    const sieg = await tb.api['claims.build']({ funderCode: 'REGION_BFC', from: '2026-11-16', to: '2026-11-22' });
    expect(sieg.preflight.blockers).toEqual([]);
    // SAMS e-formation, Tuesday 17 and Thursday 19, 09:00–12:00: 2 × 180 min planned, whatever the marks = 6,00 h × 10 €.
    expect(sieg.lines.map((l) => [l.unit, l.minutes, l.amountCents])).toEqual([['cost-based', 360, 6_000]]);
    const agefiph = await tb.api['claims.build']({ funderCode: 'AGEFIPH', from: '2026-11-16', to: '2026-11-22' });
    expect(agefiph.preflight.blockers).toEqual([]);
    // 6,00 h × 15,00 € × 25 % = 22,50 €.
    expect(agefiph.lines.map((l) => [l.unit, l.costType, l.detail.computedQuantityE4, l.quantityE4, l.amountCents])).toEqual([['grant-percent', 'aide', 60_000, 10_000, 2_250]]);
  });
});
