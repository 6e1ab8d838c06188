import type { TFunction } from 'i18next';
import type { AttendanceKind, CaptureMethod, Mark, MarkInput, SignatureInput } from '../../../../shared/schemas/attendance';
import type { FieldIssue } from '../../../../shared/errors';

/**
 * The roll-call screen's model: what one row holds while it is being filled in, how it becomes the
 * contract's mark, the checks people should see before sending (the backend checks them again), and how
 * an issue path of the backend (`marks.3.lateMinutes`) finds its row and field.
 */

export type Category = AttendanceKind['category'];
export const PRESENCE_METHODS = ['signature', 'pin', 'qr', 'paper', 'proxy'] as const satisfies readonly CaptureMethod[];
export type PresenceMethod = (typeof PRESENCE_METHODS)[number];

/** An attached piece already uploaded (`attendance.uploadDocument`). */
export interface Piece {
  id: string;
  name: string;
}

/** One row being filled in: strings as typed, ids of uploaded pieces. */
export interface Draft {
  kind: string;
  lateMinutes: string;
  earlyMinutes: string;
  remoteMinutes: string;
  reason: string;
  /** Absence justification (absent justifié). */
  document: Piece | null;
  method: PresenceMethod;
  signature: SignatureInput | null;
  signedAt: string | null;
  /** Scan of the paper sheet (method paper). */
  scan: Piece | null;
  checkedBy: string;
  proxyName: string;
}

/** The fields of a row an error can point at (ids `${prefix}-${field}`). */
export type RowField = 'kind' | 'lateMinutes' | 'earlyMinutes' | 'remoteMinutes' | 'reason' | 'document' | 'method' | 'signature' | 'scan' | 'checkedBy' | 'proxyName' | 'correctionReason';
export type RowErrors = Partial<Record<RowField, string>>;

export const isAbsence = (c: Category | undefined) => c === 'excused' || c === 'unexcused';

/** Single-key shortcuts per category, from the translations (P, R, D, J, N, V in French). */
export function shortcutsByKind(kinds: readonly AttendanceKind[], t: TFunction): Map<string, string> {
  const seen = new Set<string>();
  const out = new Map<string, string>();
  for (const k of kinds) {
    if (!k.active || seen.has(k.category)) continue;
    seen.add(k.category);
    out.set(k.code, t(`attendance.shortcuts.${k.category}`));
  }
  return out;
}

export function emptyDraft(kind = ''): Draft {
  return { kind, lateMinutes: '', earlyMinutes: '', remoteMinutes: '', reason: '', document: null, method: 'signature', signature: null, signedAt: null, scan: null, checkedBy: '', proxyName: '' };
}

/** A recorded mark as a draft to change: the same values; a drawn signature has to be given again. */
export function draftFromMark(mark: Mark): Draft {
  const presence = (PRESENCE_METHODS as readonly string[]).includes(mark.method) ? (mark.method as PresenceMethod) : 'signature';
  return {
    kind: mark.kind,
    lateMinutes: mark.lateMinutes ? String(mark.lateMinutes) : '',
    earlyMinutes: mark.earlyMinutes ? String(mark.earlyMinutes) : '',
    remoteMinutes: mark.remoteMinutes === null ? '' : String(mark.remoteMinutes),
    reason: mark.reason ?? '',
    document: mark.documentId && mark.method !== 'paper' ? { id: mark.documentId, name: '' } : null,
    method: presence,
    signature: null,
    signedAt: null,
    scan: mark.documentId && mark.method === 'paper' ? { id: mark.documentId, name: '' } : null,
    checkedBy: mark.checkedBy ?? '',
    proxyName: mark.proxyName ?? '',
  };
}

const minutesOf = (v: string) => (v.trim() === '' ? 0 : Number(v.replace(',', '.')));

/** The contract's mark (without enrolmentId) of a draft whose status is chosen. */
export function toMarkFields(d: Draft, category: Category | undefined): Omit<MarkInput, 'enrolmentId'> {
  const absent = isAbsence(category);
  const method: CaptureMethod = absent ? 'none' : d.method;
  return {
    kind: d.kind,
    lateMinutes: category === 'late' ? minutesOf(d.lateMinutes) : 0,
    earlyMinutes: category === 'early-leave' ? minutesOf(d.earlyMinutes) : 0,
    remoteMinutes: category === 'remote' && d.remoteMinutes.trim() !== '' ? minutesOf(d.remoteMinutes) : null,
    reason: category === 'excused' || category === 'unexcused' ? d.reason.trim() || null : null,
    documentId: category === 'excused' ? (d.document?.id ?? null) : method === 'paper' ? (d.scan?.id ?? null) : null,
    method,
    ...(method === 'signature' && d.signature ? { signature: d.signature } : {}),
    ...(method === 'signature' && d.signedAt ? { signedAt: d.signedAt } : {}),
    proxyName: method === 'proxy' ? d.proxyName.trim() || null : null,
    checkedBy: method === 'paper' ? d.checkedBy.trim() || null : null,
  };
}

