import { sql } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { checkMark as checkMarkRules, correctionProof, correctionSignature, type CaptureMethod, type MarkField, type MarkIssue } from '../../../shared/domain/marks';
import { currentMarks, type AttendanceCategory } from '../../../shared/domain/realised-hours';
import { recountMark } from '../../../shared/domain/slot-changes';
import type {
  AttendanceKind,
  attendanceKindInput,
  closeSlotInput,
  correctMarkInput,
  Mark,
  MarkVersion,
  markInput,
  recordRollCallInput,
  RollCall,
  SignatureInput,
  uploadDocumentInput,
} from '../../../shared/schemas/attendance';
import { inTransaction, type Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { TABLES, type SqlRow } from '../db/schema';
import { contentHash, sha256 } from '../evidence/hash';
import { track } from '../evidence/track';
import { writeEvidence, writeEvidenceIn, type EvidenceEntry, type OutboxEntry } from '../evidence/writer';
import { thisDevice } from '../evidence/devices';
import { consumeDrafts } from './drafts';
import { attendanceRecord } from './records';
import { activeOnDate, activeOnDateSql } from '../sessions/active';
import { checkPins, withPin, type PinCheck } from '../people/pins';
import { scanFor, scanOfMark } from './qr';
import { requireCipher } from '../privacy/data-key';
import { isSealed, type Place } from '../privacy/field-cipher';

/*
 * The roll call and the marks are the hot paths of attendance (a screen of 30 trainees, a close that queues
 * 30 records): they run as prepared statements through `withRaw`, each service one synchronous block on the
 * connection, rows typed from db/schema.ts.
 */

type MarkRow = SqlRow<'attendance_marks'>;

const MARK_COLUMNS = Object.keys(TABLES.attendance_marks).join(', ');

/*
 * A mark's reason (*motif*) is free text that only absences carry (shared/domain/marks.ts) and often tells why:
 * « arrêt maladie », « hospitalisation ». Health data, so every reason of a mark recorded from schema 17 on is
 * sealed (privacy/field-cipher.ts), bound to the mark, and hashed into the ledger as stored — the ledger verifies
 * the row as it is, and the funders' records never carried the reason. Marks recorded before stay in clear:
 * evidence is never rewritten. A reason is shown to those who take or correct roll calls and to those who may
 * read sensitive data; an auditor sees the status, not the reason.
 */
const reasonPlace = (markId: string): Place => ({ table: 'attendance_marks', column: 'reason', rowId: markId });

function sealReason(raw: Raw, reason: string | null, markId: string): string | null {
  return reason === null ? null : requireCipher(raw).seal(reason, reasonPlace(markId));
}

function openReason(raw: Raw, r: Pick<MarkRow, 'id' | 'reason'>): string | null {
  return isSealed(r.reason) ? requireCipher(raw).open(r.reason, reasonPlace(r.id)) : r.reason;
}

/** Whether the caller may read reasons of absence (see above). */
function readsReasons(ctx: Ctx): boolean {
  return ctx.user.permissions.has('attendance.write') || ctx.user.permissions.has('people.sensitive.read');
}

function toMark(raw: Raw, r: MarkRow, kinds: Map<string, AttendanceKind>, reveal: boolean): Mark {
  return {
    id: r.id, recordId: r.record_id, slotId: r.slot_id, enrolmentId: r.enrolment_id, kind: r.kind,
    category: kinds.get(r.kind)?.category ?? 'present', lateMinutes: r.late_minutes, earlyMinutes: r.early_minutes,
    remoteMinutes: r.remote_minutes, minutes: r.minutes, reason: reveal ? openReason(raw, r) : null, documentId: r.document_id,
    method: r.method as Mark['method'], signatureId: r.signature_id, proxyName: r.proxy_name, checkedBy: r.checked_by,
    deviceId: r.device_id, signedAt: r.signed_at, deviceSignedAt: r.device_signed_at, supersedesId: r.supersedes_id, correctionReason: r.correction_reason,
    createdAt: r.created_at, createdBy: r.created_by,
  };
}

function kindsIn(raw: Raw): AttendanceKind[] {
  return raw.all<SqlRow<'attendance_kinds'>>('SELECT code, label, category, active, sort FROM attendance_kinds ORDER BY sort, code').map(toKind);
}

function toKind(r: SqlRow<'attendance_kinds'>): AttendanceKind {
  return { ...r, category: r.category as AttendanceCategory, active: r.active === 1 };
}

export async function listKinds(ctx: Ctx): Promise<AttendanceKind[]> {
  const rows = await ctx.db.selectFrom('attendanceKinds').select(['code', 'label', 'category', 'active', 'sort']).orderBy('sort').orderBy('code').execute();
  return rows.map((r) => ({ ...r, active: r.active === 1 }));
}

/** Adds or renames a status of the configurable set; codes in use keep their category. */
export async function saveKind(ctx: Ctx, data: z.output<typeof attendanceKindInput>): Promise<AttendanceKind> {
  return inTransaction(ctx, async (tx) => {
    const existing = (await listKinds(tx)).find((k) => k.code === data.code);
    if (existing && existing.category !== data.category) {
      const used = await tx.db.selectFrom('attendanceMarks').select('id').where('kind', '=', data.code).limit(1).executeTakeFirst();
      if (used) throw new AppError('business', 'Ce statut est déjà utilisé : sa catégorie ne peut plus changer (créez-en un autre).', [{ path: 'category', message: 'Catégorie figée.' }]);
    }
    const row = { code: data.code, label: data.label, category: data.category, active: data.active ? 1 : 0, sort: data.sort };
    await tx.db
      .insertInto('attendanceKinds')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet({ label: row.label, category: row.category, active: row.active, sort: row.sort }))
      .execute();
    await track(tx, 'attendance_kind', [data.code]);
    return (await listKinds(tx)).find((k) => k.code === data.code)!;
  });
}

