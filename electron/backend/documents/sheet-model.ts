import { AppError } from '../../../shared/errors';
import { addDays, isoWeekday } from '../../../shared/domain/dates';
import { currentMarks } from '../../../shared/domain/realised-hours';
import { isActiveOn } from '../../../shared/domain/enrolment-status';
import type { Ctx } from '../context';
import { withRaw } from '../db/raw';
import { queryHours } from '../attendance/hours';
import { primaryFundingJoin } from '../sessions/fundings';
import { statusHistories } from '../sessions/active';
import {
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
  type SignatureRef,
} from './common-model';
import type { ContentPart } from './content-hash';

/**
 * The content model of a weekly attendance sheet (*feuille d'émargement*) of one session: everything it
 * prints, as plain data. What CAA Nantes 2021 expects of a sheet is all here: a trainee signature per
 * half-day, the trainer's name and signature, the hours and the module (action) followed, and the place.
 * The blank sheet (paper fallback) is the same grid without marks.
 */

export interface SheetSlot {
  id: string;
  date: string;
  halfDay: 'am' | 'pm';
  start: string;
  end: string;
  minutes: number;
  modality: string;
  place: PlaceRef | null;
  trainers: string[];
  /** The trainer's countersignature that closed the slot (absent on a blank sheet). */
  closure: { trainerName: string; method: string; closedAt: string; signature: SignatureRef | null } | null;
}

export interface SheetCell {
  slotId: string;
  /** The trainee is expected on this slot (enrolment dates, not exited): otherwise the cell is greyed. */
  expected: boolean;
  mark: PrintedMark | null;
}

export interface SheetRow {
  enrolmentId: string;
  lastName: string;
  firstName: string;
  funderCode: string;
  /** Short funder name as printed: "État", "Conseil régional", "France Travail"… */
  funderName: string;
  fileNumber: string | null;
  cells: SheetCell[];
  /** Minutes of the week's slots the trainee is expected on. */
  plannedMinutes: number;
  /** Minutes attended over the week, from the realised-hours engine; null on a blank sheet. */
  realisedMinutes: number | null;
}

export interface SheetModel {
  kind: 'attendance-sheet' | 'blank-sheet';
  organisation: OrganisationHeader;
  action: { title: string; code: string | null; certificationCode: string | null; modality: string };
  /** The session and its whole period (the week is one part of it). */
  session: { id: string; label: string; startDate: string; endDate: string };
  place: PlaceRef | null;
  week: { start: string; end: string };
  /** The logos and required mentions of the funders of the trainees listed (only those that set some). */
  funders: FunderPrint[];
  slots: SheetSlot[];
  rows: SheetRow[];
  /** The group's minutes attended over the week, from the engine; null on a blank sheet. */
  realisedMinutes: number | null;
}

export interface SheetParams {
  sessionId: string;
  weekStart: string;
}

