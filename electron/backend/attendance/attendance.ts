import { sql } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { checkMark as checkMarkRules, type CaptureMethod, type MarkField, type MarkIssue } from '../../../shared/domain/marks';
import { currentMarks, type AttendanceCategory } from '../../../shared/domain/realised-hours';
import type {
  AttendanceKind,
  attendanceKindInput,
  closeSlotInput,
  correctMarkInput,
  Mark,
  markInput,
  recordRollCallInput,
  RollCall,
  SignatureInput,
  uploadDocumentInput,
} from '../../../shared/schemas/attendance';
import { inTransaction, type Ctx } from '../context';
import { stmt } from '../db/statements';
import { ledgerWriter, sha256, type EvidenceType } from '../evidence/ledger';
import { registerDevice } from '../evidence/devices';
import { enqueue } from '../evidence/outbox';
import { attendanceRecord } from './records';
import { activeOnDate, activeOnDateSql } from '../sessions/active';

type MarkRow = {
  id: string; record_id: string; slot_id: string; enrolment_id: string; kind: string; late_minutes: number; early_minutes: number;
  remote_minutes: number | null; minutes: number; reason: string | null; document_id: string | null; method: string; signature_id: string | null;
  proxy_name: string | null; checked_by: string | null; device_id: string; signed_at: string | null; supersedes_id: string | null;
  correction_reason: string | null; submission_id: string | null; created_at: string; created_by: string;
};

const MARK_COLUMNS = 'id, record_id, slot_id, enrolment_id, kind, late_minutes, early_minutes, remote_minutes, minutes, reason, document_id, method, signature_id, proxy_name, checked_by, device_id, signed_at, supersedes_id, correction_reason, submission_id, created_at, created_by';
const INSERT_MARK = `INSERT INTO attendance_marks (${MARK_COLUMNS}) VALUES (${MARK_COLUMNS.split(', ').map((c) => `@${c}`).join(', ')})`;

function toMark(r: MarkRow, kinds: Map<string, AttendanceKind>): Mark {
  return {
    id: r.id, recordId: r.record_id, slotId: r.slot_id, enrolmentId: r.enrolment_id, kind: r.kind,
    category: kinds.get(r.kind)?.category ?? 'present', lateMinutes: r.late_minutes, earlyMinutes: r.early_minutes,
    remoteMinutes: r.remote_minutes, minutes: r.minutes, reason: r.reason, documentId: r.document_id,
    method: r.method as Mark['method'], signatureId: r.signature_id, proxyName: r.proxy_name, checkedBy: r.checked_by,
    deviceId: r.device_id, signedAt: r.signed_at, supersedesId: r.supersedes_id, correctionReason: r.correction_reason,
    createdAt: r.created_at, createdBy: r.created_by,
  };
}

export async function listKinds(ctx: Ctx): Promise<AttendanceKind[]> {
  const rows = stmt(ctx.raw, 'SELECT code, label, category, active, sort FROM attendance_kinds ORDER BY sort, code').all() as (Omit<AttendanceKind, 'active'> & { active: number })[];
  return rows.map((r) => ({ ...r, active: r.active === 1 }));
}

/** Adds or renames a status of the configurable set; codes in use keep their category. */
export async function saveKind(ctx: Ctx, data: z.output<typeof attendanceKindInput>): Promise<AttendanceKind> {
  return inTransaction(ctx, async (tx) => {
    const existing = (await listKinds(tx)).find((k) => k.code === data.code);
    if (existing && existing.category !== data.category) {
      const used = stmt(tx.raw, 'SELECT 1 FROM attendance_marks WHERE kind = ? LIMIT 1').get(data.code);
      if (used) throw new AppError('business', 'Ce statut est déjà utilisé : sa catégorie ne peut plus changer (créez-en un autre).', [{ path: 'category', message: 'Catégorie figée.' }]);
    }
    stmt(tx.raw, 'INSERT INTO attendance_kinds (code, label, category, active, sort) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET label = excluded.label, category = excluded.category, active = excluded.active, sort = excluded.sort')
      .run(data.code, data.label, data.category, data.active ? 1 : 0, data.sort);
    return (await listKinds(tx)).find((k) => k.code === data.code)!;
  });
}

interface SlotInfo {
  id: string; session_id: string; date: string; half_day: 'am' | 'pm'; start_time: string; end_time: string; minutes: number;
  modality: string; cancelled: number; place_id: string | null; session_label: string; action_title: string; place_name: string | null;
}