type SlotInfo = Omit<SqlRow<'slots'>, 'half_day'> & { half_day: 'am' | 'pm'; session_label: string; action_title: string; place_name: string | null };

function slotInfo(raw: Raw, slotId: string): SlotInfo {
  const slot = raw.get<SlotInfo>(`SELECT s.*, x.label AS session_label, a.title AS action_title, p.name AS place_name
    FROM slots s JOIN sessions x ON x.id = s.session_id JOIN actions a ON a.id = x.action_id LEFT JOIN places p ON p.id = s.place_id
    WHERE s.id = ?`, slotId);
  if (!slot) throw new AppError('not_found', 'Créneau introuvable.', [{ path: 'slotId', message: 'Créneau inconnu.' }]);
  return slot;
}

function closureOf(raw: Raw, slotId: string) {
  return raw.get<Pick<SqlRow<'slot_closures'>, 'id' | 'trainer_id' | 'closed_at' | 'device_closed_at' | 'method'> & { trainer_name: string }>(
    `SELECT c.id, c.trainer_id, c.closed_at, c.device_closed_at, c.method, t.last_name || ' ' || t.first_name AS trainer_name
    FROM slot_closures c JOIN trainers t ON t.id = c.trainer_id WHERE c.slot_id = ?`,
    slotId,
  );
}

/**
 * The enrolments expected at a slot: those of its session active on its date (shared/domain/enrolment-status.ts
 * isActiveOn, through its one SQL form). Parameter: the slot's id.
 */
export const EXPECTED_ENROLMENTS_SQL = `SELECT e.id, e.trainee_id, t.last_name || ' ' || t.first_name AS name
    FROM slots sl JOIN enrolments e ON e.session_id = sl.session_id JOIN trainees t ON t.id = e.trainee_id
    WHERE sl.id = ? AND ${activeOnDateSql('e', 'sl.date')}
    ORDER BY t.last_name, t.first_name`;

function expectedEnrolments(raw: Raw, slot: SlotInfo) {
  return raw.all<{ id: string; trainee_id: string; name: string }>(EXPECTED_ENROLMENTS_SQL, slot.id);
}

/** Every mark of a slot, superseded ones included (the roll-call query; indexed on slot_id). */
export const SLOT_MARKS_SQL = `SELECT ${MARK_COLUMNS} FROM attendance_marks WHERE slot_id = ?`;

function slotMarks(raw: Raw, slotId: string): MarkRow[] {
  return raw.all<MarkRow>(SLOT_MARKS_SQL, slotId);
}

function currentOf(rows: MarkRow[]): Map<string, MarkRow> {
  const heads = currentMarks(rows.map((r) => ({ ...r, slotId: r.slot_id, enrolmentId: r.enrolment_id, supersedesId: r.supersedes_id, category: 'present' as AttendanceCategory, lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, row: r })));
  return new Map(heads.map((h) => [h.enrolment_id, h.row]));
}

/** The roll-call screen of one slot: who is expected, their current mark, the closure if any. */
export async function getRollCall(ctx: Ctx, slotId: string): Promise<RollCall> {
  return withRaw(ctx.db, (raw) => rollCallIn(raw, slotId, readsReasons(ctx)));
}

function rollCallIn(raw: Raw, slotId: string, reveal: boolean): RollCall {
  const slot = slotInfo(raw, slotId);
  const kinds = kindsIn(raw);
  const kindMap = new Map(kinds.map((k) => [k.code, k]));
  const rows = slotMarks(raw, slotId);
  const current = currentOf(rows);
  const corrections = new Map<string, number>();
  for (const r of rows) if (r.supersedes_id) corrections.set(r.enrolment_id, (corrections.get(r.enrolment_id) ?? 0) + 1);
  const assigned = raw.all<{ id: string; name: string }>(`SELECT t.id, t.last_name || ' ' || t.first_name AS name FROM slot_trainers st JOIN trainers t ON t.id = st.trainer_id WHERE st.slot_id = ? AND st.deleted_at IS NULL ORDER BY t.last_name`, slotId);
  const trainerPins = withPin(raw, 'trainer', assigned.map((t) => t.id));
  const trainers = assigned.map((t) => ({ ...t, hasPin: trainerPins.has(t.id) }));
  const expected = expectedEnrolments(raw, slot);
  const traineePins = withPin(raw, 'trainee', expected.map((e) => e.trainee_id));
  const closure = closureOf(raw, slotId);
  return {
    slot: {
      id: slot.id, sessionId: slot.session_id, sessionLabel: slot.session_label, actionTitle: slot.action_title, date: slot.date, halfDay: slot.half_day,
      start: slot.start_time, end: slot.end_time, minutes: slot.minutes, modality: slot.modality, placeName: slot.place_name, trainers,
    },
    closure: closure ? { id: closure.id, trainerId: closure.trainer_id, trainerName: closure.trainer_name, closedAt: closure.closed_at, deviceClosedAt: closure.device_closed_at, method: closure.method } : null,
    rows: expected.map((e) => {
      const m = current.get(e.id);
      return { enrolmentId: e.id, traineeId: e.trainee_id, traineeName: e.name, hasPin: traineePins.has(e.trainee_id), mark: m ? toMark(raw, m, kindMap, reveal) : null, corrections: corrections.get(e.id) ?? 0 };
    }),
    kinds,
  };
}

