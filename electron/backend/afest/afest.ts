import type { z } from 'zod';
import {
  DEFAULT_AFEST_RULES,
  afestCompliance,
  busyProblem,
  currentVersions,
  firstWorkSituation,
  minutesBetween,
  sequenceProblems,
  type AfestRules,
  type AfestSetupFacts,
  type BusyTime,
  type SequenceFacts,
} from '../../../shared/domain/afest';
import { isoToDisplay } from '../../../shared/domain/date-text';
import { isActiveOn } from '../../../shared/domain/enrolment-status';
import { AppError } from '../../../shared/errors';
import type {
  AfestPage,
  AfestSummary,
  Evaluation,
  Sequence,
  Tutor,
  afestInput,
  afestRuleInput,
  attachmentInput,
  correctSequenceInput,
  evaluationInput,
  sequenceInput,
  tutorInput,
  withdrawInput,
} from '../../../shared/schemas/afest';
import { signatureRow } from '../attendance/attendance';
import { queryHours } from '../attendance/hours';
import { inTransaction, type Ctx } from '../context';
import { rawAll, rawGet, withRaw, type Raw } from '../db/raw';
import type { SqlRow } from '../db/schema';
import { thisDevice } from '../evidence/devices';
import { sha256 } from '../evidence/hash';
import { trackIn } from '../evidence/track';
import { writeEvidence, writeEvidenceIn, type EvidenceEntry } from '../evidence/writer';
import { todayOf } from '../organisation/organisation';
import { statusHistories } from '../sessions/active';

/**
 * AFEST (issue #11): tutors, the set-up, the sequence log, evaluations, the programmes' AFEST rules, the
 * compliance report and tutor mode. The rules are shared/domain/afest.ts; this file loads their facts, refuses
 * what they refuse before anything is written, and writes sequences and evaluations as evidence (ledger and
 * outbox in the same transaction, evidence/writer.ts). Hours come from the realised-hours engine only.
 */

type SequenceRow = SqlRow<'afest_sequences'>;
type EvaluationRow = SqlRow<'afest_evaluations'>;
type AfestRow = SqlRow<'afests'>;

function refuse(path: string, message: string, code: 'validation' | 'not_found' | 'business' | 'conflict' = 'validation'): never {
  throw new AppError(code, message, [{ path, message }]);
}

const fullName = (first: string, last: string) => `${first} ${last}`;

// ——— Tutors ———

const TUTOR_SELECT = `SELECT t.*, c.name AS company_name,
  (SELECT count(*) FROM afests a WHERE a.tutor_id = t.id AND a.deleted_at IS NULL) AS learners
  FROM tutors t JOIN companies c ON c.id = t.company_id WHERE t.deleted_at IS NULL`;
type TutorSqlRow = SqlRow<'tutors'> & { company_name: string; learners: number };

function toTutor(r: TutorSqlRow): Tutor {
  return {
    id: r.id, companyId: r.company_id, companyName: r.company_name, lastName: r.last_name, firstName: r.first_name, jobTitle: r.job_title,
    email: r.email, phone: r.phone, tutorTraining: r.tutor_training, learners: r.learners,
    createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at, updatedBy: r.updated_by,
  };
}

export async function listTutors(ctx: Ctx, filter: { companyId?: string | undefined }): Promise<Tutor[]> {
  const rows = filter.companyId
    ? await rawAll<TutorSqlRow>(ctx.db, `${TUTOR_SELECT} AND t.company_id = ? ORDER BY t.last_name, t.first_name, t.id`, filter.companyId)
    : await rawAll<TutorSqlRow>(ctx.db, `${TUTOR_SELECT} ORDER BY t.last_name, t.first_name, t.id`);
  return rows.map(toTutor);
}

