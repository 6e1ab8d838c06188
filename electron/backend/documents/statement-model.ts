import { AppError } from '../../../shared/errors';
import { addDays, localDateTime } from '../../../shared/domain/dates';
import { isActiveOn } from '../../../shared/domain/enrolment-status';
import { currentVersions } from '../../../shared/domain/afest';
import { ATTENDANCE_CATEGORIES, attendedMinutes, currentMarks, type AfestTimeKind, type AttendanceCategory, type HoursRow } from '../../../shared/domain/realised-hours';
import type { Ctx } from '../context';
import { withRaw } from '../db/raw';
import { queryHours } from '../attendance/hours';
import { primaryFundingJoin } from '../sessions/fundings';
import { statusHistories } from '../sessions/active';
import {
  funderName,
  funderPrints,
  MARKS_WITH_KIND_SQL,
  organisationHeader,
  placeRef,
  printedMark,
  type FunderPrint,
  type MarkRowWithKind,
  type OrganisationHeader,
  type PlaceRef,
  type PrintedMark,
} from './common-model';
import type { ContentPart } from './content-hash';

/**
 * The content model of a trainee's monthly attendance statement (*relevé mensuel de présence*), the piece
 * funders and the ASP pay trainees on: each slot of the month with its status and the minutes attended,
 * and the totals by category, all from the realised-hours engine.
 */

export interface StatementLine {
  slotId: string;
  date: string;
  halfDay: 'am' | 'pm';
  start: string;
  end: string;
  slotMinutes: number;
  modality: string;
  mark: PrintedMark | null;
  /** No mark yet and the slot had not ended when the statement was issued: "à venir", not "non saisi". */
  upcoming: boolean;
  /** Minutes attended on this slot: the engine's `attendedMinutes`, with the connection time for remote marks. */
  attendedMinutes: number;
}

export interface StatementModel {
  kind: 'monthly-statement';
  organisation: OrganisationHeader;
  trainee: { lastName: string; firstName: string; birthDate: string; franceTravailId: string | null };
  enrolment: {
    id: string; funderCode: string; funderName: string; fileNumber: string | null; plannedStart: string; plannedEnd: string;
    company: string | null; enteredOn: string | null; exitedOn: string | null;
  };
  action: { title: string; code: string | null; certificationCode: string | null };
  /** The funder's logo and required mentions, when it set some. */
  funder: FunderPrint | null;
  session: { id: string; label: string };
  place: PlaceRef | null;
  month: { id: string; from: string; to: string };
  lines: StatementLine[];
  /** The engine's row for this enrolment over the month (zeros when nothing is marked). */
  totals: Pick<HoursRow, 'attended' | 'planned' | 'byCategory' | 'absentExcused' | 'absentUnexcused' | 'missed' | 'marks'>;
  /** Half-days by category, past slots still without a mark, and slots still to come. */
  halfDays: Record<AttendanceCategory | 'unmarked' | 'upcoming', number>;
  /**
   * The month's AFEST times in force (work situations, reflective sequences, timed evaluations) and their totals
   * from the engine; absent when there are none (a statement without AFEST reads as it always did).
   */
  afest?: { lines: AfestStatementLine[]; totals: Record<AfestTimeKind, number> };
}

export interface AfestStatementLine {
  /** The record (every version of a sequence shares it): a correction of its times reads as a change of this line. */
  id: string;
  date: string;
  kind: AfestTimeKind;
  start: string | null;
  end: string | null;
  minutes: number;
  ledBy: string;
}

export interface StatementParams {
  enrolmentId: string;
  month: string;
}

/** A slot is still to come at `asOf` (an instant) when it has not ended yet, in the training body's time zone. */
function upcomingAt(asOf: Date, timeZone: string): (date: string, end: string) => boolean {
  const now = localDateTime(asOf.toISOString(), timeZone);
  return (date, end) => date > now.date || (date === now.date && end > now.time);
}