/**
 * A signature's evidence row (written by the caller through the evidence writer, before the mark citing it):
 * signed at the backend's `at`, on this installation's `deviceId`; `deviceAt` is the screen's own reading.
 */
export function signatureRow(ctx: Ctx, signerKind: SqlRow<'signatures'>['signer_kind'], signerId: string, sig: z.output<typeof markInput>['signature'] & SignatureInput, deviceId: string, at: string, deviceAt: string | null): SqlRow<'signatures'> {
  const png = Buffer.from(sig.pngBase64, 'base64');
  const strokes = JSON.stringify(sig.strokes);
  return {
    id: ctx.newId(), signer_kind: signerKind, signer_id: signerId, strokes, png: png.length ? png : null,
    sha256: sha256(Buffer.concat([Buffer.from(strokes), png])), device_id: deviceId, signed_at: at, created_at: at, created_by: ctx.user.id, device_signed_at: deviceAt,
  };
}

const FIELD_FR: Record<MarkField, string> = {
  kind: 'Statut', lateMinutes: 'Minutes de retard', earlyMinutes: 'Minutes de départ anticipé', remoteMinutes: 'Minutes de connexion',
  reason: 'Motif', documentId: 'Pièce jointe', method: 'Mode de recueil', signature: 'Signature', checkedBy: 'Vérifié par', proxyName: 'Signataire par procuration',
  pin: 'PIN', qrScanId: 'QR code',
};
const METHOD_FR: Record<CaptureMethod, string> = { signature: 'signature', pin: 'PIN', qr: 'QR code', paper: 'feuille papier', proxy: 'procuration', none: 'aucun' };

/** The French sentence of one issue of the shared mark rules (shared/domain/marks.ts), naming the field. */
function markIssueMessage(issue: MarkIssue, m: z.output<typeof markInput>, kind: AttendanceKind | undefined, slot: SlotInfo): string {
  const field = FIELD_FR[issue.field];
  const status = `au statut « ${kind?.label ?? m.kind} »`;
  switch (`${issue.field}.${issue.code}`) {
    case 'kind.unknown': return `Statut de présence inconnu ou désactivé : ${m.kind}.`;
    case 'lateMinutes.required': return 'Retard : indiquez le nombre de minutes.';
    case 'earlyMinutes.required': return 'Départ anticipé : indiquez le nombre de minutes.';
    case 'reason.required': return 'Absence justifiée : le motif est obligatoire.';
    case 'method.required': return 'Une présence se recueille : signature, PIN, QR code, feuille papier ou procuration.';
    case 'method.refused': return 'Une absence ne se signe pas : mode de recueil « aucun ».';
    case 'signature.required': return 'La signature est vide.';
    case 'documentId.required': return 'Feuille papier : joignez le scan de la feuille signée.';
    case 'checkedBy.required': return 'Feuille papier : une deuxième personne doit vérifier la saisie.';
    case 'proxyName.required': return 'Procuration : indiquez qui signe.';
    case 'pin.required': return 'PIN : le stagiaire doit saisir son PIN.';
    case 'qrScanId.required': return "QR code : le stagiaire doit saisir le code affiché sous le QR code pendant qu'il est valide.";
    case 'documentId.refused': return `${field} : ne s'applique ni ${status} ni au mode de recueil « ${METHOD_FR[m.method]} ».`;
    case 'signature.refused':
    case 'pin.refused':
    case 'qrScanId.refused':
    case 'checkedBy.refused':
    case 'proxyName.refused': return `${field} : ne s'applique pas au mode de recueil « ${METHOD_FR[m.method]} ».`;
  }
  if (issue.code === 'refused') return `${field} : ne s'applique pas ${status}.`;
  if (issue.code === 'above-slot') return `${field} : au plus la durée du créneau (${slot.minutes} min).`;
  if (issue.code === 'invalid') return `${field} : nombre entier de minutes attendu.`;
  return `${field} : information manquante.`;
}

/**
 * Checks one mark with the shared rules; returns the attended minutes or throws every issue of the mark,
 * each at `marks.N.field`. `keptSignature`: a correction that keeps the original drawn signature.
 */