export async function saveTutor(ctx: Ctx, data: z.output<typeof tutorInput>): Promise<Tutor> {
  return inTransaction(ctx, async (tx) => {
    const company = await rawGet(tx.db, 'SELECT 1 FROM companies WHERE id = ? AND deleted_at IS NULL', data.companyId);
    if (!company) refuse('companyId', "Entreprise inconnue : choisissez l'entreprise du tuteur.", 'not_found');
    const at = tx.now().toISOString();
    const id = data.id ?? tx.newId();
    await withRaw(tx.db, (raw) => {
      if (data.id) {
        const elsewhere = raw.get<{ title: string }>('SELECT title FROM afests WHERE tutor_id = ? AND company_id IS NOT NULL AND company_id <> ? AND deleted_at IS NULL LIMIT 1', data.id, data.companyId);
        if (elsewhere) refuse('companyId', `Ce tuteur est désigné pour l'AFEST « ${elsewhere.title} » dans son entreprise actuelle : il ne change pas d'entreprise. Créez une nouvelle fiche de tuteur.`, 'business');
        const r = raw.run(
          `UPDATE tutors SET company_id = ?, last_name = ?, first_name = ?, job_title = ?, email = ?, phone = ?, tutor_training = ?, version = version + 1,
             updated_at = ?, updated_by = ? WHERE id = ? AND deleted_at IS NULL`,
          data.companyId, data.lastName, data.firstName, data.jobTitle, data.email, data.phone, data.tutorTraining, at, tx.user.id, id,
        );
        if (r.changes === 0) refuse('id', 'Tuteur introuvable.', 'not_found');
      } else {
        raw.run(
          `INSERT INTO tutors (id, company_id, last_name, first_name, job_title, email, phone, tutor_training, created_at, created_by, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          id, data.companyId, data.lastName, data.firstName, data.jobTitle, data.email, data.phone, data.tutorTraining, at, tx.user.id, at, tx.user.id,
        );
      }
    });
    return toTutor((await rawGet<TutorSqlRow>(tx.db, `${TUTOR_SELECT} AND t.id = ?`, id))!);
  });
}

// ——— Programme rules ———

type RuleSqlRow = SqlRow<'afest_rules'> & { programme_name: string; funder_name: string };

function toRule(r: RuleSqlRow) {
  return {
    programmeId: r.programme_id, programmeName: r.programme_name, funderName: r.funder_name, minSharePercent: r.min_share_percent,
    facilitatorDistinct: r.facilitator_distinct === 1, note: r.note, updatedAt: r.updated_at,
  };
}
const RULE_SELECT = `SELECT r.*, p.name AS programme_name, f.name AS funder_name FROM afest_rules r
  JOIN programmes p ON p.id = r.programme_id JOIN funders f ON f.code = p.funder_code`;

export async function listAfestRules(ctx: Ctx) {
  return (await rawAll<RuleSqlRow>(ctx.db, `${RULE_SELECT} ORDER BY f.name, p.name`)).map(toRule);
}

/** A programme's AFEST rules are data: set here, tracked in the ledger (they decide compliance). */
export async function saveAfestRule(ctx: Ctx, data: z.output<typeof afestRuleInput>) {
  return inTransaction(ctx, async (tx) => {
    const programme = await rawGet(tx.db, 'SELECT 1 FROM programmes WHERE id = ? AND deleted_at IS NULL', data.programmeId);
    if (!programme) refuse('programmeId', 'Dispositif inconnu : choisissez-le parmi les dispositifs des financeurs.', 'not_found');
    const at = tx.now().toISOString();
    await withRaw(tx.db, (raw) => {
      raw.run(
        `INSERT INTO afest_rules (programme_id, min_share_percent, facilitator_distinct, note, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (programme_id) DO UPDATE SET min_share_percent = excluded.min_share_percent, facilitator_distinct = excluded.facilitator_distinct,
           note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        data.programmeId, data.minSharePercent, data.facilitatorDistinct ? 1 : 0, data.note, at, tx.user.id,
      );
      trackIn(raw, 'afest_rule', [data.programmeId], at);
    });
    return toRule((await rawGet<RuleSqlRow>(tx.db, `${RULE_SELECT} WHERE r.programme_id = ?`, data.programmeId))!);
  });
}

function rulesIn(raw: Pick<Raw, 'get'>, programmeId: string | null): { rules: AfestRules; fromProgramme: boolean } {
  const r = programmeId ? raw.get<SqlRow<'afest_rules'>>('SELECT * FROM afest_rules WHERE programme_id = ?', programmeId) : undefined;
  return r ? { rules: { minSharePercent: r.min_share_percent, facilitatorDistinct: r.facilitator_distinct === 1 }, fromProgramme: true } : { rules: DEFAULT_AFEST_RULES, fromProgramme: false };
}

// ——— Set-up ———

function afestRowIn(raw: Pick<Raw, 'get'>, id: string): AfestRow {
  const row = raw.get<AfestRow>('SELECT * FROM afests WHERE id = ? AND deleted_at IS NULL', id);
  if (!row) refuse('afestId', 'AFEST introuvable.', 'not_found');
  return row;
}

function competenceCount(raw: Pick<Raw, 'get'>, afestId: string): number {
  return raw.get<{ n: number }>('SELECT count(*) AS n FROM afest_competences WHERE afest_id = ? AND deleted_at IS NULL', afestId)!.n;
}

function setupFacts(a: AfestRow, competences: number): AfestSetupFacts {
  return {
    companyId: a.company_id, tutorId: a.tutor_id, tutorDesignatedOn: a.tutor_designated_on, tutorAcceptedOn: a.tutor_accepted_on, facilitatorId: a.facilitator_id,
    conventionRef: a.convention_ref, analysisDate: a.analysis_date, workSituations: a.work_situations, tasks: a.tasks, competences,
    plannedMinutes: a.planned_minutes, pathwayMinutes: a.pathway_minutes,
  };
}

/**
 * Once a work situation is logged, what D.6313-3-2 orders before it is settled: the tutor who conducted it stays
 * the designated tutor (a new tutor means a new AFEST with its own designation), and the analysis, designation
 * and acceptance stay dated on or before the first one. A change that would break that is refused, so the
 * panel's order rules cannot be turned red (or green) by editing dates after the fact.
 */
function checkAfterFirstMst(raw: Raw, afestId: string, data: z.output<typeof afestInput>): void {
  const mst = inForce(raw.all<SequenceRow>("SELECT * FROM afest_sequences WHERE afest_id = ? AND kind = 'work-situation' ORDER BY created_at, id", afestId));
  if (mst.length === 0) return;
  const first = mst.map((m) => m.date).sort()[0]!;
  const leaders = new Set(mst.map((m) => m.leader_id));
  if (!data.tutorId || [...leaders].some((l) => l !== data.tutorId)) {
    refuse('tutorId', `Des mises en situation ont été conduites par ${[...leaders].map((l) => names(raw, 'tutor', l)).join(', ')} : le tuteur désigné ne change plus. Si le tuteur change, ouvrez une nouvelle AFEST avec sa désignation.`, 'business');
  }
  const dates: [keyof typeof data & string, string | null, string][] = [
    ['analysisDate', data.analysisDate, "L'analyse de l'activité"],
    ['tutorDesignatedOn', data.tutorDesignatedOn, 'La désignation du tuteur'],
    ['tutorAcceptedOn', data.tutorAcceptedOn, "L'acceptation du tuteur"],
  ];
  for (const [field, value, what] of dates) {
    // An acceptance never dated stays a point of the panel; the analysis and designation were dated to log the first one.
    if (field === 'tutorAcceptedOn' ? value !== null && value > first : !value || value > first) refuse(field, `${what} doit rester datée au plus tard du ${frDate(first)}, jour de la première mise en situation : les séquences déjà enregistrées reposent sur elle.`, 'business');
  }
}

/** A competence cited by a sequence or an evaluation keeps its wording and stays in the list: the log reads it. */
function checkCitedCompetences(raw: Raw, afestId: string, competences: z.output<typeof afestInput>['competences']): void {
  const cited = new Set(raw.all<{ id: string }>(
    `SELECT j.value AS id FROM afest_sequences q, json_each(q.competence_ids) j WHERE q.afest_id = ?
     UNION SELECT json_extract(j.value, '$.competenceId') FROM afest_evaluations v, json_each(v.results) j WHERE v.afest_id = ?`,
    afestId, afestId,
  ).map((r) => r.id));
  const current = raw.all<{ id: string; label: string; block_code: string | null }>('SELECT id, label, block_code FROM afest_competences WHERE afest_id = ? AND deleted_at IS NULL', afestId);
  for (const c of current) {
    if (!cited.has(c.id)) continue;
    const i = competences.findIndex((x) => x.id === c.id);
    if (i < 0) refuse('competences', `La compétence « ${c.label} » est citée par des séquences ou des évaluations : elle reste dans la liste.`, 'business');
    if (competences[i]!.label !== c.label || competences[i]!.blockCode !== c.block_code) {
      refuse(`competences.${i}.label`, `La compétence « ${c.label} » est citée par des séquences ou des évaluations : son intitulé ne change plus. Ajoutez une nouvelle compétence si besoin.`, 'business');
    }
  }
}

/** Creates or changes an AFEST's set-up; its state (competences included) is tracked in the ledger. */
export async function saveAfest(ctx: Ctx, data: z.output<typeof afestInput>): Promise<AfestPage> {
  const id = await inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const enrolment = raw.get<{ id: string }>('SELECT id FROM enrolments WHERE id = ? AND deleted_at IS NULL', data.enrolmentId);
    if (!enrolment) refuse('enrolmentId', "Inscription inconnue : choisissez l'apprenant parmi les inscriptions.", 'not_found');
    if (data.programmeId && !raw.get('SELECT 1 FROM programmes WHERE id = ? AND deleted_at IS NULL', data.programmeId)) refuse('programmeId', 'Dispositif inconnu.', 'not_found');
    if (data.companyId && !raw.get('SELECT 1 FROM companies WHERE id = ? AND deleted_at IS NULL', data.companyId)) refuse('companyId', 'Entreprise inconnue.', 'not_found');
    if (data.tutorId) {
      const t = raw.get<{ company_id: string; name: string }>("SELECT company_id, first_name || ' ' || last_name AS name FROM tutors WHERE id = ? AND deleted_at IS NULL", data.tutorId);
      if (!t) refuse('tutorId', 'Tuteur inconnu.', 'not_found');
      if (data.companyId && t.company_id !== data.companyId) refuse('tutorId', `${t.name} est salarié(e) d'une autre entreprise que l'entreprise partenaire : le tuteur désigné appartient à l'entreprise qui accueille l'AFEST.`);
    }
    if (data.facilitatorId && !raw.get('SELECT 1 FROM trainers WHERE id = ? AND deleted_at IS NULL', data.facilitatorId)) refuse('facilitatorId', 'Formateur animateur inconnu.', 'not_found');
    const at = tx.now().toISOString();
    const afestId = data.id ?? tx.newId();
    const values = [
      data.enrolmentId, data.programmeId, data.title, data.companyId, data.tutorId, data.tutorDesignatedOn, data.tutorAcceptedOn, data.facilitatorId, data.conventionRef,
      data.analysisDate, data.workSituations, data.tasks, data.criticalPoints, data.adaptations, data.safetyPoints, data.assessmentPlan, data.plannedMinutes,
      data.pathwayMinutes, data.startDate, data.endDate,
    ];
    const columns = 'enrolment_id, programme_id, title, company_id, tutor_id, tutor_designated_on, tutor_accepted_on, facilitator_id, convention_ref, analysis_date, work_situations, tasks, critical_points, adaptations, safety_points, assessment_plan, planned_minutes, pathway_minutes, start_date, end_date';
    if (data.id) {
      const current = raw.get<{ version: number; enrolment_id: string }>('SELECT version, enrolment_id FROM afests WHERE id = ? AND deleted_at IS NULL', data.id);
      if (!current) refuse('id', 'AFEST introuvable.', 'not_found');
      if (data.version !== undefined && data.version !== current.version) {
        refuse('version', "Cette AFEST a été modifiée entre-temps (sur cet appareil ou un autre) : rechargez-la, vos changements n'ont pas été enregistrés.", 'conflict');
      }
      const logged = raw.get('SELECT 1 FROM afest_sequences WHERE afest_id = ? UNION ALL SELECT 1 FROM afest_evaluations WHERE afest_id = ? LIMIT 1', data.id, data.id);
      if (logged && current.enrolment_id !== data.enrolmentId) refuse('enrolmentId', "Des séquences ou évaluations sont déjà enregistrées pour cet apprenant : l'AFEST ne peut pas changer d'inscription.", 'business');
      checkAfterFirstMst(raw, data.id, data);
      checkCitedCompetences(raw, data.id, data.competences);
      raw.run(`UPDATE afests SET ${columns.split(', ').map((c) => `${c} = ?`).join(', ')}, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`, ...values, at, tx.user.id, afestId);
    } else {
      raw.run(`INSERT INTO afests (id, ${columns}, created_at, created_by, updated_at, updated_by) VALUES (?, ${values.map(() => '?').join(', ')}, ?, ?, ?, ?)`, afestId, ...values, at, tx.user.id, at, tx.user.id);
    }
    // Competences: those sent stay (changed in place), new ones are added, the others leave (kept for the log that cites them).
    const existing = new Set(raw.all<{ id: string }>('SELECT id FROM afest_competences WHERE afest_id = ? AND deleted_at IS NULL', afestId).map((c) => c.id));
    const kept = new Set<string>();
    data.competences.forEach((c, position) => {
      if (c.id && existing.has(c.id)) {
        kept.add(c.id);
        raw.run('UPDATE afest_competences SET position = ?, label = ?, block_code = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?', position, c.label, c.blockCode, at, tx.user.id, c.id);
      } else {
        if (c.id) refuse(`competences.${position}.id`, "Cette compétence n'appartient pas à cette AFEST.", 'not_found');
        raw.run(
          'INSERT INTO afest_competences (id, afest_id, position, label, block_code, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          tx.newId(), afestId, position, c.label, c.blockCode, at, tx.user.id, at, tx.user.id,
        );
      }
    });
    for (const gone of existing) if (!kept.has(gone)) raw.run('UPDATE afest_competences SET deleted_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?', at, at, tx.user.id, gone);
    trackIn(raw, 'afest', [afestId], at);
    return afestId;
  }));
  return afestPage(ctx, id);
}