function slotInfo(ctx: Ctx, slotId: string): SlotInfo {
  const slot = stmt(ctx.raw, `SELECT s.*, x.label AS session_label, a.title AS action_title, p.name AS place_name
    FROM slots s JOIN sessions x ON x.id = s.session_id JOIN actions a ON a.id = x.action_id LEFT JOIN places p ON p.id = s.place_id
    WHERE s.id = ?`).get(slotId) as SlotInfo | undefined;
  if (!slot) throw new AppError('not_found', 'Créneau introuvable.', [{ path: 'slotId', message: 'Créneau inconnu.' }]);
  return slot;
}

function closureOf(ctx: Ctx, slotId: string) {
  return stmt(ctx.raw, `SELECT c.id, c.trainer_id, c.closed_at, c.method, t.last_name || ' ' || t.first_name AS trainer_name
    FROM slot_closures c JOIN trainers t ON t.id = c.trainer_id WHERE c.slot_id = ?`).get(slotId) as
    | { id: string; trainer_id: string; closed_at: string; method: string; trainer_name: string }
    | undefined;
}

/**
 * The enrolments expected at a slot: those of its session active on its date (shared/domain/enrolment-status.ts
 * isActiveOn, through its one SQL form). Parameter: the slot's id.
 */
export const EXPECTED_ENROLMENTS_SQL = `SELECT e.id, e.trainee_id, t.last_name || ' ' || t.first_name AS name
    FROM slots sl JOIN enrolments e ON e.session_id = sl.session_id JOIN trainees t ON t.id = e.trainee_id
    WHERE sl.id = ? AND ${activeOnDateSql('e', 'sl.date')}
    ORDER BY t.last_name, t.first_name`;

function expectedEnrolments(ctx: Ctx, slot: SlotInfo) {
  return stmt(ctx.raw, EXPECTED_ENROLMENTS_SQL).all(slot.id) as { id: string; trainee_id: string; name: string }[];
}

/** Every mark of a slot, superseded ones included (the roll-call query; indexed on slot_id). */
export const SLOT_MARKS_SQL = `SELECT ${MARK_COLUMNS} FROM attendance_marks WHERE slot_id = ?`;

function slotMarks(ctx: Ctx, slotId: string): MarkRow[] {
  return stmt(ctx.raw, SLOT_MARKS_SQL).all(slotId) as MarkRow[];
}

function currentOf(rows: MarkRow[]): Map<string, MarkRow> {
  const heads = currentMarks(rows.map((r) => ({ ...r, slotId: r.slot_id, enrolmentId: r.enrolment_id, supersedesId: r.supersedes_id, category: 'present' as AttendanceCategory, lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, row: r })));
  return new Map(heads.map((h) => [h.enrolment_id, h.row]));
}

/** The roll-call screen of one slot: who is expected, their current mark, the closure if any. */
export async function getRollCall(ctx: Ctx, slotId: string): Promise<RollCall> {
  const slot = slotInfo(ctx, slotId);
  const kinds = await listKinds(ctx);
  const kindMap = new Map(kinds.map((k) => [k.code, k]));
  const rows = slotMarks(ctx, slotId);
  const current = currentOf(rows);
  const corrections = new Map<string, number>();
  for (const r of rows) if (r.supersedes_id) corrections.set(r.enrolment_id, (corrections.get(r.enrolment_id) ?? 0) + 1);
  const trainers = stmt(ctx.raw, `SELECT t.id, t.last_name || ' ' || t.first_name AS name FROM slot_trainers st JOIN trainers t ON t.id = st.trainer_id WHERE st.slot_id = ? AND st.deleted_at IS NULL ORDER BY t.last_name`).all(slotId) as { id: string; name: string }[];
  const closure = closureOf(ctx, slotId);
  return {
    slot: {
      id: slot.id, sessionId: slot.session_id, sessionLabel: slot.session_label, actionTitle: slot.action_title, date: slot.date, halfDay: slot.half_day,
      start: slot.start_time, end: slot.end_time, minutes: slot.minutes, modality: slot.modality, placeName: slot.place_name, trainers,
    },
    closure: closure ? { id: closure.id, trainerId: closure.trainer_id, trainerName: closure.trainer_name, closedAt: closure.closed_at, method: closure.method } : null,
    rows: expectedEnrolments(ctx, slot).map((e) => {
      const m = current.get(e.id);
      return { enrolmentId: e.id, traineeId: e.trainee_id, traineeName: e.name, mark: m ? toMark(m, kindMap) : null, corrections: corrections.get(e.id) ?? 0 };
    }),
    kinds,
  };
}

