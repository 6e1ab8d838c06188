import { localDateTime } from '../../../shared/domain/dates';
import type { CompetenceLevel, ComplianceCode, EvaluationKind, Leader, SequenceKind } from '../../../shared/domain/afest';
import type { AfestPage, Evaluation, Sequence } from '../../../shared/schemas/afest';
import { afestPage } from '../afest/afest';
import type { Ctx } from '../context';
import { withRaw } from '../db/raw';
import { organisationHeader, type OrganisationHeader, type SignatureRef } from './common-model';
import type { ContentPart } from './content-hash';
import { numericDate, personName } from './format';

/**
 * The content model of an AFEST dossier (*dossier AFEST*, for the funder and for a Qualiopi audit, indicator
 * 28): the set-up (learner, partner company, convention, designated tutor, facilitator), the analysis of the
 * work activity, the target competences and the assessment plan, the signed sequence log (the versions in
 * force, each with its corrections), the evaluations with their attachments' SHA-256, the hours, and the
 * compliance panel of shared/domain/afest.ts as the AFEST page shows it.
 *
 * Everything comes from the AFEST page (afest/afest.ts `afestPage`), so the dossier can never say something
 * the screen does not. Verification (verify.ts) recomputes it from `{ afestId }`: a sequence corrected or
 * added since the print changes its part, and the check names it.
 */

export interface DossierVersionNote {
  /** Local date the correction or withdrawal was recorded. */
  on: string;
  reason: string;
}

export interface DossierSequence {
  recordId: string;
  /** The version in force. */
  versionId: string;
  kind: SequenceKind;
  date: string;
  start: string;
  end: string;
  minutes: number;
  ledBy: Leader;
  leaderName: string;
  workstation: string | null;
  tasks: string | null;
  intendedLearning: string | null;
  observations: string | null;
  outOfProduction: boolean;
  /** The work situations a reflective sequence looks back on, in words (« MST du 09/11/2026, 8 h 00–15 h 00 »). */
  reviewed: string[];
  competences: string[];
  gapExpected: string | null;
  gapDone: string | null;
  gapAcquired: string | null;
  verbalised: string | null;
  nextSteps: string | null;
  learnerSignature: SignatureRef | null;
  leaderSignature: SignatureRef | null;
  /** The corrections that led to this version, oldest first: « corrigée le … : motif ». */
  corrections: DossierVersionNote[];
}

export interface DossierEvaluation {
  recordId: string;
  versionId: string;
  kind: EvaluationKind;
  date: string;
  start: string | null;
  end: string | null;
  minutes: number;
  evaluatorKind: Leader;
  evaluatorName: string;
  method: string | null;
  comment: string | null;
  results: { competence: string; blockCode: string | null; level: CompetenceLevel; comment: string | null }[];
  attachments: { name: string; mime: string; size: number; sha256: string }[];
  learnerSignature: SignatureRef | null;
  evaluatorSignature: SignatureRef | null;
  corrections: DossierVersionNote[];
}

export interface DossierWithdrawn {
  recordId: string;
  what: 'work-situation' | 'reflective' | 'evaluation';
  date: string;
  start: string | null;
  end: string | null;
  on: string;
  reason: string;
}