// ——— Sequences ———

const parseIds = (json: string): string[] => JSON.parse(json) as string[];

function sequenceFacts(r: SequenceRow): SequenceFacts {
  return {
    id: r.id, recordId: r.record_id, afestId: r.afest_id, kind: r.kind as SequenceFacts['kind'], date: r.date, start: r.start_time, end: r.end_time, minutes: r.minutes,
    ledBy: r.led_by as SequenceFacts['ledBy'], leaderId: r.leader_id, outOfProduction: r.out_of_production === 1, reviewedIds: parseIds(r.reviewed_ids),
  };
}
const versioned = (r: { id: string; supersedes_id: string | null; withdrawn: number }) => ({ id: r.id, supersedesId: r.supersedes_id, withdrawn: r.withdrawn === 1 });

/** Every version of an enrolment's sequences, in the order they were written. */
function sequencesOfEnrolment(raw: Pick<Raw, 'all'>, enrolmentId: string): SequenceRow[] {
  return raw.all<SequenceRow>('SELECT * FROM afest_sequences WHERE enrolment_id = ? ORDER BY created_at, id', enrolmentId);
}

function inForce<R extends { id: string; supersedes_id: string | null; withdrawn: number }>(rows: readonly R[]): R[] {
  const heads = new Set(currentVersions(rows.map(versioned)).map((v) => v.id));
  return rows.filter((r) => heads.has(r.id));
}

function leaderOf(a: AfestRow, ledBy: 'tutor' | 'facilitator', path: string): string {
  if (ledBy === 'tutor') return a.tutor_id ?? refuse(path, "Aucun tuteur n'est désigné pour cette AFEST : désignez-le dans la mise en place.");
  return a.facilitator_id ?? refuse(path, "Aucun formateur animateur n'est désigné pour cette AFEST : désignez-le dans la mise en place.");
}

/** Refuses a candidate the shared rules refuse: the first problem as the message, each on its field. */
function refuseProblems(problems: readonly { path: string; message: string }[]): void {
  if (problems.length === 0) return;
  throw new AppError('validation', `${problems[0]!.message} Rien n'a été enregistré.`, problems.map((p) => ({ path: p.path, message: p.message })));
}

function names(raw: Pick<Raw, 'get'>, kind: 'tutor' | 'facilitator', id: string): string {
  const r = kind === 'tutor'
    ? raw.get<{ first_name: string; last_name: string }>('SELECT first_name, last_name FROM tutors WHERE id = ?', id)
    : raw.get<{ first_name: string; last_name: string }>('SELECT first_name, last_name FROM trainers WHERE id = ?', id);
  return r ? fullName(r.first_name, r.last_name) : '?';
}

function userName(raw: Pick<Raw, 'get'>, id: string): string {
  return raw.get<{ name: string }>('SELECT name FROM users WHERE id = ?', id)?.name ?? id;
}

function toSequence(raw: Pick<Raw, 'get'>, r: SequenceRow, current: boolean): Sequence {
  return {
    id: r.id, recordId: r.record_id, afestId: r.afest_id, kind: r.kind as Sequence['kind'], date: r.date, start: r.start_time, end: r.end_time, minutes: r.minutes,
    ledBy: r.led_by as Sequence['ledBy'], leaderId: r.leader_id, leaderName: names(raw, r.led_by as 'tutor' | 'facilitator', r.leader_id),
    workstation: r.workstation, tasks: r.tasks, intendedLearning: r.intended_learning, observations: r.observations, outOfProduction: r.out_of_production === 1,
    reviewedIds: parseIds(r.reviewed_ids), competenceIds: parseIds(r.competence_ids), gapExpected: r.gap_expected, gapDone: r.gap_done, gapAcquired: r.gap_acquired,
    verbalised: r.verbalised, nextSteps: r.next_steps, learnerSignatureId: r.learner_signature_id, leaderSignatureId: r.leader_signature_id,
    withdrawn: r.withdrawn === 1, supersedesId: r.supersedes_id, reason: r.reason, current, createdAt: r.created_at, createdBy: r.created_by,
    createdByName: userName(raw, r.created_by),
  };
}

