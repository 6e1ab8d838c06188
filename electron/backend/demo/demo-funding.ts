import { addDays, zonedToInstant } from '../../../shared/domain/dates';
import { claimRequestInput } from '../../../shared/contract/claims';
import { closeSlotInput, recordRollCallInput } from '../../../shared/schemas/attendance';
import type { FundingRuleInput } from '../../../shared/schemas/funding';
import { funderInput, programmeInput, ruleVersionInput } from '../../../shared/schemas/funding-reference';
import { contractInput, fundingsSaveInput, ruptureInput, type FundingLineInput } from '../../../shared/schemas/funding-lines';
import { actionInput, enrolmentInput, enrolmentStatusInput, generateSlotsInput, sessionInput } from '../../../shared/schemas/training';
import { placeInput } from '../../../shared/schemas/organisation';
import { companyInput, traineeInput, trainerInput } from '../../../shared/schemas/people';
import { closeSlot, getRollCall, recordRollCall } from '../attendance/attendance';
import { saveAction, savePlace } from '../catalogue/catalogue';
import { buildClaim } from '../claims/claims';
import type { Ctx } from '../context';
import { addRuleVersion, saveFunder, saveProgramme } from '../funding/reference';
import { ruptureContract, saveContract } from '../fundings/contracts';
import { saveFundings } from '../fundings/lines';
import { organisationTimeZone } from '../organisation/organisation';
import { saveCompany, saveTrainee, saveTrainer } from '../people/people';
import { createEnrolment, setEnrolmentStatus } from '../sessions/enrolments';
import { generateSlots, saveSession } from '../sessions/sessions';
import { demoSignature } from './demo-signatures';

/**
 * The demo's funders, programmes with dated rule versions, funding lines, apprenticeship contracts and one
 * claim ready to validate (issue #10), drawn from shared/design/reference/seeds-analysis.md §6: 6.1 Grand Est
 * « Des étoiles et des femmes » (six co-funders), 6.2 Parcours TPME (18 €/h cap), 6.4 Occitanie apprenticeship
 * majorations, 6.6 Normandie #Avenir (three units in one claim), 6.8 DAQ BFC (SIEG) and an Agefiph top-up.
 * Rates the seeds mark synthetic are used as given there; every person and company is fictitious.
 * Everything goes through the services, inside the demo's one transaction.
 */

/** The funders the demo adds (the generic ETAT, FRANCE_TRAVAIL and AGEFIPH of the migrations are reused). */
const FUNDERS = [
  { code: 'REGION_GE', name: 'Région Grand Est', kind: 'region', payerCategory: 'C-6', city: 'Strasbourg', postcode: '67000' },
  { code: 'REGION_PDL', name: 'Région Pays de la Loire', kind: 'region', payerCategory: 'C-6', city: 'Nantes', postcode: '44000' },
  { code: 'REGION_NORMANDIE', name: 'Région Normandie', kind: 'region', payerCategory: 'C-6', city: 'Caen', postcode: '14000' },
  { code: 'REGION_OCCITANIE', name: 'Région Occitanie', kind: 'region', payerCategory: 'C-6', city: 'Toulouse', postcode: '31000' },
  { code: 'REGION_BFC', name: 'Région Bourgogne-Franche-Comté', kind: 'region', payerCategory: 'C-6', city: 'Dijon', postcode: '21000' },
  { code: 'AKTO', name: 'AKTO (OPCO des services à forte intensité de main-d’œuvre)', kind: 'opco', payerCategory: 'C-2a', city: 'Paris', postcode: '75000' },
  { code: 'CD67', name: 'Conseil départemental du Bas-Rhin', kind: 'collectivite', payerCategory: 'C-8', city: 'Strasbourg', postcode: '67000' },
  { code: 'BISTROTS_RHIN', name: 'Les Bistrots Gourmands du Rhin (fictif, employeur co-financeur)', kind: 'employeur', payerCategory: 'C-1', city: 'Strasbourg', postcode: '67000' },
  { code: 'APPORT_DUMAS', name: 'Lycée hôtelier Alexandre Dumas / Greta Strasbourg (apport en nature)', kind: 'autre', payerCategory: 'C-8', city: 'Illkirch-Graffenstaden', postcode: '67400' },
] as const;