export interface AfestDossierModel {
  kind: 'afest-dossier';
  organisation: OrganisationHeader;
  afest: {
    id: string; title: string; conventionRef: string | null; startDate: string | null; endDate: string | null;
    phase: 'engineering' | 'running' | 'evaluated';
  };
  trainee: { name: string; fictitious: boolean };
  session: { label: string; actionTitle: string | null };
  company: { name: string; siret: string } | null;
  programme: { name: string; funderName: string } | null;
  /** The designation dates print even without a tutor named (the compliance panel says what is missing). */
  tutor: { name: string | null; jobTitle: string | null; tutorTraining: string | null; designatedOn: string | null; acceptedOn: string | null };
  facilitator: { name: string } | null;
  analysis: { date: string | null; workSituations: string | null; tasks: string | null; criticalPoints: string | null; adaptations: string | null; safetyPoints: string | null };
  competences: { label: string; blockCode: string | null }[];
  assessmentPlan: string | null;
  /** The versions in force, by date and start time. */
  sequences: DossierSequence[];
  /** Sequences and evaluations withdrawn (logged by mistake), with their reason. */
  withdrawn: DossierWithdrawn[];
  evaluations: DossierEvaluation[];
  hours: {
    workSituation: number; reflective: number; evaluation: number; afest: number; other: number;
    plannedAfest: number | null; pathway: number | null;
    plannedPermille: number | null; realisedPermille: number | null; minPercent: number | null;
  };
  compliance: {
    compliant: boolean;
    /** Checks in red. */
    failures: number;
    checks: { code: ComplianceCode; component: 1 | 2 | 3 | 4 | null; status: 'pass' | 'fail' | 'pending' | 'na'; message: string }[];
  };
}

/** What the page does not carry: the organisation, the action's title and the signatures' hashes. */
export interface DossierExtras {
  organisation: OrganisationHeader;
  actionTitle: string | null;
  /** « RENAUD Julien », as the other documents print a trainee. */
  traineeName: string;
  /** SHA-256 of each signature (strokes + image) by id: a redrawn signature changes the fingerprint. */
  signatures: ReadonlyMap<string, string>;
  timeZone: string;
}

const SHORT_KIND: Record<SequenceKind, string> = { 'work-situation': 'MST', reflective: 'SR' };

/**
 * The dossier as it reads at `asOf` (the issue instant: printing passes its clock, verifying the print's own
 * date): the AFEST page is read with a clock stopped at `asOf`, so nothing the service computes from « today »
 * moves between the print and its check. Records added or corrected since still show, as they should.
 */
export async function afestDossierModel(ctx: Ctx, afestId: string, asOf: Date = ctx.now()): Promise<AfestDossierModel> {
  const organisation = await organisationHeader(ctx);
  const page = await afestPage({ ...ctx, now: () => asOf }, afestId);
  const signatureIds = [
    ...page.sequences.flatMap((s) => [s.learnerSignatureId, s.leaderSignatureId]),
    ...page.evaluations.flatMap((e) => [e.learnerSignatureId, e.evaluatorSignatureId]),
  ].filter((id): id is string => !!id);
  const read = await withRaw(ctx.db, (raw) => {
    const action = raw.get<{ title: string }>('SELECT a.title FROM sessions x JOIN actions a ON a.id = x.action_id WHERE x.id = ?', page.summary.sessionId);
    const trainee = raw.get<{ last_name: string; first_name: string }>('SELECT last_name, first_name FROM trainees WHERE id = ?', page.trainee.id);
    const signatures = new Map<string, string>();
    for (const id of new Set(signatureIds)) {
      const s = raw.get<{ sha256: string }>('SELECT sha256 FROM signatures WHERE id = ?', id);
      if (s) signatures.set(id, s.sha256);
    }
    return { actionTitle: action?.title ?? null, traineeName: trainee ? personName(trainee.last_name, trainee.first_name) : page.trainee.name, signatures };
  });
  return dossierModel(page, { organisation, actionTitle: read.actionTitle, traineeName: read.traineeName, signatures: read.signatures, timeZone: organisation.timeZone });
}