function checkMark(m: z.output<typeof markInput>, kind: AttendanceKind | undefined, slot: SlotInfo, index: number, keptSignature = false, keptProof = false): number {
  const result = checkMarkRules(kind?.active ? kind.category : undefined, slot.minutes, {
    lateMinutes: m.lateMinutes, earlyMinutes: m.earlyMinutes, remoteMinutes: m.remoteMinutes, reason: m.reason, documentId: m.documentId,
    method: m.method, hasSignature: Boolean(m.signature) || keptSignature, proxyName: m.proxyName, checkedBy: m.checkedBy,
    hasPin: Boolean(m.pin) || (keptProof && m.method === 'pin'), hasQrScan: Boolean(m.qrScanId) || (keptProof && m.method === 'qr'),
  });
  if (result.ok) return result.minutes;
  const issues = result.issues.map((issue) => ({ path: `marks.${index}.${issue.field}`, message: markIssueMessage(issue, m, kind, slot) }));
  throw new AppError('validation', issues[0]!.message, issues);
}

function assertDocument(raw: Raw, documentId: string | null, path: string) {
  if (documentId && !raw.get('SELECT 1 FROM documents WHERE id = ?', documentId)) {
    throw new AppError('not_found', 'Pièce jointe introuvable.', [{ path, message: 'Pièce inconnue.' }]);
  }
}

/**
 * Records a roll call (all marks of one screen) in one transaction, with signatures, into the ledger.
 * The same submission id twice records nothing the second time and returns the first result.
 */
export async function recordRollCall(ctx: Ctx, data: z.output<typeof recordRollCallInput>) {
  await checkPins(ctx, await rollCallPins(ctx, data));
  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const done = raw.get<{ result: string }>('SELECT result FROM rollcall_submissions WHERE id = ?', data.submissionId);
    if (done) return { ...(JSON.parse(done.result) as { recorded: number; closure: { closureId: string; closedAt: string; marks: number } | null }), replayed: true };
    const slot = slotInfo(raw, data.slotId);
    if (slot.cancelled) throw new AppError('business', 'Ce créneau est annulé : aucune présence ne peut y être saisie.', [{ path: 'slotId', message: 'Créneau annulé.' }]);
    const closed = closureOf(raw, slot.id);
    if (closed) throw new AppError('business', `Ce créneau a été clos le ${closed.closed_at.slice(0, 10)} par ${closed.trainer_name} : utilisez une correction.`, [{ path: 'slotId', message: 'Créneau clos.' }]);
    const kinds = new Map(kindsIn(raw).map((k) => [k.code, k]));
    const expected = new Set(expectedEnrolments(raw, slot).map((e) => e.id));
    const current = currentOf(slotMarks(raw, slot.id));
    const seen = new Set<string>();
    // The backend's clock and device: the screen's reading of the time is kept beside, as `device_signed_at`.
    const at = tx.now().toISOString();
    const device = thisDevice(raw, at, () => tx.newId());
    const evidence: EvidenceEntry[] = [];
    data.marks.forEach((m, i) => {
      if (!expected.has(m.enrolmentId)) throw new AppError('validation', "Ce stagiaire n'est pas attendu sur ce créneau (inscription hors dates, sortie ou autre session).", [{ path: `marks.${i}.enrolmentId`, message: 'Stagiaire non attendu.' }]);
      if (seen.has(m.enrolmentId)) throw new AppError('validation', 'Un même stagiaire figure deux fois dans la saisie.', [{ path: `marks.${i}.enrolmentId`, message: 'Doublon.' }]);
      seen.add(m.enrolmentId);
    });
    for (const [i, m] of data.marks.entries()) {
      const minutes = checkMark(m, kinds.get(m.kind), slot, i);
      assertDocument(raw, m.documentId, `marks.${i}.documentId`);
      let signatureId: string | null = null;
      if (m.method === 'signature' && m.signature) {
        const sig = signatureRow(tx, 'trainee', m.enrolmentId, m.signature, device, at, m.signedAt ?? null);
        signatureId = sig.id;
        evidence.push({ type: 'signature', row: sig });
      }
      // A QR mark cites the scan the backend recorded while the code was valid; it was made then.
      const scan = m.method === 'qr' && m.qrScanId ? scanFor(raw, m.qrScanId, slot.id, m.enrolmentId, `marks.${i}.qrScanId`) : undefined;
      const previous = current.get(m.enrolmentId);
      const id = tx.newId();
      const row: MarkRow = {
        id, record_id: previous?.record_id ?? attendanceRecord(raw, tx.user.id, slot.id, m.enrolmentId, at), slot_id: slot.id, enrolment_id: m.enrolmentId, kind: m.kind,
        late_minutes: m.lateMinutes, early_minutes: m.earlyMinutes, remote_minutes: m.remoteMinutes, minutes, reason: sealReason(raw, m.reason, id),
        document_id: m.documentId, method: m.method, signature_id: signatureId, proxy_name: m.proxyName, checked_by: m.checkedBy,
        device_id: device, signed_at: m.method === 'none' ? null : (scan?.scanned_at ?? at), supersedes_id: previous?.id ?? null,
        correction_reason: previous ? 'Saisie modifiée avant clôture' : null, submission_id: data.submissionId, created_at: at, created_by: tx.user.id,
        device_signed_at: m.method === 'none' ? null : (m.signedAt ?? null),
      };
      evidence.push({ type: 'attendance_mark', row });
      if (scan) evidence.push({ type: 'mark_qr_scan', row: { id: tx.newId(), mark_id: id, scan_id: scan.id, created_at: at, created_by: tx.user.id } });
      current.set(m.enrolmentId, row);
    }
    writeEvidenceIn(raw, evidence, { at });
    // The drafts of the rows just recorded have become marks: consumed in the same transaction.
    consumeDrafts(raw, slot.id, data.marks.map((m) => m.enrolmentId));
    const closure = data.close ? closeIn(tx, raw, slot, { ...data.close, slotId: slot.id }, device, current) : null;
    const result = { recorded: data.marks.length, closure };
    // The submission is evidence too (schema 9): a roll call recorded cannot be unrecorded behind the app's back.
    writeEvidenceIn(raw, [{ type: 'rollcall_submission', row: { id: data.submissionId, slot_id: slot.id, result: JSON.stringify(result), created_at: at, created_by: tx.user.id } }], { at });
    return { ...result, replayed: false };
  }));
}

