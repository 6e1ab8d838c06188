import type { TFunction } from 'i18next';
import { isAbsence } from '../../../../shared/domain/categories';
import { checkMark, takesField, type MarkIssue } from '../../../../shared/domain/marks';
import type { AttendanceKind, CaptureMethod, Mark, MarkInput, MarkVersion, SignatureInput } from '../../../../shared/schemas/attendance';
import type { FieldIssue } from '../../../../shared/errors';

/**
 * The roll-call screen's model: what one row holds while it is being filled in, how it becomes the
 * contract's mark, the checks people should see before sending (the rules of shared/domain/marks.ts, which
 * the backend applies again), and how an issue path of the backend (`marks.3.lateMinutes`) finds its row and field.
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
  /** Method pin: the PIN the trainee types. Write-only: never kept in the drafts (see {@link keptDraft}). */
  pin: string;
  /** Method qr: the scan the backend recorded when the trainee typed the code shown under the QR code. */
  qrScan: { id: string; scannedAt: string } | null;
}

/** What the backend keeps of a row in progress: everything but the PIN. */
export function keptDraft(d: Draft): Omit<Draft, 'pin'> {
  const { pin: _pin, ...kept } = d;
  return kept;
}

/** A row kept by the backend, back on the screen (the PIN, never kept, is typed again). */
export function resumedDraft(d: Omit<Draft, 'pin' | 'qrScan'> & { qrScan?: Draft['qrScan'] }): Draft {
  return { ...d, pin: '', qrScan: d.qrScan ?? null };
}

/** The fields of a row an error can point at (ids `${prefix}-${field}`). */
export type RowField = 'kind' | 'lateMinutes' | 'earlyMinutes' | 'remoteMinutes' | 'reason' | 'document' | 'method' | 'signature' | 'scan' | 'checkedBy' | 'proxyName' | 'pin' | 'qrCode' | 'correctionReason';
export type RowErrors = Partial<Record<RowField, string>>;

export { isAbsence };

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
  return { kind, lateMinutes: '', earlyMinutes: '', remoteMinutes: '', reason: '', document: null, method: 'signature', signature: null, signedAt: null, scan: null, checkedBy: '', proxyName: '', pin: '', qrScan: null };
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
    pin: '',
    qrScan: null,
  };
}

const minutesOf = (v: string) => (v.trim() === '' ? 0 : Number(v.replace(',', '.')));

/**
 * The contract's mark (without enrolmentId) of a draft whose status is chosen. Fields the status or the
 * capture method does not take are left out (the backend would refuse them): a row switched from
 * "late" to "present" sends no late minutes.
 */
export function toMarkFields(d: Draft, category: Category | undefined): Omit<MarkInput, 'enrolmentId'> {
  const method: CaptureMethod = isAbsence(category) ? 'none' : d.method;
  const takes = (field: Parameters<typeof takesField>[2]) => category !== undefined && takesField(category, method, field);
  return {
    kind: d.kind,
    lateMinutes: takes('lateMinutes') ? minutesOf(d.lateMinutes) : 0,
    earlyMinutes: takes('earlyMinutes') ? minutesOf(d.earlyMinutes) : 0,
    remoteMinutes: takes('remoteMinutes') && d.remoteMinutes.trim() !== '' ? minutesOf(d.remoteMinutes) : null,
    reason: takes('reason') ? d.reason.trim() || null : null,
    documentId: !takes('documentId') ? null : method === 'paper' ? (d.scan?.id ?? null) : (d.document?.id ?? null),
    method,
    ...(takes('signature') && d.signature ? { signature: d.signature } : {}),
    ...(takes('signature') && d.signedAt ? { signedAt: d.signedAt } : {}),
    proxyName: takes('proxyName') ? d.proxyName.trim() || null : null,
    checkedBy: takes('checkedBy') ? d.checkedBy.trim() || null : null,
    ...(takes('pin') && d.pin ? { pin: d.pin } : {}),
    ...(takes('qrScanId') && d.qrScan ? { qrScanId: d.qrScan.id } : {}),
  };
}

