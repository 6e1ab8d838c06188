import { PNG } from 'pngjs';
import { addDays, zonedToInstant } from '../../../shared/domain/dates';
import { afestInput, afestRuleInput, attachmentInput, correctSequenceInput, evaluationInput, sequenceInput, tutorInput, type SequenceInput } from '../../../shared/schemas/afest';
import { funderInput, programmeInput } from '../../../shared/schemas/funding-reference';
import { traineeInput, trainerInput } from '../../../shared/schemas/people';
import { actionInput, enrolmentInput, enrolmentStatusInput, sessionInput } from '../../../shared/schemas/training';
import { placeInput } from '../../../shared/schemas/organisation';
import { correctSequence, recordEvaluation, recordSequence, saveAfest, saveAfestRule, saveTutor, uploadAttachment } from '../afest/afest';
import { saveAction, savePlace } from '../catalogue/catalogue';
import type { Ctx } from '../context';
import { saveFunder, saveProgramme } from '../funding/reference';
import { organisationTimeZone } from '../organisation/organisation';
import { saveTrainee, saveTrainer } from '../people/people';
import { createEnrolment, setEnrolmentStatus } from '../sessions/enrolments';
import { saveSession } from '../sessions/sessions';
import { demoSignature } from './demo-signatures';

/**
 * The demo's two AFESTs (issue #11), drawn from shared/design/reference/seeds-analysis.md §6.2 and §6.3; every
 * person and company is fictitious.
 *
 * (a) Pays de la Loire, Parcours TPME: Julien R. at the Menuiserie du Bocage, his workshop tutor Patrick L.
 *     (chef d'atelier, designated before the first work situation), Claire V. of the training body as the
 *     facilitator; 360 h of AFEST in a 600 h pathway (no minimum share on that programme). Over the four past
 *     complete weeks: work situations (MST, 7 h) on Wednesdays and Thursdays, a reflective sequence (SR, 1 h 30,
 *     out of production) on Fridays looking back on them, one MST corrected the next day, and an intermediate
 *     evaluation with two attachments → compliant.
 * (b) Nouvelle-Aquitaine, « AAP AFEST »: Agent(e) de fabrication industrielle – agroalimentaire at the
 *     Conserverie des Coteaux; the programme's rule asks for at least 70 % of AFEST in the pathway, and 350 h of
 *     AFEST in a 550 h pathway (200 h upstream) make 63,6 % → non-compliant on that one point.
 *
 * Each sequence is recorded « at » the end of its own day, as it would have been on the tablet.
 */

export interface DemoAfestIds {
  monday: string;
  tpme: { enrolmentId: string; companyId: string; facilitatorId: string; enrolmentEnd: string };
  conserverieId: string;
}

