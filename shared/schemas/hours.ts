import { z } from 'zod';
import { id, isoDate } from './common';

export const hoursQueryInput = z.object({
  sessionId: id.optional(),
  enrolmentId: id.optional(),
  /** AFEST times of one AFEST only (marks are not filtered by it). */
  afestId: id.optional(),
  traineeId: id.optional(),
  funderCode: z.string().max(40).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  groupBy: z.array(z.enum(['trainee', 'enrolment', 'funder', 'month', 'modality'])).max(5).default(['enrolment']),
}).refine((q) => !q.from || !q.to || q.to >= q.from, { path: ['to'], error: 'La date de fin de la période précède sa date de début.' });

export const hoursRow = z.object({
  key: z.record(z.string(), z.string()),
  attended: z.number().int(),
  planned: z.number().int(),
  byCategory: z.record(z.string(), z.number().int()),
  byModality: z.record(z.string(), z.number().int()),
  absentExcused: z.number().int(),
  absentUnexcused: z.number().int(),
  missed: z.number().int(),
  marks: z.number().int(),
  afest: z.object({ 'work-situation': z.number().int(), reflective: z.number().int(), evaluation: z.number().int() }),
  realised: z.number().int(),
  sequences: z.number().int(),
});