function storeSignature(ctx: Ctx, signerKind: 'trainee' | 'trainer', signerId: string, sig: z.output<typeof markInput>['signature'] & SignatureInput, deviceId: string, at: string) {
  const png = Buffer.from(sig.pngBase64, 'base64');
  const strokes = JSON.stringify(sig.strokes);
  const row = {
    id: ctx.newId(), signer_kind: signerKind, signer_id: signerId, strokes, png: png.length ? png : null,
    sha256: sha256(Buffer.concat([Buffer.from(strokes), png])), device_id: deviceId, signed_at: at, created_at: at, created_by: ctx.user.id,
  };
  stmt(ctx.raw, 'INSERT INTO signatures (id, signer_kind, signer_id, strokes, png, sha256, device_id, signed_at, created_at, created_by) VALUES (@id, @signer_kind, @signer_id, @strokes, @png, @sha256, @device_id, @signed_at, @created_at, @created_by)').run(row);
  return row;
}

const FIELD_FR: Record<MarkField, string> = {
  kind: 'Statut', lateMinutes: 'Minutes de retard', earlyMinutes: 'Minutes de départ anticipé', remoteMinutes: 'Minutes de connexion',
  reason: 'Motif', documentId: 'Pièce jointe', method: 'Mode de recueil', signature: 'Signature', checkedBy: 'Vérifié par', proxyName: 'Signataire par procuration',
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
    case 'documentId.refused': return `${field} : ne s'applique ni ${status} ni au mode de recueil « ${METHOD_FR[m.method]} ».`;
    case 'signature.refused':
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
function checkMark(m: z.output<typeof markInput>, kind: AttendanceKind | undefined, slot: SlotInfo, index: number, keptSignature = false): number {
  const result = checkMarkRules(kind?.active ? kind.category : undefined, slot.minutes, {
    lateMinutes: m.lateMinutes, earlyMinutes: m.earlyMinutes, remoteMinutes: m.remoteMinutes, reason: m.reason, documentId: m.documentId,
    method: m.method, hasSignature: Boolean(m.signature) || keptSignature, proxyName: m.proxyName, checkedBy: m.checkedBy,
  });
  if (result.ok) return result.minutes;
  const issues = result.issues.map((issue) => ({ path: `marks.${index}.${issue.field}`, message: markIssueMessage(issue, m, kind, slot) }));
  throw new AppError('validation', issues[0]!.message, issues);
}

function assertDocument(ctx: Ctx, documentId: string | null, path: string) {
  if (documentId && !stmt(ctx.raw, 'SELECT 1 FROM documents WHERE id = ?').get(documentId)) {
    throw new AppError('not_found', 'Pièce jointe introuvable.', [{ path, message: 'Pièce inconnue.' }]);
  }
}

/**
 * Records a roll call (all marks of one screen) in one transaction, with signatures, into the ledger.
 * The same submission id twice records nothing the second time and returns the first result.
 */
export async function recordRollCall(ctx: Ctx, data: z.output<typeof recordRollCallInput>) {
  return inTransaction(ctx, async (tx) => {
    const done = stmt(tx.raw, 'SELECT result FROM rollcall_submissions WHERE id = ?').get(data.submissionId) as { result: string } | undefined;
    if (done) return { ...(JSON.parse(done.result) as { recorded: number; closure: { closureId: string; closedAt: string; marks: number } | null }), replayed: true };
    const slot = slotInfo(tx, data.slotId);
    if (slot.cancelled) throw new AppError('business', 'Ce créneau est annulé : aucune présence ne peut y être saisie.', [{ path: 'slotId', message: 'Créneau annulé.' }]);
    const closed = closureOf(tx, slot.id);
    if (closed) throw new AppError('business', `Ce créneau a été clos le ${closed.closed_at.slice(0, 10)} par ${closed.trainer_name} : utilisez une correction.`, [{ path: 'slotId', message: 'Créneau clos.' }]);
    const kinds = new Map((await listKinds(tx)).map((k) => [k.code, k]));
    const expectedRows = expectedEnrolments(tx, slot);
    const expected = new Set(expectedRows.map((e) => e.id));
    const current = currentOf(slotMarks(tx, slot.id));
    const seen = new Set<string>();
    const at = tx.now().toISOString();
    registerDevice(tx, data.deviceId, at);
    const evidence: { type: EvidenceType; row: Record<string, unknown> & { id: string } }[] = [];
    // Per mark written, its evidence hash when known here (signature) or the index of its ledger entry.
    const markEvidence: { id: string; sha?: string; entry?: number }[] = [];
    data.marks.forEach((m, i) => {
      if (!expected.has(m.enrolmentId)) throw new AppError('validation', "Ce stagiaire n'est pas attendu sur ce créneau (inscription hors dates, sortie ou autre session).", [{ path: `marks.${i}.enrolmentId`, message: 'Stagiaire non attendu.' }]);
      if (seen.has(m.enrolmentId)) throw new AppError('validation', 'Un même stagiaire figure deux fois dans la saisie.', [{ path: `marks.${i}.enrolmentId`, message: 'Doublon.' }]);
      seen.add(m.enrolmentId);
    });
    for (const [i, m] of data.marks.entries()) {
      const minutes = checkMark(m, kinds.get(m.kind), slot, i);
      assertDocument(tx, m.documentId, `marks.${i}.documentId`);
      let signatureId: string | null = null;
      let signatureSha: string | null = null;
      if (m.method === 'signature' && m.signature) {
        const sig = storeSignature(tx, 'trainee', m.enrolmentId, m.signature, data.deviceId, m.signedAt ?? at);
        signatureId = sig.id;
        signatureSha = sig.sha256;
        evidence.push({ type: 'signature', row: sig });
      }
      const previous = current.get(m.enrolmentId);
      const id = tx.newId();
      const row: MarkRow = {
        id, record_id: previous?.record_id ?? attendanceRecord(tx, slot.id, m.enrolmentId, at), slot_id: slot.id, enrolment_id: m.enrolmentId, kind: m.kind,
        late_minutes: m.lateMinutes, early_minutes: m.earlyMinutes, remote_minutes: m.remoteMinutes, minutes, reason: m.reason,
        document_id: m.documentId, method: m.method, signature_id: signatureId, proxy_name: m.proxyName, checked_by: m.checkedBy,
        device_id: data.deviceId, signed_at: m.method === 'none' ? null : (m.signedAt ?? at), supersedes_id: previous?.id ?? null,
        correction_reason: previous ? 'Saisie modifiée avant clôture' : null, submission_id: data.submissionId, created_at: at, created_by: tx.user.id,
      };
      stmt(tx.raw, INSERT_MARK).run(row);
      if (signatureSha) markEvidence.push({ id, sha: signatureSha });
      else if (!row.document_id) markEvidence.push({ id, entry: evidence.length });
      evidence.push({ type: 'attendance_mark', row });
      current.set(m.enrolmentId, row);
    }
    const contents = ledgerWriter(tx.raw).append(evidence, at);
    const closure = data.close
      ? await closeIn(tx, slot, { ...data.close, slotId: slot.id, deviceId: data.deviceId }, current, {
          expected: expectedRows,
          kinds,
          evidenceShas: new Map(markEvidence.map((e) => [e.id, e.sha ?? contents[e.entry!]!])),
        })
      : null;
    const result = { recorded: data.marks.length, closure };
    stmt(tx.raw, 'INSERT INTO rollcall_submissions (id, slot_id, result, created_at, created_by) VALUES (?, ?, ?, ?, ?)').run(data.submissionId, slot.id, JSON.stringify(result), at, tx.user.id);
    return { ...result, replayed: false };
  });
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

function evidenceSha(ctx: Ctx, m: MarkRow): string {
  if (m.signature_id) return (stmt(ctx.raw, 'SELECT sha256 FROM signatures WHERE id = ?').get(m.signature_id) as { sha256: string }).sha256;
  if (m.document_id) return (stmt(ctx.raw, 'SELECT sha256 FROM documents WHERE id = ?').get(m.document_id) as { sha256: string }).sha256;
  return (stmt(ctx.raw, "SELECT content_hash FROM ledger WHERE record_type = 'attendance_mark' AND record_id = ?").get(m.id) as { content_hash: string }).content_hash;
}

/**
 * The trainer countersigns and closes the slot: every expected trainee must have a mark. From then on
 * marks change only by correction. Each mark is queued for the funders in the same transaction.
 */
export async function closeSlot(ctx: Ctx, data: z.output<typeof closeSlotInput>) {
  return inTransaction(ctx, async (tx) => closeIn(tx, slotInfo(tx, data.slotId), data));
}

/**
 * The closing itself, inside the caller's transaction. A roll call closed on the spot passes the marks
 * it just wrote (`current`) and what it already read or computed in the same transaction (`known`: the
 * expected enrolments, the status set, the evidence hash of each mark it wrote), which spares reading
 * them back.
 */
async function closeIn(
  tx: Ctx,
  slot: SlotInfo,
  data: z.output<typeof closeSlotInput>,
  current = currentOf(slotMarks(tx, slot.id)),
  known: { expected?: ReturnType<typeof expectedEnrolments>; kinds?: Map<string, AttendanceKind>; evidenceShas?: ReadonlyMap<string, string> } = {},
) {
  {
    const closure = closureOf(tx, slot.id);
    if (closure) throw new AppError('conflict', `Ce créneau a déjà été clos le ${closure.closed_at.slice(0, 10)} à ${closure.closed_at.slice(11, 16)} (UTC) par ${closure.trainer_name}.`, [{ path: 'slotId', message: 'Créneau déjà clos.' }]);
    const trainer = stmt(tx.raw, 'SELECT id FROM trainers WHERE id = ?').get(data.trainerId);
    if (!trainer) throw new AppError('not_found', 'Formateur introuvable.', [{ path: 'trainerId', message: 'Formateur inconnu.' }]);
    const assigned = stmt(tx.raw, 'SELECT trainer_id FROM slot_trainers WHERE slot_id = ? AND deleted_at IS NULL').all(slot.id) as { trainer_id: string }[];
    if (assigned.length > 0 && !assigned.some((a) => a.trainer_id === data.trainerId)) {
      throw new AppError('business', "Ce formateur n'est pas affecté à ce créneau : seul un formateur du créneau peut le clore.", [{ path: 'trainerId', message: 'Formateur non affecté.' }]);
    }
    const missing = (known.expected ?? expectedEnrolments(tx, slot)).filter((e) => !current.has(e.id));
    if (missing.length > 0) {
      throw new AppError('business', `Émargement incomplet : ${missing.length} stagiaire(s) sans statut (${missing.slice(0, 5).map((m) => m.name).join(', ')}).`, [{ path: 'slotId', message: 'Statuts manquants.' }]);
    }
    const at = tx.now().toISOString();
    registerDevice(tx, data.deviceId, at);
    const evidence: { type: EvidenceType; row: Record<string, unknown> & { id: string } }[] = [];
    let signatureId: string | null = null;
    if (data.signature) {
      const sig = storeSignature(tx, 'trainer', data.trainerId, data.signature, data.deviceId, at);
      signatureId = sig.id;
      evidence.push({ type: 'signature', row: sig });
    }
    const row = { id: tx.newId(), slot_id: slot.id, trainer_id: data.trainerId, signature_id: signatureId, method: data.method, closed_at: at, created_at: at, created_by: tx.user.id };
    stmt(tx.raw, 'INSERT INTO slot_closures (id, slot_id, trainer_id, signature_id, method, closed_at, created_at, created_by) VALUES (@id, @slot_id, @trainer_id, @signature_id, @method, @closed_at, @created_at, @created_by)').run(row);
    evidence.push({ type: 'slot_closure', row });
    ledgerWriter(tx.raw).append(evidence, at);
    const kinds = known.kinds ?? new Map((await listKinds(tx)).map((k) => [k.code, k]));
    for (const m of current.values()) {
      await enqueue(tx, 'attendance', m.record_id, attendancePayload(slot, m, kinds.get(m.kind)!.category, at, known.evidenceShas?.get(m.id) ?? evidenceSha(tx, m)));
    }
    return { closureId: row.id, closedAt: at, marks: current.size };
  }
}

/**
 * Corrects a mark: a new mark supersedes it, with author, time and reason; the old one stays. After
 * closing, the correction is queued as the record's next version.
 */
export async function correctMark(ctx: Ctx, data: z.output<typeof correctMarkInput>): Promise<Mark> {
  return inTransaction(ctx, async (tx) => {
    const old = stmt(tx.raw, `SELECT ${MARK_COLUMNS} FROM attendance_marks WHERE id = ?`).get(data.markId) as MarkRow | undefined;
    if (!old) throw new AppError('not_found', 'Saisie introuvable.', [{ path: 'markId', message: 'Saisie inconnue.' }]);
    if (stmt(tx.raw, 'SELECT 1 FROM attendance_marks WHERE supersedes_id = ?').get(old.id)) {
      throw new AppError('conflict', 'Cette saisie a déjà été corrigée : corrigez sa dernière version.', [{ path: 'markId', message: 'Saisie déjà remplacée.' }]);
    }
    const slot = slotInfo(tx, old.slot_id);
    const kinds = new Map((await listKinds(tx)).map((k) => [k.code, k]));
    const input = { ...data, enrolmentId: old.enrolment_id };
    const minutes = checkMark(input, kinds.get(data.kind), slot, 0, data.method === 'signature' && old.method === 'signature' && old.signature_id !== null);
    assertDocument(tx, data.documentId, 'documentId');
    const at = tx.now().toISOString();
    registerDevice(tx, data.deviceId, at);
    const evidence: { type: EvidenceType; row: Record<string, unknown> & { id: string } }[] = [];
    let signatureId: string | null = null;
    if (data.method === 'signature' && data.signature) {
      const sig = storeSignature(tx, 'trainee', old.enrolment_id, data.signature, data.deviceId, data.signedAt ?? at);
      signatureId = sig.id;
      evidence.push({ type: 'signature', row: sig });
    } else if (data.method === old.method && old.signature_id) {
      signatureId = old.signature_id; // the status changes, the original signature still stands
    }
    if (data.method === 'signature' && !signatureId) throw new AppError('validation', 'La signature est vide.', [{ path: 'signature', message: 'Signature manquante.' }]);
    const row: MarkRow = {
      id: tx.newId(), record_id: old.record_id, slot_id: old.slot_id, enrolment_id: old.enrolment_id, kind: data.kind,
      late_minutes: data.lateMinutes, early_minutes: data.earlyMinutes, remote_minutes: data.remoteMinutes, minutes, reason: data.reason,
      document_id: data.documentId, method: data.method, signature_id: signatureId, proxy_name: data.proxyName, checked_by: data.checkedBy,
      device_id: data.deviceId, signed_at: data.method === 'none' ? null : (data.signedAt ?? old.signed_at ?? at), supersedes_id: old.id,
      correction_reason: data.correctionReason, submission_id: null, created_at: at, created_by: tx.user.id,
    };
    stmt(tx.raw, INSERT_MARK).run(row);
    evidence.push({ type: 'attendance_mark', row });
    ledgerWriter(tx.raw).append(evidence, at);
    const closure = closureOf(tx, slot.id);
    if (closure) await enqueue(tx, 'attendance', row.record_id, attendancePayload(slot, row, kinds.get(row.kind)!.category, closure.closed_at, evidenceSha(tx, row)));
    return toMark(row, kinds);
  });
}

/** The whole chain of marks of one trainee on one slot, oldest first: the visible history. */
export async function markHistory(ctx: Ctx, slotId: string, enrolmentId: string): Promise<Mark[]> {
  const kinds = new Map((await listKinds(ctx)).map((k) => [k.code, k]));
  const rows = stmt(ctx.raw, `SELECT ${MARK_COLUMNS} FROM attendance_marks WHERE slot_id = ? AND enrolment_id = ? ORDER BY created_at, id`).all(slotId, enrolmentId) as MarkRow[];
  return rows.map((r) => toMark(r, kinds));
}

/** Stores an attached piece (absence justification, scan of a paper sheet): immutable, hashed, in the ledger. */
export async function uploadDocument(ctx: Ctx, data: z.output<typeof uploadDocumentInput>) {
  return inTransaction(ctx, async (tx) => {
    const bytes = Buffer.from(data.base64, 'base64');
    if (bytes.length === 0) throw new AppError('validation', 'Pièce vide.', [{ path: 'base64', message: 'Pièce vide.' }]);
    const at = tx.now().toISOString();
    const row = { id: tx.newId(), name: data.name, mime: data.mime, bytes, sha256: sha256(bytes), created_at: at, created_by: tx.user.id };
    stmt(tx.raw, 'INSERT INTO documents (id, name, mime, bytes, sha256, created_at, created_by) VALUES (@id, @name, @mime, @bytes, @sha256, @created_at, @created_by)').run(row);
    ledgerWriter(tx.raw).append([{ type: 'document', row }], at);
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
    .orderBy('s.startTime')
    .orderBy('x.label')
    .execute();
  return rows.map((r) => ({ ...r, closed: r.closed === 1 }));
}