export async function demoAfest(ctx: Ctx, ids: DemoAfestIds): Promise<{ actions: number; sessions: number; slots: number; trainees: number; enrolments: number; afestIds: string[] }> {
  const timeZone = await organisationTimeZone(ctx);
  /** The ctx of someone recording on `date` at `time` (the tablet's moment). */
  const at = (date: string, time: string, minutesAfter = 10): Ctx => ({ ...ctx, now: () => new Date(zonedToInstant(date, time, timeZone).getTime() + minutesAfter * 60_000) });
  const { monday } = ids;
  const week = (n: number, weekday: number) => addDays(monday, -7 * n + weekday - 1);

  // ——— (a) Parcours TPME, Pays de la Loire ———
  const tpmeProgramme = await ctx.db.selectFrom('programmes').select('id').where('code', '=', 'PDL-TPME').executeTakeFirstOrThrow();
  const patrick = await saveTutor(ctx, tutorInput.parse({
    companyId: ids.tpme.companyId, lastName: 'Lemoine (fictif)', firstName: 'Patrick', jobTitle: "Chef d'atelier", phone: '02 41 00 00 00',
    tutorTraining: 'Formation « tuteur AFEST » de 14 h suivie avant la désignation ; 22 ans de métier en menuiserie, 3 apprentis accompagnés.',
  }));
  const analysisDate = week(5, 1);
  const tpme = await saveAfest(at(analysisDate, '17:00'), afestInput.parse({
    enrolmentId: ids.tpme.enrolmentId,
    programmeId: tpmeProgramme.id,
    title: 'AFEST menuisier agenceur — pose de menuiseries intérieures',
    companyId: ids.tpme.companyId,
    tutorId: patrick.id,
    tutorDesignatedOn: week(5, 3),
    tutorAcceptedOn: week(5, 4),
    facilitatorId: ids.tpme.facilitatorId,
    conventionRef: `CONV-TPME-${monday.slice(0, 4)}-0147`,
    analysisDate,
    workSituations: 'Pose de menuiseries intérieures (blocs-portes, placards) ; lecture de plan ; réglages machine à l’atelier.',
    tasks: 'Préparer le poste et l’outillage ; lire le plan et le descriptif de pose ; régler la scie et la toupie ; poser et caler un bloc-porte ; contrôler l’aplomb et le niveau ; ranger et nettoyer le poste.',
    criticalPoints: 'Réglages machine (risque de coupure, de rejet de pièce) ; ordre de montage d’un bloc-porte ; contrôle d’aplomb avant fixation définitive.',
    adaptations: 'Cadence de production réduite pendant les mises en situation ; pièces d’essai sur chutes avant le chantier client ; un seul poste à la fois (poste atelier 2).',
    safetyPoints: 'EPI (lunettes, protections auditives, chaussures de sécurité) ; consignation des machines avant réglage ; poussières de bois : aspiration en marche.',
    assessmentPlan: 'Évaluation intermédiaire à la 4e semaine (observation sur le poste atelier 2 et entretien d’explicitation avec le formateur animateur), évaluation finale en fin de parcours sur un chantier complet ; grille d’observation par compétence.',
    plannedMinutes: 360 * 60,
    pathwayMinutes: 600 * 60,
    startDate: week(4, 1),
    endDate: ids.tpme.enrolmentEnd,
    competences: [
      { label: 'Lire un plan et un descriptif de pose', blockCode: 'BC01' },
      { label: 'Régler une machine à bois (scie, toupie) en sécurité', blockCode: 'BC01' },
      { label: 'Contrôler l’aplomb et le niveau d’une huisserie (contrôle d’aplomb)', blockCode: 'BC02' },
      { label: 'Respecter l’ordre de montage d’un bloc-porte', blockCode: 'BC02' },
    ],
  }));
  const [plan, machine, aplomb, ordre] = tpme.afest.competences.map((c) => c.id) as [string, string, string, string];
  const julien = 'Julien Renaud';
  const mst = async (date: string, o: Partial<SequenceInput>) => recordSequence(at(date, o.end ?? '15:00'), sequenceInput.parse({
    afestId: tpme.afest.id, kind: 'work-situation', date, start: '08:00', end: '15:00', ledBy: 'tutor',
    learnerSignature: demoSignature(julien), leaderSignature: demoSignature('Patrick Lemoine'), ...o,
  }));
  const sr = async (date: string, reviewedIds: string[], o: Partial<SequenceInput>) => recordSequence(at(date, '11:30'), sequenceInput.parse({
    afestId: tpme.afest.id, kind: 'reflective', date, start: '10:00', end: '11:30', ledBy: 'facilitator', outOfProduction: true, reviewedIds,
    learnerSignature: demoSignature(julien), leaderSignature: demoSignature('Claire Vasseur'), ...o,
  }));
  const weeks = [
    {
      wed: { workstation: 'Poste atelier 2 — pose de bloc-porte', tasks: 'Pose de bloc-porte sur cloison d’essai : lecture du plan, préparation de l’huisserie, calage.', intendedLearning: 'Lire le plan ; ordre de montage d’un bloc-porte.', observations: 'Lecture du plan correcte ; calage à reprendre, l’ordre de montage n’est pas encore acquis.', competenceIds: [plan, ordre] },
      thu: { workstation: 'Atelier — scie à format', tasks: 'Débit des montants et traverses sur la scie à format, sous contrôle du tuteur.', intendedLearning: 'Régler la scie en sécurité.', observations: 'Consignation oubliée une fois, rappelée par le tuteur ; coupes propres.', competenceIds: [machine] },
      fri: { gapExpected: 'Bloc-porte posé d’aplomb dans l’ordre de montage prévu.', gapDone: 'Huisserie posée avant la vérification du plan de pose ; calage repris deux fois.', gapAcquired: 'Lecture du plan ; l’ordre de montage reste à fixer.', verbalised: 'Ordre de montage d’un bloc-porte ; lecture de plan.', nextSteps: 'Préparer une fiche d’ordre de montage et la suivre mercredi.', competenceIds: [plan, ordre] },
    },
    {
      wed: { workstation: 'Poste atelier 2 — pose de bloc-porte', tasks: 'Pose de deux blocs-portes en suivant la fiche d’ordre de montage.', intendedLearning: 'Ordre de montage ; contrôle d’aplomb.', observations: 'Fiche suivie sans oubli ; contrôle d’aplomb fait au niveau à bulle seulement.', competenceIds: [ordre, aplomb] },
      thu: { workstation: 'Atelier — toupie', tasks: 'Réglage de la toupie pour un profil de chambranle ; pièces d’essai sur chutes.', intendedLearning: 'Régler la toupie en sécurité.', observations: 'Réglage correct après deux essais ; protecteur bien positionné.', competenceIds: [machine] },
      fri: { gapExpected: 'Aplomb contrôlé sur les deux faces avant fixation.', gapDone: 'Contrôle sur une face seulement.', gapAcquired: 'Ordre de montage suivi sans aide.', verbalised: 'Contrôle d’aplomb sur deux faces ; ordre de montage.', nextSteps: 'Utiliser le laser de chantier pour le contrôle d’aplomb.', competenceIds: [aplomb, ordre] },
    },
    {
      wed: { workstation: 'Poste atelier 2 — placards', tasks: 'Montage et pose d’un placard sur mesure à partir du plan client.', intendedLearning: 'Lire un plan client ; contrôle d’aplomb au laser.', observations: 'Contrôle d’aplomb au laser sur les deux faces ; cotes du plan bien reportées.', competenceIds: [plan, aplomb] },
      thu: { workstation: 'Poste atelier 2 — pose de bloc-porte', tasks: 'Pose d’un bloc-porte coupe-feu, fixations spécifiques.', intendedLearning: 'Adapter l’ordre de montage à un bloc coupe-feu.', observations: 'Ordre adapté seul ; une question pertinente sur les joints intumescents.', competenceIds: [ordre, aplomb], end: '16:00' },
      fri: { gapExpected: 'Pose d’un bloc coupe-feu conforme à la notice.', gapDone: 'Pose conforme ; temps de pose encore long.', gapAcquired: 'Contrôle d’aplomb ; adaptation de l’ordre de montage.', verbalised: 'Contrôle d’aplomb au laser ; ordre de montage d’un bloc coupe-feu.', nextSteps: 'Travailler le temps de pose sur deux blocs standard.', competenceIds: [aplomb, ordre] },
    },
    {
      wed: { workstation: 'Chantier école — cloisons et blocs-portes', tasks: 'Pose de deux blocs-portes standard en temps limité.', intendedLearning: 'Tenir un temps de pose.', observations: 'Temps de pose tenu pour le second bloc.', competenceIds: [ordre, aplomb] },
      thu: { workstation: 'Atelier — scie à format et toupie', tasks: 'Débit et profilage des chambranles du chantier école.', intendedLearning: 'Enchaîner les réglages machine en sécurité.', observations: 'Consignation systématique ; réglages plus rapides.', competenceIds: [machine] },
      fri: { gapExpected: 'Deux blocs posés dans le temps imparti.', gapDone: 'Second bloc dans le temps, premier avec 20 min de retard.', gapAcquired: 'Organisation du poste ; réglages machine.', verbalised: 'Préparation du poste avant la pose ; réglages machine en sécurité.', nextSteps: 'Évaluation intermédiaire cet après-midi ; ensuite pose sur chantier client avec le tuteur.', competenceIds: [machine, ordre] },
    },
  ];
  for (const [i, w] of weeks.entries()) {
    const n = 4 - i;
    const wed = await mst(week(n, 3), w.wed);
    const thuFields = w.thu as Partial<SequenceInput>;
    const thu = await mst(week(n, 4), thuFields);
    if (thuFields.end === '16:00') {
      // Recorded with the wrong end time; the tutor rectifies it the next morning (the original stays in the log).
      await correctSequence(at(week(n, 5), '08:30'), correctSequenceInput.parse({
        sequenceId: thu.id, reason: 'Heure de fin rectifiée : 15 h 00 et non 16 h 00 (pause repas déduite)', date: thu.date, start: '08:00', end: '15:00', ledBy: 'tutor',
        workstation: thu.workstation, tasks: thu.tasks, intendedLearning: thu.intendedLearning, observations: thu.observations, competenceIds: thu.competenceIds,
      }));
    }
    await sr(week(n, 5), [wed.recordId, thu.recordId], w.fri);
  }
  const grid = await uploadAttachment(at(week(1, 5), '15:05'), attachmentInput.parse({
    name: 'grille-evaluation-intermediaire.txt', mime: 'text/plain',
    base64: Buffer.from([
      'Grille d’observation — évaluation intermédiaire (démonstration, fictive)',
      'Lire un plan et un descriptif de pose : acquis',
      'Régler une machine à bois en sécurité : en cours (consignation à systématiser)',
      'Contrôler l’aplomb et le niveau : acquis',
      'Respecter l’ordre de montage : en cours (bloc coupe-feu)',
    ].join('\n'), 'utf8').toString('base64'),
  }));
  const photo = await uploadAttachment(at(week(1, 5), '15:06'), attachmentInput.parse({ name: 'photo-bloc-porte-poste-atelier-2.png', mime: 'image/png', base64: demoPhoto() }));
  await recordEvaluation(at(week(1, 5), '15:00'), evaluationInput.parse({
    afestId: tpme.afest.id, kind: 'intermediate', date: week(1, 5), start: '14:00', end: '15:00', evaluatorKind: 'facilitator',
    method: 'Observation sur le poste atelier 2 et entretien d’explicitation',
    comment: 'Progression nette sur la lecture de plan et le contrôle d’aplomb ; la consignation des machines doit devenir un réflexe.',
    results: [
      { competenceId: plan, level: 'acquired' },
      { competenceId: machine, level: 'in-progress', comment: 'Consignation à systématiser.' },
      { competenceId: aplomb, level: 'acquired' },
      { competenceId: ordre, level: 'in-progress', comment: 'Acquis sur bloc standard, à consolider sur bloc coupe-feu.' },
    ],
    attachments: [grid.id, photo.id],
    learnerSignature: demoSignature(julien),
    evaluatorSignature: demoSignature('Claire Vasseur'),
  }));

  // ——— (b) AAP AFEST, Nouvelle-Aquitaine ———
  const known = await ctx.db.selectFrom('funders').select('code').where('code', '=', 'REGION_NA').executeTakeFirst();
  if (!known) await saveFunder(ctx, funderInput.parse({ code: 'REGION_NA', create: true, name: 'Région Nouvelle-Aquitaine', kind: 'region', payerCategory: 'C-6', city: 'Bordeaux', postcode: '33000' }));
  const aap = await saveProgramme(ctx, programmeInput.parse({ code: 'NA-AAP-AFEST', funderCode: 'REGION_NA', name: 'Appel à projets d’innovation : actions de formation en situation de travail (AFEST)', region: 'Nouvelle-Aquitaine' }));
  await saveAfestRule(ctx, afestRuleInput.parse({
    programmeId: aap.id, minSharePercent: 70, facilitatorDistinct: true,
    note: 'Quand l’AFEST s’inscrit dans un parcours, elle représente au moins 70 % du temps total de la formation (seed S3:4034).',
  }));
  const agen = await savePlace(ctx, placeInput.parse({ name: 'Conserverie des Coteaux — salle de formation', address: 'ZI de Boé', postcode: '47550', city: 'Boé' }));
  const action = await saveAction(ctx, actionInput.parse({
    title: 'Agent(e) de fabrication industrielle – agroalimentaire (AFEST)', code: 'AFI-AGRO-AFEST', certificationCode: null, level: 3, nsfCode: '221', plannedMinutes: 550 * 60, modality: 'afest',
  }));
  const start = week(3, 1);
  const session = await saveSession(ctx, sessionInput.parse({ actionId: action.id, label: 'AFEST agroalimentaire — Conserverie des Coteaux (Lot-et-Garonne)', mode: 'rolling', capacity: 15, startDate: start, endDate: addDays(start, 7 * 26 - 3), placeId: agen.id }));
  const oceane = await saveTrainee(ctx, traineeInput.parse({ lastName: 'Morel', firstName: 'Océane', birthDate: '1996-09-18', postcode: '47000', city: 'Agen', fictitious: true }));
  const enrolment = await createEnrolment(ctx, enrolmentInput.parse({ sessionId: session.id, traineeId: oceane.id, companyId: ids.conserverieId, funderCode: 'REGION_NA', fileNumber: 'NA-AFEST-2026-0007', plannedStart: start, plannedEnd: session.endDate }));
  await setEnrolmentStatus(ctx, enrolmentStatusInput.parse({ enrolmentId: enrolment.id, status: 'entered', effectiveDate: start }));
  const facilitator = await saveTrainer(ctx, trainerInput.parse({ lastName: 'Ferrand', firstName: 'Isabelle', kind: 'internal', email: 'isabelle.ferrand@ateliers-sillon.example' }));
  const tutor = await saveTutor(ctx, tutorInput.parse({
    companyId: ids.conserverieId, lastName: 'Delpech (fictif)', firstName: 'Jean-Marc', jobTitle: 'Chef de ligne conditionnement',
    tutorTraining: 'Tuteur de l’entreprise depuis 2019 ; formation « tuteur en situation de travail » (7 h) du projet AAP.',
  }));
  const na = await saveAfest(at(start, '16:00'), afestInput.parse({
    enrolmentId: enrolment.id, programmeId: aap.id,
    title: 'AFEST Agent(e) de fabrication industrielle – agroalimentaire (Lot-et-Garonne)',
    companyId: ids.conserverieId, tutorId: tutor.id, tutorDesignatedOn: start, tutorAcceptedOn: start, facilitatorId: facilitator.id,
    conventionRef: `CONV-NA-AFEST-${monday.slice(0, 4)}-0007`,
    analysisDate: start,
    workSituations: 'Conduite d’une ligne de conditionnement (remplissage, sertissage, étiquetage) ; contrôles qualité en cours de production.',
    tasks: 'Approvisionner la ligne ; régler la sertisseuse ; relever les contrôles (poids, sertis) ; nettoyer et désinfecter le poste.',
    criticalPoints: 'Contrôle des sertis ; traçabilité des lots ; hygiène (HACCP).',
    adaptations: 'Ligne 3 à cadence réduite le mardi et le mercredi matin.',
    safetyPoints: 'Consignation de la sertisseuse ; produits de nettoyage ; chaleur des autoclaves.',
    assessmentPlan: 'Évaluation intermédiaire après trois semaines, évaluation finale sur une semaine de production complète.',
    plannedMinutes: 350 * 60,
    pathwayMinutes: 550 * 60,
    startDate: start,
    endDate: session.endDate,
    competences: [
      { label: 'Conduire une ligne de conditionnement', blockCode: 'BC02' },
      { label: 'Réaliser les contrôles qualité en cours de production', blockCode: 'BC03' },
      { label: 'Appliquer les règles d’hygiène et de traçabilité', blockCode: 'BC01' },
    ],
  }));
  const [ligne, qualite, hygiene] = na.afest.competences.map((c) => c.id) as [string, string, string];
  const oceaneSig = demoSignature('Océane Morel');
  const a1 = await recordSequence(at(week(2, 2), '13:00'), sequenceInput.parse({
    afestId: na.afest.id, kind: 'work-situation', date: week(2, 2), start: '06:00', end: '13:00', ledBy: 'tutor', workstation: 'Ligne 3 — remplissage et sertissage',
    tasks: 'Approvisionnement de la ligne, relevé des poids toutes les 30 min.', observations: 'Relevés complets ; hésitations au réglage.', competenceIds: [ligne, qualite],
    learnerSignature: oceaneSig, leaderSignature: demoSignature('Jean-Marc Delpech'),
  }));
  const a2 = await recordSequence(at(week(2, 3), '13:00'), sequenceInput.parse({
    afestId: na.afest.id, kind: 'work-situation', date: week(2, 3), start: '06:00', end: '13:00', ledBy: 'tutor', workstation: 'Ligne 3 — étiquetage',
    tasks: 'Changement de lot, étiquetage et traçabilité.', observations: 'Changement de lot correct, fiche de traçabilité complète.', competenceIds: [hygiene, ligne],
    learnerSignature: oceaneSig, leaderSignature: demoSignature('Jean-Marc Delpech'),
  }));
  await recordSequence(at(week(2, 4), '15:30'), sequenceInput.parse({
    afestId: na.afest.id, kind: 'reflective', date: week(2, 4), start: '14:00', end: '15:30', ledBy: 'facilitator', outOfProduction: true, reviewedIds: [a1.recordId, a2.recordId],
    gapExpected: 'Réglage de la sertisseuse sans aide.', gapDone: 'Réglage avec l’aide du tuteur.', gapAcquired: 'Relevés de contrôle ; traçabilité des lots.',
    verbalised: 'Contrôle des sertis ; traçabilité d’un changement de lot.', nextSteps: 'Réglage guidé de la sertisseuse la semaine prochaine.', competenceIds: [qualite, hygiene],
    learnerSignature: oceaneSig, leaderSignature: demoSignature('Isabelle Ferrand'),
  }));
  await recordEvaluation(at(week(1, 4), '15:00'), evaluationInput.parse({
    afestId: na.afest.id, kind: 'intermediate', date: week(1, 4), start: '14:00', end: '15:00', evaluatorKind: 'facilitator', method: 'Observation sur la ligne 3 et entretien',
    results: [{ competenceId: ligne, level: 'in-progress' }, { competenceId: qualite, level: 'acquired' }, { competenceId: hygiene, level: 'acquired' }],
    learnerSignature: oceaneSig, evaluatorSignature: demoSignature('Isabelle Ferrand'),
  }));

  return { actions: 1, sessions: 1, slots: 0, trainees: 1, enrolments: 1, afestIds: [tpme.afest.id, na.afest.id] };
}

/** A small fictitious « photo » (a door frame on a wall), so the evaluation has an image among its attachments. */
function demoPhoto(): string {
  const w = 160;
  const h = 110;
  const png = new PNG({ width: w, height: h, colorType: 2 });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      const frame = x >= 55 && x <= 105 && y >= 15 && (x <= 61 || x >= 99 || y <= 21);
      const door = x > 61 && x < 99 && y > 21;
      const [r, g, b] = frame ? [150, 100, 60] : door ? [200, 160, 110] : [225, 225, 215];
      png.data[o] = r;
      png.data[o + 1] = g;
      png.data[o + 2] = b;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png).toString('base64');
}