/** The `attendance` record of the exchange protocol for one mark. */
function attendancePayload(slot: SlotInfo, m: MarkRow, category: AttendanceCategory, closedAt: string, evidenceSha: string) {
  return {
    enrolmentId: m.enrolment_id,
    slot: { date: slot.date, start: slot.start_time, end: slot.end_time, modality: slot.modality },
    status: category,
    kind: m.kind,
    minutes: m.minutes,
    evidence: { method: m.method, sha256: evidenceSha },
    closedAt,
    ...(m.supersedes_id ? { correctionReason: m.correction_reason } : {}),
  };
}

/**
 * What proves a mark, for the funders: its signature's or scan's hash, else the mark's own content hash (the
 * one its ledger entry holds). `fresh` is a signature not written yet.
 */
function evidenceSha(raw: Raw, m: MarkRow, fresh?: SqlRow<'signatures'>): string {
  if (m.signature_id) return m.signature_id === fresh?.id ? fresh.sha256 : raw.get<{ sha256: string }>('SELECT sha256 FROM signatures WHERE id = ?', m.signature_id)!.sha256;
  if (m.document_id) return raw.get<{ sha256: string }>('SELECT sha256 FROM documents WHERE id = ?', m.document_id)!.sha256;
  return contentHash(m);
}

/**
 * The trainer countersigns and closes the slot: every expected trainee must have a mark. From then on
 * marks change only by correction. Each mark is queued for the funders in the same transaction.
 */
export async function closeSlot(ctx: Ctx, data: z.output<typeof closeSlotInput>) {
  if (data.method === 'pin') await checkPins(ctx, [{ kind: 'trainer', personId: data.trainerId, pin: data.pin ?? '', path: 'pin' }]);
  return inTransaction(ctx, async (tx) =>
    withRaw(tx.db, (raw) => {
      // A roll call closed on the spot has its device already (recordRollCall): once per transaction.
      const device = thisDevice(raw, tx.now().toISOString(), () => tx.newId());
      return closeIn(tx, raw, slotInfo(raw, data.slotId), data, device);
    }),
  );
}

/**
 * The closing itself, inside the caller's transaction. A roll call closed on the spot passes the marks
 * it just wrote (`current`) and what it already read or computed in the same transaction (`known`: the
 * expected enrolments, the status set, the evidence hash of each mark it wrote), which spares reading
 * them back.
 */
function closeIn(tx: Ctx, raw: Raw, slot: SlotInfo, data: z.output<typeof closeSlotInput>, device: string, current = currentOf(slotMarks(raw, slot.id))) {
  {
    const closure = closureOf(raw, slot.id);
    if (closure) throw new AppError('conflict', `Ce créneau a déjà été clos le ${closure.closed_at.slice(0, 10)} à ${closure.closed_at.slice(11, 16)} (UTC) par ${closure.trainer_name}.`, [{ path: 'slotId', message: 'Créneau déjà clos.' }]);
    const trainer = raw.get('SELECT id FROM trainers WHERE id = ?', data.trainerId);
    if (!trainer) throw new AppError('not_found', 'Formateur introuvable.', [{ path: 'trainerId', message: 'Formateur inconnu.' }]);
    const assigned = raw.all<{ trainer_id: string }>('SELECT trainer_id FROM slot_trainers WHERE slot_id = ? AND deleted_at IS NULL', slot.id);
    if (assigned.length > 0 && !assigned.some((a) => a.trainer_id === data.trainerId)) {
      throw new AppError('business', "Ce formateur n'est pas affecté à ce créneau : seul un formateur du créneau peut le clore.", [{ path: 'trainerId', message: 'Formateur non affecté.' }]);
    }
    const missing = expectedEnrolments(raw, slot).filter((e) => !current.has(e.id));
    if (missing.length > 0) {
      throw new AppError('business', `Émargement incomplet : ${missing.length} stagiaire(s) sans statut (${missing.slice(0, 5).map((m) => m.name).join(', ')}).`, [{ path: 'slotId', message: 'Statuts manquants.' }]);
    }
    const at = tx.now().toISOString();
    const evidence: EvidenceEntry[] = [];
    let signatureId: string | null = null;
    if (data.signature) {
      const sig = signatureRow(tx, 'trainer', data.trainerId, data.signature, device, at, data.closedAt ?? null);
      signatureId = sig.id;
      evidence.push({ type: 'signature', row: sig });
    }
    // Closed at the backend's time, on this installation; the screen's reading of the time kept beside.
    const row: SqlRow<'slot_closures'> = {
      id: tx.newId(), slot_id: slot.id, trainer_id: data.trainerId, signature_id: signatureId, method: data.method, closed_at: at, created_at: at, created_by: tx.user.id,
      device_id: device, device_closed_at: data.closedAt ?? null,
    };
    evidence.push({ type: 'slot_closure', row });
    const kinds = new Map(kindsIn(raw).map((k) => [k.code, k]));
    const outbox: OutboxEntry[] = [...current.values()].map((m) => ({
      recordType: 'attendance',
      recordId: m.record_id,
      payload: attendancePayload(slot, m, kinds.get(m.kind)!.category, at, evidenceSha(raw, m)),
    }));
    writeEvidenceIn(raw, evidence, { at, outbox });
    // A closed slot changes only by correction: what was left in progress on it is dropped.
    consumeDrafts(raw, slot.id);
    return { closureId: row.id, closedAt: at, marks: current.size };
  }
}

