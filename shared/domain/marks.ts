import { isAbsence, type AttendanceCategory } from './categories';
import { attendedMinutes } from './realised-hours';

/**
 * The rules of one attendance mark (*statut d'émargement*) against its slot: which fields each category
 * takes, which capture method it needs, and the minutes it attends. The roll-call screen checks a row with
 * it before sending; the backend checks the same mark again with it before writing. Neither holds a copy.
 *
 * A field the category (or the capture method) does not take is refused, not silently dropped: the
 * backend must not store late minutes on a presence or 999 connection minutes on a 180-minute slot. The
 * screen clears such fields itself when the status changes ({@link takesField}), so people never meet
 * these refusals; a faulty client or an import does.
 */

/** How a presence was captured. */
export const CAPTURE_METHODS = ['signature', 'pin', 'qr', 'paper', 'proxy', 'none'] as const;
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

type Need = 'required' | 'optional' | 'refused';

/** The fields each category takes. Late and early minutes belong to one category each. */
export const CATEGORY_FIELDS: Record<AttendanceCategory, { lateMinutes: Need; earlyMinutes: Need; remoteMinutes: Need; reason: Need; justification: Need }> = {
  present: { lateMinutes: 'refused', earlyMinutes: 'refused', remoteMinutes: 'refused', reason: 'refused', justification: 'refused' },
  late: { lateMinutes: 'required', earlyMinutes: 'refused', remoteMinutes: 'refused', reason: 'refused', justification: 'refused' },
  'early-leave': { lateMinutes: 'refused', earlyMinutes: 'required', remoteMinutes: 'refused', reason: 'refused', justification: 'refused' },
  // Connection time is optional: without a log, the whole slot counts (see attendedMinutes).
  remote: { lateMinutes: 'refused', earlyMinutes: 'refused', remoteMinutes: 'optional', reason: 'refused', justification: 'refused' },
  excused: { lateMinutes: 'refused', earlyMinutes: 'refused', remoteMinutes: 'refused', reason: 'required', justification: 'optional' },
  // A justification turns the absence into an excused one: it is a correction, not an attachment here.
  unexcused: { lateMinutes: 'refused', earlyMinutes: 'refused', remoteMinutes: 'refused', reason: 'optional', justification: 'refused' },
};

/** The fields of a mark the rules look at; `hasSignature` is a drawn signature given (or kept by a correction). */
export interface MarkFields {
  lateMinutes: number;
  earlyMinutes: number;
  remoteMinutes: number | null;
  reason: string | null;
  /** The absence's justification, or the scan of the paper sheet (method `paper`). */
  documentId: string | null;
  method: CaptureMethod;
  hasSignature: boolean;
  proxyName: string | null;
  checkedBy: string | null;
  /** A PIN typed by the trainee (method `pin`; checked against the stored one by the backend). */
  hasPin: boolean;
  /** A scan of the slot's QR code recorded by the backend (method `qr`). */
  hasQrScan: boolean;
}

export const MARK_FIELDS = ['kind', 'lateMinutes', 'earlyMinutes', 'remoteMinutes', 'reason', 'documentId', 'method', 'signature', 'checkedBy', 'proxyName', 'pin', 'qrScanId'] as const;
export type MarkField = (typeof MARK_FIELDS)[number];

/**
 * `unknown`: no such (active) status. `required`: the field is missing. `refused`: the status or the
 * capture method does not take it. `invalid`: not a whole number of minutes ≥ 0. `above-slot`: more
 * minutes than the slot lasts.
 */
export type MarkIssueCode = 'unknown' | 'required' | 'refused' | 'invalid' | 'above-slot';
export interface MarkIssue {
  field: MarkField;
  code: MarkIssueCode;
}

export type MarkCheck =
  | { ok: true; mark: MarkFields; category: AttendanceCategory; minutes: number }
  | { ok: false; issues: MarkIssue[] };

/** Whether a field is taken by a category with a capture method (the screen clears the others). */
export function takesField(category: AttendanceCategory, method: CaptureMethod, field: Exclude<MarkField, 'kind' | 'method'>): boolean {
  const fields = CATEGORY_FIELDS[category];
  switch (field) {
    case 'lateMinutes':
    case 'earlyMinutes':
    case 'remoteMinutes':
    case 'reason':
      return fields[field] !== 'refused';
    case 'documentId':
      return fields.justification !== 'refused' || method === 'paper';
    case 'signature':
      return method === 'signature';
    case 'checkedBy':
      return method === 'paper';
    case 'proxyName':
      return method === 'proxy';
    case 'pin':
      return method === 'pin';
    case 'qrScanId':
      return method === 'qr';
  }
}

/** The capture method a category allows: `none` for an absence, anything else for a presence. */
export function methodAllowed(category: AttendanceCategory, method: CaptureMethod): boolean {
  return isAbsence(category) ? method === 'none' : method !== 'none';
}

const blank = (v: string | null) => v === null || v.trim() === '';

/**
 * Checks one mark against its slot and its status's category (`undefined`: unknown or deactivated
 * status). Returns the mark with trimmed texts and the minutes it attends, or every issue found, in
 * screen order.
 *
 * @example checkMark('present', 180, { ...fields, lateMinutes: 10 }) // { ok: false, issues: [{ field: 'lateMinutes', code: 'refused' }] }
 */
