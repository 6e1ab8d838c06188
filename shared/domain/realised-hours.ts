/**
 * The realised-hours engine (*heures réalisées*): the only place where attended minutes are totalled.
 * Every document (émargement sheet, statement, certificat, claim, BPF) and every screen asks it, so they
 * can never disagree. Pure: it receives slots, marks (all of them, superseded included), enrolments and,
 * since issue #11, AFEST sequences and evaluations (all versions too), which are their own modality: work
 * situations, reflective sequences and evaluations are counted apart from the slots' attended minutes.
 */

import { currentVersions } from './afest';
import { ATTENDANCE_CATEGORIES, type AttendanceCategory } from './categories';

export { ATTENDANCE_CATEGORIES, type AttendanceCategory };

export interface EngineSlot {
  id: string;
  date: string;
  minutes: number;
  modality: string;
}

export interface EngineMark {
  id: string;
  slotId: string;
  enrolmentId: string;
  category: AttendanceCategory;
  lateMinutes: number;
  earlyMinutes: number;
  /** Connection time for distance learning, when known (imported log or declared). */
  remoteMinutes: number | null;
  supersedesId: string | null;
}

/** An AFEST time: a work situation (MST), a reflective sequence (SR) or a timed evaluation; every version. */
export interface EngineSequence {
  id: string;
  enrolmentId: string;
  date: string;
  kind: AfestTimeKind;
  minutes: number;
  supersedesId: string | null;
  withdrawn: boolean;
}
export const AFEST_TIME_KINDS = ['work-situation', 'reflective', 'evaluation'] as const;
export type AfestTimeKind = (typeof AFEST_TIME_KINDS)[number];
/** The modality of AFEST times when grouping by modality, and their keys in `byModality`. */
export const AFEST_MODALITY = 'afest';
export const AFEST_MODALITY_KEYS: Record<AfestTimeKind, string> = { 'work-situation': 'afest-mst', reflective: 'afest-sr', evaluation: 'afest-evaluation' };

export interface EngineEnrolment {
  id: string;
  traineeId: string;
  funderCode: string;
}

/** Whole minutes between 0 and the slot's. */
function clamp(minutes: number, slotMinutes: number): number {
  return Math.max(0, Math.min(slotMinutes, Math.round(minutes)));
}

/**
 * Minutes one mark attends of its slot, never below 0 nor above the slot.
 *
 * @example attendedMinutes(210, { category: 'late', lateMinutes: 20, earlyMinutes: 0, remoteMinutes: null }) // 190
 */
export function attendedMinutes(slotMinutes: number, mark: Pick<EngineMark, 'category' | 'lateMinutes' | 'earlyMinutes' | 'remoteMinutes'>): number {
  switch (mark.category) {
    case 'present':
      return slotMinutes;
    case 'late':
    case 'early-leave':
      return clamp(slotMinutes - mark.lateMinutes - mark.earlyMinutes, slotMinutes);
    case 'remote':
      return clamp(mark.remoteMinutes ?? slotMinutes, slotMinutes);
    case 'excused':
    case 'unexcused':
      return 0;
  }
}

/**
 * The marks in force: those no other mark supersedes, one per (slot, enrolment). When a broken chain
 * leaves two heads for one pair, the later one in the input order wins, so nothing is counted twice.
 */
export function currentMarks<M extends EngineMark>(marks: readonly M[]): M[] {
  const superseded = new Set<string>();
  for (const m of marks) if (m.supersedesId) superseded.add(m.supersedesId);
  // Per enrolment, then per slot (two lookups on ids are cheaper than one on a built key, for 100 000+ marks).
  const heads = new Map<string, Map<string, M>>();
  for (const m of marks) {
    if (superseded.has(m.id)) continue;
    let bySlot = heads.get(m.enrolmentId);
    if (!bySlot) heads.set(m.enrolmentId, (bySlot = new Map()));
    bySlot.set(m.slotId, m);
  }
  const out: M[] = [];
  for (const bySlot of heads.values()) for (const m of bySlot.values()) out.push(m);
  return out;
}

export type GroupKey = 'trainee' | 'enrolment' | 'funder' | 'month' | 'modality';

export interface HoursRow {
  key: Partial<Record<GroupKey, string>>;
  /** Minutes attended (present, late, early leave, remote), the figure funders pay on. */
  attended: number;
  /** Minutes of the marked slots (the planned time of what was marked). */
  planned: number;
  byCategory: Record<AttendanceCategory, number>;
  byModality: Record<string, number>;
  /** Absence minutes: whole slots missed, justified / unjustified. */
  absentExcused: number;
  absentUnexcused: number;
  /** Minutes lost while present: lateness, early leave, remote connection shorter than the slot. */
  missed: number;
  marks: number;
  /** AFEST minutes in force, per kind: never part of `attended` (the slots'), never mixed with each other. */
  afest: Record<AfestTimeKind, number>;
  /** Attended minutes plus AFEST minutes: the whole realised training time. */
  realised: number;
  sequences: number;
}

export interface HoursQuery {
  groupBy: readonly GroupKey[];
  from?: string | undefined;
  to?: string | undefined;
}

function groupValue(g: GroupKey, enrolment: EngineEnrolment, slot: EngineSlot): string {
  return g === 'trainee' ? enrolment.traineeId : g === 'enrolment' ? enrolment.id : g === 'funder' ? enrolment.funderCode : g === 'month' ? slot.date.slice(0, 7) : slot.modality;
}