/** The `afest-sequence` record of the exchange protocol for one version of a sequence. */
function sequencePayload(raw: Pick<Raw, 'get'>, a: AfestRow, r: SequenceRow, signatures: readonly { sha256: string }[]) {
  const summary = r.kind === 'work-situation'
    ? [r.workstation, r.tasks].filter(Boolean).join(' — ')
    : [r.verbalised ? `Compétences verbalisées : ${r.verbalised}` : null, r.next_steps ? `Suite : ${r.next_steps}` : null].filter(Boolean).join(' ; ');
  return {
    enrolmentId: r.enrolment_id,
    kind: r.kind,
    date: r.date,
    start: r.start_time,
    end: r.end_time,
    minutes: r.minutes,
    // Who ran it, as signed: the tutor of a work situation is its leader, even if the AFEST's tutor changed since.
    tutor: r.led_by === 'tutor' ? names(raw, 'tutor', r.leader_id) : a.tutor_id ? names(raw, 'tutor', a.tutor_id) : names(raw, 'facilitator', r.leader_id),
    ...(r.led_by === 'facilitator' ? { facilitator: names(raw, 'facilitator', r.leader_id) } : a.facilitator_id ? { facilitator: names(raw, 'facilitator', a.facilitator_id) } : {}),
    ledBy: r.led_by,
    summary: summary.slice(0, 500),
    afestId: a.id,
    sequenceId: r.id,
    ...(r.withdrawn ? { withdrawn: true, reason: r.reason } : r.supersedes_id ? { correction: r.reason } : {}),
    evidence: signatures.map((s) => s.sha256),
  };
}

function signaturesOf(raw: Pick<Raw, 'get'>, ids: readonly (string | null)[]): { sha256: string }[] {
  return ids.filter((i): i is string => !!i).map((i) => raw.get<{ sha256: string }>('SELECT sha256 FROM signatures WHERE id = ?', i)!);
}

type SequenceFields = Omit<z.output<typeof correctSequenceInput>, 'sequenceId' | 'reason'>;

function checkCompetences(raw: Pick<Raw, 'all'>, afestId: string, ids: readonly string[], path: string): void {
  const known = new Set(raw.all<{ id: string }>('SELECT id FROM afest_competences WHERE afest_id = ? AND deleted_at IS NULL', afestId).map((c) => c.id));
  ids.forEach((c, i) => {
    if (!known.has(c)) refuse(`${path}.${i}`, "Cette compétence n'est pas une compétence visée de cette AFEST.", 'not_found');
  });
}

const frDate = isoToDisplay;

/**
 * A date the learner can be in training on: not in the future, within the AFEST's period when it has one,
 * and their enrolment active that day (entered, not exited nor suspended: the roll call's rule).
 */
function checkDate(raw: Raw, a: AfestRow, date: string, today: string, what: string): void {
  if (date > today) refuse('date', `${what} datée du ${frDate(date)}, dans le futur : elle s'enregistre une fois réalisée.`);
  if (a.start_date && date < a.start_date) refuse('date', `${what} datée du ${frDate(date)}, avant le début de l'AFEST (${frDate(a.start_date)}) : corrigez la date ou la période de l'AFEST.`);
  if (a.end_date && date > a.end_date) refuse('date', `${what} datée du ${frDate(date)}, après la fin de l'AFEST (${frDate(a.end_date)}) : corrigez la date ou la période de l'AFEST.`);
  const e = raw.get<{ planned_start: string; planned_end: string }>('SELECT planned_start, planned_end FROM enrolments WHERE id = ?', a.enrolment_id)!;
  const history = statusHistories(raw, [a.enrolment_id]).get(a.enrolment_id) ?? [];
  if (!isActiveOn({ plannedStart: e.planned_start, plannedEnd: e.planned_end }, history, date)) {
    refuse('date', `${what} datée du ${frDate(date)} : l'inscription de l'apprenant n'est pas active ce jour-là (hors de ses dates, sortie ou suspendue).`);
  }
}

/**
 * What else the learner was doing on `date`: timed evaluations in force (all their AFESTs) and the slots they
 * attended (marks in force that count minutes).
 */
function busyOn(raw: Raw, enrolmentId: string, date: string): BusyTime[] {
  const evaluations = inForce(raw.all<EvaluationRow>('SELECT * FROM afest_evaluations WHERE enrolment_id = ? ORDER BY created_at, id', enrolmentId))
    .filter((e) => e.date === date && e.start_time && e.end_time)
    .map((e) => ({ date, start: e.start_time!, end: e.end_time!, label: "l'évaluation" }));
  const slots = raw.all<{ start_time: string; end_time: string }>(
    `SELECT s.start_time, s.end_time FROM attendance_marks m JOIN slots s ON s.id = m.slot_id JOIN attendance_kinds k ON k.code = m.kind
     WHERE m.enrolment_id = ? AND s.date = ? AND s.cancelled = 0 AND k.category IN ('present', 'late', 'early-leave', 'remote')
       AND NOT EXISTS (SELECT 1 FROM attendance_marks n WHERE n.supersedes_id = m.id)`,
    enrolmentId, date,
  ).map((r) => ({ date, start: r.start_time, end: r.end_time, label: 'le créneau de formation' }));
  return [...evaluations, ...slots];
}

/** Checks a candidate version against the set-up, the programme's rules and the learner's other times. */
function checkCandidate(raw: Raw, a: AfestRow, kind: SequenceFacts['kind'], f: SequenceFields, today: string, old: SequenceRow | null): string {
  checkDate(raw, a, f.date, today, kind === 'work-situation' ? 'Mise en situation' : 'Séquence réflexive');
  // A correction keeps who ran the sequence (their signature attests it; correctSequence refuses another leader).
  const leaderId = old ? old.leader_id : leaderOf(a, f.ledBy, 'ledBy');
  const existing = inForce(sequencesOfEnrolment(raw, a.enrolment_id)).map(sequenceFacts);
  const { rules } = rulesIn(raw, a.programme_id);
  const candidate = { kind, date: f.date, start: f.start, end: f.end, ledBy: f.ledBy, leaderId, outOfProduction: f.outOfProduction, reviewedIds: f.reviewedIds, recordId: old?.record_id ?? null, afestId: a.id };
  const problems = sequenceProblems(setupFacts(a, competenceCount(raw, a.id)), rules, existing, candidate);
  const busy = busyProblem(f, busyOn(raw, a.enrolment_id, f.date));
  refuseProblems(busy ? [busy, ...problems] : problems);
  checkCompetences(raw, a.id, f.competenceIds, 'competenceIds');
  if (old) checkLookBack(raw, old, { date: f.date, end: f.end, withdrawn: false });
  return leaderId;
}

/**
 * A work situation that in-force reflective sequences look back on cannot move after them nor be withdrawn:
 * they would then look back on nothing (component 3). They are corrected or withdrawn first.
 */
