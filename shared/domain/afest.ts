/**
 * AFEST (*action de formation en situation de travail*), Code du travail D.6313-3-2 (décret 2018-1341):
 *
 * 1. the analysis of the work activity, adapted for teaching where needed;
 * 2. the prior designation of a trainer able to act as tutor;
 * 3. reflective phases, distinct from the work situations, that look at the gaps between expected, done and
 *    acquired;
 * 4. specific evaluations during or at the end of the action.
 *
 * The order matters (analysis and designation before the first work situation), every reflective sequence is
 * time-distinct from the work situations and run by a *tiers*, an AFEST has at least one partner company and
 * the learner is a trainee under a convention, not an employee. Per-programme rules (a minimum AFEST share of
 * the pathway, whether the tiers must be someone other than the tutor) are data: {@link AfestRules}.
 *
 * Pure: the renderer calls it for the live panel and the sequence form, the backend to refuse and to report,
 * the dossier to print the same verdicts.
 */

import { isoToDisplay } from './date-text';
import { formatMinutes, timeToMinutes } from './dates';

export const SEQUENCE_KINDS = ['work-situation', 'reflective'] as const;
export type SequenceKind = (typeof SEQUENCE_KINDS)[number];
export const EVALUATION_KINDS = ['intermediate', 'final'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];
export const COMPETENCE_LEVELS = ['acquired', 'in-progress', 'not-acquired'] as const;
export type CompetenceLevel = (typeof COMPETENCE_LEVELS)[number];
export const LEADERS = ['tutor', 'facilitator'] as const;
export type Leader = (typeof LEADERS)[number];

/** A programme's AFEST rules; {@link DEFAULT_AFEST_RULES} when the AFEST names no programme or its programme none. */
export interface AfestRules {
  /** Minimum share of the pathway's hours the AFEST makes, in percent (Nouvelle-Aquitaine: 70); null = none. */
  minSharePercent: number | null;
  /** Reflective sequences run by the facilitator only, never by the tutor. */
  facilitatorDistinct: boolean;
}

/** The « tiers » reading of the experiments (S3:4134): the facilitator, not the tutor, runs reflective sequences. */
export const DEFAULT_AFEST_RULES: AfestRules = Object.freeze({ minSharePercent: null, facilitatorDistinct: true });

/** What of an AFEST's set-up the rules read. */
export interface AfestSetupFacts {
  companyId: string | null;
  tutorId: string | null;
  tutorDesignatedOn: string | null;
  tutorAcceptedOn: string | null;
  facilitatorId: string | null;
  conventionRef: string | null;
  analysisDate: string | null;
  workSituations: string | null;
  tasks: string | null;
  competences: number;
  /** Planned minutes of the AFEST (work situations, reflective sequences, evaluations). */
  plannedMinutes: number | null;
  /** Planned minutes of the whole pathway, the AFEST included. */
  pathwayMinutes: number | null;
}

/** A sequence in force (see {@link currentVersions}) as the rules read it. */
export interface SequenceFacts {
  id: string;
  recordId: string;
  /** The AFEST it belongs to, when the learner has several: a reflective sequence looks back on its own AFEST's work situations. */
  afestId?: string;
  kind: SequenceKind;
  date: string;
  start: string;
  end: string;
  minutes: number;
  ledBy: Leader;
  leaderId: string;
  outOfProduction: boolean;
  /** Record ids of the work situations a reflective sequence looks back on. */
  reviewedIds: readonly string[];
}

/** One version of an append-only record: corrections supersede, a withdrawal is a version that withdraws. */
export interface Versioned {
  id: string;
  supersedesId: string | null;
  withdrawn: boolean;
}

/**
 * The versions in force: those no other version supersedes, withdrawn ones left out. A correction of a
 * correction counts once; a withdrawn record not at all.
 */
export function currentVersions<V extends Versioned>(versions: readonly V[]): V[] {
  const superseded = new Set<string>();
  for (const v of versions) if (v.supersedesId) superseded.add(v.supersedesId);
  return versions.filter((v) => !superseded.has(v.id) && !v.withdrawn);
}

/** Minutes from `HH:MM` to `HH:MM` on one day (0 or less when the end is not after the start). */
export function minutesBetween(start: string, end: string): number {
  return timeToMinutes(end) - timeToMinutes(start);
}