/**
 * Corrects a mark: a new mark supersedes it, with author, time and reason; the old one stays. After
 * closing, the correction is queued as the record's next version.
 */
export async function correctMark(ctx: Ctx, data: z.output<typeof correctMarkInput>): Promise<Mark> {
  if (data.method === 'pin' && data.pin) {
    const trainee = await withRaw(ctx.db, (raw) => raw.get<{ trainee_id: string }>('SELECT e.trainee_id FROM attendance_marks m JOIN enrolments e ON e.id = m.enrolment_id WHERE m.id = ?', data.markId));
    if (trainee) await checkPins(ctx, [{ kind: 'trainee', personId: trainee.trainee_id, pin: data.pin, path: 'pin' }]);
  }
  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const old = raw.get<MarkRow>(`SELECT ${MARK_COLUMNS} FROM attendance_marks WHERE id = ?`, data.markId);
    if (!old) throw new AppError('not_found', 'Saisie introuvable.', [{ path: 'markId', message: 'Saisie inconnue.' }]);
    if (raw.get('SELECT 1 FROM attendance_marks WHERE supersedes_id = ?', old.id)) {
      throw new AppError('conflict', 'Cette saisie a déjà été corrigée : corrigez sa dernière version.', [{ path: 'markId', message: 'Saisie déjà remplacée.' }]);
    }
    const slot = slotInfo(raw, old.slot_id);
    const kinds = new Map(kindsIn(raw).map((k) => [k.code, k]));
    const input = { ...data, enrolmentId: old.enrolment_id };
    // Which signature the correction needs (shared/domain/marks.ts): the original one stands unless the
    // trainee never signed this slot by hand (absent → present…).
    const oldCategory = kinds.get(old.kind)?.category;
    const newCategory = kinds.get(data.kind)?.active ? kinds.get(data.kind)!.category : undefined;
    const needs = oldCategory && newCategory
      ? correctionSignature({ category: oldCategory, method: old.method as CaptureMethod, hasSignature: old.signature_id !== null }, { category: newCategory, method: data.method })
      : 'none';
    if (needs === 'new' && !data.signature) {
      throw new AppError('validation', "Cette correction demande la signature du stagiaire : il n'a pas signé ce créneau à la main.", [{ path: 'signature', message: 'Signature du stagiaire à recueillir.' }]);
    }
    // PIN or QR code: the original proof stands when the method stays; otherwise the PIN is typed (and
    // checked before the transaction, see correctMarkWithPin) or a scan of this slot is cited.
    const proof = oldCategory && newCategory ? correctionProof({ category: oldCategory, method: old.method as CaptureMethod }, { category: newCategory, method: data.method }) : 'none';
    const keptScan = proof === 'kept' && data.method === 'qr' && !data.qrScanId ? scanOfMark(raw, old.id) : undefined;
    const minutes = checkMark(input, kinds.get(data.kind), slot, 0, needs === 'kept', proof === 'kept' && (data.method === 'pin' || keptScan !== undefined));
    const scan = data.method === 'qr' && data.qrScanId ? scanFor(raw, data.qrScanId, slot.id, old.enrolment_id, 'qrScanId') : undefined;
    assertDocument(raw, data.documentId, 'documentId');
    const at = tx.now().toISOString();
    const device = thisDevice(raw, at, () => tx.newId());
    const evidence: EvidenceEntry[] = [];
    let signatureId: string | null = null;
    let sig: SqlRow<'signatures'> | undefined;
    if (data.method === 'signature' && data.signature) {
      sig = signatureRow(tx, 'trainee', old.enrolment_id, data.signature, device, at, data.signedAt ?? null);
      signatureId = sig.id;
      evidence.push({ type: 'signature', row: sig });
    } else if (needs === 'kept') {
      signatureId = old.signature_id; // the status or the minutes change, the original signature still stands
    }
    const markId = tx.newId();
    const row: MarkRow = {
      id: markId, record_id: old.record_id, slot_id: old.slot_id, enrolment_id: old.enrolment_id, kind: data.kind,
      late_minutes: data.lateMinutes, early_minutes: data.earlyMinutes, remote_minutes: data.remoteMinutes, minutes, reason: sealReason(raw, data.reason, markId),
      document_id: data.documentId, method: data.method, signature_id: signatureId, proxy_name: data.proxyName, checked_by: data.checkedBy,
      device_id: device, ...correctedTimes(old, data.method, sig, at, data.signedAt ?? null), supersedes_id: old.id,
      correction_reason: data.correctionReason, submission_id: null, created_at: at, created_by: tx.user.id,
    };
    evidence.push({ type: 'attendance_mark', row });
    const scanId = scan?.id ?? keptScan;
    if (scanId) evidence.push({ type: 'mark_qr_scan', row: { id: tx.newId(), mark_id: row.id, scan_id: scanId, created_at: at, created_by: tx.user.id } });
    const closure = closureOf(raw, slot.id);
    const outbox: OutboxEntry[] = closure
      ? [{ recordType: 'attendance', recordId: row.record_id, payload: attendancePayload(slot, row, kinds.get(row.kind)!.category, closure.closed_at, evidenceSha(raw, row, sig)) }]
      : [];
    writeEvidenceIn(raw, evidence, { at, outbox });
    return toMark(raw, row, kinds, readsReasons(tx));
  }));
}