/** The Monday of the week holding `date`: a sheet always covers one ISO week. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

export async function sheetModel(ctx: Ctx, kind: SheetModel['kind'], params: SheetParams): Promise<SheetModel> {
  const start = mondayOf(params.weekStart);
  const end = addDays(start, 6);
  const organisation = await organisationHeader(ctx);
  // Totals from the one engine (attendance/hours.ts), read before the sheet's own rows.
  let realised = new Map<string, number>();
  let groupRealised: number | null = null;
  if (kind === 'attendance-sheet') {
    const hours = await queryHours(ctx, { sessionId: params.sessionId, from: start, to: end, groupBy: ['enrolment'] });
    realised = new Map(hours.map((h) => [h.key.enrolment!, h.attended]));
    groupRealised = (await queryHours(ctx, { sessionId: params.sessionId, from: start, to: end, groupBy: [] }))[0]?.attended ?? 0;
  }
  return withRaw(ctx.db, (raw): SheetModel => {
    const session = raw.prepare(`SELECT x.id, x.label, x.start_date, x.end_date, x.place_id, a.title, a.code, a.certification_code, a.modality
      FROM sessions x JOIN actions a ON a.id = x.action_id WHERE x.id = ?`).get(params.sessionId) as
      | { id: string; label: string; start_date: string; end_date: string; place_id: string | null; title: string; code: string | null; certification_code: string | null; modality: string }
      | undefined;
    if (!session) throw new AppError('not_found', 'Session introuvable.', [{ path: 'sessionId', message: 'Session inconnue.' }]);

    const slotRows = raw.prepare(`SELECT id, date, half_day, start_time, end_time, minutes, modality, place_id FROM slots
      WHERE session_id = ? AND date BETWEEN ? AND ? AND cancelled = 0 ORDER BY date, start_time, half_day`).all(session.id, start, end) as {
      id: string; date: string; half_day: 'am' | 'pm'; start_time: string; end_time: string; minutes: number; modality: string; place_id: string | null;
    }[];
    if (slotRows.length === 0) {
      throw new AppError('business', `Aucun créneau de cette session la semaine du ${start} : rien à émarger.`, [{ path: 'weekStart', message: 'Semaine sans créneau.' }]);
    }

    const slots: SheetSlot[] = slotRows.map((s) => {
      const trainers = (raw.prepare(`SELECT t.first_name, t.last_name FROM slot_trainers st JOIN trainers t ON t.id = st.trainer_id
        WHERE st.slot_id = ? AND st.deleted_at IS NULL ORDER BY t.last_name, t.first_name`).all(s.id) as { first_name: string; last_name: string }[]).map((t) => `${t.first_name} ${t.last_name}`);
      let closure: SheetSlot['closure'] = null;
      if (kind === 'attendance-sheet') {
        const c = raw.prepare(`SELECT c.method, c.closed_at, c.signature_id, g.sha256, t.first_name, t.last_name FROM slot_closures c
          JOIN trainers t ON t.id = c.trainer_id LEFT JOIN signatures g ON g.id = c.signature_id WHERE c.slot_id = ?`).get(s.id) as
          | { method: string; closed_at: string; signature_id: string | null; sha256: string | null; first_name: string; last_name: string }
          | undefined;
        if (c) {
          closure = {
            trainerName: `${c.first_name} ${c.last_name}`, method: c.method, closedAt: c.closed_at,
            signature: c.signature_id && c.sha256 ? { id: c.signature_id, sha256: c.sha256 } : null,
          };
        }
      }
      return {
        id: s.id, date: s.date, halfDay: s.half_day, start: s.start_time, end: s.end_time, minutes: s.minutes, modality: s.modality,
        place: placeRef(raw, s.place_id ?? session.place_id), trainers, closure,
      };
    });

    const current = new Map<string, MarkRowWithKind>();
    if (kind === 'attendance-sheet') {
      const marks = raw.prepare(`${MARKS_WITH_KIND_SQL} WHERE m.slot_id IN (${slots.map(() => '?').join(', ')}) ORDER BY m.created_at, m.id`)
        .all(...slots.map((s) => s.id)) as MarkRowWithKind[];
      const heads = currentMarks(marks.map((r) => ({ id: r.id, slotId: r.slot_id, enrolmentId: r.enrolment_id, supersedesId: r.supersedes_id, category: r.category, lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, row: r })));
      for (const h of heads) current.set(`${h.slotId}|${h.enrolmentId}`, h.row);
    }
    const marked = new Set([...current.values()].map((m) => m.enrolment_id));

    // Everyone whose enrolment overlaps the week, plus anyone holding a mark that week.
    const enrolments = (raw.prepare(`SELECT e.id, e.planned_start, e.planned_end, pf.funder_code, f.name AS funder_name, pf.file_number, t.last_name, t.first_name
      FROM enrolments e JOIN trainees t ON t.id = e.trainee_id ${primaryFundingJoin('pf', 'e')} JOIN funders f ON f.code = pf.funder_code
      WHERE e.session_id = ? ORDER BY t.last_name, t.first_name, e.id`).all(session.id) as {
      id: string; planned_start: string; planned_end: string; funder_code: string; funder_name: string; file_number: string | null; last_name: string; first_name: string;
    }[]);
    // The roll call's rule (shared/domain/enrolment-status.ts): a suspended or exited trainee has no box to sign.
    const histories = statusHistories(raw, enrolments.map((e) => e.id));
    const expected = (e: (typeof enrolments)[number], date: string) =>
      isActiveOn({ plannedStart: e.planned_start, plannedEnd: e.planned_end }, histories.get(e.id) ?? [], date);

    const rows: SheetRow[] = [];
    for (const e of enrolments) {
      const cells = slots.map((s) => ({ slotId: s.id, expected: expected(e, s.date), mark: current.has(`${s.id}|${e.id}`) ? printedMark(current.get(`${s.id}|${e.id}`)!) : null }));
      if (!cells.some((c) => c.expected) && !marked.has(e.id)) continue;
      rows.push({
        enrolmentId: e.id, lastName: e.last_name, firstName: e.first_name, funderCode: e.funder_code,
        funderName: e.funder_name.replace(/\s*\(.*\)\s*$/, ''), fileNumber: e.file_number, cells,
        plannedMinutes: slots.reduce((sum, s, i) => sum + (cells[i]!.expected ? s.minutes : 0), 0),
        realisedMinutes: kind === 'attendance-sheet' ? (realised.get(e.id) ?? 0) : null,
      });
    }

    return {
      kind, organisation,
      action: { title: session.title, code: session.code, certificationCode: session.certification_code, modality: session.modality },
      session: { id: session.id, label: session.label, startDate: session.start_date, endDate: session.end_date },
      place: placeRef(raw, session.place_id),
      week: { start, end },
      funders: funderPrints(raw, rows.map((r) => r.funderCode)),
      slots, rows,
      realisedMinutes: groupRealised,
    };
  });
}

/** The model cut into parts for the fingerprint: a later check names the part that changed. */
export function sheetParts(m: SheetModel): ContentPart[] {
  const { slots, rows, realisedMinutes, kind: _kind, ...header } = m;
  return [
    { key: 'header', data: header },
    ...slots.map((s) => ({ key: `slot:${s.id}`, data: s })),
    ...rows.map((r) => ({ key: `row:${r.enrolmentId}`, data: r })),
    { key: 'totals', data: { realisedMinutes } },
  ];
}