/**
 * What a row still needs before it can be sent, worded for people. The backend applies the same rules
 * (electron/backend/attendance/attendance.ts checkMark) and stays the judge; this only saves a round trip per mistake.
 */
export function checkDraft(d: Draft, category: Category | undefined, slotMinutes: number, t: TFunction, options: { keepsSignature?: boolean } = {}): RowErrors {
  const errors: RowErrors = {};
  if (!d.kind || !category) {
    errors.kind = t('attendance.errors.kind');
    return errors;
  }
  const minutesError = (v: string) => {
    const n = minutesOf(v);
    if (v.trim() === '' || !Number.isInteger(n) || n <= 0) return 'missing';
    if (n > slotMinutes) return 'tooMany';
    return null;
  };
  if (category === 'late') {
    const e = minutesError(d.lateMinutes);
    if (e) errors.lateMinutes = e === 'missing' ? t('attendance.errors.lateMinutes') : t('attendance.errors.tooManyMinutes', { minutes: slotMinutes });
  }
  if (category === 'early-leave') {
    const e = minutesError(d.earlyMinutes);
    if (e) errors.earlyMinutes = e === 'missing' ? t('attendance.errors.earlyMinutes') : t('attendance.errors.tooManyMinutes', { minutes: slotMinutes });
  }
  if (category === 'remote' && d.remoteMinutes.trim() !== '') {
    const n = minutesOf(d.remoteMinutes);
    if (!Number.isInteger(n) || n < 0 || n > slotMinutes) errors.remoteMinutes = t('attendance.errors.remoteMinutes', { minutes: slotMinutes });
  }
  if (category === 'excused' && !d.reason.trim()) errors.reason = t('attendance.errors.reason');
  if (isAbsence(category)) return errors;
  if (d.method === 'signature' && !d.signature && !options.keepsSignature) errors.signature = t('attendance.errors.signature');
  if (d.method === 'paper' && !d.scan) errors.scan = t('attendance.errors.scan');
  if (d.method === 'paper' && !d.checkedBy.trim()) errors.checkedBy = t('attendance.errors.checkedBy');
  if (d.method === 'proxy' && !d.proxyName.trim()) errors.proxyName = t('attendance.errors.proxyName');
  return errors;
}

/** A backend field name of a mark → the row's field that shows it. */
export function rowFieldOf(field: string, d: Draft | undefined): RowField {
  switch (field) {
    case 'lateMinutes':
    case 'earlyMinutes':
    case 'remoteMinutes':
    case 'reason':
    case 'method':
    case 'checkedBy':
    case 'proxyName':
    case 'correctionReason':
      return field;
    case 'documentId':
      return d?.method === 'paper' && !d.document ? 'scan' : 'document';
    case 'signature':
    case 'signedAt':
      return 'signature';
    default:
      return 'kind';
  }
}

/**
 * Spreads the backend's issues over the rows: `marks.3.lateMinutes` → the 4th sent row's minutes field.
 * Issues that name no row (slotId…) stay for the banner.
 */
export function issuesToRows(issues: readonly FieldIssue[], sent: readonly string[], drafts: ReadonlyMap<string, Draft>): Map<string, RowErrors> {
  const out = new Map<string, RowErrors>();
  for (const issue of issues) {
    const m = /^marks\.(\d+)\.?([A-Za-z]*)/.exec(issue.path);
    if (!m) continue;
    const enrolmentId = sent[Number(m[1])];
    if (!enrolmentId) continue;
    const field = rowFieldOf(m[2] ?? '', drafts.get(enrolmentId));
    const row = out.get(enrolmentId) ?? {};
    row[field] ??= issue.message;
    out.set(enrolmentId, row);
  }
  return out;
}

/** The element id of a row's field: `${prefix}-${field}`, used to move the focus to the first error. */
export function fieldId(prefix: string, field: RowField): string {
  return `${prefix}-${field}`;
}

/** The first field in screen order that has an error. */
export const FIELD_ORDER: readonly RowField[] = ['kind', 'lateMinutes', 'earlyMinutes', 'remoteMinutes', 'reason', 'document', 'method', 'signature', 'scan', 'checkedBy', 'proxyName', 'correctionReason'];
export function firstErrorField(errors: RowErrors): RowField | undefined {
  return FIELD_ORDER.find((f) => errors[f]);
}

/** Who did it, for people: the single local account shows as such. */
export function authorName(createdBy: string, t: TFunction): string {
  return createdBy === 'local' ? t('attendance.history.localUser') : createdBy;
}

/** An ISO instant as the Paris (or local) wall-clock time people read: « 23/11/2026 09:04 ». */
export function formatInstant(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));
}

export function formatTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', { timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));
}