function checkLookBack(raw: Raw, old: SequenceRow, next: { date: string; end: string; withdrawn: boolean }): void {
  if (old.kind !== 'work-situation') return;
  const reviewers = inForce(sequencesOfEnrolment(raw, old.enrolment_id)).filter((s) => s.kind === 'reflective' && parseIds(s.reviewed_ids).includes(old.record_id));
  const broken = reviewers.filter((s) => next.withdrawn || next.date > s.date || (next.date === s.date && next.end > s.start_time));
  if (broken.length > 0) {
    const dates = broken.map((s) => frDate(s.date)).join(', ');
    refuse('sequenceId', `La séquence réflexive du ${dates} revient sur cette mise en situation : ${next.withdrawn ? 'la retirer' : 'la déplacer après elle'} la laisserait sans objet. Corrigez ou retirez d'abord la séquence réflexive.`, 'business');
  }
}

function sequenceRowOf(a: AfestRow, kind: string, f: SequenceFields, leaderId: string, base: Pick<SequenceRow, 'id' | 'record_id' | 'learner_signature_id' | 'leader_signature_id' | 'device_id' | 'supersedes_id' | 'reason' | 'created_at' | 'created_by'>, withdrawn = 0): SequenceRow {
  return {
    ...base, afest_id: a.id, enrolment_id: a.enrolment_id, kind, date: f.date, start_time: f.start, end_time: f.end, minutes: minutesBetween(f.start, f.end),
    led_by: f.ledBy, leader_id: leaderId, workstation: f.workstation, tasks: f.tasks, intended_learning: f.intendedLearning, observations: f.observations,
    out_of_production: f.outOfProduction ? 1 : 0, reviewed_ids: JSON.stringify(f.reviewedIds), competence_ids: JSON.stringify(f.competenceIds),
    gap_expected: f.gapExpected, gap_done: f.gapDone, gap_acquired: f.gapAcquired, verbalised: f.verbalised, next_steps: f.nextSteps, withdrawn,
  };
}

/**
 * Logs a sequence, signed by the learner and by who ran it (the tutor for a work situation; the facilitator, or
 * the tutor where the programme allows it, for a reflective one): signatures, the sequence and its ledger
 * entries, and its `afest-sequence` record in the outbox, in one transaction.
 */
export async function recordSequence(ctx: Ctx, data: z.output<typeof sequenceInput>): Promise<Sequence> {
  const today = await todayOf(ctx);
  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const a = afestRowIn(raw, data.afestId);
    const leaderId = checkCandidate(raw, a, data.kind, data, today, null);
    const at = tx.now().toISOString();
    const device = thisDevice(raw, at, () => tx.newId());
    const learnerSig = signatureRow(tx, 'trainee', a.enrolment_id, data.learnerSignature, device, at, data.signedAt ?? null);
    const leaderSig = signatureRow(tx, data.ledBy === 'tutor' ? 'tutor' : 'trainer', leaderId, data.leaderSignature, device, at, data.signedAt ?? null);
    const id = tx.newId();
    const row = sequenceRowOf(a, data.kind, data, leaderId, {
      id, record_id: id, learner_signature_id: learnerSig.id, leader_signature_id: leaderSig.id, device_id: device, supersedes_id: null, reason: null, created_at: at, created_by: tx.user.id,
    });
    const evidence: EvidenceEntry[] = [{ type: 'signature', row: learnerSig }, { type: 'signature', row: leaderSig }, { type: 'afest_sequence', row }];
    writeEvidenceIn(raw, evidence, { at, outbox: [{ recordType: 'afest-sequence', recordId: row.record_id, payload: sequencePayload(raw, a, row, [learnerSig, leaderSig]) }] });
    return toSequence(raw, row, true);
  }));
}

function currentVersionIn(raw: Pick<Raw, 'get'>, id: string): SequenceRow {
  const old = raw.get<SequenceRow>('SELECT * FROM afest_sequences WHERE id = ?', id);
  if (!old) refuse('sequenceId', 'Séquence introuvable.', 'not_found');
  const later = raw.get<{ id: string }>('SELECT id FROM afest_sequences WHERE supersedes_id = ?', id);
  if (later) refuse('sequenceId', 'Cette version a déjà été corrigée : corrigez la dernière version de la séquence.', 'conflict');
  if (old.withdrawn) refuse('sequenceId', 'Cette séquence a été retirée : elle ne se corrige plus.', 'business');
  return old;
}

/** A new version of a sequence with its reason; the signatures of the sequence stand, the previous version stays. */
export async function correctSequence(ctx: Ctx, data: z.output<typeof correctSequenceInput>): Promise<Sequence> {
  const today = await todayOf(ctx);
  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const old = currentVersionIn(raw, data.sequenceId);
    const a = afestRowIn(raw, old.afest_id);
    if (data.ledBy !== old.led_by) refuse('ledBy', "Une correction ne change pas qui a animé la séquence (sa signature l'atteste) : retirez-la et enregistrez-en une nouvelle, signée.", 'business');
    const leaderId = checkCandidate(raw, a, old.kind as SequenceFacts['kind'], data, today, old);
    const at = tx.now().toISOString();
    const row = sequenceRowOf(a, old.kind, data, leaderId, {
      id: tx.newId(), record_id: old.record_id, learner_signature_id: old.learner_signature_id, leader_signature_id: old.leader_signature_id, device_id: thisDevice(raw, at, () => tx.newId()),
      supersedes_id: old.id, reason: data.reason, created_at: at, created_by: tx.user.id,
    });
    writeEvidenceIn(raw, [{ type: 'afest_sequence', row }], {
      at, outbox: [{ recordType: 'afest-sequence', recordId: row.record_id, payload: sequencePayload(raw, a, row, signaturesOf(raw, [row.learner_signature_id, row.leader_signature_id])) }],
    });
    return toSequence(raw, row, true);
  }));
}

/** Withdraws a sequence logged by mistake: a last version that withdraws it, with its reason. */
export async function withdrawSequence(ctx: Ctx, data: z.output<typeof withdrawInput>): Promise<Sequence> {
  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const old = currentVersionIn(raw, data.id);
    const a = afestRowIn(raw, old.afest_id);
    checkLookBack(raw, old, { date: old.date, end: old.end_time, withdrawn: true });
    const at = tx.now().toISOString();
    const row: SequenceRow = { ...old, id: tx.newId(), device_id: thisDevice(raw, at, () => tx.newId()), withdrawn: 1, supersedes_id: old.id, reason: data.reason, created_at: at, created_by: tx.user.id };
    writeEvidenceIn(raw, [{ type: 'afest_sequence', row }], {
      at, outbox: [{ recordType: 'afest-sequence', recordId: row.record_id, payload: sequencePayload(raw, a, row, signaturesOf(raw, [row.learner_signature_id, row.leader_signature_id])) }],
    });
    return toSequence(raw, row, false);
  }));
}

// ——— Evaluations ———

