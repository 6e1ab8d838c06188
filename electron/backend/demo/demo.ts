import { AppError } from '../../../shared/errors';
import { addDays, isoWeekday, minutesToTime, timeToMinutes, zonedToInstant } from '../../../shared/domain/dates';
import { closeSlotInput, correctMarkInput, recordRollCallInput } from '../../../shared/schemas/attendance';
import { importLogInput } from '../../../shared/schemas/connection-logs';
import { closeSlot, correctMark, getRollCall, recordRollCall } from '../attendance/attendance';
import { importConnectionLog } from '../attendance/connection-logs';
import { issueQrCode, scanQrCode } from '../attendance/qr';
import { hashSecret } from '../auth/hashing';
import { demoAccounts } from './demo-accounts';
import { demoAfest } from './demo-afest';
import { demoFunders, demoFunding } from './demo-funding';
import { demoSignature } from './demo-signatures';
import type { TimetableEntryInput } from '../../../shared/schemas/training';
import {
  actionInput,
  assignSlotsInput,
  enrolmentInput,
  enrolmentStatusInput,
  generateSlotsInput,
  sessionInput,
} from '../../../shared/schemas/training';
import { organisationInput, placeInput } from '../../../shared/schemas/organisation';
import { companyInput, traineeInput, trainerInput } from '../../../shared/schemas/people';
import { inTransaction, type Ctx } from '../context';
import { saveAction, savePlace } from '../catalogue/catalogue';
import { createEnrolment, setEnrolmentStatus } from '../sessions/enrolments';
import { organisationTimeZone, saveOrganisation, todayOf } from '../organisation/organisation';
import { saveCompany, saveTrainee, saveTrainer } from '../people/people';
import { assignSlots, generateSlots, saveSession } from '../sessions/sessions';

/**
 * The demo dataset, drawn from the seed documents (shared/design/reference/seeds-analysis.md §6). The
 * schemes, places and figures come from the sources; every person and company is fictitious (SIRETs
 * starting 999) and marked so. Dates are laid around today so the current week has slots to work on.
 */
