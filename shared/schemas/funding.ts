import { z } from 'zod';
import { MAX_AMOUNT_CENTS, MAX_RATE_CENTS } from '../domain/claims/amounts';
import { formatCents } from '../format/money';
import { isoDate } from './common';

/**
 * Funding vocabulary shared by the database, the claim engine (shared/domain/claims), the contract and the
 * screens (issue #10). Amounts are integer cents, durations integer minutes, rates per hour unless the unit
 * says otherwise, shares in basis points (10 000 = 100 %).
 */

/** What a funding line pays for (*type de coût*). */
export const COST_TYPES = ['pedagogique', 'remuneration', 'aide', 'accompagnement', 'ingenierie'] as const;
export type CostType = (typeof COST_TYPES)[number];
export const costType = z.enum(COST_TYPES, { error: 'Type de coût : pédagogique, rémunération, aide, accompagnement ou ingénierie.' });

/** The claim workflow, in order; `accepted`, `partly-accepted` and `rejected` are the funder's answers. */
export const CLAIM_STATUSES = ['draft', 'validated', 'submitted', 'accepted', 'partly-accepted', 'rejected', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * What a funder pays per (*unité d'œuvre*):
 * - `trainee-hour`: billable minutes of each trainee (hours to the hundredth, rounded down) × hourly rate;
 * - `group-hour`: minutes of the session's slots held with at least one billable trainee × hourly rate;
 * - `learner-lump-sum`: once per enrolment, in the period of its first billable attendance;
 * - `session-lump-sum`: once per session, in the period of its first slot with billable attendance;
 * - `pathway-lump-sum`: once per enrolment, in the period it exits with billable attendance behind it;
 * - `contract`: an apprenticeship contract's yearly coût contrat (NPEC) pro-rated by days in the period;
 * - `contract-majoration`: the Region's majorations of a contract (site in ZRR/QPV, strategic sector);
 * - `day`: days with at least `minDayMinutes` billable minutes × daily rate;
 * - `cost-based`: SIEG compensation, planned minutes of the marked slots whatever the status × hourly rate;
 * - `grant-percent`: a share (`grantBasisPoints`) of the cost of the realised hours at `rateCents` per hour.
 */
export const BILLING_UNITS = [
  'trainee-hour', 'group-hour', 'learner-lump-sum', 'session-lump-sum', 'pathway-lump-sum', 'contract', 'contract-majoration', 'day', 'cost-based', 'grant-percent',
] as const;
export type BillingUnit = (typeof BILLING_UNITS)[number];
export const billingUnit = z.enum(BILLING_UNITS, { error: "Unité de facturation inconnue." });

/** BPF frame C (cerfa 10443*16): where the revenue comes from. */
export const PAYER_CATEGORIES = [
  'C-1', 'C-2a', 'C-2b', 'C-2c', 'C-2d', 'C-2e', 'C-2f', 'C-2g', 'C-2h', 'C-3', 'C-4', 'C-5', 'C-6', 'C-7', 'C-8', 'C-9', 'C-10', 'C-11',
] as const;
export type PayerCategory = (typeof PAYER_CATEGORIES)[number];
export const payerCategory = z.enum(PAYER_CATEGORIES, { error: 'Catégorie BPF inconnue (C-1 à C-11).' });

export const FUNDER_KINDS = ['region', 'opco', 'france-travail', 'cpf', 'etat', 'agefiph', 'collectivite', 'employeur', 'particulier', 'autre'] as const;
export type FunderKind = (typeof FUNDER_KINDS)[number];

/** The pieces a claim must carry in its bundle. */
export const EVIDENCE_KINDS = ['certificat', 'invoice', 'statement', 'sheets', 'connection-logs'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

const cents = z
  .number({ error: 'Montant invalide : nombre entier de centimes attendu.' })
  .int({ error: 'Montant invalide : nombre entier de centimes attendu.' })
  .min(0, { error: 'Le montant ne peut pas être négatif.' })
  .max(MAX_AMOUNT_CENTS, { error: `Montant trop élevé : ${formatCents(MAX_AMOUNT_CENTS)} au plus.` });
/** A price per hour, unit, day or contract: bounded lower than an amount, since a claim multiplies it. */
const rate = cents.max(MAX_RATE_CENTS, { error: `Tarif trop élevé : ${formatCents(MAX_RATE_CENTS)} au plus.` });
const basisPoints = z.number().int().min(1, { error: 'Part : de 0,01 % à 100 %.' }).max(10_000, { error: 'Part : de 0,01 % à 100 %.' });

/** Which attendance statuses a rule pays (distance: its connection time). */
export const billableStatuses = z.object({
  present: z.boolean().default(true),
  late: z.boolean().default(true),
  earlyLeave: z.boolean().default(true),
  excused: z.boolean().default(false),
  unexcused: z.boolean().default(false),
  remote: z.boolean().default(true),
});
export type BillableStatuses = z.output<typeof billableStatuses>;

/** A regional majoration of apprenticeship contracts (Occitanie: +1 500 € ZRR/QPV, +1 000 € strategic sector). */
export const majoration = z.object({
  code: z.string().trim().min(1).max(40),
  label: z.string().trim().min(1).max(200),
  amountCents: cents,
  /** `site-zrr-qpv`: the contract's training site is in a ZRR or a QPV; `strategic-sector`: its RNCP code is on the dated list. */
  condition: z.enum(['site-zrr-qpv', 'strategic-sector']),
  /** The strategic-sector list, each entry dated (the Region changes it). */
  sectors: z.array(z.object({ rncpCode: z.string().trim().regex(/^RNCP\d{1,6}$/, { error: 'Code RNCP invalide (ex. RNCP37859).' }), from: isoDate, to: isoDate.nullable().default(null) })).default([]),
});
export type Majoration = z.output<typeof majoration>;

/**
 * A programme's rule pack for one validity window. Stored as JSON in `programme_rules.rule`; a new window is
 * a new row, so a validated claim keeps the version it was computed with.
 */
export const fundingRule = z
  .object({
    unit: billingUnit,
    /** Per hour, per unit, per day or per contract; null when each funding line brings its negotiated rate. */
    rateCents: rate.nullable().default(null),
    /** `grant-percent` only: the share of the cost the funder pays. */
    grantBasisPoints: basisPoints.nullable().default(null),
    caps: z
      .object({
        /** The highest hourly price the funder accepts (Parcours TPME: 18 €/h); a rate above it blocks the claim. */
        hourlyPriceCents: rate.nullable().default(null),
        /** Billable minutes per enrolment, all claims together. */
        minutesPerEnrolment: z.number().int().min(0).nullable().default(null),
        /** The highest amount of one line. */
        amountPerLineCents: cents.nullable().default(null),
        /** The programme's budget, all validated claims together (a warning when passed). */
        budgetCents: cents.nullable().default(null),
      })
      .default({ hourlyPriceCents: null, minutesPerEnrolment: null, amountPerLineCents: null, budgetCents: null }),
    billable: billableStatuses.default({ present: true, late: true, earlyLeave: true, excused: false, unexcused: false, remote: true }),
    /** The only rounding the sources support: each line's amount rounded half-up to the cent (documented). */
    rounding: z.literal('half-up-per-line').default('half-up-per-line'),
    /** `day` only: a day counts from this many billable minutes. */
    minDayMinutes: z.number().int().min(1).max(1440).default(1),
    /** `contract` only: the days a year of coût contrat covers. */
    yearDays: z.number().int().min(360).max(366).default(365),
    /** `contract-majoration` only. */
    majorations: z.array(majoration).default([]),
    /** Whether several majorations of one contract add up; when not, the highest applies. */
    combineMajorations: z.boolean().default(false),
    /** What a rupture does to majorations: kept whole, pro-rated by days done, or dropped. */
    onRupture: z.enum(['keep', 'pro-rata', 'drop']).default('pro-rata'),
    /** Slots must be countersigned by their trainer before they are claimed. */
    requireCountersignature: z.boolean().default(true),
    evidence: z.array(z.enum(EVIDENCE_KINDS)).default(['certificat', 'invoice', 'statement']),
    payerCategory: payerCategory,
  })
  .superRefine((r, ctx) => {
    if (r.unit === 'grant-percent' && r.grantBasisPoints === null) {
      ctx.addIssue({ code: 'custom', path: ['grantBasisPoints'], message: 'Indiquez la part de la subvention (en %).' });
    }
    if (r.unit === 'contract-majoration' && r.majorations.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['majorations'], message: 'Indiquez au moins une majoration.' });
    }
  });
export type FundingRule = z.output<typeof fundingRule>;
export type FundingRuleInput = z.input<typeof fundingRule>;

/** Units counted in hours (a quantity of minutes, split between funders by share). */
export const HOURLY_UNITS: readonly BillingUnit[] = ['trainee-hour', 'group-hour', 'cost-based', 'grant-percent'];