const RECOUNT_FIELD_FR = { lateMinutes: 'le retard', earlyMinutes: 'le départ anticipé', remoteMinutes: 'le temps de connexion' } as const;

/**
 * The marks of a slot whose times change (shared/domain/slot-changes.ts): each current mark whose minutes
 * differ under the new length is superseded by a copy with recounted minutes — same status, capture, device
 * and signature, `correctionReason` saying why. Returns the evidence rows for the caller to write with its own
 * (the slot's correction), and, when the slot is closed (`closedAt`), every current mark queued again for the
 * funders with the slot's new times. Throws, naming the trainee, when a mark's minutes exceed the new length.
 */
export function recountSlotMarksIn(
  raw: Raw,
  slotId: string,
  next: { start: string; end: string; minutes: number },
  change: { reason: string; at: string; userId: string; newId: () => string; closedAt: string | null },
): { evidence: EvidenceEntry[]; outbox: OutboxEntry[]; recounted: number } {
  const slot = { ...slotInfo(raw, slotId), start_time: next.start, end_time: next.end, minutes: next.minutes };
  const kinds = new Map(kindsIn(raw).map((k) => [k.code, k]));
  const evidence: EvidenceEntry[] = [];
  const outbox: OutboxEntry[] = [];
  for (const old of currentOf(slotMarks(raw, slotId)).values()) {
    const category = kinds.get(old.kind)?.category ?? 'present';
    const recount = recountMark(next.minutes, { category, lateMinutes: old.late_minutes, earlyMinutes: old.early_minutes, remoteMinutes: old.remote_minutes, minutes: old.minutes });
    if (!recount.ok) {
      const who = raw.get<{ name: string }>('SELECT t.last_name || \' \' || t.first_name AS name FROM enrolments e JOIN trainees t ON t.id = e.trainee_id WHERE e.id = ?', old.enrolment_id)?.name ?? old.enrolment_id;
      const message = `Le créneau passerait à ${next.minutes} min, mais ${RECOUNT_FIELD_FR[recount.field]} de ${who} (${recount.value} min) dépasse cette durée : corrigez d'abord sa présence.`;
      throw new AppError('business', message, [{ path: 'end', message }]);
    }
    let head = old;
    if (recount.changed) {
      const id = change.newId();
      // The reason is bound to its mark: the copy gets it sealed anew (a reason recorded in clear is sealed now).
      head = { ...old, id, reason: sealReason(raw, openReason(raw, old), id), minutes: recount.minutes, supersedes_id: old.id, correction_reason: `Horaires du créneau corrigés (${next.start}–${next.end}) : ${change.reason}`, submission_id: null, created_at: change.at, created_by: change.userId };
      evidence.push({ type: 'attendance_mark', row: head });
    }
    if (change.closedAt) {
      outbox.push({ recordType: 'attendance', recordId: head.record_id, payload: attendancePayload(slot, head, category, change.closedAt, evidenceSha(raw, head)) });
    }
  }
  return { evidence, outbox, recounted: evidence.length };
}

/**
 * The capture times of a correction: a new signature, a new capture method or a first capture (the old mark
 * had none) are captured now, at the backend's `at` (the screen's reading beside it); otherwise the original
 * capture stands with both its times. An absence (`none`) has none.
 */
function correctedTimes(old: MarkRow, method: string, sig: SqlRow<'signatures'> | undefined, at: string, deviceAt: string | null): Pick<MarkRow, 'signed_at' | 'device_signed_at'> {
  if (method === 'none') return { signed_at: null, device_signed_at: null };
  if (sig || method !== old.method || old.signed_at === null) return { signed_at: at, device_signed_at: deviceAt };
  return { signed_at: old.signed_at, device_signed_at: old.device_signed_at };
}