function toEvaluation(raw: Pick<Raw, 'get'>, r: EvaluationRow, current: boolean): Evaluation {
  const attachments = parseIds(r.attachments).map((docId) => {
    const d = raw.get<{ id: string; name: string; mime: string; sha256: string; size: number }>('SELECT id, name, mime, sha256, length(bytes) AS size FROM documents WHERE id = ?', docId)!;
    return d;
  });
  return {
    id: r.id, recordId: r.record_id, afestId: r.afest_id, kind: r.kind as Evaluation['kind'], date: r.date, start: r.start_time, end: r.end_time, minutes: r.minutes,
    evaluatorKind: r.evaluator_kind as Evaluation['evaluatorKind'], evaluatorId: r.evaluator_id, evaluatorName: names(raw, r.evaluator_kind as 'tutor' | 'facilitator', r.evaluator_id),
    method: r.method, comment: r.comment, results: JSON.parse(r.results) as Evaluation['results'], attachments,
    learnerSignatureId: r.learner_signature_id, evaluatorSignatureId: r.evaluator_signature_id, withdrawn: r.withdrawn === 1, supersedesId: r.supersedes_id, reason: r.reason,
    current, createdAt: r.created_at, createdBy: r.created_by, createdByName: userName(raw, r.created_by),
  };
}

function evaluationPayload(raw: Pick<Raw, 'get'>, a: AfestRow, r: EvaluationRow) {
  const results = JSON.parse(r.results) as { competenceId: string; level: string }[];
  const acquired = results.filter((x) => x.level === 'acquired').length;
  return {
    enrolmentId: r.enrolment_id, kind: 'evaluation', date: r.date, start: r.start_time, end: r.end_time, minutes: r.minutes,
    tutor: a.tutor_id ? names(raw, 'tutor', a.tutor_id) : names(raw, r.evaluator_kind as 'tutor' | 'facilitator', r.evaluator_id),
    ...(a.facilitator_id ? { facilitator: names(raw, 'facilitator', a.facilitator_id) } : {}),
    summary: `Évaluation ${r.kind === 'final' ? 'finale' : 'intermédiaire'} : ${acquired} compétence(s) acquise(s) sur ${results.length}.`,
    afestId: a.id, evaluationId: r.id, ...(r.withdrawn ? { withdrawn: true, reason: r.reason } : {}),
  };
}

/**
 * Records an evaluation per target competence, with its attachments (already stored as documents, so their
 * SHA-256 are in the ledger). One that took time (start–end) counts as AFEST evaluation minutes and is sent
 * to the funders as an `afest-sequence` record of kind `evaluation`.
 */
export async function recordEvaluation(ctx: Ctx, data: z.output<typeof evaluationInput>): Promise<Evaluation> {
  const today = await todayOf(ctx);
  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const a = afestRowIn(raw, data.afestId);
    checkDate(raw, a, data.date, today, 'Évaluation');
    if (data.start && data.end) {
      // A timed evaluation counts as AFEST minutes: it cannot overlap another time of the learner.
      const sequences = inForce(sequencesOfEnrolment(raw, a.enrolment_id)).filter((q) => q.date === data.date)
        .map((q) => ({ date: q.date, start: q.start_time, end: q.end_time, label: q.kind === 'work-situation' ? 'la mise en situation' : 'la séquence réflexive' }));
      const busy = busyProblem({ date: data.date, start: data.start, end: data.end }, [...sequences, ...busyOn(raw, a.enrolment_id, data.date)]);
      if (busy) refuseProblems([busy]);
    }
    const evaluatorId = leaderOf(a, data.evaluatorKind, 'evaluatorKind');
    checkCompetences(raw, a.id, data.results.map((r) => r.competenceId), 'results');
    const seen = new Set<string>();
    data.results.forEach((r, i) => {
      if (seen.has(r.competenceId)) refuse(`results.${i}.competenceId`, 'Une même compétence est évaluée deux fois.');
      seen.add(r.competenceId);
    });
    const attached = new Set<string>();
    data.attachments.forEach((d, i) => {
      if (attached.has(d)) refuse(`attachments.${i}`, 'Cette pièce est jointe deux fois.');
      attached.add(d);
      if (!raw.get('SELECT 1 FROM documents WHERE id = ?', d)) refuse(`attachments.${i}`, 'Pièce jointe introuvable : joignez-la de nouveau.', 'not_found');
      // A roll call's piece (a sick note, a scanned sheet) is not an AFEST piece: it stays where it was given.
      if (raw.get('SELECT 1 FROM attendance_marks WHERE document_id = ? LIMIT 1', d)) refuse(`attachments.${i}`, "Cette pièce appartient à l'émargement : joignez le fichier à l'évaluation depuis cet écran.");
    });
    const at = tx.now().toISOString();
    const device = thisDevice(raw, at, () => tx.newId());
    const evidence: EvidenceEntry[] = [];
    const learnerSig = data.learnerSignature ? signatureRow(tx, 'trainee', a.enrolment_id, data.learnerSignature, device, at, data.signedAt ?? null) : null;
    const evaluatorSig = data.evaluatorSignature ? signatureRow(tx, data.evaluatorKind === 'tutor' ? 'tutor' : 'trainer', evaluatorId, data.evaluatorSignature, device, at, data.signedAt ?? null) : null;
    if (learnerSig) evidence.push({ type: 'signature', row: learnerSig });
    if (evaluatorSig) evidence.push({ type: 'signature', row: evaluatorSig });
    const id = tx.newId();
    const row: EvaluationRow = {
      id, record_id: id, afest_id: a.id, enrolment_id: a.enrolment_id, kind: data.kind, date: data.date, start_time: data.start, end_time: data.end,
      minutes: data.start && data.end ? minutesBetween(data.start, data.end) : 0, evaluator_kind: data.evaluatorKind, evaluator_id: evaluatorId, method: data.method,
      comment: data.comment, results: JSON.stringify(data.results.map((r) => ({ competenceId: r.competenceId, level: r.level, comment: r.comment }))),
      attachments: JSON.stringify(data.attachments), learner_signature_id: learnerSig?.id ?? null, evaluator_signature_id: evaluatorSig?.id ?? null, device_id: device,
      withdrawn: 0, supersedes_id: null, reason: null, created_at: at, created_by: tx.user.id,
    };
    evidence.push({ type: 'afest_evaluation', row });
    writeEvidenceIn(raw, evidence, { at, outbox: row.minutes > 0 ? [{ recordType: 'afest-sequence', recordId: row.record_id, payload: evaluationPayload(raw, a, row) }] : [] });
    return toEvaluation(raw, row, true);
  }));
}

export async function withdrawEvaluation(ctx: Ctx, data: z.output<typeof withdrawInput>): Promise<Evaluation> {
  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const old = raw.get<EvaluationRow>('SELECT * FROM afest_evaluations WHERE id = ?', data.id);
    if (!old) refuse('id', 'Évaluation introuvable.', 'not_found');
    if (raw.get('SELECT 1 FROM afest_evaluations WHERE supersedes_id = ?', data.id)) refuse('id', 'Cette évaluation a déjà été retirée ou remplacée.', 'conflict');
    if (old.withdrawn) refuse('id', 'Cette évaluation est déjà retirée.', 'business');
    const a = afestRowIn(raw, old.afest_id);
    const at = tx.now().toISOString();
    const row: EvaluationRow = { ...old, id: tx.newId(), device_id: thisDevice(raw, at, () => tx.newId()), withdrawn: 1, supersedes_id: old.id, reason: data.reason, created_at: at, created_by: tx.user.id };
    const sent = raw.get('SELECT 1 FROM outbox WHERE record_id = ?', old.record_id);
    writeEvidenceIn(raw, [{ type: 'afest_evaluation', row }], { at, outbox: sent ? [{ recordType: 'afest-sequence', recordId: row.record_id, payload: evaluationPayload(raw, a, row) }] : [] });
    return toEvaluation(raw, row, false);
  }));
}

