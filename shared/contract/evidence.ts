import { z } from 'zod';
import { none, query } from './define';

export const ledgerReport = z.object({
  entries: z.number().int(),
  ok: z.boolean(),
  problems: z.array(z.object({ seq: z.number().int().nullable(), recordType: z.string(), recordId: z.string(), problem: z.string(), message: z.string() })),
  /** What was checked beside the problems, in French (entries sealed when the key came, head behind the chain…). */
  notes: z.array(z.string()),
});

/** The tamper-evident ledger over every evidence record. */
export const evidenceContract = {
  'ledger.verify': query('attendance.read', none, ledgerReport),
} as const;