/** Two sequences overlap when they share a date and their half-open times [start, end) intersect. */
export function overlaps(a: Pick<SequenceFacts, 'date' | 'start' | 'end'>, b: Pick<SequenceFacts, 'date' | 'start' | 'end'>): boolean {
  return a.date === b.date && a.start < b.end && b.start < a.end;
}

/**
 * A share in tenths of a percent, rounded down (350 of 550 → 636, i.e. 63,6 %), or null without a total.
 * Compliance never reads it: it compares integers ({@link meetsShare}).
 */
export function sharePermille(part: number, total: number): number | null {
  return total > 0 ? Math.floor((part * 1000) / total) : null;
}

/** `part / total ≥ min %`, exactly, in integers. */
export function meetsShare(part: number, total: number, minPercent: number): boolean {
  return part * 100 >= minPercent * total;
}

/** « 63,6 % » */
export function formatPermille(permille: number | null): string {
  return permille === null ? '—' : `${Math.floor(permille / 10)},${permille % 10} %`;
}

const hours = formatMinutes;
const frDate = isoToDisplay;

export const COMPLIANCE_CODES = [
  'analysis',
  'analysis-before-first-mst',
  'tutor-designated',
  'designation-before-first-mst',
  'reflective-phases',
  'reflective-distinct',
  'reflective-by-facilitator',
  'evaluation',
  'partner-company',
  'convention',
  'share-planned',
  'share-realised',
] as const;
export type ComplianceCode = (typeof COMPLIANCE_CODES)[number];

/**
 * One verdict of the panel. `pass` green, `fail` red (the message says what to fix), `pending` not yet
 * decidable (no realised hours yet), `na` not asked by the programme's rules.
 */
export interface ComplianceCheck {
  code: ComplianceCode;
  /** The D.6313-3-2 component it belongs to (1–4), or null for the conditions around them. */
  component: 1 | 2 | 3 | 4 | null;
  status: 'pass' | 'fail' | 'pending' | 'na';
  message: string;
  /** The set-up field to fix, when one is (the panel links to it). */
  field: string | null;
  /** Record ids of the sequences at fault. */
  sequences: string[];
}

export interface ComplianceInput {
  setup: AfestSetupFacts;
  rules: AfestRules;
  /** Sequences in force of this AFEST. */
  sequences: readonly SequenceFacts[];
  /** Evaluations in force of this AFEST. */
  evaluations: readonly { date: string; kind: EvaluationKind }[];
  /** Realised minutes from the realised-hours engine: the AFEST's (MST + SR + evaluations) and the rest of the pathway's. */
  realised: { afestMinutes: number; otherMinutes: number };
}

export interface ComplianceReport {
  compliant: boolean;
  checks: ComplianceCheck[];
  share: { plannedPermille: number | null; realisedPermille: number | null; minPercent: number | null };
}

const pass = (code: ComplianceCode, component: ComplianceCheck['component'], message: string): ComplianceCheck => ({ code, component, status: 'pass', message, field: null, sequences: [] });
const fail = (code: ComplianceCode, component: ComplianceCheck['component'], message: string, field: string | null = null, sequences: string[] = []): ComplianceCheck => ({
  code, component, status: 'fail', message, field, sequences,
});

function listFr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}

/**
 * The day the tutor's designation is complete: the later of designation and acceptance (either, when only one
 * is dated). The panel and the sequence form both read it, so the form never lets through a work situation
 * that the panel would then show red.
 */
function designationCompleteOn(setup: Pick<AfestSetupFacts, 'tutorDesignatedOn' | 'tutorAcceptedOn'>): string | null {
  return [setup.tutorDesignatedOn, setup.tutorAcceptedOn].filter((d): d is string => !!d).sort().at(-1) ?? null;
}

/** The first work situation's date, or null before any. */
export function firstWorkSituation(sequences: readonly Pick<SequenceFacts, 'kind' | 'date'>[]): string | null {
  let first: string | null = null;
  for (const s of sequences) if (s.kind === 'work-situation' && (first === null || s.date < first)) first = s.date;
  return first;
}