export interface DemoFundingIds {
  today: string;
  monday: string;
  cuisineSessionId: string;
  cuisineEnrolmentIds: string[];
  tpme: { enrolmentId: string; fileNumber: string };
  hcr: { sessionStart: string; lea: { enrolmentId: string; employerId: string; placeId: string }; yanis: { enrolmentId: string; placeId: string; rupture: string } };
  eform: { sieg: { enrolmentId: string; fileNumber: string }; agefiph: { enrolmentId: string; fileNumber: string } };
}

/** Funders first: the enrolments name them. */
export async function demoFunders(ctx: Ctx): Promise<void> {
  for (const f of FUNDERS) await saveFunder(ctx, funderInput.parse({ ...f, create: true }));
}

export async function demoFunding(ctx: Ctx, ids: DemoFundingIds): Promise<{ actions: number; sessions: number; slots: number; trainees: number; enrolments: number; readyClaimId: string }> {
  const { today, monday } = ids;
  const programme = async (code: string, funderCode: string, name: string, region: string | null, versions: { from: string; to?: string | null; rule: FundingRuleInput; note?: string }[]) => {
    const p = await saveProgramme(ctx, programmeInput.parse({ code, funderCode, name, region }));
    for (const v of versions) await addRuleVersion(ctx, ruleVersionInput.parse({ programmeId: p.id, validFrom: v.from, validTo: v.to ?? null, rule: v.rule, note: v.note ?? null }));
    return p.id;
  };
  const yearAgo = addDays(today, -365);
  const lines = async (owner: { enrolmentId: string } | { sessionId: string }, list: FundingLineInput[]) => saveFundings(ctx, fundingsSaveInput.parse({ ...owner, lines: list }));

  // ——— 6.1 Grand Est « Des étoiles et des femmes »: six co-funders on the cuisine session (seed total 123 750 €:
  // État 63 000, then synthetic splits). Shares in percent of each trainee's realised hours, the lycée/Greta in-kind
  // contribution taking the remainder; one synthetic hourly rate, 123 750 € / (12 × 1 370 h) ≈ 7,53 €.
  const etoiles = (funder: string, code: string, who: string, payer: FundingRuleInput['payerCategory']) =>
    programme(code, funder, `Des étoiles et des femmes — ${who}`, 'Grand Est', [
      { from: yearAgo, rule: { unit: 'trainee-hour', rateCents: 753, payerCategory: payer }, note: 'Taux synthétique : 123 750 € / (12 × 1 370 h).' },
    ]);
  const coFunders: { funder: string; programmeId: string; share: number | null }[] = [
    { funder: 'ETAT', programmeId: await etoiles('ETAT', 'GE-ETOILES-PIC', 'Pacte régional (PIC)', 'C-5'), share: 5091 },
    { funder: 'REGION_GE', programmeId: await etoiles('REGION_GE', 'GE-ETOILES-REGION', 'Région Grand Est', 'C-6'), share: 2424 },
    { funder: 'CD67', programmeId: await etoiles('CD67', 'GE-ETOILES-CD67', 'Conseil départemental', 'C-8'), share: 808 },
    { funder: 'FRANCE_TRAVAIL', programmeId: await etoiles('FRANCE_TRAVAIL', 'GE-ETOILES-FT', 'France Travail', 'C-7'), share: 970 },
    { funder: 'BISTROTS_RHIN', programmeId: await etoiles('BISTROTS_RHIN', 'GE-ETOILES-BISTROTS', 'employeurs partenaires', 'C-1'), share: 404 },
    { funder: 'APPORT_DUMAS', programmeId: await etoiles('APPORT_DUMAS', 'GE-ETOILES-APPORT', 'apport du lycée et du Greta', 'C-8'), share: null },
  ];
  await lines({ sessionId: ids.cuisineSessionId }, coFunders.map((c) => ({
    funderCode: c.funder, programmeId: c.programmeId, costType: 'pedagogique', shareKind: c.share === null ? 'remainder' : 'percent', shareValue: c.share, purchaseOrder: c.funder === 'ETAT' ? 'PIC-GE-2026-017' : null,
  })));
  // An enrolment's own line of a cost type hides its session's: each trainee keeps only her pay (rémunération,
  // France Travail), so the six session lines share her course hours.
  for (const [i, enrolmentId] of ids.cuisineEnrolmentIds.entries()) {
    await lines({ enrolmentId }, [{ funderCode: 'FRANCE_TRAVAIL', costType: 'remuneration', shareKind: 'remainder', fileNumber: `GE-PIC-2026-${String(i + 1).padStart(3, '0')}` }]);
  }

  // ——— 6.2 Pays de la Loire, Parcours TPME: trainee hour capped at 18 €/h, 800 h at most; the 17 € version ended yesterday.
  const tpme = await programme('PDL-TPME', 'REGION_PDL', 'Parcours TPME — formations longues d’adaptation à l’emploi', 'Pays de la Loire', [
    { from: yearAgo, to: addDays(today, -1), rule: { unit: 'trainee-hour', rateCents: 1700, caps: { hourlyPriceCents: 1800, minutesPerEnrolment: 800 * 60 }, payerCategory: 'C-6' }, note: 'Tarif de l’année précédente (synthétique).' },
    { from: today, rule: { unit: 'trainee-hour', rateCents: 1800, caps: { hourlyPriceCents: 1800, minutesPerEnrolment: 800 * 60 }, payerCategory: 'C-6' }, note: 'Plafond 18 €/h, 401 à 800 h (seed S3:1023-1025).' },
  ]);
  await lines({ enrolmentId: ids.tpme.enrolmentId }, [{ funderCode: 'REGION_PDL', programmeId: tpme, shareKind: 'remainder', fileNumber: ids.tpme.fileNumber }]);

  // ——— 6.4 Occitanie: AKTO coût contrat (NPEC 7 800 € a year, synthetic) and the Region's majorations.
  const npec = await programme('AKTO-APP-HCR', 'AKTO', 'Apprentissage — coût contrat (NPEC) CAP HCR', 'Occitanie', [
    { from: yearAgo, rule: { unit: 'contract', rateCents: 780_000, payerCategory: 'C-2a', evidence: ['invoice', 'certificat'] }, note: 'NPEC synthétique.' },
  ]);
  const majorations = await programme('OCC-MAJ-APP', 'REGION_OCCITANIE', 'Majorations régionales des contrats d’apprentissage', 'Occitanie', [
    {
      from: yearAgo,
      rule: {
        unit: 'contract-majoration', payerCategory: 'C-6', combineMajorations: false, onRupture: 'pro-rata', evidence: ['invoice'],
        majorations: [
          { code: 'ZRR-QPV', label: 'site en ZRR ou en QPV', amountCents: 150_000, condition: 'site-zrr-qpv' },
          {
            code: 'SECTEUR', label: 'secteur stratégique régional', amountCents: 100_000, condition: 'strategic-sector',
            sectors: [{ rncpCode: 'RNCP37859', from: addDays(today, -730), to: addDays(today, -366) }, { rncpCode: 'RNCP37860', from: yearAgo, to: null }],
          },
        ],
      },
      note: 'Seed S0:28-30. Cumul et rupture non précisés par la source : non cumulables, au prorata en cas de rupture (choix de démonstration).',
    },
  ]);
  const contractEnd = addDays(ids.hcr.sessionStart, 659); // 660 days planned (synthetic)
  const contract = (enrolmentId: string, employerId: string, placeId: string, contractNumber: string) => saveContract(ctx, contractInput.parse({
    enrolmentId, employerId, placeId, contractNumber, diploma: 'CAP Commercialisation et services en hôtel-café-restaurant', rncpCode: 'RNCP37860',
    startDate: ids.hcr.sessionStart, endDate: contractEnd, funderCode: 'AKTO', programmeId: npec, npecCents: 780_000, majorationProgrammeId: majorations,
  }));
  const hcrLine = (fileNumber: string): FundingLineInput[] => [{ funderCode: 'AKTO', programmeId: npec, shareKind: 'remainder', fileNumber }];
  await lines({ enrolmentId: ids.hcr.lea.enrolmentId }, hcrLine('AKTO-APP-2026-5531'));
  await contract(ids.hcr.lea.enrolmentId, ids.hcr.lea.employerId, ids.hcr.lea.placeId, 'DECA-048-2026-00531');
  const capitole = await saveCompany(ctx, companyInput.parse({ name: 'Brasserie du Capitole (fictif)', siret: '99900700800017', postcode: '31000', city: 'Toulouse', headcount: 12 }));
  await lines({ enrolmentId: ids.hcr.yanis.enrolmentId }, hcrLine('AKTO-APP-2026-5532'));
  const yanis = await contract(ids.hcr.yanis.enrolmentId, capitole.id, ids.hcr.yanis.placeId, 'DECA-031-2026-00532');
  await ruptureContract(ctx, ruptureInput.parse({ id: yanis.id, date: ids.hcr.yanis.rupture, reason: "Rupture à l'initiative de l'apprenti pendant la période d'essai (fictif)." }));

  // ——— 6.8 DAQ BFC (SIEG): a cost-based compensation, absences not deducted (synthetic 10 €/h).
  const daq = await programme('BFC-DAQ', 'REGION_BFC', 'Dispositif amont de la qualification (SIEG)', 'Bourgogne-Franche-Comté', [
    { from: yearAgo, rule: { unit: 'cost-based', rateCents: 1000, caps: { minutesPerEnrolment: 650 * 60 }, payerCategory: 'C-6' }, note: 'Compensation SIEG : les absences ne réduisent pas la compensation (seed S3:6011-6082) ; 650 h au plus.' },
  ]);
  await lines({ enrolmentId: ids.eform.sieg.enrolmentId }, [{ funderCode: 'REGION_BFC', programmeId: daq, shareKind: 'remainder', fileNumber: ids.eform.sieg.fileNumber }]);

  // ——— Agefiph: 25 % of the hours' cost on top of the CPF, for a trainee with an RQTH (no RQTH field yet: the file number says it).
  const agefiph = await programme('AGEFIPH-COMP', 'AGEFIPH', 'Agefiph — aide à la compensation (25 %)', null, [
    { from: yearAgo, rule: { unit: 'grant-percent', rateCents: 1500, grantBasisPoints: 2500, payerCategory: 'C-8' }, note: '25 % du coût horaire de 15 € (synthétique).' },
  ]);
  await lines({ enrolmentId: ids.eform.agefiph.enrolmentId }, [
    { funderCode: 'CPF', shareKind: 'remainder', fileNumber: ids.eform.agefiph.fileNumber },
    { funderCode: 'AGEFIPH', programmeId: agefiph, costType: 'aide', shareKind: 'remainder', fileNumber: 'AGEFIPH-2026-0311 (RQTH)' },
  ]);

  // ——— 6.6 Normandie #Avenir: rolling entries, trainee hour 11,50 €, group hour 95,00 €, lump sum 350,00 € (synthetic).
  // No claim is validated here: a validation prints and signs documents (a signing certificate, an invoice
  // number, the ledger) and would double the demo's loading time; the newcomer validates the ready one.
  const avenir = await demoAvenir(ctx, today, monday);
  return { ...avenir.counts, readyClaimId: avenir.readyClaimId };
}