/** A photo or document for an evaluation, stored as evidence (its SHA-256 in the ledger) before it is cited. */
export async function uploadAttachment(ctx: Ctx, data: z.output<typeof attachmentInput>) {
  return inTransaction(ctx, async (tx) => {
    const bytes = Buffer.from(data.base64, 'base64');
    if (bytes.length === 0) refuse('base64', 'Le fichier est vide.');
    const at = tx.now().toISOString();
    const row = { id: tx.newId(), name: data.name, mime: data.mime, bytes, sha256: sha256(bytes), created_at: at, created_by: tx.user.id };
    await writeEvidence(tx, [{ type: 'document', row }], { at });
    return { id: row.id, sha256: row.sha256, name: row.name, mime: row.mime, size: bytes.length };
  });
}

/** An evaluation's attachment (only documents an evaluation cites: the roll call's pieces are read through attendance). */
export async function readAttachment(ctx: Ctx, id: string) {
  const cited = await rawGet(ctx.db, 'SELECT 1 FROM afest_evaluations v, json_each(v.attachments) j WHERE j.value = ? LIMIT 1', id);
  if (!cited) refuse('id', 'Pièce jointe introuvable.', 'not_found');
  const d = await rawGet<{ id: string; name: string; mime: string; sha256: string; bytes: Uint8Array }>(ctx.db, 'SELECT id, name, mime, sha256, bytes FROM documents WHERE id = ?', id);
  if (!d) refuse('id', 'Pièce jointe introuvable.', 'not_found');
  return { id: d.id, name: d.name, mime: d.mime, sha256: d.sha256, base64: Buffer.from(d.bytes).toString('base64') };
}

/** A signature of the AFEST log (sequences and evaluations only: the roll call's are read through attendance). */
export async function readSignature(ctx: Ctx, id: string) {
  const cited = await rawGet(
    ctx.db,
    `SELECT 1 FROM afest_sequences WHERE ? IN (learner_signature_id, leader_signature_id)
     UNION ALL SELECT 1 FROM afest_evaluations WHERE ? IN (learner_signature_id, evaluator_signature_id) LIMIT 1`,
    id, id,
  );
  const s = cited ? await rawGet<{ png: Uint8Array | null }>(ctx.db, 'SELECT png FROM signatures WHERE id = ?', id) : undefined;
  if (!s) refuse('id', 'Signature introuvable.', 'not_found');
  return { id, pngBase64: s.png ? Buffer.from(s.png).toString('base64') : '' };
}

// ——— Page, list, tutor mode ———

interface Loaded {
  a: AfestRow;
  sequences: SequenceRow[];
  evaluations: EvaluationRow[];
  rules: { rules: AfestRules; fromProgramme: boolean };
  competences: { id: string; label: string; block_code: string | null }[];
}

function loadIn(raw: Raw, id: string): Loaded {
  const a = afestRowIn(raw, id);
  return {
    a,
    sequences: raw.all<SequenceRow>('SELECT * FROM afest_sequences WHERE afest_id = ? ORDER BY created_at, id', id),
    evaluations: raw.all<EvaluationRow>('SELECT * FROM afest_evaluations WHERE afest_id = ? ORDER BY created_at, id', id),
    rules: rulesIn(raw, a.programme_id),
    competences: raw.all('SELECT id, label, block_code FROM afest_competences WHERE afest_id = ? AND deleted_at IS NULL ORDER BY position, id', id),
  };
}

/**
 * Realised minutes from the realised-hours engine: this AFEST's per kind, and the rest of the pathway (the
 * enrolment's attended slots).
 */
async function hoursOf(ctx: Ctx, enrolmentId: string, afestId: string) {
  const row = (await queryHours(ctx, { enrolmentId, afestId, groupBy: [] }))[0];
  const workSituation = row?.afest['work-situation'] ?? 0;
  const reflective = row?.afest.reflective ?? 0;
  const evaluation = row?.afest.evaluation ?? 0;
  return { workSituation, reflective, evaluation, afest: workSituation + reflective + evaluation, other: row?.attended ?? 0 };
}

function report(l: Loaded, hours: { afest: number; other: number }) {
  const sequences = inForce(l.sequences);
  const evaluations = inForce(l.evaluations);
  return afestCompliance({
    setup: setupFacts(l.a, l.competences.length),
    rules: l.rules.rules,
    sequences: sequences.map(sequenceFacts),
    evaluations: evaluations.map((e) => ({ date: e.date, kind: e.kind as 'intermediate' | 'final' })),
    realised: { afestMinutes: hours.afest, otherMinutes: hours.other },
  });
}

type SummaryHead = {
  id: string; title: string; enrolment_id: string; trainee_id: string; trainee_name: string; session_id: string; session_label: string;
  company_name: string | null; tutor_id: string | null; tutor_name: string | null; facilitator_name: string | null; programme_name: string | null;
};
const SUMMARY_SELECT = `SELECT a.id, a.title, a.enrolment_id, t.id AS trainee_id, t.last_name || ' ' || t.first_name AS trainee_name, s.id AS session_id, s.label AS session_label,
    c.name AS company_name, a.tutor_id, tu.first_name || ' ' || tu.last_name AS tutor_name, tr.first_name || ' ' || tr.last_name AS facilitator_name, p.name AS programme_name
  FROM afests a JOIN enrolments e ON e.id = a.enrolment_id JOIN trainees t ON t.id = e.trainee_id JOIN sessions s ON s.id = e.session_id
  LEFT JOIN companies c ON c.id = a.company_id LEFT JOIN tutors tu ON tu.id = a.tutor_id LEFT JOIN trainers tr ON tr.id = a.facilitator_id
  LEFT JOIN programmes p ON p.id = a.programme_id
  WHERE a.deleted_at IS NULL`;

function summaryOf(head: SummaryHead, l: Loaded, hours: Awaited<ReturnType<typeof hoursOf>>, compliance: ReturnType<typeof report>): AfestSummary {
  const sequences = inForce(l.sequences);
  const finals = inForce(l.evaluations).some((e) => e.kind === 'final');
  const firstMst = firstWorkSituation(sequences.map(sequenceFacts));
  return {
    id: head.id, title: head.title, enrolmentId: head.enrolment_id, traineeId: head.trainee_id, traineeName: head.trainee_name, sessionId: head.session_id,
    sessionLabel: head.session_label, companyName: head.company_name, tutorId: head.tutor_id, tutorName: head.tutor_name, facilitatorName: head.facilitator_name,
    programmeName: head.programme_name, phase: finals ? 'evaluated' : firstMst ? 'running' : 'engineering', compliant: compliance.compliant,
    failures: compliance.checks.filter((c) => c.status === 'fail').length, hours, share: compliance.share,
    lastSequenceDate: sequences.map((s) => s.date).sort().at(-1) ?? null,
  };
}