export function checkMark(category: AttendanceCategory | undefined, slotMinutes: number, m: MarkFields): MarkCheck {
  if (!category) return { ok: false, issues: [{ field: 'kind', code: 'unknown' }] };
  const issues: MarkIssue[] = [];
  const add = (field: MarkField, code: MarkIssueCode) => issues.push({ field, code });
  const fields = CATEGORY_FIELDS[category];

  for (const field of ['lateMinutes', 'earlyMinutes', 'remoteMinutes'] as const) {
    const value = m[field];
    const need = fields[field];
    if (value === null) {
      if (need === 'required') add(field, 'required');
    } else if (!Number.isInteger(value) || value < 0) add(field, 'invalid');
    else if (need === 'refused') {
      if (value !== 0 || field === 'remoteMinutes') add(field, 'refused');
    } else if (need === 'required' && value === 0) add(field, 'required');
    else if (value > slotMinutes) add(field, 'above-slot');
  }
  // Each category takes at most one of late / early minutes, so "late + early ≤ slot" is the check above.

  if (fields.reason === 'required' && blank(m.reason)) add('reason', 'required');
  else if (fields.reason === 'refused' && !blank(m.reason)) add('reason', 'refused');

  if (m.method === 'paper' && !isAbsence(category)) {
    if (m.documentId === null) add('documentId', 'required');
  } else if (fields.justification === 'refused' && m.documentId !== null) add('documentId', 'refused');

  if (!methodAllowed(category, m.method)) add('method', isAbsence(category) ? 'refused' : 'required');

  if (m.method === 'signature' && !m.hasSignature) add('signature', 'required');
  else if (m.method !== 'signature' && m.hasSignature) add('signature', 'refused');
  if (m.method === 'paper' && blank(m.checkedBy)) add('checkedBy', 'required');
  else if (m.method !== 'paper' && !blank(m.checkedBy)) add('checkedBy', 'refused');
  if (m.method === 'proxy' && blank(m.proxyName)) add('proxyName', 'required');
  else if (m.method !== 'proxy' && !blank(m.proxyName)) add('proxyName', 'refused');
  if (m.method === 'pin' && !m.hasPin) add('pin', 'required');
  else if (m.method !== 'pin' && m.hasPin) add('pin', 'refused');
  if (m.method === 'qr' && !m.hasQrScan) add('qrScanId', 'required');
  else if (m.method !== 'qr' && m.hasQrScan) add('qrScanId', 'refused');

  if (issues.length > 0) return { ok: false, issues };
  const trim = (v: string | null) => (blank(v) ? null : v!.trim());
  const mark: MarkFields = { ...m, reason: trim(m.reason), proxyName: trim(m.proxyName), checkedBy: trim(m.checkedBy) };
  return { ok: true, mark, category, minutes: attendedMinutes(slotMinutes, { category, lateMinutes: m.lateMinutes, earlyMinutes: m.earlyMinutes, remoteMinutes: m.remoteMinutes }) };
}

/** What a recorded mark gives a correction to keep: its category, capture method, and whether a drawn signature stands. */
export interface CorrectedMark {
  category: AttendanceCategory;
  method: CaptureMethod;
  hasSignature: boolean;
}

/**
 * What a correction (after closing, or of a recorded row) needs as drawn signature:
 * - `none`: the corrected mark is not captured by signature (an absence, or a presence by PIN, QR…);
 * - `kept`: the original drawn signature still stands — a typo in late minutes, a justification received
 *   later, present → late… The trainee signed for this slot already: nobody is asked to sign again
 *   (a new signature, if given, replaces it);
 * - `new`: the trainee never signed for this slot by hand (absent → present, PIN → signature): a new
 *   drawn signature is needed.
 *
 * The correction form asks for a signature only on `new`; the backend applies the same rule again.
 *
 * @example correctionSignature({ category: 'present', method: 'signature', hasSignature: true }, { category: 'late', method: 'signature' }) // 'kept'
 * @example correctionSignature({ category: 'unexcused', method: 'none', hasSignature: false }, { category: 'present', method: 'signature' }) // 'new'
 */
export function correctionSignature(old: CorrectedMark, next: { category: AttendanceCategory; method: CaptureMethod }): 'none' | 'kept' | 'new' {
  if (isAbsence(next.category) || next.method !== 'signature') return 'none';
  return old.method === 'signature' && old.hasSignature && !isAbsence(old.category) ? 'kept' : 'new';
}

/**
 * The same question for a PIN or a QR scan (methods `pin` and `qr`): `kept` when the corrected mark was
 * already captured that way (the PIN was checked, the scan stands: a typo in the status is corrected
 * without asking again), `new` when the trainee never proved this slot that way (the PIN must be typed,
 * or a scan made while the slot's code is valid), `none` for any other method.
 *
 * @example correctionProof({ category: 'present', method: 'qr' }, { category: 'late', method: 'qr' }) // 'kept'
 * @example correctionProof({ category: 'unexcused', method: 'none' }, { category: 'present', method: 'pin' }) // 'new'
 */
export function correctionProof(old: { category: AttendanceCategory; method: CaptureMethod }, next: { category: AttendanceCategory; method: CaptureMethod }): 'none' | 'kept' | 'new' {
  if (isAbsence(next.category) || (next.method !== 'pin' && next.method !== 'qr')) return 'none';
  return old.method === next.method && !isAbsence(old.category) ? 'kept' : 'new';
}