export async function loadDemo(ctx: Ctx) {
  // Hashed before the transaction: scrypt takes a tenth of a second, the connection stays free meanwhile.
  const demoPassword = await hashSecret('demo');
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.db.selectFrom('actions').select('id').limit(1).executeTakeFirst();
    if (existing) throw new AppError('business', 'La base contient déjà des actions : les données de démonstration se chargent dans une base vide.');
    const today = await todayOf(tx);
    const monday = addDays(today, 1 - isoWeekday(today));

    await saveOrganisation(tx, organisationInput.parse({
      name: 'Les Ateliers du Sillon — organisme de démonstration (fictif)',
      siret: '99900100100018',
      nda: '44670000067',
      qualiopiValidUntil: addDays(today, 400),
      legalRepresentative: 'Claire Vasseur (fictive)',
      address: '12 rue des Tanneurs',
      postcode: '67000',
      city: 'Strasbourg',
      email: 'contact@ateliers-sillon.example',
      phone: '03 88 00 00 00',
    }));

    await demoFunders(tx);

    const place = async (p: object) => (await savePlace(tx, placeInput.parse(p))).id;
    const illkirch = await place({ name: 'Lycée hôtelier Alexandre Dumas — cuisine pédagogique', address: '75 route du Rhin', postcode: '67400', city: 'Illkirch-Graffenstaden', qpv: false, zrr: false });
    const cholet = await place({ name: 'Plateau technique menuiserie', address: 'ZA du Bocage', postcode: '49300', city: 'Cholet' });
    const mende = await place({ name: 'CFA des métiers de bouche — antenne de Mende', postcode: '48000', city: 'Mende', zrr: true });
    const toulouse = await place({ name: 'CFA des métiers de bouche — Toulouse', postcode: '31200', city: 'Toulouse', qpv: true });

    const trainer = async (lastName: string, firstName: string, kind: 'internal' | 'external') =>
      (await saveTrainer(tx, trainerInput.parse({ lastName, firstName, kind, email: `${ascii(firstName)}.${ascii(lastName)}@ateliers-sillon.example` }))).id;
    const tKlein = await trainer('Klein', 'Martine', 'internal');
    const tWeber = await trainer('Weber', 'Thomas', 'internal');
    const tVasseur = await trainer('Vasseur', 'Claire', 'internal');
    const tMoreau = await trainer('Moreau', 'Sébastien', 'external');

    const company = async (name: string, siret: string, postcode: string, city: string, headcount: number) =>
      (await saveCompany(tx, companyInput.parse({ name: `${name} (fictif)`, siret, postcode, city, headcount }))).id;
    const resto1 = await company('Restaurant Le Rhin Gourmand', '99900200900010', '67000', 'Strasbourg', 22);
    const resto2 = await company('Brasserie des Tanneurs', '99900300700013', '67000', 'Strasbourg', 15);
    const menuiserie = await company('Menuiserie du Bocage SARL', '99900400500016', '49300', 'Cholet', 14);
    const auberge = await company('Auberge du Gévaudan', '99900500200012', '48000', 'Mende', 9);
    const conserverie = await company('Conserverie des Coteaux SAS', '99900600000015', '47000', 'Agen', 80);

    const action = async (a: object) => (await saveAction(tx, actionInput.parse(a))).id;
    const capCuisine = await action({ title: "CAP Cuisine — parcours d'excellence (Des étoiles et des femmes)", code: 'CAPCUI-GE', certificationCode: 'RNCP37859', level: 3, nsfCode: '221', plannedMinutes: 1370 * 60, modality: 'mixte' });
    const tpme = await action({ title: 'Parcours TPME — menuisier agenceur (AFEST)', code: 'TPME-MEN', certificationCode: null, level: null, nsfCode: '234', plannedMinutes: 600 * 60, modality: 'afest' });
    const capHcr = await action({ title: 'CAP Commercialisation et services en HCR (apprentissage)', code: 'CAPHCR-OC', certificationCode: 'RNCP37860', level: 3, nsfCode: '334', plannedMinutes: 800 * 60, modality: 'presentiel', nature: 'apprentissage' });
    const eform = await action({ title: 'Secrétaire assistant(e) médico-social(e) — e-formation', code: 'SAMS-EF', certificationCode: 'RNCP36805', level: 4, nsfCode: '324', plannedMinutes: 420 * 60, modality: 'distanciel' });

    const weekdays = (days: number[], am: [string, string], pm?: [string, string]): TimetableEntryInput[] =>
      days.flatMap((weekday) => [
        { weekday, halfDay: 'am' as const, start: am[0], end: am[1] },
        ...(pm ? [{ weekday, halfDay: 'pm' as const, start: pm[0], end: pm[1] }] : []),
      ]);

    const counts = { actions: 4, sessions: 0, slots: 0, trainees: 0, enrolments: 0 };
    const session = async (s: object, timetable: TimetableEntryInput[], trainerIds: string[]) => {
      const created = await saveSession(tx, sessionInput.parse(s));
      const gen = await generateSlots(tx, generateSlotsInput.parse({ sessionId: created.id, from: created.startDate, to: created.endDate, timetable, trainerIds }));
      counts.sessions++;
      counts.slots += gen.created;
      return created;
    };
    const cuisine = await session(
      { actionId: capCuisine, label: 'Des étoiles et des femmes — promotion Grand Est', mode: 'cohort', capacity: 12, startDate: addDays(monday, -28), endDate: addDays(monday, 7 * 30 - 3), placeId: illkirch },
      weekdays([1, 2, 3, 4], ['08:30', '12:00'], ['13:00', '16:30']),
      [tKlein],
    );
    const menuis = await session(
      { actionId: tpme, label: 'Parcours TPME — entrées permanentes Cholet', mode: 'rolling', capacity: 8, startDate: addDays(monday, -56), endDate: addDays(monday, 7 * 40 - 3), placeId: cholet },
      weekdays([1, 2], ['08:30', '12:00'], ['13:30', '17:00']),
      [tWeber],
    );
    const hcr = await session(
      { actionId: capHcr, label: 'CAP HCR — apprentis Mende', mode: 'cohort', capacity: 10, startDate: addDays(monday, -14), endDate: addDays(monday, 7 * 20 - 3), placeId: mende },
      weekdays([4, 5], ['08:00', '12:00'], ['13:00', '17:00']),
      [tMoreau],
    );
    const distance = await session(
      { actionId: eform, label: 'SAMS e-formation — classe virtuelle', mode: 'cohort', capacity: 15, startDate: addDays(monday, -7), endDate: addDays(monday, 7 * 12 - 3), placeId: toulouse },
      weekdays([2, 4], ['09:00', '12:00']),
      [tVasseur],
    );

    const women = [
      ['Benali', 'Nadia', '1992-03-14'], ['Diallo', 'Fatou', '1974-07-02'], ['Martin', 'Sophie', '1988-11-23'],
      ['Nguyen', 'Linh', '1995-01-30'], ['Haddad', 'Samira', '1981-05-17'], ['Lopes', 'Ana', '1990-09-09'],
      ['Kaya', 'Elif', '1997-12-01'], ['Petit', 'Julie', '1985-04-26'], ['Traoré', 'Aminata', '1979-08-12'],
      ['Schmitt', 'Laura', '1993-06-05'], ['Mbappé', 'Grâce', '1987-02-19'], ['Roux', 'Céline', '1972-10-10'],
    ] as const;
    const trainee = async (lastName: string, firstName: string, birthDate: string, extra: object = {}) => {
      counts.trainees++;
      return (await saveTrainee(tx, traineeInput.parse({ lastName, firstName, birthDate, fictitious: true, ...extra }))).id;
    };
    const enrol = async (e: object, entered?: string, exit?: { date: string; reason: string; outcome: string }) => {
      const created = await createEnrolment(tx, enrolmentInput.parse(e));
      counts.enrolments++;
      if (entered) await setEnrolmentStatus(tx, enrolmentStatusInput.parse({ enrolmentId: created.id, status: 'entered', effectiveDate: entered }));
      if (exit) await setEnrolmentStatus(tx, enrolmentStatusInput.parse({ enrolmentId: created.id, status: 'exited', effectiveDate: exit.date, reason: exit.reason, outcome: exit.outcome }));
      return created;
    };
    let n = 0;
    const cuisineEnrolments: string[] = [];
    for (const [last, first, birth] of women) {
      n++;
      const id = await trainee(last, first, birth, { qpvResident: true, postcode: '67100', city: 'Strasbourg', franceTravailId: `${1234500 + n}A` });
      const created = await enrol(
        { sessionId: cuisine.id, traineeId: id, companyId: n % 2 ? resto1 : resto2, funderCode: n % 3 === 0 ? 'REGION' : 'ETAT', fileNumber: `GE-PIC-2026-${String(n).padStart(3, '0')}` },
        cuisine.startDate,
        n === 12 ? { date: addDays(monday, -3), reason: 'employment', outcome: 'employment-cdd' } : undefined,
      );
      cuisineEnrolments.push(created.id);
    }
    const julien = await trainee('Renaud', 'Julien', '1979-04-02', { nir: '179044935500771', franceTravailId: '7654321B', postcode: '49300', city: 'Cholet' });
    const julienEnrolment = await enrol({ sessionId: menuis.id, traineeId: julien, companyId: menuiserie, funderCode: 'REGION_PDL', fileNumber: 'PDL-TPME-2026-0147', plannedStart: menuis.startDate, plannedEnd: addDays(menuis.startDate, 7 * 36 - 3) }, menuis.startDate);
    const karim = await trainee('Benhamou', 'Karim', '1990-02-11', { postcode: '49000', city: 'Angers' });
    await enrol({ sessionId: menuis.id, traineeId: karim, companyId: menuiserie, funderCode: 'FRANCE_TRAVAIL', fileNumber: 'FT-AIF-88412', plannedStart: addDays(monday, -14), plannedEnd: addDays(monday, 7 * 30 - 3) }, addDays(monday, -14));
    const lea = await trainee('Fabre', 'Léa', '2007-06-21', { postcode: '48000', city: 'Mende' });
    const leaEnrolment = await enrol({ sessionId: hcr.id, traineeId: lea, companyId: auberge, funderCode: 'AKTO', fileNumber: 'AKTO-APP-2026-5531' }, hcr.startDate);
    const yanis = await trainee('Kacem', 'Yanis', '2006-12-03', { postcode: '31200', city: 'Toulouse' });
    const yanisEnrolment = await enrol({ sessionId: hcr.id, traineeId: yanis, funderCode: 'AKTO', fileNumber: 'AKTO-APP-2026-5532' }, hcr.startDate, { date: addDays(monday, -4), reason: 'abandon', outcome: 'none' });
    const eformEnrolments: { id: string; fileNumber: string }[] = [];
    for (const [last, first, birth, email] of [
      ['Garcia', 'Inès', '1994-03-08', 'ines.garcia@exemple.fr'],
      ['Bernard', 'Chloé', '1989-10-15', 'chloe.bernard@exemple.fr'],
      ['Ouattara', 'Mariam', '1983-01-27', 'mariam.ouattara@exemple.fr'],
    ] as const) {
      const id = await trainee(last, first, birth, { email, postcode: '31000', city: 'Toulouse' });
      const fileNumber = `EDOF-${birth.replace(/-/g, '')}`;
      eformEnrolments.push({ id: (await enrol({ sessionId: distance.id, traineeId: id, funderCode: 'CPF', fileNumber }, distance.startDate)).id, fileNumber });
    }
    await demoAttendance(tx, today, { unclosed: hcr.id, withoutSheet: menuis.id });
    await demoDoubleBooking(tx, today, { trainerId: tKlein, busySession: cuisine.id, otherSession: hcr.id });
    // Funders, rules, funding lines, contracts, and the #Avenir session with the claim ready to validate.
    const funding = await demoFunding(tx, {
      today,
      monday,
      cuisineSessionId: cuisine.id,
      cuisineEnrolmentIds: cuisineEnrolments,
      tpme: { enrolmentId: julienEnrolment.id, fileNumber: 'PDL-TPME-2026-0147' },
      hcr: {
        sessionStart: hcr.startDate,
        lea: { enrolmentId: leaEnrolment.id, employerId: auberge, placeId: mende },
        yanis: { enrolmentId: yanisEnrolment.id, placeId: toulouse, rupture: addDays(monday, -4) },
      },
      eform: {
        sieg: { enrolmentId: eformEnrolments[1]!.id, fileNumber: 'DAQ-BFC-2026-0042' },
        agefiph: { enrolmentId: eformEnrolments[0]!.id, fileNumber: eformEnrolments[0]!.fileNumber },
      },
    });
    for (const k of ['actions', 'sessions', 'slots', 'trainees', 'enrolments'] as const) counts[k] += funding[k];
    // The two AFESTs (Parcours TPME, AAP Nouvelle-Aquitaine): the TPME one reads the programme made just above.
    const afest = await demoAfest(tx, {
      monday,
      tpme: { enrolmentId: julienEnrolment.id, companyId: menuiserie, facilitatorId: tVasseur, enrolmentEnd: julienEnrolment.plannedEnd },
      conserverieId: conserverie,
    });
    for (const k of ['actions', 'sessions', 'slots', 'trainees', 'enrolments'] as const) counts[k] += afest[k];
    await demoAccounts(tx, { trainerId: tKlein, tutorAfestId: afest.afestIds[0]! }, demoPassword);
    return counts;
  });
}