/** The content model from an AFEST page: pure, so the drawing can be tried on any page. */
export function dossierModel(page: AfestPage, extras: DossierExtras): AfestDossierModel {
  const a = page.afest;
  const localDate = (instant: string) => localDateTime(instant, extras.timeZone).date;
  const ref = (id: string | null): SignatureRef | null => (id && extras.signatures.has(id) ? { id, sha256: extras.signatures.get(id)! } : null);
  const competence = new Map(a.competences.map((c) => [c.id, c]));
  const competenceLabel = (id: string) => {
    const c = competence.get(id);
    return c ? (c.blockCode ? `${c.label} (${c.blockCode})` : c.label) : 'compétence retirée de la liste';
  };

  const sequences = inForce(page.sequences);
  const mstByRecord = new Map(sequences.filter((s) => s.kind === 'work-situation').map((s) => [s.recordId, s]));
  const reviewedLabel = (recordId: string) => {
    const s = mstByRecord.get(recordId);
    return s ? `MST du ${numericDate(s.date)}, ${clockRange(s.start, s.end)}` : 'mise en situation retirée';
  };

  const corrections = <V extends { id: string; supersedesId: string | null; reason: string | null; createdAt: string }>(all: readonly V[], head: V): DossierVersionNote[] => {
    const byId = new Map(all.map((v) => [v.id, v]));
    const notes: DossierVersionNote[] = [];
    for (let v: V | undefined = head; v?.supersedesId; v = byId.get(v.supersedesId)) notes.unshift({ on: localDate(v.createdAt), reason: v.reason ?? '' });
    return notes;
  };

  const dossierSequences: DossierSequence[] = sequences
    .sort((x, y) => `${x.date}${x.start}${x.recordId}`.localeCompare(`${y.date}${y.start}${y.recordId}`))
    .map((s) => ({
      recordId: s.recordId, versionId: s.id, kind: s.kind, date: s.date, start: s.start, end: s.end, minutes: s.minutes, ledBy: s.ledBy,
      leaderName: s.leaderName, workstation: s.workstation, tasks: s.tasks, intendedLearning: s.intendedLearning, observations: s.observations,
      outOfProduction: s.outOfProduction, reviewed: s.reviewedIds.map(reviewedLabel), competences: s.competenceIds.map(competenceLabel),
      gapExpected: s.gapExpected, gapDone: s.gapDone, gapAcquired: s.gapAcquired, verbalised: s.verbalised, nextSteps: s.nextSteps,
      learnerSignature: ref(s.learnerSignatureId), leaderSignature: ref(s.leaderSignatureId), corrections: corrections(page.sequences, s),
    }));

  const evaluations: DossierEvaluation[] = inForce(page.evaluations)
    .sort((x, y) => `${x.date}${x.start ?? ''}${x.recordId}`.localeCompare(`${y.date}${y.start ?? ''}${y.recordId}`))
    .map((e) => ({
      recordId: e.recordId, versionId: e.id, kind: e.kind, date: e.date, start: e.start, end: e.end, minutes: e.minutes, evaluatorKind: e.evaluatorKind,
      evaluatorName: e.evaluatorName, method: e.method, comment: e.comment,
      results: e.results.map((r) => ({ competence: competence.get(r.competenceId)?.label ?? 'compétence retirée de la liste', blockCode: competence.get(r.competenceId)?.blockCode ?? null, level: r.level, comment: r.comment })),
      attachments: e.attachments.map((f) => ({ name: f.name, mime: f.mime, size: f.size, sha256: f.sha256 })),
      learnerSignature: ref(e.learnerSignatureId), evaluatorSignature: ref(e.evaluatorSignatureId), corrections: corrections(page.evaluations, e),
    }));

  const withdrawn: DossierWithdrawn[] = [
    ...withdrawnHeads(page.sequences).map((s) => ({ recordId: s.recordId, what: s.kind, date: s.date, start: s.start as string | null, end: s.end as string | null, on: localDate(s.createdAt), reason: s.reason ?? '' })),
    ...withdrawnHeads(page.evaluations).map((e) => ({ recordId: e.recordId, what: 'evaluation' as const, date: e.date, start: e.start, end: e.end, on: localDate(e.createdAt), reason: e.reason ?? '' })),
  ].sort((x, y) => `${x.date}${x.start ?? ''}${x.recordId}`.localeCompare(`${y.date}${y.start ?? ''}${y.recordId}`));

  const h = page.summary.hours;
  return {
    kind: 'afest-dossier',
    organisation: extras.organisation,
    afest: { id: a.id, title: a.title, conventionRef: a.conventionRef, startDate: a.startDate, endDate: a.endDate, phase: page.summary.phase },
    trainee: { name: extras.traineeName, fictitious: page.trainee.fictitious },
    session: { label: page.summary.sessionLabel, actionTitle: extras.actionTitle },
    company: page.company ? { name: page.company.name, siret: page.company.siret } : null,
    programme: page.programme ? { name: page.programme.name, funderName: page.programme.funderName } : null,
    tutor: { name: page.tutor?.name ?? null, jobTitle: page.tutor?.jobTitle ?? null, tutorTraining: page.tutor?.tutorTraining ?? null, designatedOn: a.tutorDesignatedOn, acceptedOn: a.tutorAcceptedOn },
    facilitator: page.facilitator ? { name: page.facilitator.name } : null,
    analysis: { date: a.analysisDate, workSituations: a.workSituations, tasks: a.tasks, criticalPoints: a.criticalPoints, adaptations: a.adaptations, safetyPoints: a.safetyPoints },
    competences: a.competences.map((c) => ({ label: c.label, blockCode: c.blockCode })),
    assessmentPlan: a.assessmentPlan,
    sequences: dossierSequences,
    withdrawn,
    evaluations,
    hours: {
      workSituation: h.workSituation, reflective: h.reflective, evaluation: h.evaluation, afest: h.afest, other: h.other,
      plannedAfest: a.plannedMinutes, pathway: a.pathwayMinutes,
      plannedPermille: page.compliance.share.plannedPermille, realisedPermille: page.compliance.share.realisedPermille, minPercent: page.compliance.share.minPercent,
    },
    compliance: {
      compliant: page.compliance.compliant,
      failures: page.compliance.checks.filter((c) => c.status === 'fail').length,
      checks: page.compliance.checks.map((c) => ({ code: c.code, component: c.component, status: c.status, message: c.message })),
    },
  };
}

