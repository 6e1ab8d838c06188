import { z } from 'zod';
import { id, isoDate } from '../schemas/common';
import { mutation, query } from './define';

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

/** Documents printed from the evidence, and their verification by the short hash of their QR code. */
export const documentsContract = {
  'documents.attendanceSheet': mutation('attendance.read', weekSheetInput, printedDocument),
  'documents.blankSheet': mutation('attendance.read', weekSheetInput, printedDocument),
  'documents.monthlyStatement': mutation('attendance.read', monthlyStatementInput, printedDocument),
  'documents.verify': query('attendance.read', z.object({ shortHash: z.string().trim().min(1).max(40) }), documentCheck),
} as const;
