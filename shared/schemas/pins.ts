import { z } from 'zod';
import { pinProblem } from '../domain/capture-proof';
import { id } from './common';

/**
 * A PIN as typed (4 to 6 digits, shared/domain/capture-proof.ts): write-only. No output of any method
 * carries a PIN; the backend keeps only its scrypt hash.
 */
export const pin = z.string().superRefine((v, c) => {
  const problem = pinProblem(v);
  if (problem === 'empty') c.addIssue({ code: 'custom', message: 'PIN : saisissez le code.' });
  else if (problem !== 'ok') c.addIssue({ code: 'custom', message: 'PIN : 4 à 6 chiffres.' });
});

export const personKind = z.enum(['trainee', 'trainer']);

export const pinPerson = z.object({ personKind, personId: id });
export const setPinInput = pinPerson.extend({ pin });

/** Whether a person has a PIN, since when, set by whom; `lockedUntil` while wrong PINs lock it. */
export const pinStatus = z.object({
  set: z.boolean(),
  setAt: z.string().nullable(),
  setBy: z.string().nullable(),
  lockedUntil: z.string().nullable(),
});
export type PinStatus = z.infer<typeof pinStatus>;

/** A slot's QR code as issued: the code in clear only in this answer, to be shown by the trainer. */
export const issuedQrCode = z.object({ codeId: id, code: z.string(), issuedAt: z.string(), expiresAt: z.string() });
export type IssuedQrCode = z.infer<typeof issuedQrCode>;

export const scanQrInput = z.object({
  slotId: id,
  enrolmentId: id,
  code: z.string().max(40, { error: 'Code QR : 6 caractères.' }),
});

/** The scan the backend recorded: the mark captured by QR code cites its id. */
export const qrScan = z.object({ scanId: id, scannedAt: z.string() });
export type QrScan = z.infer<typeof qrScan>;
