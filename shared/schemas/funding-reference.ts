import { z } from 'zod';
import { id, isoDate, optionalSiret, optionalText, requiredText } from './common';
import { FUNDER_KINDS, fundingRule, payerCategory } from './funding';

/**
 * Funders, their programmes (*dispositifs*) and each programme's dated rule versions, as a manager keeps
 * them (issue #10). The rule pack itself is `fundingRule` (./funding.ts).
 */

/** A funder code: capitals, digits, `_` and `-` (REGION, OPCO_ATLAS, FRANCE_TRAVAIL). */
export const funderCode = z
  .string({ error: 'Ce champ est obligatoire.' })
  .trim()
  .toUpperCase()
  .min(1, { error: 'Ce champ est obligatoire.' })
  .max(40, { error: 'Ce champ est limité à 40 caractères.' })
  .regex(/^[A-Z0-9_-]+$/, { error: 'Code : lettres majuscules, chiffres, « _ » ou « - » (ex. REGION_GE).' });

export const funderKind = z.enum(FUNDER_KINDS, { error: 'Type de financeur inconnu.' });

export const funderInput = z.object({
  code: funderCode,
  /** true: a new funder (its code must be free); false: the funder of this code is updated. */
  create: z.boolean().default(false),
  name: requiredText(200),
  kind: funderKind,
  payerCategory,
  siret: optionalSiret,
  address: optionalText(200),
  postcode: optionalText(10),
  city: optionalText(100),
  active: z.boolean().default(true),
});
export type FunderInput = z.input<typeof funderInput>;

export const funderRecord = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  payerCategory: z.string().nullable(),
  siret: z.string().nullable(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  city: z.string().nullable(),
  active: z.boolean(),
  programmeCount: z.number().int(),
});
export type FunderRecord = z.infer<typeof funderRecord>;

/** A programme code: the funder's own (PRF-GE-2026, AVENIR-NORMANDIE). */
export const programmeCode = z
  .string({ error: 'Ce champ est obligatoire.' })
  .trim()
  .min(1, { error: 'Ce champ est obligatoire.' })
  .max(40, { error: 'Ce champ est limité à 40 caractères.' });

export const programmeInput = z.object({
  id: id.optional(),
  code: programmeCode,
  name: requiredText(200),
  region: optionalText(100),
  funderCode,
  /** Co-funded by the EU (FSE+): its supporting pieces are kept 10 years instead of 6 (shared/domain/retention.ts). Left out, unchanged. */
  euCofunded: z.boolean({ error: 'Indiquez oui ou non.' }).optional(),
});
export type ProgrammeInput = z.input<typeof programmeInput>;

/** Where a rule version stands today: in force, not yet, ended, or replaced by a correction. */
export const RULE_VERSION_STATES = ['in-force', 'future', 'ended', 'replaced'] as const;
export type RuleVersionState = (typeof RULE_VERSION_STATES)[number];

export const ruleVersion = z.object({
  id,
  programmeId: id,
  validFrom: z.string(),
  validTo: z.string().nullable(),
  rule: fundingRule,
  note: z.string().nullable(),
  replacesId: z.string().nullable(),
  replacedById: z.string().nullable(),
  state: z.enum(RULE_VERSION_STATES),
  /** Used by a claim that is no longer a draft: it can no longer be corrected. */
  frozen: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type RuleVersion = z.infer<typeof ruleVersion>;

export const programme = z.object({
  id,
  code: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  funderCode: z.string(),
  euCofunded: z.boolean(),
  source: z.enum(['local', 'reference']),
  /** Every version, history included, oldest window first. */
  versions: z.array(ruleVersion),
  /** The version in force today, if any. */
  inForceId: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Programme = z.infer<typeof programme>;

export const programmeList = z
  .object({ funderCode: z.string().trim().max(40).optional(), id: id.optional() })
  .strict()
  .default({});

export const ruleVersionInput = z
  .object({
    programmeId: id,
    validFrom: isoDate,
    validTo: isoDate.nullish().transform((v) => v ?? null),
    rule: fundingRule,
    note: optionalText(1000),
    /** The version this one corrects (append-only: the old row stays, marked replaced). */
    replacesId: id.nullish().transform((v) => v ?? null),
  })
  .superRefine((v, ctx) => {
    if (v.validTo !== null && v.validTo < v.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'La fin de validité précède son début.' });
    }
  });
export type RuleVersionInput = z.input<typeof ruleVersionInput>;

export const referenceImportInput = z.object({ receiverId: id.optional() }).strict().default({});

export const referenceImportResult = z.object({
  programmesCreated: z.number().int(),
  programmesUpdated: z.number().int(),
  versionsAdded: z.number().int(),
  unchanged: z.number().int(),
  fundersCreated: z.array(z.string()),
  skipped: z.array(z.object({ code: z.string(), reason: z.string() })),
});
export type ReferenceImportResult = z.infer<typeof referenceImportResult>;