/** The whole chain of marks of one trainee on one slot, oldest first: the visible history. */
export async function markHistory(ctx: Ctx, slotId: string, enrolmentId: string): Promise<MarkVersion[]> {
  return withRaw(ctx.db, (raw) => {
    const kinds = new Map(kindsIn(raw).map((k) => [k.code, k]));
    const rows = raw.all<MarkRow>(`SELECT ${MARK_COLUMNS} FROM attendance_marks WHERE slot_id = ? AND enrolment_id = ? ORDER BY created_at, id`, slotId, enrolmentId);
    const authorName = (userId: string) => raw.get<{ name: string }>('SELECT name FROM users WHERE id = ?', userId)?.name ?? userId;
    const deviceLabel = (deviceId: string) => raw.get<{ label: string | null }>('SELECT label FROM devices WHERE id = ?', deviceId)?.label ?? null;
    return rows.map((r) => {
      const m = toMark(raw, r, kinds, readsReasons(ctx));
      return { ...m, authorName: authorName(m.createdBy), deviceLabel: deviceLabel(m.deviceId) };
    });
  });
}

/** Stores an attached piece (absence justification, scan of a paper sheet): immutable, hashed, in the ledger. */
export async function uploadDocument(ctx: Ctx, data: z.output<typeof uploadDocumentInput>) {
  return inTransaction(ctx, async (tx) => {
    const bytes = Buffer.from(data.base64, 'base64');
    if (bytes.length === 0) throw new AppError('validation', 'Pièce vide.', [{ path: 'base64', message: 'Pièce vide.' }]);
    const at = tx.now().toISOString();
    const row = { id: tx.newId(), name: data.name, mime: data.mime, bytes, sha256: sha256(bytes), created_at: at, created_by: tx.user.id };
    await writeEvidence(tx, [{ type: 'document', row }], { at });
    return { id: row.id, sha256: row.sha256 };
  });
}

/** The slots of a day across sessions, for "today's roll call". */
export async function slotsOfDay(ctx: Ctx, date: string) {
  const rows = await ctx.db
    .selectFrom('slots as s')
    .innerJoin('sessions as x', 'x.id', 's.sessionId')
    .innerJoin('actions as a', 'a.id', 'x.actionId')
    .leftJoin('places as p', 'p.id', 's.placeId')
    .select([
      's.id', 's.sessionId', 'x.label as sessionLabel', 'a.title as actionTitle', 's.date', 's.halfDay', 's.startTime as start', 's.endTime as end', 'p.name as placeName',
      sql<number>`EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id = s.id)`.as('closed'),
      sql<number>`(SELECT count(DISTINCT m.enrolment_id) FROM attendance_marks m WHERE m.slot_id = s.id)`.as('marked'),
      sql<number>`(SELECT count(*) FROM enrolments e WHERE e.session_id = s.session_id AND ${activeOnDate('e', sql.raw('s.date'))})`.as('expected'),
    ])
    .where('s.date', '=', date)
    .where('s.cancelled', '=', 0)
    .where('s.deletedAt', 'is', null) // an archived session's slots (sessions created by mistake)
    .orderBy('s.startTime')
    .orderBy('x.label')
    .execute();
  return rows.map((r) => ({ ...r, closed: r.closed === 1 }));
}

/**
 * The drawn signatures of a slot's current marks and of its closure, as images (PNG, base64): the closed
 * roll call shows them as thumbnails. A signature kept from vectors only (no image) is left out.
 */
export async function slotSignatures(ctx: Ctx, slotId: string): Promise<{ id: string; pngBase64: string; closure: boolean }[]> {
  return withRaw(ctx.db, (raw) => {
    const ids = new Map<string, boolean>();
    for (const m of currentOf(slotMarks(raw, slotId)).values()) if (m.signature_id) ids.set(m.signature_id, false);
    const closure = raw.get<{ signature_id: string | null }>('SELECT signature_id FROM slot_closures WHERE slot_id = ?', slotId);
    if (closure?.signature_id) ids.set(closure.signature_id, true);
    const out: { id: string; pngBase64: string; closure: boolean }[] = [];
    for (const [id, isClosure] of ids) {
      const s = raw.get<{ png: Uint8Array | null }>('SELECT png FROM signatures WHERE id = ?', id);
      if (s?.png) out.push({ id, pngBase64: Buffer.from(s.png).toString('base64'), closure: isClosure });
    }
    return out;
  });
}

/**
 * The PINs a roll call carries (its marks by PIN, its countersignature by PIN), to check before its
 * transaction. A submission already recorded is replayed without checking anything again.
 */
async function rollCallPins(ctx: Ctx, data: z.output<typeof recordRollCallInput>): Promise<PinCheck[]> {
  return withRaw(ctx.db, (raw) => {
    if (raw.get('SELECT 1 FROM rollcall_submissions WHERE id = ?', data.submissionId)) return [];
    const checks: PinCheck[] = [];
    data.marks.forEach((m, i) => {
      if (m.method !== 'pin' || !m.pin) return;
      const e = raw.get<{ trainee_id: string }>('SELECT trainee_id FROM enrolments WHERE id = ?', m.enrolmentId);
      if (e) checks.push({ kind: 'trainee', personId: e.trainee_id, pin: m.pin, path: `marks.${i}.pin` });
    });
    if (data.close?.method === 'pin') checks.push({ kind: 'trainer', personId: data.close.trainerId, pin: data.close.pin ?? '', path: 'close.pin' });
    return checks;
  });
}
