import { z } from 'zod';
import { signatureInput } from './attendance';
import { id, instant } from './common';

/**
 * A roll-call row in progress, as the screen holds it (strings as typed): kept by the backend as a draft
 * (`attendance.saveDraft`) so a reload or a crash loses nothing, and given back when the roll call opens
 * again (`attendance.drafts`). A draft is not evidence: the marks are checked and written to the ledger
 * only by « Enregistrer l'émargement » (`attendance.record`), which consumes the drafts it records.
 */
const piece = z.object({ id, name: z.string().max(300) }).nullable();

export const rowDraft = z.object({
  kind: z.string().max(40),
  lateMinutes: z.string().max(12),
  earlyMinutes: z.string().max(12),
  remoteMinutes: z.string().max(12),
  reason: z.string().max(300),
  document: piece,
  method: z.enum(['signature', 'pin', 'qr', 'paper', 'proxy']),
  signature: signatureInput.nullable(),
  signedAt: instant.nullable(),
  scan: piece,
  checkedBy: z.string().max(120),
  proxyName: z.string().max(120),
  /** Method qr: the scan the backend recorded (`attendance.scanQr`). Never a PIN: a draft does not keep one. */
  qrScan: z.object({ id, scannedAt: z.string() }).nullable().default(null),
});
export type RowDraft = z.output<typeof rowDraft>;

/** Keeps (or, with `draft: null`, drops) the draft of one trainee's row on an open slot. */
export const saveDraftInput = z.object({
  slotId: id,
  enrolmentId: id,
  draft: rowDraft.nullable(),
});

export const savedDraft = z.object({ enrolmentId: id, draft: rowDraft, updatedAt: z.string() });
