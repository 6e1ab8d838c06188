import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { isQrCodeShape, normaliseQrCode, QR_CODE_ALPHABET, QR_CODE_LENGTH, QR_CODE_VALIDITY_MINUTES, qrCodeValid } from '../../../shared/domain/capture-proof';
import { AppError } from '../../../shared/errors';
import type { IssuedQrCode, QrScan, scanQrInput } from '../../../shared/schemas/pins';
import { inTransaction, type Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import type { SqlRow } from '../db/schema';
import { sha256 } from '../evidence/hash';
import { writeEvidenceIn } from '../evidence/writer';
import { EXPECTED_ENROLMENTS_SQL } from './attendance';

/*
 * QR capture (migrations/0011_pin_qr.ts, rules in shared/domain/capture-proof.ts): the backend issues a
 * short-lived code per slot, which the trainer shows; a trainee's device submits it at capture time and the
 * backend, by its own clock, records the scan (evidence). The mark recorded later cites the scan, so an
 * honest scan stays good after the code expired, while a code presented after its expiry, or from another
 * slot, never becomes a scan.
 */

const codeHash = (code: string) => sha256(`sillon-qr|${code}`);

function openSlot(raw: Raw, slotId: string, path = 'slotId'): void {
  const slot = raw.get<{ cancelled: number }>('SELECT cancelled FROM slots WHERE id = ?', slotId);
  if (!slot) throw new AppError('not_found', 'Créneau introuvable.', [{ path, message: 'Créneau inconnu.' }]);
  if (slot.cancelled) throw new AppError('business', 'Ce créneau est annulé : aucune présence ne peut y être saisie.', [{ path, message: 'Créneau annulé.' }]);
  if (raw.get('SELECT 1 FROM slot_closures WHERE slot_id = ?', slotId)) {
    throw new AppError('business', 'Ce créneau est clos : plus aucun code QR ne peut y être présenté.', [{ path, message: 'Créneau clos.' }]);
  }
}

/** Issues a new code for an open slot, valid {@link QR_CODE_VALIDITY_MINUTES} minutes by the backend's clock. */
export async function issueQrCode(ctx: Ctx, slotId: string): Promise<IssuedQrCode> {
  return withRaw(ctx.db, (raw) => {
    openSlot(raw, slotId);
    const code = Array.from({ length: QR_CODE_LENGTH }, () => QR_CODE_ALPHABET[randomInt(QR_CODE_ALPHABET.length)]).join('');
    const now = ctx.now();
    const issuedAt = now.toISOString();
    const expiresAt = new Date(now.getTime() + QR_CODE_VALIDITY_MINUTES * 60_000).toISOString();
    const codeId = ctx.newId();
    raw.run('INSERT INTO qr_codes (id, slot_id, code_hash, issued_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?, ?)', codeId, slotId, codeHash(code), issuedAt, expiresAt, ctx.user.id);
    return { codeId, code, issuedAt, expiresAt };
  });
}

/**
 * A trainee presents the slot's code (typed under the QR, or scanned): checked by the backend's clock
 * against the codes issued for this slot, then recorded as a scan (evidence) the trainee's mark will cite.
 */
export async function scanQrCode(ctx: Ctx, data: z.output<typeof scanQrInput>): Promise<QrScan> {
  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    openSlot(raw, data.slotId);
    const trainee = raw.all<{ id: string; name: string }>(EXPECTED_ENROLMENTS_SQL, data.slotId).find((e) => e.id === data.enrolmentId);
    if (!trainee) throw new AppError('validation', "Ce stagiaire n'est pas attendu sur ce créneau (inscription hors dates, sortie ou autre session).", [{ path: 'enrolmentId', message: 'Stagiaire non attendu.' }]);
    const code = normaliseQrCode(data.code);
    const refuse = (message: string): never => {
      throw new AppError('validation', message, [{ path: 'code', message }]);
    };
    if (!isQrCodeShape(code)) refuse(`Code QR de ${trainee.name} : ${QR_CODE_LENGTH} caractères, lettres et chiffres, tels qu'affichés sous le QR code.`);
    const issued = raw.all<Pick<SqlRow<'qr_codes'>, 'id' | 'slot_id' | 'issued_at' | 'expires_at'>>('SELECT id, slot_id, issued_at, expires_at FROM qr_codes WHERE code_hash = ?', codeHash(code));
    const ofSlot = issued.filter((c) => c.slot_id === data.slotId);
    if (ofSlot.length === 0) {
      refuse(issued.length > 0
        ? `Code QR de ${trainee.name} : ce code est celui d'un autre créneau.`
        : `Code QR de ${trainee.name} : code inconnu. Vérifiez-le sous le QR code affiché par le formateur.`);
    }
    const at = tx.now();
    const valid = ofSlot.find((c) => qrCodeValid(Date.parse(c.issued_at), Date.parse(c.expires_at), at.getTime()));
    if (!valid) refuse(`Code QR de ${trainee.name} : ce code a expiré. Demandez au formateur d'en afficher un nouveau.`);
    const scannedAt = at.toISOString();
    const row: SqlRow<'qr_scans'> = {
      id: tx.newId(), slot_id: data.slotId, enrolment_id: data.enrolmentId, code_id: valid!.id, scanned_at: scannedAt, created_at: scannedAt, created_by: tx.user.id,
    };
    writeEvidenceIn(raw, [{ type: 'qr_scan', row }], { at: scannedAt });
    return { scanId: row.id, scannedAt };
  }));
}

/**
 * The scan a mark captured by QR code cites, checked at record time: it exists, it is of this slot and of
 * this trainee (a scan never serves another trainee). Its code's expiry is not checked again: the scan was
 * made while the code was valid, the roll call may be recorded later.
 */
export function scanFor(raw: Raw, scanId: string, slotId: string, enrolmentId: string, path: string): SqlRow<'qr_scans'> {
  const scan = raw.get<SqlRow<'qr_scans'>>('SELECT * FROM qr_scans WHERE id = ?', scanId);
  const refuse = (message: string): never => {
    throw new AppError('validation', message, [{ path, message }]);
  };
  if (!scan) return refuse('QR code : scan inconnu. Faites saisir le code affiché à nouveau.');
  if (scan.slot_id !== slotId) refuse("QR code : ce scan a été fait pour un autre créneau.");
  if (scan.enrolment_id !== enrolmentId) refuse("QR code : ce scan est celui d'un autre stagiaire.");
  return scan;
}

/** The scan a recorded mark cites, if it was captured by QR code. */
export function scanOfMark(raw: Raw, markId: string): string | undefined {
  return raw.get<{ scan_id: string }>('SELECT scan_id FROM mark_qr_scans WHERE mark_id = ?', markId)?.scan_id;
}