/** The words of one issue of the shared mark rules, on the row's field that shows it. */
function issueText(issue: MarkIssue, slotMinutes: number, t: TFunction): [RowField, string] {
  switch (issue.field) {
    case 'kind':
      return ['kind', t('attendance.errors.kind')];
    case 'lateMinutes':
    case 'earlyMinutes':
      return [issue.field, issue.code === 'above-slot' ? t('attendance.errors.tooManyMinutes', { minutes: slotMinutes }) : issue.code === 'refused' ? t('attendance.errors.notTaken') : t(`attendance.errors.${issue.field}`)];
    case 'remoteMinutes':
      return ['remoteMinutes', issue.code === 'refused' ? t('attendance.errors.notTaken') : t('attendance.errors.remoteMinutes', { minutes: slotMinutes })];
    case 'documentId':
      return issue.code === 'required' ? ['scan', t('attendance.errors.scan')] : ['document', t('attendance.errors.notTaken')];
    case 'method':
      return ['method', t('attendance.errors.notTaken')];
    case 'reason':
    case 'signature':
    case 'checkedBy':
    case 'proxyName':
      return [issue.field, issue.code === 'refused' ? t('attendance.errors.notTaken') : t(`attendance.errors.${issue.field}`)];
    case 'pin':
      return ['pin', issue.code === 'refused' ? t('attendance.errors.notTaken') : t('attendance.errors.pin')];
    case 'qrScanId':
      return ['qrCode', issue.code === 'refused' ? t('attendance.errors.notTaken') : t('attendance.errors.qrCode')];
  }
}

/**
 * What a row still needs before it can be sent, worded for people: the rules of shared/domain/marks.ts on
 * the mark the row would send. The backend applies the same rules again and stays the judge; this only
 * saves a round trip per mistake. `keepsSignature`: a correction that keeps the drawn signature.
 */
export function checkDraft(d: Draft, category: Category | undefined, slotMinutes: number, t: TFunction, options: { keepsSignature?: boolean; keepsProof?: boolean } = {}): RowErrors {
  const errors: RowErrors = {};
  if (!d.kind || !category) {
    errors.kind = t('attendance.errors.kind');
    return errors;
  }
  const m = toMarkFields(d, category);
  const result = checkMark(category, slotMinutes, {
    lateMinutes: m.lateMinutes ?? 0, earlyMinutes: m.earlyMinutes ?? 0, remoteMinutes: m.remoteMinutes ?? null, reason: m.reason ?? null,
    documentId: m.documentId ?? null, method: m.method, hasSignature: Boolean(m.signature) || (m.method === 'signature' && options.keepsSignature === true),
    proxyName: m.proxyName ?? null, checkedBy: m.checkedBy ?? null,
    hasPin: Boolean(m.pin) || (m.method === 'pin' && options.keepsProof === true), hasQrScan: Boolean(m.qrScanId) || (m.method === 'qr' && options.keepsProof === true),
  });
  if (result.ok) return errors;
  for (const issue of result.issues) {
    const [field, text] = issueText(issue, slotMinutes, t);
    errors[field] ??= text;
  }
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
    case 'pin':
      return 'pin';
    case 'qrScanId':
    case 'code':
      return 'qrCode';
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
export const FIELD_ORDER: readonly RowField[] = ['kind', 'lateMinutes', 'earlyMinutes', 'remoteMinutes', 'reason', 'document', 'method', 'signature', 'pin', 'qrCode', 'scan', 'checkedBy', 'proxyName', 'correctionReason'];
export function firstErrorField(errors: RowErrors): RowField | undefined {
  return FIELD_ORDER.find((f) => errors[f]);
}

/** Who wrote a mark, by the name of their account; the one local user of the days before accounts as such. */
export function authorName(m: Pick<MarkVersion, 'createdBy' | 'authorName'>, t: TFunction): string {
  // The one user of the days before accounts, in the interface's language.
  return m.createdBy === 'local' ? t('attendance.history.localUser') : m.authorName;
}

/** An ISO instant as the wall-clock time people read in the training body's time zone: « 23/11/2026 09:04 ». */
export function formatInstant(iso: string | null | undefined, language: string, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function formatTime(iso: string | null | undefined, language: string, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', { timeStyle: 'short', timeZone }).format(new Date(iso));
}