/** The AFESTs matching a filter, each with its summary and what was loaded to make it. */
async function loadSummaries(ctx: Ctx, filter: { enrolmentId?: string | undefined; tutorId?: string | undefined }): Promise<{ summary: AfestSummary; loaded: Loaded }[]> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.enrolmentId) {
    where.push('a.enrolment_id = ?');
    params.push(filter.enrolmentId);
  }
  if (filter.tutorId) {
    where.push('a.tutor_id = ?');
    params.push(filter.tutorId);
  }
  const heads = await rawAll<SummaryHead>(ctx.db, `${SUMMARY_SELECT}${where.map((w) => ` AND ${w}`).join('')} ORDER BY t.last_name, t.first_name, a.created_at, a.id`, ...params);
  const out: { summary: AfestSummary; loaded: Loaded }[] = [];
  for (const head of heads) {
    const loaded = await withRaw(ctx.db, (raw) => loadIn(raw, head.id));
    const hours = await hoursOf(ctx, head.enrolment_id, head.id);
    out.push({ summary: summaryOf(head, loaded, hours, report(loaded, hours)), loaded });
  }
  return out;
}

export async function listAfests(ctx: Ctx, filter: { enrolmentId?: string | undefined; tutorId?: string | undefined }): Promise<AfestSummary[]> {
  return (await loadSummaries(ctx, filter)).map((x) => x.summary);
}

/** The AFEST page: set-up, every version of the log, evaluations, hours and the compliance report. */
export async function afestPage(ctx: Ctx, id: string): Promise<AfestPage> {
  const l = await withRaw(ctx.db, (raw) => loadIn(raw, id));
  const hours = await hoursOf(ctx, l.a.enrolment_id, l.a.id);
  const compliance = report(l, hours);
  return withRaw(ctx.db, (raw) => {
    const head = raw.get<SummaryHead>(`${SUMMARY_SELECT} AND a.id = ?`, id)!;
    const a = l.a;
    const trainee = raw.get<{ id: string; last_name: string; first_name: string; fictitious: number }>('SELECT t.id, t.last_name, t.first_name, t.fictitious FROM enrolments e JOIN trainees t ON t.id = e.trainee_id WHERE e.id = ?', a.enrolment_id)!;
    const company = a.company_id ? raw.get<{ id: string; name: string; siret: string }>('SELECT id, name, siret FROM companies WHERE id = ?', a.company_id)! : null;
    const tutor = a.tutor_id ? raw.get<TutorSqlRow>(`${TUTOR_SELECT.replace(' WHERE t.deleted_at IS NULL', ' WHERE 1')} AND t.id = ?`, a.tutor_id) : undefined;
    const facilitator = a.facilitator_id ? raw.get<{ id: string; first_name: string; last_name: string }>('SELECT id, first_name, last_name FROM trainers WHERE id = ?', a.facilitator_id) : undefined;
    const programme = a.programme_id ? raw.get<{ id: string; name: string; funder_name: string }>('SELECT p.id, p.name, f.name AS funder_name FROM programmes p JOIN funders f ON f.code = p.funder_code WHERE p.id = ?', a.programme_id) : undefined;
    const currentSeq = new Set(inForce(l.sequences).map((s) => s.id));
    const currentEval = new Set(inForce(l.evaluations).map((e) => e.id));
    return {
      afest: {
        id: a.id, version: Number(a.version), enrolmentId: a.enrolment_id, programmeId: a.programme_id, title: a.title, companyId: a.company_id, tutorId: a.tutor_id,
        tutorDesignatedOn: a.tutor_designated_on, tutorAcceptedOn: a.tutor_accepted_on, facilitatorId: a.facilitator_id, conventionRef: a.convention_ref,
        analysisDate: a.analysis_date, workSituations: a.work_situations, tasks: a.tasks, criticalPoints: a.critical_points, adaptations: a.adaptations,
        safetyPoints: a.safety_points, assessmentPlan: a.assessment_plan, plannedMinutes: a.planned_minutes, pathwayMinutes: a.pathway_minutes,
        startDate: a.start_date, endDate: a.end_date, competences: l.competences.map((c) => ({ id: c.id, label: c.label, blockCode: c.block_code })),
        createdAt: a.created_at, createdBy: a.created_by, updatedAt: a.updated_at, updatedBy: a.updated_by,
      },
      summary: summaryOf(head, l, hours, compliance),
      trainee: { id: trainee.id, name: `${trainee.last_name} ${trainee.first_name}`, fictitious: trainee.fictitious === 1 },
      company,
      tutor: tutor ? { id: tutor.id, name: fullName(tutor.first_name, tutor.last_name), jobTitle: tutor.job_title, tutorTraining: tutor.tutor_training, companyName: tutor.company_name } : null,
      facilitator: facilitator ? { id: facilitator.id, name: fullName(facilitator.first_name, facilitator.last_name) } : null,
      programme: programme ? { id: programme.id, name: programme.name, funderName: programme.funder_name } : null,
      rules: { ...l.rules.rules, fromProgramme: l.rules.fromProgramme },
      sequences: [...l.sequences].sort((x, y) => `${x.date}${x.start_time}${x.created_at}`.localeCompare(`${y.date}${y.start_time}${y.created_at}`)).map((s) => toSequence(raw, s, currentSeq.has(s.id))),
      evaluations: [...l.evaluations].sort((x, y) => `${x.date}${x.created_at}`.localeCompare(`${y.date}${y.created_at}`)).map((e) => toEvaluation(raw, e, currentEval.has(e.id))),
      compliance,
    };
  });
}

/**
 * Tutor mode: the tutor's learners (their AFESTs) and what was logged for them on `date` (today by default).
 * Until sign-in (issue #12) the tutor is the one chosen at the start of tutor mode.
 */
export async function tutorHome(ctx: Ctx, input: { tutorId: string; date?: string | undefined }) {
  const todayIso = await todayOf(ctx);
  const date = input.date ?? todayIso;
  const tutor = await rawGet<TutorSqlRow>(ctx.db, `${TUTOR_SELECT} AND t.id = ?`, input.tutorId);
  if (!tutor) refuse('tutorId', 'Tuteur inconnu : choisissez votre nom dans la liste.', 'not_found');
  const summaries = await loadSummaries(ctx, { tutorId: input.tutorId });
  const future = date > todayIso ? 'Ce jour est à venir : une mise en situation s’enregistre une fois réalisée.' : null;
  const learners = await withRaw(ctx.db, (raw) => summaries.map(({ summary: s, loaded }) => {
    // What would refuse a work situation on that day (the analysis or the designation missing), said before the form.
    const blockers = sequenceProblems(setupFacts(loaded.a, loaded.competences.length), loaded.rules.rules, [], {
      kind: 'work-situation', date, start: '00:00', end: '00:01', ledBy: 'tutor', leaderId: input.tutorId, outOfProduction: false, reviewedIds: [],
    });
    const blocked = future ?? blockers[0]?.message ?? null;
    return {
      afestId: s.id, title: s.title, traineeId: s.traineeId, traineeName: s.traineeName, compliant: s.compliant, canLogWorkSituation: blocked === null,
      blocked, today: inForce(loaded.sequences).filter((q) => q.date === date).map((q) => toSequence(raw, q, true)), lastSequenceDate: s.lastSequenceDate,
      workSituationMinutes: s.hours.workSituation,
    };
  }));
  return { tutor: { id: tutor.id, name: fullName(tutor.first_name, tutor.last_name), companyName: tutor.company_name }, today: date, learners };
}