/**
 * Something for Contrôles to find on the first try, as in real life (hand-counted; see the demo test):
 *  - the last past slot of `unclosed` was signed but the trainer never countersigned: 1 « émargé mais sans la
 *    signature du formateur » (slot-not-countersigned);
 *  - the last past slot of `withoutSheet` had no roll call at all: 1 « sans feuille d'émargement »
 *    (slot-without-sheet), its trainees being expected;
 *  - below, a trainer booked on two overlapping slots next week: 2 « deux créneaux qui se chevauchent »
 *    (trainer-double-booked, one per slot).
 */
interface DemoGaps {
  unclosed: string;
  withoutSheet: string;
}

/**
 * Martine Klein (cuisine, Monday–Thursday 08:30–12:00) is also put on next week's Thursday morning of the
 * CAP HCR (08:00–12:00): the planning mistake the trainer double-booking check is for.
 */
async function demoDoubleBooking(ctx: Ctx, today: string, d: { trainerId: string; busySession: string; otherSession: string }): Promise<void> {
  const thursday = addDays(addDays(today, 1 - isoWeekday(today)), 7 + 3);
  const clash = await ctx.db
    .selectFrom('slots as b')
    .innerJoin('slots as a', (j) => j.onRef('a.date', '=', 'b.date').on('a.sessionId', '=', d.busySession).on('a.halfDay', '=', 'am'))
    .select(['b.id'])
    .where('b.sessionId', '=', d.otherSession)
    .where('b.date', '=', thursday)
    .where('b.halfDay', '=', 'am')
    .executeTakeFirst();
  if (!clash) return;
  const current = await ctx.db.selectFrom('slotTrainers').select('trainerId').where('slotId', '=', clash.id).where('deletedAt', 'is', null).execute();
  await assignSlots(ctx, assignSlotsInput.parse({ slotIds: [clash.id], trainerIds: [...current.map((c) => c.trainerId), d.trainerId] }));
}

