import { z } from 'zod';
import { MAX_RATE_CENTS } from '../domain/claims/amounts';
import { formatCents } from '../format/money';
import { id, isoDate, optionalText, requiredText } from './common';
import { costType } from './funding';

/**
 * Funding lines of an enrolment or of a whole session, and apprenticeship contracts (issue #10). The set of
 * lines is checked as a whole by shared/domain/funding-lines.ts (the screens and the backend alike).
 */

export const SHARE_KINDS = ['percent', 'minutes', 'remainder'] as const;

const shareValue = z
  .number({ error: 'Part invalide : nombre entier attendu.' })
  .int({ error: 'Part invalide : nombre entier attendu.' })
  .min(0, { error: 'La part ne peut pas être négative.' })
  .nullable()
  .default(null);

export const fundingLineInput = z.object({
  /** An existing line of the same enrolment or session to keep (changed: its version goes up); none: a new line. */
  id: id.optional(),
  funderCode: z.string({ error: 'Choisissez le financeur.' }).trim().min(1, { error: 'Choisissez le financeur.' }).max(40),
  programmeId: id.nullable().default(null),
  costType: costType.default('pedagogique'),
  shareKind: z.enum(SHARE_KINDS, { error: 'Part : pourcentage, heures ou reste.' }),
  shareValue,
  fileNumber: optionalText(60),
  purchaseOrder: optionalText(60),
  rateCents: z
    .number({ error: 'Montant invalide : nombre entier de centimes attendu.' })
    .int({ error: 'Montant invalide : nombre entier de centimes attendu.' })
    .min(0, { error: 'Le montant ne peut pas être négatif.' })
    .max(MAX_RATE_CENTS, { error: `Tarif trop élevé : ${formatCents(MAX_RATE_CENTS)} au plus.` })
    .nullable()
    .default(null),
});
export type FundingLineInput = z.input<typeof fundingLineInput>;

/** The whole set of lines of one enrolment or of one session: what is not in `lines` any more is removed. */
export const fundingsSaveInput = z
  .object({ enrolmentId: id.optional(), sessionId: id.optional(), lines: z.array(fundingLineInput).max(40, { error: 'Au plus 40 lignes de financement.' }) })
  .refine((v) => (v.enrolmentId === undefined) !== (v.sessionId === undefined), { error: 'Indiquez une inscription ou une session.', path: ['enrolmentId'] });

export const fundingsOwner = z
  .object({ enrolmentId: id.optional(), sessionId: id.optional() })
  .refine((v) => (v.enrolmentId === undefined) !== (v.sessionId === undefined), { error: 'Indiquez une inscription ou une session.', path: ['enrolmentId'] });

export const fundingLine = z.object({
  id,
  enrolmentId: id.nullable(),
  sessionId: id.nullable(),
  funderCode: z.string(),
  funderName: z.string(),
  programmeId: id.nullable(),
  programmeName: z.string().nullable(),
  costType,
  shareKind: z.enum(SHARE_KINDS),
  shareValue: z.number().int().nullable(),
  fileNumber: z.string().nullable(),
  purchaseOrder: z.string().nullable(),
  rateCents: z.number().int().nullable(),
  position: z.number().int(),
  version: z.number().int(),
});
export type FundingLine = z.infer<typeof fundingLine>;

export const programmeChoice = z.object({ id, code: z.string(), name: z.string(), funderCode: z.string() });

export const fundingsList = z.object({
  lines: z.array(fundingLine),
  /** The programmes a line may name (all funders'), for the editor's choices and the shared check. */
  programmes: z.array(programmeChoice),
});
export type FundingsList = z.infer<typeof fundingsList>;

export const rncpCode = z
  .string({ error: 'Indiquez le code RNCP.' })
  .trim()
  .toUpperCase()
  .min(1, { error: 'Indiquez le code RNCP.' })
  .regex(/^RNCP\d{1,6}$/, { error: 'Code RNCP invalide (ex. RNCP37859).' });

export const contractInput = z
  .object({
    id: id.optional(),
    enrolmentId: id,
    employerId: id,
    contractNumber: optionalText(40),
    diploma: requiredText(200),
    rncpCode,
    startDate: isoDate,
    endDate: isoDate,
    funderCode: z.string({ error: "Choisissez l'OPCO." }).trim().min(1, { error: "Choisissez l'OPCO." }).max(40),
    programmeId: id.nullable().default(null),
    npecCents: z
      .number({ error: 'Indiquez le coût contrat (NPEC) en euros, ex. 7 500,00.' })
      .int({ error: 'Coût contrat invalide : montant en euros attendu, ex. 7 500,00.' })
      .min(0, { error: 'Le coût contrat ne peut pas être négatif.' })
      .max(MAX_RATE_CENTS, { error: `Coût contrat trop élevé : ${formatCents(MAX_RATE_CENTS)} au plus.` }),
    majorationProgrammeId: id.nullable().default(null),
    placeId: id.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'La fin du contrat ne peut pas précéder son début.' });
  });
export type ContractInput = z.input<typeof contractInput>;

export const ruptureInput = z.object({ id, date: isoDate, reason: requiredText(500) });

export const contractsFilter = z.object({ funderCode: z.string().trim().max(40).optional(), enrolmentId: id.optional() }).default({});

export const apprenticeshipContract = z.object({
  id,
  enrolmentId: id,
  employerId: id,
  contractNumber: z.string().nullable(),
  diploma: z.string(),
  rncpCode: z.string(),
  startDate: isoDate,
  endDate: isoDate,
  funderCode: z.string(),
  programmeId: id.nullable(),
  npecCents: z.number().int(),
  majorationProgrammeId: id.nullable(),
  placeId: id.nullable(),
  ruptureDate: isoDate.nullable(),
  ruptureReason: z.string().nullable(),
  version: z.number().int(),
  apprenticeName: z.string(),
  sessionId: id,
  sessionLabel: z.string(),
  employerName: z.string(),
  employerSiret: z.string(),
  funderName: z.string(),
  programmeName: z.string().nullable(),
  majorationProgrammeName: z.string().nullable(),
  placeName: z.string().nullable(),
  /** The training site's flags, from `places` (the Region's majorations look at them). */
  siteQpv: z.boolean(),
  siteZrr: z.boolean(),
});
export type ApprenticeshipContract = z.infer<typeof apprenticeshipContract>;