/**
 * The compliance panel: each rule of D.6313-3-2 and of the programme, green or red with the sentence that
 * says what to fix. `compliant` when nothing is red (pending and not-applicable rules do not block).
 */
export function afestCompliance(input: ComplianceInput): ComplianceReport {
  const { setup, rules, sequences, evaluations, realised } = input;
  const checks: ComplianceCheck[] = [];
  const firstMst = firstWorkSituation(sequences);
  const mst = sequences.filter((s) => s.kind === 'work-situation');
  const sr = sequences.filter((s) => s.kind === 'reflective');

  // 1. Analysis of the work activity.
  const missing: string[] = [];
  if (!setup.analysisDate) missing.push('sa date');
  if (!setup.workSituations) missing.push('les situations de travail retenues');
  if (!setup.tasks) missing.push('les tâches');
  if (setup.competences === 0) missing.push('au moins une compétence visée');
  checks.push(
    missing.length === 0
      ? pass('analysis', 1, `Analyse de l'activité de travail du ${frDate(setup.analysisDate!)}, ${setup.competences} compétence(s) visée(s).`)
      : fail('analysis', 1, `Analyse de l'activité de travail incomplète : indiquez ${listFr(missing)}.`, !setup.analysisDate ? 'analysisDate' : !setup.workSituations ? 'workSituations' : !setup.tasks ? 'tasks' : 'competences'),
  );
  if (!setup.analysisDate) {
    checks.push(fail('analysis-before-first-mst', 1, "Datez l'analyse de l'activité : elle doit précéder la première mise en situation de travail.", 'analysisDate'));
  } else if (firstMst && setup.analysisDate > firstMst) {
    checks.push(fail('analysis-before-first-mst', 1, `L'analyse de l'activité (${frDate(setup.analysisDate)}) est datée après la première mise en situation (${frDate(firstMst)}) : elle doit la précéder.`, 'analysisDate', mst.filter((s) => s.date < setup.analysisDate!).map((s) => s.recordId)));
  } else {
    checks.push(pass('analysis-before-first-mst', 1, firstMst ? `Analyse datée avant la première mise en situation (${frDate(firstMst)}).` : 'Analyse datée ; aucune mise en situation encore.'));
  }

  // 2. Prior designation of the tutor.
  const designation: string[] = [];
  if (!setup.tutorId) designation.push('le tuteur');
  if (!setup.tutorDesignatedOn) designation.push('la date de désignation');
  if (!setup.tutorAcceptedOn) designation.push("la date d'acceptation du tuteur");
  checks.push(
    designation.length === 0
      ? pass('tutor-designated', 2, `Tuteur désigné le ${frDate(setup.tutorDesignatedOn!)}, mission acceptée le ${frDate(setup.tutorAcceptedOn!)}.`)
      : fail('tutor-designated', 2, `Désignation du tuteur incomplète : indiquez ${listFr(designation)}.`, !setup.tutorId ? 'tutorId' : !setup.tutorDesignatedOn ? 'tutorDesignatedOn' : 'tutorAcceptedOn'),
  );
  const designatedBy = designationCompleteOn(setup);
  if (!setup.tutorDesignatedOn) {
    checks.push(fail('designation-before-first-mst', 2, 'Datez la désignation du tuteur : elle doit précéder la première mise en situation de travail.', 'tutorDesignatedOn'));
  } else if (firstMst && designatedBy && designatedBy > firstMst) {
    const field = setup.tutorDesignatedOn > firstMst ? 'tutorDesignatedOn' : 'tutorAcceptedOn';
    checks.push(fail('designation-before-first-mst', 2, `La désignation du tuteur (${frDate(designatedBy)}) est postérieure à la première mise en situation (${frDate(firstMst)}) : elle doit la précéder.`, field, mst.filter((s) => s.date < designatedBy).map((s) => s.recordId)));
  } else {
    checks.push(pass('designation-before-first-mst', 2, firstMst ? `Tuteur désigné avant la première mise en situation (${frDate(firstMst)}).` : 'Tuteur désigné ; aucune mise en situation encore.'));
  }

  // 3. Reflective phases, distinct from the work situations, run by the tiers.
  checks.push(
    sr.length > 0
      ? pass('reflective-phases', 3, `${sr.length} séquence(s) réflexive(s), ${hours(sr.reduce((n, s) => n + s.minutes, 0))}.`)
      : fail('reflective-phases', 3, 'Aucune séquence réflexive : après les mises en situation, organisez au moins une séquence réflexive hors production avec le formateur animateur.'),
  );
  const overlapping = sr.filter((s) => mst.some((m) => overlaps(s, m)));
  const inProduction = sr.filter((s) => !s.outOfProduction);
  if (overlapping.length > 0) {
    checks.push(fail('reflective-distinct', 3, `Séquence(s) réflexive(s) du ${listFr(overlapping.map((s) => `${frDate(s.date)} ${s.start}–${s.end}`))} en même temps qu'une mise en situation : une séquence réflexive se tient à un autre moment.`, null, overlapping.map((s) => s.recordId)));
  } else if (inProduction.length > 0) {
    checks.push(fail('reflective-distinct', 3, `Séquence(s) réflexive(s) du ${listFr(inProduction.map((s) => frDate(s.date)))} tenue(s) dans l'espace de production : une séquence réflexive se tient hors production.`, null, inProduction.map((s) => s.recordId)));
  } else {
    checks.push(pass('reflective-distinct', 3, sr.length ? 'Chaque séquence réflexive est distincte des mises en situation et hors production.' : 'Aucune séquence réflexive à contrôler.'));
  }
  const byTutor = sr.filter((s) => s.ledBy === 'tutor');
  const byOther = sr.filter((s) => s.ledBy === 'facilitator' && s.leaderId !== setup.facilitatorId);
  if (rules.facilitatorDistinct && !setup.facilitatorId) {
    checks.push(fail('reflective-by-facilitator', 3, "Désignez le formateur animateur (le « tiers ») : le dispositif demande que les séquences réflexives soient animées par une autre personne que le tuteur.", 'facilitatorId'));
  } else if (rules.facilitatorDistinct && byTutor.length > 0) {
    checks.push(fail('reflective-by-facilitator', 3, `Séquence(s) réflexive(s) du ${listFr(byTutor.map((s) => frDate(s.date)))} animée(s) par le tuteur : le dispositif demande le formateur animateur. Corrigez l'animateur ou retirez la séquence.`, null, byTutor.map((s) => s.recordId)));
  } else if (byOther.length > 0) {
    checks.push(fail('reflective-by-facilitator', 3, `Séquence(s) réflexive(s) du ${listFr(byOther.map((s) => frDate(s.date)))} animée(s) par un formateur qui n'est pas l'animateur désigné de cette AFEST.`, 'facilitatorId', byOther.map((s) => s.recordId)));
  } else {
    checks.push(pass('reflective-by-facilitator', 3, rules.facilitatorDistinct ? 'Séquences réflexives animées par le formateur animateur, distinct du tuteur.' : 'Séquences réflexives animées par le tuteur ou le formateur animateur (le dispositif le permet).'));
  }

  // 4. Evaluations.
  const finals = evaluations.filter((e) => e.kind === 'final').length;
  checks.push(
    evaluations.length > 0
      ? pass('evaluation', 4, `${evaluations.length} évaluation(s) dont ${finals} finale(s).`)
      : fail('evaluation', 4, 'Aucune évaluation : enregistrez au moins une évaluation (intermédiaire ou finale) des compétences visées.'),
  );

  // Conditions around the four components.
  checks.push(setup.companyId ? pass('partner-company', null, 'Entreprise partenaire indiquée.') : fail('partner-company', null, "Indiquez l'entreprise partenaire qui accueille l'AFEST.", 'companyId'));
  checks.push(
    setup.conventionRef
      ? pass('convention', null, `Convention ${setup.conventionRef} : l'apprenant est stagiaire dans l'entreprise, non salarié.`)
      : fail('convention', null, "Indiquez la référence de la convention de stage ou de mise en situation : en entreprise, l'apprenant est stagiaire, non salarié.", 'conventionRef'),
  );

  // Programme rules: the minimum AFEST share of the pathway, planned and realised.
  const min = rules.minSharePercent;
  const plannedPermille = setup.plannedMinutes !== null && setup.pathwayMinutes ? sharePermille(setup.plannedMinutes, setup.pathwayMinutes) : null;
  const realisedTotal = realised.afestMinutes + realised.otherMinutes;
  const realisedPermille = sharePermille(realised.afestMinutes, realisedTotal);
  if (min === null) {
    checks.push({ code: 'share-planned', component: null, status: 'na', message: "Le dispositif ne fixe pas de part minimale d'AFEST dans le parcours.", field: null, sequences: [] });
    checks.push({ code: 'share-realised', component: null, status: 'na', message: "Le dispositif ne fixe pas de part minimale d'AFEST dans le parcours.", field: null, sequences: [] });
  } else {
    if (setup.plannedMinutes === null || !setup.pathwayMinutes) {
      checks.push(fail('share-planned', null, `Le dispositif demande au moins ${min} % d'AFEST dans le parcours : indiquez les heures prévues de l'AFEST et du parcours.`, setup.plannedMinutes === null ? 'plannedMinutes' : 'pathwayMinutes'));
    } else {
      const text = `${hours(setup.plannedMinutes)} d'AFEST prévues sur ${hours(setup.pathwayMinutes)} de parcours, soit ${formatPermille(plannedPermille)}`;
      checks.push(
        meetsShare(setup.plannedMinutes, setup.pathwayMinutes, min)
          ? pass('share-planned', null, `${text} (au moins ${min} % demandés).`)
          : fail('share-planned', null, `${text} : le dispositif demande au moins ${min} %. Augmentez la part d'AFEST ou réduisez les autres modules du parcours.`, 'plannedMinutes'),
      );
    }
    if (realisedTotal === 0) {
      checks.push({ code: 'share-realised', component: null, status: 'pending', message: `Aucune heure réalisée encore : la part d'AFEST réalisée (au moins ${min} %) se calculera dès les premières heures.`, field: null, sequences: [] });
    } else {
      const text = `${hours(realised.afestMinutes)} d'AFEST réalisées sur ${hours(realisedTotal)} de parcours, soit ${formatPermille(realisedPermille)}`;
      checks.push(
        meetsShare(realised.afestMinutes, realisedTotal, min)
          ? pass('share-realised', null, `${text} (au moins ${min} % demandés).`)
          : fail('share-realised', null, `${text} : le dispositif demande au moins ${min} %.`),
      );
    }
  }
  return { compliant: checks.every((c) => c.status !== 'fail'), checks, share: { plannedPermille, realisedPermille, minPercent: min } };
}

