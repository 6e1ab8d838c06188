import { z } from 'zod';
import { id, isoDate } from '../schemas/common';
import { mutation, none, query } from './define';

/** Printed documents (émargement sheets, monthly statement): the PDF and the short hash on its QR code. */
const printedDocument = z.object({ fileName: z.string(), base64: z.string(), shortHash: z.string().regex(/^[0-9a-f]{12}$/), printId: z.string() });
const weekSheetInput = z.object({ sessionId: id, weekStart: isoDate });
const monthlyStatementInput = z.object({
  enrolmentId: id,
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'Mois invalide : format AAAA-MM attendu (ex. 2026-11).' }),
});
export const documentCheck = z.object({
  ok: z.boolean(),
  status: z.enum(['unchanged', 'changed', 'unknown', 'tampered', 'invalid']),
  message: z.string(),
  shortHash: z.string(),
  kind: z.string().nullable(),
  issuedAt: z.string().nullable(),
  changes: z.array(z.string()),
});

/** The « Vérifier un document » screen: a PDF (base64) or the code under its QR code, one of the two. */
export const documentCheckInput = z
  .object({
    pdfBase64: z.string().max(40_000_000, { error: 'PDF trop lourd (30 Mo au plus).' }).regex(/^[A-Za-z0-9+/=]*$/, { error: 'PDF illisible.' }).optional(),
    code: z.string().trim().max(120, { error: 'Code trop long.' }).optional(),
  })
  .refine((v) => !!v.pdfBase64 !== !!v.code, { error: 'Choisissez un PDF ou saisissez le code imprimé sous le QR code.', path: ['code'] });
export const documentVerdict = z.object({
  verdict: z.enum(['authentic', 'changed', 'unknown']),
  summary: z.string(),
  reasons: z.array(z.object({ ok: z.boolean(), text: z.string() })),
  printId: z.string().nullable(),
  shortHash: z.string().nullable(),
  kind: z.string().nullable(),
  issuedAt: z.string().nullable(),
  signer: z.string().nullable(),
});

/** The certificate that signs the organisation's documents, as the organisation page shows it. */
export const signingCertificate = z.object({
  id: z.string(),
  source: z.enum(['self-signed', 'imported']),
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint: z.string(),
  createdAt: z.string(),
});
export const certificateImportInput = z.object({
  p12Base64: z.string().min(1, { error: 'Choisissez le fichier du certificat (.p12 ou .pfx).' }).max(1_400_000, { error: 'Fichier de certificat trop lourd (1 Mo au plus).' }).regex(/^[A-Za-z0-9+/=]*$/, { error: 'Fichier de certificat illisible.' }),
  password: z.string().max(200, { error: 'Mot de passe trop long.' }),
});

/** Documents printed from the evidence, and their verification by the short hash of their QR code. */
export const documentsContract = {
  'documents.attendanceSheet': mutation('attendance.read', weekSheetInput, printedDocument),
  'documents.blankSheet': mutation('attendance.read', weekSheetInput, printedDocument),
  'documents.monthlyStatement': mutation('attendance.read', monthlyStatementInput, printedDocument),
  'documents.verify': query('attendance.read', z.object({ shortHash: z.string().trim().min(1).max(80) }), documentCheck),
  /** The verification screen: authentic / changed / unknown, and why. */
  'documents.check': query('attendance.read', documentCheckInput, documentVerdict),
  /** The certificate that signs now (made on the first print when none: null until then). */
  'documents.certificate': query('organisation.read', none, signingCertificate.nullable()),
  /** Makes the organisation's self-signed certificate now if none yet (the organisation page's button). */
  'documents.ensureCertificate': mutation('organisation.write', none, signingCertificate),
  /** Imports a certificate from a trust provider (.p12/.pfx + password): it signs every later print. */
  'documents.importCertificate': mutation('organisation.write', certificateImportInput, signingCertificate),
} as const;
