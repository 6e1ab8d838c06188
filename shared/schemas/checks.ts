import { z } from 'zod';
import { id, isoDate } from './common';

export const CHECK_CODES = [
  'signed-on-holiday',
  'signed-outside-window',
  'trainer-double-booked',
  'minutes-above-planned',
  'slot-not-countersigned',
  'slot-without-sheet',
  'signed-outside-enrolment',
] as const;

/** A period read from `from` to `to` (both optional); a reversed one is refused on the `to` field, never read as empty. */
export const checksInput = z
  .object({ sessionId: id.optional(), from: isoDate.optional(), to: isoDate.optional() })
  .refine((q) => !q.from || !q.to || q.to >= q.from, { path: ['to'], error: 'La date de fin de la période précède sa date de début.' });

/** One coherence finding, with the record to fix. */
export const finding = z.object({
  code: z.enum(CHECK_CODES),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  date: isoDate.nullable(),
  link: z.object({ kind: z.enum(['slot', 'mark', 'enrolment']), id, sessionId: id, slotId: id.nullable() }),
});
export type Finding = z.infer<typeof finding>;