/** A candidate sequence as the form holds it: what {@link sequenceProblems} checks before anything is written. */
export interface SequenceCandidate {
  kind: SequenceKind;
  date: string;
  start: string;
  end: string;
  ledBy: Leader;
  leaderId: string;
  outOfProduction: boolean;
  reviewedIds: readonly string[];
  /** The record this candidate corrects (its other versions are not compared with it). */
  recordId?: string | null;
  afestId?: string;
}

/** Another time the learner was busy: a timed evaluation, a slot they attended. */
export interface BusyTime {
  date: string;
  start: string;
  end: string;
  /** « l'évaluation », « le créneau de formation » */
  label: string;
}

/**
 * The learner cannot be in two places: a time that overlaps another they were busy with (a timed evaluation,
 * a slot marked attended) is refused, or its minutes would count twice in the realised hours.
 */
export function busyProblem(c: Pick<SequenceCandidate, 'date' | 'start' | 'end'>, busy: readonly BusyTime[]): SequenceProblem | null {
  const hit = busy.find((b) => overlaps(c, b));
  return hit ? { path: 'start', message: `Ce créneau (${frDate(c.date)} ${c.start}–${c.end}) chevauche ${hit.label} de ${hit.start}–${hit.end} : l'apprenant ne peut pas être à deux endroits, ses heures compteraient deux fois. Choisissez d'autres horaires.` } : null;
}