/**
 * Realistic attendance on the demo's past slots: roll calls signed on the tablet (some late, some
 * absent, one by proxy), closed by the trainer's countersignature, a few corrections, and one
 * distance-learning connection log. Each slot is recorded "at" its own time, as it would have been.
 */
async function demoAttendance(ctx: Ctx, today: string, gaps: DemoGaps): Promise<void> {
  const slots = await ctx.db
    .selectFrom('slots as s')
    .innerJoin('sessions as x', 'x.id', 's.sessionId')
    .select(['s.id', 's.sessionId', 's.date', 's.startTime as start', 's.endTime as end', 's.modality', 'x.label'])
    .where('s.date', '<', today)
    .orderBy('s.date')
    .orderBy('s.startTime')
    .execute();
  const lastOf = (sessionId: string) => slots.filter((s) => s.sessionId === sessionId).at(-1)?.id;
  const leftUnclosed = lastOf(gaps.unclosed);
  const leftWithoutSheet = lastOf(gaps.withoutSheet);
  const timeZone = await organisationTimeZone(ctx);
  let n = 0;
  for (const slot of slots) {
    n++;
    if (slot.id === leftWithoutSheet) continue;
    const signedAt = (minutesAfterStart: number) => new Date(zonedToInstant(slot.date, slot.start, timeZone).getTime() + minutesAfterStart * 60_000);
    const at = { ...ctx, now: () => signedAt(5) };
    const call = await getRollCall(at, slot.id);
    if (call.rows.length === 0) continue;
    const remote = slot.modality === 'distanciel';
    // Distance learning: the trainer shows the slot's QR code, each trainee types it in while it is valid.
    const scans = new Map<string, string>();
    if (remote) {
      const shownAt = signedAt(2).getTime();
      const code = await issueQrCode({ ...ctx, now: () => new Date(shownAt) }, slot.id);
      for (const [i, row] of call.rows.entries()) {
        const scan = await scanQrCode({ ...ctx, now: () => new Date(shownAt + (i + 1) * 5_000) }, { slotId: slot.id, enrolmentId: row.enrolmentId, code: code.code });
        scans.set(row.enrolmentId, scan.scanId);
      }
    }
    const marks = call.rows.map((row, i) => {
      // The tablet's own reading of each capture: a few seconds before the roll call is recorded (backend time).
      const base = { enrolmentId: row.enrolmentId, signedAt: new Date(signedAt(5).getTime() - (i + 1) * 3_000).toISOString() };
      const roll = (n * 7 + i * 13) % 41;
      if (roll === 0) return { ...base, kind: 'unexcused', method: 'none' as const, signedAt: undefined };
      if (roll === 1) return { ...base, kind: 'excused', method: 'none' as const, reason: 'Rendez-vous France Travail', signedAt: undefined };
      if (roll === 2) return { ...base, kind: 'late', lateMinutes: 25, method: 'signature' as const, signature: demoSignature(row.traineeName) };
      if (roll === 3 && !remote) return { ...base, kind: 'present', method: 'proxy' as const, proxyName: 'Tuteur en entreprise' };
      if (remote) return { ...base, kind: 'remote', method: 'qr' as const, qrScanId: scans.get(row.enrolmentId), signedAt: undefined };
      return { ...base, kind: 'present', method: 'signature' as const, signature: demoSignature(row.traineeName) };
    });
    await recordRollCall(at, recordRollCallInput.parse({ slotId: slot.id, submissionId: ctx.newId(), marks }));
    const trainer = call.slot.trainers[0];
    if (!trainer || slot.id === leftUnclosed) continue;
    const closeAt = { ...ctx, now: () => zonedToInstant(slot.date, slot.end, timeZone) };
    await closeSlot(closeAt, closeSlotInput.parse({ slotId: slot.id, trainerId: trainer.id, method: 'signature', signature: demoSignature(trainer.name) }));
    // Now and then an absence is justified afterwards: a correction, with its reason.
    const absent = (await getRollCall(closeAt, slot.id)).rows.find((r) => r.mark?.kind === 'unexcused');
    if (absent && n % 2 === 0) {
      await correctMark({ ...ctx, now: () => new Date(zonedToInstant(slot.date, slot.end, timeZone).getTime() + 2 * 86_400_000) }, correctMarkInput.parse({
        markId: absent.mark!.id, kind: 'excused', method: 'none', reason: 'Certificat médical', correctionReason: 'Justificatif reçu après la séance',
      }));
    }
  }
  const eform = slots.filter((s) => s.modality === 'distanciel');
  if (eform.length) {
    const lines = ['identifiant;debut;fin'];
    const logins = await ctx.db
      .selectFrom('enrolments as e')
      .innerJoin('trainees as t', 't.id', 'e.traineeId')
      .innerJoin('sessions as x', 'x.id', 'e.sessionId')
      .select('t.email as name')
      .where('x.label', 'like', 'SAMS%')
      .execute();
    for (const s of eform) for (const [i, l] of logins.entries()) lines.push(`${l.name};${s.date} ${s.start};${s.date} ${addMinutesToTime(s.end, -10 * i)}`);
    if (logins.length) await importConnectionLog(ctx, importLogInput.parse({ fileName: 'classe-virtuelle-demo.csv', source: 'Classe virtuelle (démo)', csv: lines.join('\n') }));
  }
}

function addMinutesToTime(time: string, delta: number): string {
  return minutesToTime(timeToMinutes(time) + delta);
}

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^a-zA-Z]/g, '').toLowerCase();
}
