import { z } from 'zod';
import { ATTENDANCE_CATEGORIES } from '../domain/categories';
import { CAPTURE_METHODS, type CaptureMethod } from '../domain/marks';
import { id, instant, recordId, isoDate, minutes, optionalText, requiredText } from './common';
import { pin } from './pins';

export { CAPTURE_METHODS, type CaptureMethod };

/** A signature drawn on the screen: strokes as vectors [[x, y, t], …] and the rendered PNG (base64). */
export const signatureInput = z.object({
  strokes: z
    .array(z.array(z.tuple([z.number(), z.number(), z.number()])).min(1).max(5000))
    .min(1, { error: 'La signature est vide.' })
    .max(200, { error: 'Signature trop complexe.' }),
  pngBase64: z.string().max(2_000_000, { error: 'Image de signature trop lourde.' }).regex(/^[A-Za-z0-9+/=]*$/, { error: 'Image de signature invalide.' }),
});
export type SignatureInput = z.input<typeof signatureInput>;

/*
 * No input names the device: the backend writes its own device id on every evidence row
 * (electron/backend/evidence/devices.ts), and a `deviceId` still sent is dropped by validation.
 */

export const markInput = z.object({
  enrolmentId: id,
  kind: requiredText(40),
  lateMinutes: minutes.default(0),
  earlyMinutes: minutes.default(0),
  remoteMinutes: minutes.nullish().transform((v) => v ?? null),
  reason: optionalText(300),
  documentId: id.nullish().transform((v) => v ?? null),
  method: z.enum(CAPTURE_METHODS, { error: 'Mode de recueil : signature, PIN, QR code, feuille papier, procuration ou aucun.' }),
  signature: signatureInput.optional(),
  proxyName: optionalText(120),
  /** Second person who checked a paper sheet entered by hand. */
  checkedBy: optionalText(120),
  /**
   * When the screen captured the signature, on its own clock: kept beside the backend's time as the device's
   * reading (`device_signed_at`), never as the signature's time (the backend's clock is).
   */
  signedAt: instant.optional(),
  /** Method `pin`: the PIN the trainee typed (write-only: checked by the backend, never stored nor returned). */
  pin: pin.optional(),
  /** Method `qr`: the scan of the slot's code the backend recorded at capture (`attendance.scanQr`). */
  qrScanId: id.optional(),
});
export type MarkInput = z.input<typeof markInput>;

/** The trainer's countersignature, which closes the slot. */
export const countersignature = z
  .object({
    trainerId: id,
    method: z.enum(['signature', 'pin', 'paper']),
    signature: signatureInput.optional(),
    /** When the screen took the countersignature, on its own clock: kept as the device's reading. */
    closedAt: instant.optional(),
    /** Method `pin`: the trainer's PIN (write-only). */
    pin: pin.optional(),
  })
  .refine((c) => c.method !== 'signature' || c.signature, { path: ['signature'], error: 'La signature du formateur est obligatoire pour clore le créneau.' })
  .refine((c) => c.method !== 'pin' || c.pin, { path: ['pin'], error: 'PIN du formateur : saisissez-le pour clore le créneau.' });

export const recordRollCallInput = z.object({
  slotId: id,
  /** Made by the client once per roll-call screen: a double submission records nothing twice. */
  submissionId: id,
  marks: z.array(markInput).min(1, { error: 'Aucune présence à enregistrer.' }).max(500),
  /** When the trainer countersigns on the spot: record and close in one transaction. */
  close: countersignature.optional(),
});
export type RecordRollCallInput = z.input<typeof recordRollCallInput>;

export const closeSlotInput = z
  .object({
    slotId: id,
    trainerId: id,
    method: z.enum(['signature', 'pin', 'paper']),
    signature: signatureInput.optional(),
    /** When the screen took the countersignature, on its own clock: kept as the device's reading. */
    closedAt: instant.optional(),
    /** Method `pin`: the trainer's PIN (write-only). */
    pin: pin.optional(),
  })
  .refine((c) => c.method !== 'signature' || c.signature, { path: ['signature'], error: 'La signature du formateur est obligatoire pour clore le créneau.' })
  .refine((c) => c.method !== 'pin' || c.pin, { path: ['pin'], error: 'PIN du formateur : saisissez-le pour clore le créneau.' });