/**
 * #Avenir (Caen), Monday and Tuesday 09:00–12:30 and 13:30–17:00 (210 minutes a slot), from the Monday two
 * weeks ago: Mathis and Sandrine enter then, Omar a week later (rolling entry). Its attendance is written here,
 * simple enough to be counted by hand (test/integration/demo-funding.test.ts): everyone present and every slot
 * countersigned, except Sandrine 20 minutes late on the second Tuesday morning and Omar absent (unexcused) that
 * afternoon. One funder, three programmes, one unit each (the engine bills one unit per programme): the trainee
 * hour and the lump sum on each enrolment (the lump sum as « accompagnement », so it does not share the hours),
 * the group hour on the session. The claim of the two past complete weeks is built, ready to validate.
 */
async function demoAvenir(ctx: Ctx, today: string, monday: string) {
  const rule = (unit: FundingRuleInput['unit'], rateCents: number): FundingRuleInput => ({ unit, rateCents, payerCategory: 'C-6' });
  const from = addDays(today, -365);
  const p = async (code: string, name: string, unit: FundingRuleInput['unit'], rateCents: number) => {
    const created = await saveProgramme(ctx, programmeInput.parse({ code, funderCode: 'REGION_NORMANDIE', name, region: 'Normandie' }));
    await addRuleVersion(ctx, ruleVersionInput.parse({ programmeId: created.id, validFrom: from, validTo: null, rule: rule(unit, rateCents), note: 'Marché #Avenir (tarif synthétique, seed §6.6).' }));
    return created.id;
  };
  const hours = await p('AVENIR-HS', '#Avenir — heures stagiaire', 'trainee-hour', 1150);
  const group = await p('AVENIR-HG', '#Avenir — heures groupe', 'group-hour', 9500);
  const lump = await p('AVENIR-FORFAIT', '#Avenir — forfait d’accompagnement', 'learner-lump-sum', 35_000);

  const place = await savePlace(ctx, placeInput.parse({ name: 'Plateau technique #Avenir — Caen', address: '4 rue de la Pigacière', postcode: '14000', city: 'Caen', qpv: false, zrr: false }));
  const trainer = await saveTrainer(ctx, trainerInput.parse({ lastName: 'Girard', firstName: 'Nathalie', kind: 'internal', email: 'nathalie.girard@ateliers-sillon.example' }));
  const action = await saveAction(ctx, actionInput.parse({ title: '#Avenir — orientation et remobilisation vers l’emploi', code: 'AVENIR-NO', certificationCode: null, level: null, nsfCode: '415', plannedMinutes: 300 * 60, modality: 'presentiel' }));
  const start = addDays(monday, -14);
  const session = await saveSession(ctx, sessionInput.parse({ actionId: action.id, label: '#Avenir — entrées permanentes Caen', mode: 'rolling', capacity: 12, startDate: start, endDate: addDays(monday, 7 * 20 - 3), placeId: place.id }));
  const timetable = [1, 2].flatMap((weekday) => [
    { weekday, halfDay: 'am' as const, start: '09:00', end: '12:30' },
    { weekday, halfDay: 'pm' as const, start: '13:30', end: '17:00' },
  ]);
  const gen = await generateSlots(ctx, generateSlotsInput.parse({ sessionId: session.id, from: session.startDate, to: session.endDate, timetable, trainerIds: [trainer.id] }));

  const people = [
    { key: 'mathis', lastName: 'Perrin', firstName: 'Mathis', birthDate: '2007-03-15', city: 'Caen', postcode: '14000', entry: start, file: 'NOR-AVENIR-2026-0311' },
    { key: 'sandrine', lastName: 'Guérin', firstName: 'Sandrine', birthDate: '1975-06-02', city: 'Hérouville-Saint-Clair', postcode: '14200', entry: start, file: 'NOR-AVENIR-2026-0312' },
    { key: 'omar', lastName: 'Touré', firstName: 'Omar', birthDate: '1998-01-20', city: 'Caen', postcode: '14000', entry: addDays(start, 7), file: 'NOR-AVENIR-2026-0318' },
  ] as const;
  const enrolled: Record<string, string> = {};
  for (const t of people) {
    const trainee = await saveTrainee(ctx, traineeInput.parse({ lastName: t.lastName, firstName: t.firstName, birthDate: t.birthDate, city: t.city, postcode: t.postcode, fictitious: true }));
    const e = await createEnrolment(ctx, enrolmentInput.parse({ sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION_NORMANDIE', fileNumber: t.file, plannedStart: t.entry, plannedEnd: addDays(t.entry, 7 * 16 - 3) }));
    await setEnrolmentStatus(ctx, enrolmentStatusInput.parse({ enrolmentId: e.id, status: 'entered', effectiveDate: t.entry }));
    await saveFundings(ctx, fundingsSaveInput.parse({
      enrolmentId: e.id,
      lines: [
        { funderCode: 'REGION_NORMANDIE', programmeId: hours, costType: 'pedagogique', shareKind: 'remainder', fileNumber: t.file },
        { funderCode: 'REGION_NORMANDIE', programmeId: lump, costType: 'accompagnement', shareKind: 'remainder', fileNumber: t.file },
      ],
    }));
    enrolled[t.key] = e.id;
  }
  await saveFundings(ctx, fundingsSaveInput.parse({ sessionId: session.id, lines: [{ funderCode: 'REGION_NORMANDIE', programmeId: group, costType: 'pedagogique', shareKind: 'remainder' }] }));

  // Attendance on every past slot; the exceptions on the second Tuesday (start + 8 days).
  const secondTuesday = addDays(start, 8);
  const slots = await ctx.db.selectFrom('slots').select(['id', 'date', 'halfDay', 'startTime as start', 'endTime as end']).where('sessionId', '=', session.id).where('date', '<', today).orderBy('date').orderBy('startTime').execute();
  const timeZone = await organisationTimeZone(ctx);
  for (const slot of slots) {
    const at = (minutes: number) => new Date(zonedToInstant(slot.date, slot.start, timeZone).getTime() + minutes * 60_000);
    const call = await getRollCall({ ...ctx, now: () => at(5) }, slot.id);
    const marks = call.rows.map((row, i) => {
      const signedAt = new Date(at(5).getTime() - (i + 1) * 3_000).toISOString();
      if (slot.date === secondTuesday && row.enrolmentId === enrolled.sandrine && slot.halfDay === 'am') {
        return { enrolmentId: row.enrolmentId, kind: 'late', lateMinutes: 20, method: 'signature' as const, signature: demoSignature(row.traineeName), signedAt: new Date(at(20).getTime()).toISOString() };
      }
      if (slot.date === secondTuesday && row.enrolmentId === enrolled.omar && slot.halfDay === 'pm') return { enrolmentId: row.enrolmentId, kind: 'unexcused', method: 'none' as const };
      return { enrolmentId: row.enrolmentId, kind: 'present', method: 'signature' as const, signature: demoSignature(row.traineeName), signedAt };
    });
    if (marks.length === 0) continue;
    const late = marks.some((m) => m.kind === 'late');
    await recordRollCall({ ...ctx, now: () => at(late ? 21 : 5) }, recordRollCallInput.parse({ slotId: slot.id, submissionId: ctx.newId(), marks }));
    await closeSlot({ ...ctx, now: () => zonedToInstant(slot.date, slot.end, timeZone) }, closeSlotInput.parse({ slotId: slot.id, trainerId: trainer.id, method: 'signature', signature: demoSignature('Nathalie Girard') }));
  }

  const ready = await buildClaim(ctx, claimRequestInput.parse({ funderCode: 'REGION_NORMANDIE', from: start, to: addDays(monday, -1) }));
  return { counts: { actions: 1, sessions: 1, slots: gen.created, trainees: 3, enrolments: 3 }, readyClaimId: ready.claim.id };
}