/** The versions in force: no later version supersedes them and they are not withdrawn (the page flags them `current`). */
function inForce<V extends Sequence | Evaluation>(versions: readonly V[]): V[] {
  return versions.filter((v) => v.current && !v.withdrawn);
}

/** The last version of each withdrawn record. */
function withdrawnHeads<V extends Sequence | Evaluation>(versions: readonly V[]): V[] {
  const superseded = new Set(versions.map((v) => v.supersedesId).filter(Boolean));
  return versions.filter((v) => v.withdrawn && !superseded.has(v.id));
}

/** « 8 h 00–15 h 00 » */
export function clockRange(start: string, end: string): string {
  const c = (t: string) => `${Number(t.slice(0, 2))} h ${t.slice(3, 5)}`;
  return `${c(start)}–${c(end)}`;
}

export function dossierParts(m: AfestDossierModel): ContentPart[] {
  const { organisation, afest, trainee, session, company, programme, tutor, facilitator } = m;
  return [
    { key: 'header', data: { organisation, afest, trainee, session, company, programme, tutor, facilitator } },
    { key: 'analysis', data: { analysis: m.analysis, competences: m.competences, assessmentPlan: m.assessmentPlan } },
    ...m.sequences.map((s) => ({ key: `afest-sequence:${s.recordId}`, data: s })),
    { key: 'withdrawn', data: m.withdrawn },
    ...m.evaluations.map((e) => ({ key: `afest-evaluation:${e.recordId}`, data: e })),
    { key: 'hours', data: m.hours },
    { key: 'compliance', data: m.compliance },
  ];
}

/** « MST du 09/11/2026 » — a sequence named the way the dossier and the verification name it. */
export function sequenceName(kind: SequenceKind, date: string): string {
  return `${SHORT_KIND[kind]} du ${numericDate(date)}`;
}