export const recordResult = z.object({
  recorded: z.number().int(),
  replayed: z.boolean(),
  closure: z.object({ closureId: id, closedAt: z.string(), marks: z.number().int() }).nullable(),
});
export type CloseSlotInput = z.input<typeof closeSlotInput>;

export const correctMarkInput = markInput.omit({ enrolmentId: true }).extend({
  markId: id,
  correctionReason: requiredText(300),
});
export type CorrectMarkInput = z.input<typeof correctMarkInput>;

export const attendanceKind = z.object({
  code: z.string(),
  label: z.string(),
  category: z.enum(ATTENDANCE_CATEGORIES),
  active: z.boolean(),
  sort: z.number().int(),
});
export type AttendanceKind = z.infer<typeof attendanceKind>;

export const attendanceKindInput = z.object({
  code: z.string().regex(/^[a-z0-9-]{2,40}$/, { error: 'Code : lettres minuscules, chiffres et tirets.' }),
  label: requiredText(60),
  category: z.enum(ATTENDANCE_CATEGORIES, { error: 'Catégorie inconnue.' }),
  active: z.boolean().default(true),
  sort: z.number().int().default(50),
});

export const mark = z.object({
  id,
  recordId,
  slotId: id,
  enrolmentId: id,
  kind: z.string(),
  category: z.enum(ATTENDANCE_CATEGORIES),
  lateMinutes: z.number().int(),
  earlyMinutes: z.number().int(),
  remoteMinutes: z.number().int().nullable(),
  minutes: z.number().int(),
  reason: z.string().nullable(),
  documentId: z.string().nullable(),
  method: z.enum(CAPTURE_METHODS),
  signatureId: z.string().nullable(),
  proxyName: z.string().nullable(),
  checkedBy: z.string().nullable(),
  deviceId: z.string(),
  /** The backend's time of the capture. */
  signedAt: z.string().nullable(),
  /** The capturing screen's own reading of that time, as sent (null: none sent). */
  deviceSignedAt: z.string().nullable(),
  supersedesId: z.string().nullable(),
  correctionReason: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Mark = z.infer<typeof mark>;

/** A mark in its history: with the name of the account that wrote it and the label of the device, as people read them. */
export const markVersion = mark.extend({ authorName: z.string(), deviceLabel: z.string().nullable() });
export type MarkVersion = z.infer<typeof markVersion>;

export const rollCall = z.object({
  slot: z.object({
    id,
    sessionId: id,
    sessionLabel: z.string(),
    actionTitle: z.string(),
    date: isoDate,
    halfDay: z.enum(['am', 'pm']),
    start: z.string(),
    end: z.string(),
    minutes: z.number().int(),
    modality: z.string(),
    placeName: z.string().nullable(),
    /** `hasPin`: the trainer has a PIN, so may countersign by PIN. */
    trainers: z.array(z.object({ id, name: z.string(), hasPin: z.boolean() })),
  }),
  closure: z.object({ id, trainerId: id, trainerName: z.string(), closedAt: z.string(), deviceClosedAt: z.string().nullable(), method: z.string() }).nullable(),
  rows: z.array(
    z.object({
      enrolmentId: id,
      traineeId: id,
      traineeName: z.string(),
      /** The trainee has a PIN: the PIN method is offered for this row. */
      hasPin: z.boolean(),
      mark: mark.nullable(),
      corrections: z.number().int(),
    }),
  ),
  kinds: z.array(attendanceKind),
});
export type RollCall = z.infer<typeof rollCall>;

export const todaySlots = z.array(
  z.object({ id, sessionId: id, sessionLabel: z.string(), actionTitle: z.string(), date: isoDate, halfDay: z.enum(['am', 'pm']), start: z.string(), end: z.string(), placeName: z.string().nullable(), closed: z.boolean(), marked: z.number().int(), expected: z.number().int() }),
);

export const uploadDocumentInput = z.object({
  name: requiredText(200),
  mime: z.enum(['application/pdf', 'image/png', 'image/jpeg'], { error: 'Type de pièce : PDF, PNG ou JPEG.' }),
  base64: z.string().min(1, { error: 'Pièce vide.' }).max(14_000_000, { error: 'Pièce trop lourde (10 Mo au plus).' }),
});
