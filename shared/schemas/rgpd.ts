import { z } from 'zod';
import { id, instant, isoDate, requiredText } from './common';

/**
 * A trainee's rights under the RGPD (issue #12): access (art. 15, a copy of everything in JSON with a readable PDF)
 * and erasure (art. 17), limited by what the funders oblige to keep (art. 17.3.b, shared/domain/retention.ts).
 */

export const traineeRef = z.object({ traineeId: id }).strict();

/** A file handed to the user: its name, type and bytes in base64. */
export const rgpdFile = z.object({ fileName: z.string(), mime: z.string(), base64: z.string() });

/** The right of access: the whole record as JSON (with a French « à lire » part) and its signed PDF summary. */
export const rgpdExport = z.object({ json: rgpdFile, pdf: rgpdFile });
export type RgpdExport = z.infer<typeof rgpdExport>;

export const eraseInput = z.object({
  traineeId: id,
  /** Why and on what request: « Demande écrite du 12/11/2026 ». */
  reason: requiredText(500),
}).strict();

export const retentionItemView = z.object({
  kind: z.enum(['certificate', 'supporting']),
  enrolmentId: id,
  until: isoDate,
  from: isoDate,
  basis: z.enum(['end-of-action', 'last-payment']),
  years: z.number().int(),
  provisional: z.boolean(),
  reason: z.string(),
});

/** An erasure recorded for the trainee: when, by whom, why, and when the rest is (or was) anonymised. */
export const erasureStatus = z.object({
  number: z.number().int(),
  reason: z.string(),
  requestedAt: instant,
  requestedBy: z.string(),
  purgeFrom: isoDate,
  purgedAt: instant.nullable(),
});
export type ErasureStatus = z.infer<typeof erasureStatus>;

/**
 * What an erasure does to a trainee on the day asked: what goes now (`present`: there is some to erase), what stays
 * and through which date and why, when the rest is anonymised, and what blocks it. `erasure`: one already recorded.
 */
export const erasurePreview = z.object({
  traineeId: id,
  name: z.string(),
  erasure: erasureStatus.nullable(),
  blockers: z.array(z.object({ enrolmentId: id, message: z.string() })),
  now: z.array(z.object({ key: z.string(), label: z.string(), present: z.boolean() })),
  kept: z.array(z.object({ key: z.string(), label: z.string() })),
  items: z.array(retentionItemView),
  /** Identity and evidence kept through this day; null: nothing is, the erasure anonymises at once. */
  keepUntil: isoDate.nullable(),
  /** The day the purge anonymises what remains. */
  purgeFrom: isoDate,
  /** What the erasure cannot reach, said plainly (backups already taken, files handed out). */
  notes: z.array(z.string()),
});
export type ErasurePreview = z.infer<typeof erasurePreview>;

export const purgeResult = z.object({
  /** The trainees anonymised by this run, by the name they keep. */
  purged: z.array(z.object({ traineeId: id, name: z.string() })),
  /** Erasures whose retention is not over yet. */
  waiting: z.number().int(),
});
export type PurgeResult = z.infer<typeof purgeResult>;
