import { z } from 'zod';
import { BENEFITS, JUSTICE_SERVICES, sensitiveProblems } from '../domain/sensitive';
import { audit, email, id, isoDate, optionalNir, optionalSiret, optionalText, phone, postcode, requiredText, siret } from './common';

export const TRAINER_KINDS = ['internal', 'external'] as const;

/** A trainer (*formateur*), employed (internal) or a contractor (external). */
export const trainerInput = z.object({
  id: id.optional(),
  lastName: requiredText(100),
  firstName: requiredText(100),
  kind: z.enum(TRAINER_KINDS, { error: 'Statut du formateur : interne ou externe.' }),
  email,
  phone,
  siret: optionalSiret,
});
export type TrainerInput = z.input<typeof trainerInput>;
export const trainer = trainerInput.extend({ id, ...audit });
export type Trainer = z.infer<typeof trainer>;

/** A company (*entreprise*): employer, host of work periods, AFEST partner. */
export const companyInput = z.object({
  id: id.optional(),
  name: requiredText(200),
  siret,
  address: optionalText(200),
  postcode: postcode.nullish().transform((v) => v ?? null),
  city: optionalText(100),
  headcount: z.number().int().min(0).nullish().transform((v) => v ?? null),
});
export type CompanyInput = z.input<typeof companyInput>;
export const company = companyInput.extend({ id, ...audit });
export type Company = z.infer<typeof company>;

/**
 * A trainee's sensitive fields (shared/domain/sensitive.ts): disability (RQTH), benefits, justice follow-up.
 * Kept sealed by the backend, read and written only with `people.sensitive.read`.
 */
export const traineeSensitive = z
  .object({
    rqth: z.boolean().default(false),
    rqthUntil: isoDate.nullish().transform((v) => v ?? null),
    accommodations: optionalText(1000),
    benefits: z
      .array(z.enum(BENEFITS, { error: 'Prestation inconnue : RSA, ASS, AAH, ARE ou autre.' }))
      .max(BENEFITS.length)
      .default([])
      .transform((list) => BENEFITS.filter((b) => list.includes(b))),
    benefitsOther: optionalText(200),
    justiceFollowUp: z.enum(JUSTICE_SERVICES, { error: 'Suivi judiciaire : SPIP, PJJ ou aucun.' }).nullish().transform((v) => v ?? null),
    justiceNote: optionalText(1000),
  })
  .superRefine((s, ctx) => {
    for (const p of sensitiveProblems(s)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
  });
export type TraineeSensitiveInput = z.input<typeof traineeSensitive>;

/**
 * A trainee (*stagiaire*, *apprenti*). The NIR is optional and key-checked. On an update, `nir` or `sensitive`
 * left out keeps what is stored (a form shows them masked or not at all); `null` erases them.
 */
export const traineeInput = z.object({
  id: id.optional(),
  lastName: requiredText(100),
  firstName: requiredText(100),
  birthDate: isoDate.refine((d) => d >= '1900-01-01' && d <= '2100-01-01', { error: 'Date de naissance invraisemblable.' }),
  nir: optionalNir.optional(),
  franceTravailId: optionalText(20).refine((v) => v === null || /^[0-9A-Z]{7,11}$/i.test(v), {
    error: 'Identifiant France Travail invalide : 7 à 11 lettres ou chiffres.',
  }),
  email,
  phone,
  postcode: postcode.nullish().transform((v) => v ?? null),
  city: optionalText(100),
  qpvResident: z.boolean().default(false),
  fictitious: z.boolean().default(false),
  sensitive: traineeSensitive.nullish(),
});
export type TraineeInput = z.input<typeof traineeInput>;

/** The sensitive fields as a read returns them (checked on the way in, so not again on the way out). */
export const traineeSensitiveView = z.object({
  rqth: z.boolean(),
  rqthUntil: isoDate.nullable(),
  accommodations: z.string().nullable(),
  benefits: z.array(z.enum(BENEFITS)),
  benefitsOther: z.string().nullable(),
  justiceFollowUp: z.enum(JUSTICE_SERVICES).nullable(),
  justiceNote: z.string().nullable(),
});

/**
 * A trainee in a list. The NIR itself is never in a read (`nir` is always null): `nirOnFile` says one is
 * recorded, `nirMasked` shows it masked (« 2 85 •• •• ••• ••• 42 ») to a user who may read sensitive data (null
 * to others), and `trainees.revealNir` shows it whole, writing that display to the audit log.
 */
export const traineeRow = traineeInput.omit({ nir: true, sensitive: true }).extend({
  id,
  ...audit,
  nir: z.null(),
  nirOnFile: z.boolean(),
  nirMasked: z.string().nullable(),
});
export type TraineeRow = z.infer<typeof traineeRow>;

/** A trainee's record (`trainees.get`, `trainees.save`): the row and, for a user who may read them, the sensitive fields. */
export const trainee = traineeRow.extend({ sensitive: traineeSensitiveView.nullable() });
export type Trainee = z.infer<typeof trainee>;

// Re-exported so callers needing only a SIRET check need not import common.
export { siret };
