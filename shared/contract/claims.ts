import { z } from 'zod';
import { MAX_AMOUNT_CENTS } from '../domain/claims/amounts';
import { formatCents } from '../format/money';
import { CLAIM_STATUSES, COST_TYPES } from '../schemas/funding';
import { cents, id, isoDate, optionalText, requiredText } from '../schemas/common';
import { byId, mutation, query } from './define';

/**
 * Claims (*demandes de paiement*, issue #10): built from the evidence by the claim engine, checked by the
 * pre-flight, validated (frozen: lines, documents, invoice number), then followed through the funder's answer
 * and payment. Regularisations carry the difference with the evidence of today.
 */

const claimStatus = z.enum(CLAIM_STATUSES, { error: 'Statut : draft, validated, submitted, accepted, partly-accepted, rejected ou paid.' });

export const claimRequestInput = z
  .object({
    funderCode: requiredText(40),
    programmeId: id.nullish().transform((v) => v ?? null),
    /** The programme's code (the CLI's `--programme`), when the id is not at hand. */
    programmeCode: optionalText(40),
    purchaseOrder: optionalText(60),
    contractId: id.nullish().transform((v) => v ?? null),
    from: isoDate,
    to: isoDate,
  })
  .refine((r) => r.to >= r.from, { path: ['to'], error: 'La date de fin de la période précède sa date de début.' });

export const claimIssue = z.object({
  code: z.string(),
  message: z.string(),
  link: z
    .object({
      kind: z.enum(['enrolment', 'session', 'slot', 'programme', 'trainee', 'contract', 'organisation', 'funder']),
      id: z.string(),
      /** An enrolment's session (its page is where the enrolment is fixed); filled by `claims.get`. */
      sessionId: z.string().optional(),
    })
    .nullable(),
});

export const claimLine = z.object({
  id,
  position: z.number().int(),
  enrolmentId: id.nullable(),
  sessionId: id.nullable(),
  contractId: id.nullable(),
  fundingId: id.nullable(),
  programmeId: id.nullable(),
  ruleId: id.nullable(),
  unit: z.string(),
  costType: z.enum(COST_TYPES),
  label: z.string(),
  /** Quantity × 10 000 (412,5 h → 4 125 000). */
  quantityE4: z.number().int(),
  unitPriceCents: z.number().int(),
  amountCents: z.number().int(),
  minutes: z.number().int().nullable(),
  realisedMinutes: z.number().int().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export const claimSummary = z.object({
  id,
  funderCode: z.string(),
  funderName: z.string(),
  programmeId: id.nullable(),
  /** « #Avenir (REG-AVENIR) », when the claim is for one programme. */
  programmeLabel: z.string().nullable(),
  purchaseOrder: z.string().nullable(),
  contractId: id.nullable(),
  from: isoDate,
  to: isoDate,
  kind: z.enum(['claim', 'regularisation']),
  regularisesId: id.nullable(),
  status: claimStatus,
  totalCents: z.number().int(),
  acceptedCents: z.number().int().nullable(),
  paidCents: z.number().int().nullable(),
  invoiceNumber: z.string().nullable(),
  builtAt: z.string(),
  validatedAt: z.string().nullable(),
  lineCount: z.number().int(),
  blockerCount: z.number().int(),
  warningCount: z.number().int(),
});

/** One line's old (frozen) and new (today's evidence) figures; `null` when the line exists on one side only. */
export const claimDifferenceLine = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.string(),
  enrolmentId: id.nullable(),
  sessionId: id.nullable(),
  old: z.object({ quantityE4: z.number().int(), amountCents: z.number().int() }).nullable(),
  new: z.object({ quantityE4: z.number().int(), amountCents: z.number().int() }).nullable(),
  deltaQuantityE4: z.number().int(),
  deltaCents: z.number().int(),
});

export const claimPage = z.object({
  claim: claimSummary,
  lines: z.array(claimLine),
  preflight: z.object({ blockers: z.array(claimIssue), warnings: z.array(claimIssue) }),
  events: z.array(z.object({ id, status: claimStatus, at: z.string(), amountCents: z.number().int().nullable(), note: z.string().nullable(), by: z.string() })),
  documents: z.array(z.object({ id, kind: z.string(), enrolmentId: id.nullable(), name: z.string(), mime: z.string(), sha256: z.string(), size: z.number().int() })),
  /** A frozen claim against the evidence of today (same request, same rule versions); null for a draft. */
  difference: z.object({ changed: z.boolean(), lines: z.array(claimDifferenceLine), totalDeltaCents: z.number().int() }).nullable(),
  regularisations: z.array(z.object({ id, status: claimStatus, totalCents: z.number().int() })),
});
export type ClaimPage = z.infer<typeof claimPage>;

export const claimsListInput = z
  .object({ funderCode: z.string().trim().max(40).optional(), from: isoDate.optional(), to: isoDate.optional(), status: claimStatus.optional() })
  .default({});

export const advanceClaimInput = z.object({
  id,
  status: z.enum(['submitted', 'accepted', 'partly-accepted', 'rejected', 'paid'], { error: 'Étape : submitted, accepted, partly-accepted, rejected ou paid.' }),
  amountCents: cents.min(0, { error: 'Le montant ne peut pas être négatif.' }).max(MAX_AMOUNT_CENTS, { error: `Montant trop élevé : ${formatCents(MAX_AMOUNT_CENTS)} au plus.` }).optional(),
  note: optionalText(500),
});

export const claimsContract = {
  'claims.list': query('claims.read', claimsListInput, z.object({ claims: z.array(claimSummary), totals: z.object({ count: z.number().int(), totalCents: z.number().int() }) })),
  'claims.get': query('claims.read', byId, claimPage),
  'claims.document': query('claims.read', byId, z.object({ id, name: z.string(), mime: z.string(), sha256: z.string(), base64: z.string() })),
  /** The bundle ZIP of a frozen claim (PDFs, lines as CSV and XLSX, manifest.json with every SHA-256). */
  'claims.bundle': query('claims.read', byId, z.object({ fileName: z.string(), mime: z.literal('application/zip'), sha256: z.string(), base64: z.string() })),
  'claims.build': mutation('claims.write', claimRequestInput, claimPage),
  'claims.rebuild': mutation('claims.write', byId, claimPage),
  'claims.discard': mutation('claims.write', byId, z.object({ discarded: z.literal(true) })),
  'claims.validate': mutation('claims.validate', byId, claimPage),
  'claims.advance': mutation('claims.validate', advanceClaimInput, claimPage),
  'claims.regularise': mutation('claims.write', byId, claimPage),
} as const;