/** A refusal of a candidate sequence: the field to fix and a French sentence that says what to do. */
export interface SequenceProblem {
  path: string;
  message: string;
}

/**
 * Why a sequence cannot be logged, checked before anything is written (the backend refuses, the form shows
 * it live): a work situation before the analysis or the tutor's designation (and acceptance, when dated, as
 * the panel reads it); a sequence overlapping another of the same learner (a reflective one overlapping a work
 * situation above all); a reflective sequence in production, looking back on no earlier work situation, or run
 * by the tutor where the programme forbids it.
 * `existing`: the learner's sequences in force (all their AFESTs).
 */
export function sequenceProblems(setup: AfestSetupFacts, rules: AfestRules, existing: readonly SequenceFacts[], c: SequenceCandidate): SequenceProblem[] {
  const problems: SequenceProblem[] = [];
  if (minutesBetween(c.start, c.end) <= 0) problems.push({ path: 'end', message: "L'heure de fin doit suivre l'heure de début." });
  // An overlap first: it is what the person must change before anything else.
  for (const s of existing) {
    if (c.recordId && s.recordId === c.recordId) continue;
    if (!overlaps(c, s)) continue;
    const what = s.kind === 'work-situation' ? 'la mise en situation' : 'la séquence réflexive';
    const rule = c.kind === 'reflective' && s.kind === 'work-situation' ? ' : une séquence réflexive doit être distincte des mises en situation de travail' : '';
    problems.push({ path: 'start', message: `Ce créneau (${frDate(c.date)} ${c.start}–${c.end}) chevauche ${what} de ${s.start}–${s.end}${rule}. Choisissez d'autres horaires.` });
    break;
  }
  if (c.kind === 'work-situation') {
    if (!setup.analysisDate) problems.push({ path: 'date', message: "L'analyse de l'activité de travail n'est pas datée : complétez-la dans la mise en place avant la première mise en situation." });
    else if (c.date < setup.analysisDate) problems.push({ path: 'date', message: `Mise en situation datée du ${frDate(c.date)}, avant l'analyse de l'activité (${frDate(setup.analysisDate)}) : l'analyse doit la précéder.` });
    // Designated and, when dated, accepted: the panel's reading (designation-before-first-mst).
    const designatedBy = designationCompleteOn(setup);
    if (!setup.tutorId || !setup.tutorDesignatedOn || !designatedBy) problems.push({ path: 'date', message: "Le tuteur n'est pas désigné : indiquez-le avec sa date de désignation dans la mise en place avant la première mise en situation." });
    else if (c.date < designatedBy) problems.push({ path: 'date', message: `Mise en situation datée du ${frDate(c.date)}, avant la désignation du tuteur (${frDate(designatedBy)}) : la désignation doit la précéder.` });
    if (c.ledBy !== 'tutor') problems.push({ path: 'ledBy', message: 'Une mise en situation de travail se déroule sous la conduite du tuteur.' });
  } else {
    if (!c.outOfProduction) problems.push({ path: 'outOfProduction', message: "Une séquence réflexive se tient hors de l'espace de production : cochez « hors production » ou déplacez la séquence." });
    if (c.ledBy === 'tutor' && rules.facilitatorDistinct) {
      problems.push({ path: 'ledBy', message: 'Le dispositif demande que les séquences réflexives soient animées par le formateur animateur (le « tiers »), pas par le tuteur.' });
    }
    if (c.ledBy === 'facilitator' && !setup.facilitatorId) problems.push({ path: 'ledBy', message: "Aucun formateur animateur n'est désigné pour cette AFEST : désignez-le dans la mise en place." });
    else if (c.ledBy === 'facilitator' && c.leaderId !== setup.facilitatorId) problems.push({ path: 'ledBy', message: "L'animateur choisi n'est pas le formateur animateur désigné de cette AFEST." });
    // Looking back: on an earlier day, or the same day once it has ended.
    const earlier = new Set(
      existing
        .filter((s) => s.kind === 'work-situation' && (!c.afestId || !s.afestId || s.afestId === c.afestId))
        .filter((s) => s.date < c.date || (s.date === c.date && s.end <= c.start))
        .map((s) => s.recordId),
    );
    if (c.reviewedIds.length === 0) problems.push({ path: 'reviewedIds', message: 'Choisissez la ou les mises en situation sur lesquelles porte la séquence réflexive.' });
    else if (c.reviewedIds.some((id) => !earlier.has(id))) problems.push({ path: 'reviewedIds', message: "Une séquence réflexive revient sur des mises en situation terminées : choisissez-en d'un jour précédent, ou du même jour terminées avant son début." });
  }
  return problems;
}