export function monthBounds(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  const next = Number(month.slice(5, 7)) === 12 ? `${Number(month.slice(0, 4)) + 1}-01-01` : `${month.slice(0, 5)}${String(Number(month.slice(5, 7)) + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(next, -1) };
}

/**
 * The statement as it reads at `asOf` (the issue instant: printing passes its clock, verifying the print's
 * own date, so a slot "à venir" on the paper is not a change once it has passed).
 */
export async function statementModel(ctx: Ctx, params: StatementParams, asOf: Date = ctx.now()): Promise<StatementModel> {
  const { from, to } = monthBounds(params.month);
  const organisation = await organisationHeader(ctx);
  const upcoming = upcomingAt(asOf, organisation.timeZone);
  const read = await withRaw(ctx.db, (raw) => {
    const e = raw.prepare(`SELECT e.id, e.session_id, pf.funder_code, pf.file_number, e.planned_start, e.planned_end, c.name AS company,
        t.last_name, t.first_name, t.birth_date, t.france_travail_id, x.label, x.place_id, a.title, a.code, a.certification_code,
        (SELECT min(s.effective_date) FROM enrolment_statuses s WHERE s.enrolment_id = e.id AND s.status = 'entered') AS entered_on,
        (SELECT min(s.effective_date) FROM enrolment_statuses s WHERE s.enrolment_id = e.id AND s.status = 'exited') AS exited_on
      FROM enrolments e JOIN trainees t ON t.id = e.trainee_id JOIN sessions x ON x.id = e.session_id JOIN actions a ON a.id = x.action_id
      LEFT JOIN companies c ON c.id = e.company_id ${primaryFundingJoin('pf', 'e')} WHERE e.id = ?`).get(params.enrolmentId) as
      | {
        id: string; session_id: string; funder_code: string; file_number: string | null; planned_start: string; planned_end: string; company: string | null;
        last_name: string; first_name: string; birth_date: string; france_travail_id: string | null; label: string; place_id: string | null; title: string;
        code: string | null; certification_code: string | null; entered_on: string | null; exited_on: string | null;
      }
      | undefined;
    if (!e) throw new AppError('not_found', 'Inscription introuvable.', [{ path: 'enrolmentId', message: 'Inscription inconnue.' }]);

    // The marks of the month, in the engine's order, so the head of each chain is the one it counts.
    const marks = raw.prepare(`${MARKS_WITH_KIND_SQL} JOIN slots s ON s.id = m.slot_id
      WHERE m.enrolment_id = ? AND s.date BETWEEN ? AND ? ORDER BY m.created_at, m.id`).all(e.id, from, to) as MarkRowWithKind[];
    const heads = new Map(currentMarks(marks.map((r) => ({ id: r.id, slotId: r.slot_id, enrolmentId: r.enrolment_id, supersedesId: r.supersedes_id, category: r.category, lateMinutes: r.late_minutes, earlyMinutes: r.early_minutes, remoteMinutes: r.remote_minutes, row: r }))).map((h) => [h.slotId, h.row]));

    // The slots the trainee is expected on (roll-call rule), plus any slot holding one of their marks.
    const slots = raw.prepare(`SELECT s.id, s.date, s.half_day, s.start_time, s.end_time, s.minutes, s.modality, s.cancelled,
        (SELECT sum(c.minutes) FROM connection_log_rows c WHERE c.slot_id = s.id AND c.enrolment_id = ?) AS connected
      FROM slots s WHERE s.session_id = ? AND s.date BETWEEN ? AND ? ORDER BY s.date, s.start_time, s.half_day`).all(e.id, e.session_id, from, to) as {
      id: string; date: string; half_day: 'am' | 'pm'; start_time: string; end_time: string; minutes: number; modality: string; cancelled: number; connected: number | null;
    }[];
    const history = statusHistories(raw, [e.id]).get(e.id) ?? [];
    const expected = (date: string) => isActiveOn({ plannedStart: e.planned_start, plannedEnd: e.planned_end }, history, date);

    const lines: StatementLine[] = [];
    const halfDays = Object.fromEntries([...ATTENDANCE_CATEGORIES, 'unmarked', 'upcoming'].map((c) => [c, 0])) as StatementModel['halfDays'];
    for (const s of slots) {
      const head = heads.get(s.id);
      if (!head && (s.cancelled || !expected(s.date))) continue;
      const mark = head ? printedMark(head) : null;
      // Same inputs as attendance/hours.ts gives the engine: declared remote minutes, else the imported connection time.
      const attended = head ? attendedMinutes(s.minutes, { category: head.category, lateMinutes: head.late_minutes, earlyMinutes: head.early_minutes, remoteMinutes: head.remote_minutes ?? s.connected }) : 0;
      const toCome = !mark && upcoming(s.date, s.end_time);
      halfDays[mark ? mark.category : toCome ? 'upcoming' : 'unmarked']++;
      lines.push({ slotId: s.id, date: s.date, halfDay: s.half_day, start: s.start_time, end: s.end_time, slotMinutes: s.minutes, modality: s.modality, mark, upcoming: toCome, attendedMinutes: attended });
    }
    // Every version of the learner's AFEST times: those in force within the month are listed.
    const versions = raw.prepare(`SELECT q.id, q.record_id, q.date, q.kind AS sequence_kind, q.start_time, q.end_time, q.minutes, q.supersedes_id, q.withdrawn,
        CASE q.led_by WHEN 'tutor' THEN (SELECT first_name || ' ' || last_name FROM tutors WHERE id = q.leader_id) ELSE (SELECT first_name || ' ' || last_name FROM trainers WHERE id = q.leader_id) END AS led_by, q.created_at
      FROM afest_sequences q WHERE q.enrolment_id = ?
      UNION ALL SELECT v.id, v.record_id, v.date, 'evaluation', v.start_time, v.end_time, v.minutes, v.supersedes_id, v.withdrawn,
        CASE v.evaluator_kind WHEN 'tutor' THEN (SELECT first_name || ' ' || last_name FROM tutors WHERE id = v.evaluator_id) ELSE (SELECT first_name || ' ' || last_name FROM trainers WHERE id = v.evaluator_id) END, v.created_at
      FROM afest_evaluations v WHERE v.enrolment_id = ?
      ORDER BY created_at, id`).all(e.id, e.id) as { id: string; record_id: string; date: string; sequence_kind: AfestTimeKind; start_time: string | null; end_time: string | null; minutes: number; supersedes_id: string | null; withdrawn: number; led_by: string | null }[];
    const afestLines: AfestStatementLine[] = currentVersions(versions.map((v) => ({ ...v, supersedesId: v.supersedes_id, withdrawn: v.withdrawn === 1 })))
      .filter((v) => v.date >= from && v.date <= to && v.minutes > 0)
      .map((v) => ({ id: v.record_id, date: v.date, kind: v.sequence_kind, start: v.start_time, end: v.end_time, minutes: v.minutes, ledBy: v.led_by ?? '—' }))
      .sort((a, b) => `${a.date}${a.start ?? ''}${a.id}`.localeCompare(`${b.date}${b.start ?? ''}${b.id}`));
    return { e, lines, halfDays, afestLines, funder: funderName(raw, e.funder_code), funderPrint: funderPrints(raw, [e.funder_code])[0] ?? null, place: placeRef(raw, e.place_id) };
  });
  const { e, lines, halfDays, afestLines } = read;

  const row = (await queryHours(ctx, { enrolmentId: e.id, from, to, groupBy: [] }))[0];
  const totals: StatementModel['totals'] = row
    ? { attended: row.attended, planned: row.planned, byCategory: row.byCategory, absentExcused: row.absentExcused, absentUnexcused: row.absentUnexcused, missed: row.missed, marks: row.marks }
    : { attended: 0, planned: 0, byCategory: Object.fromEntries(ATTENDANCE_CATEGORIES.map((c) => [c, 0])) as Record<AttendanceCategory, number>, absentExcused: 0, absentUnexcused: 0, missed: 0, marks: 0 };
  // **Important**: the per-line minutes and the engine's total must agree, or the statement would
  // contradict the claims built on the engine. A mismatch is a bug: refuse to print rather than print it.
  const lineSum = lines.reduce((sum, l) => sum + l.attendedMinutes, 0);
  if (lineSum !== totals.attended) {
    throw new AppError('internal', `Relevé incohérent : ${lineSum} min ligne à ligne contre ${totals.attended} min selon le moteur des heures réalisées. Document non émis.`);
  }
  const afestTotals = { 'work-situation': row?.afest['work-situation'] ?? 0, reflective: row?.afest.reflective ?? 0, evaluation: row?.afest.evaluation ?? 0 };
  for (const kind of ['work-situation', 'reflective', 'evaluation'] as const) {
    const sum = afestLines.filter((l) => l.kind === kind).reduce((n, l) => n + l.minutes, 0);
    if (sum !== afestTotals[kind]) throw new AppError('internal', `Relevé incohérent : ${sum} min d'AFEST (${kind}) ligne à ligne contre ${afestTotals[kind]} min selon le moteur des heures réalisées. Document non émis.`);
  }

  return {
    kind: 'monthly-statement',
    organisation,
    trainee: { lastName: e.last_name, firstName: e.first_name, birthDate: e.birth_date, franceTravailId: e.france_travail_id },
    enrolment: {
      id: e.id, funderCode: e.funder_code, funderName: read.funder, fileNumber: e.file_number, plannedStart: e.planned_start,
      plannedEnd: e.planned_end, company: e.company, enteredOn: e.entered_on, exitedOn: e.exited_on,
    },
    action: { title: e.title, code: e.code, certificationCode: e.certification_code },
    funder: read.funderPrint,
    session: { id: e.session_id, label: e.label },
    place: read.place,
    month: { id: params.month, from, to },
    lines,
    totals,
    halfDays,
    ...(afestLines.length ? { afest: { lines: afestLines, totals: afestTotals } } : {}),
  };
}

export function statementParts(m: StatementModel): ContentPart[] {
  const { lines, totals, halfDays, afest, kind: _kind, ...header } = m;
  return [
    { key: 'header', data: header },
    ...lines.map((l) => ({ key: `slot:${l.slotId}`, data: l })),
    { key: 'totals', data: { totals, halfDays } },
    // Keyed by record, as the dossier's are (verify.ts names them « la mise en situation de travail du … »).
    ...(afest ? [...afest.lines.map((l) => ({ key: `${l.kind === 'evaluation' ? 'afest-evaluation' : 'afest-sequence'}:${l.id}`, data: l })), { key: 'afest-totals', data: afest.totals }] : []),
  ];
}