function emptyRow(key: HoursRow['key']): HoursRow {
  return {
    key,
    attended: 0,
    planned: 0,
    byCategory: Object.fromEntries(ATTENDANCE_CATEGORIES.map((c) => [c, 0])) as Record<AttendanceCategory, number>,
    byModality: {},
    absentExcused: 0,
    absentUnexcused: 0,
    missed: 0,
    marks: 0,
    afest: { 'work-situation': 0, reflective: 0, evaluation: 0 },
    realised: 0,
    sequences: 0,
  };
}

/**
 * Totals of attended minutes grouped by trainee / enrolment / funder / month / modality, over a period.
 *
 * @example realisedHours({ slots, marks, enrolments }, { groupBy: ['funder', 'month'], from: '2026-09-01' })
 */
export function realisedHours(
  data: { slots: readonly EngineSlot[]; marks: readonly EngineMark[]; enrolments: readonly EngineEnrolment[]; sequences?: readonly EngineSequence[] },
  query: HoursQuery,
): HoursRow[] {
  return realisedHoursInForce({ ...data, marks: currentMarks(data.marks), sequences: currentVersions(data.sequences ?? []) }, query);
}

/**
 * `realisedHours` over marks and sequences already in force (`currentMarks`' and `currentVersions`' results),
 * for a caller that needs them too.
 */
export function realisedHoursInForce(
  data: { slots: readonly EngineSlot[]; marks: readonly EngineMark[]; enrolments: readonly EngineEnrolment[]; sequences?: readonly EngineSequence[] },
  query: HoursQuery,
): HoursRow[] {
  const slots = new Map(data.slots.map((s) => [s.id, s]));
  const enrolments = new Map(data.enrolments.map((e) => [e.id, e]));
  const rows = new Map<string, HoursRow>();
  for (const mark of data.marks) {
    const slot = slots.get(mark.slotId);
    const enrolment = enrolments.get(mark.enrolmentId);
    if (!slot || !enrolment) continue;
    if ((query.from && slot.date < query.from) || (query.to && slot.date > query.to)) continue;
    let id = '';
    for (let i = 0; i < query.groupBy.length; i++) id += (i ? '|' : '') + groupValue(query.groupBy[i]!, enrolment, slot);
    let row = rows.get(id);
    if (!row) rows.set(id, (row = emptyRow(Object.fromEntries(query.groupBy.map((g) => [g, groupValue(g, enrolment, slot)])))));
    const attended = attendedMinutes(slot.minutes, mark);
    row.attended += attended;
    row.planned += slot.minutes;
    row.byCategory[mark.category] += attended;
    row.byModality[mark.category === 'remote' ? 'distanciel' : slot.modality] = (row.byModality[mark.category === 'remote' ? 'distanciel' : slot.modality] ?? 0) + attended;
    if (mark.category === 'unexcused') row.absentUnexcused += slot.minutes - attended;
    else if (mark.category === 'excused') row.absentExcused += slot.minutes - attended;
    else row.missed += slot.minutes - attended;
    row.realised += attended;
    row.marks++;
  }
  for (const seq of data.sequences ?? []) {
    const enrolment = enrolments.get(seq.enrolmentId);
    if (!enrolment) continue;
    if ((query.from && seq.date < query.from) || (query.to && seq.date > query.to)) continue;
    if (seq.minutes <= 0) continue; // an evaluation that took no logged time
    const slot = { id: seq.id, date: seq.date, minutes: seq.minutes, modality: AFEST_MODALITY };
    let id = '';
    for (let i = 0; i < query.groupBy.length; i++) id += (i ? '|' : '') + groupValue(query.groupBy[i]!, enrolment, slot);
    let row = rows.get(id);
    if (!row) rows.set(id, (row = emptyRow(Object.fromEntries(query.groupBy.map((g) => [g, groupValue(g, enrolment, slot)])))));
    const minutes = Math.round(seq.minutes);
    row.afest[seq.kind] += minutes;
    row.byModality[AFEST_MODALITY_KEYS[seq.kind]] = (row.byModality[AFEST_MODALITY_KEYS[seq.kind]] ?? 0) + minutes;
    row.realised += minutes;
    row.sequences++;
  }
  return [...rows.values()].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
}

/** Which categories a funder pays (the rule's `billable` statuses, shared/schemas/funding.ts). */
export interface BillableFlags {
  present: boolean;
  late: boolean;
  earlyLeave: boolean;
  excused: boolean;
  unexcused: boolean;
  remote: boolean;
}

/**
 * Minutes of one mark a funder pays under its billable statuses: present / late / early leave → the
 * attended minutes; remote → the connection time as `attendedMinutes` counts it; excused / unexcused →
 * the whole slot; 0 when the status is not billable. Claims count with this, never on their own.
 *
 * @example billableMinutes(210, { category: 'excused', lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null }, { ...flags, excused: true }) // 210
 */
export function billableMinutes(
  slotMinutes: number,
  mark: Pick<EngineMark, 'category' | 'lateMinutes' | 'earlyMinutes' | 'remoteMinutes'>,
  billable: BillableFlags,
): number {
  switch (mark.category) {
    case 'present':
      return billable.present ? attendedMinutes(slotMinutes, mark) : 0;
    case 'late':
      return billable.late ? attendedMinutes(slotMinutes, mark) : 0;
    case 'early-leave':
      return billable.earlyLeave ? attendedMinutes(slotMinutes, mark) : 0;
    case 'remote':
      return billable.remote ? attendedMinutes(slotMinutes, mark) : 0;
    case 'excused':
      return billable.excused ? slotMinutes : 0;
    case 'unexcused':
      return billable.unexcused ? slotMinutes : 0;
  }
}
