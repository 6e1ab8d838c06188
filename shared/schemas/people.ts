import { z } from 'zod';
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

/** A trainee (*stagiaire*, *apprenti*). The NIR is optional and key-checked. */
export const traineeInput = z.object({
  id: id.optional(),
  lastName: requiredText(100),
  firstName: requiredText(100),
  birthDate: isoDate.refine((d) => d >= '1900-01-01' && d <= '2100-01-01', { error: 'Date de naissance invraisemblable.' }),
  nir: optionalNir,
  franceTravailId: optionalText(20).refine((v) => v === null || /^[0-9A-Z]{7,11}$/i.test(v), {
    error: 'Identifiant France Travail invalide : 7 à 11 lettres ou chiffres.',
  }),
  email,
  phone,
  postcode: postcode.nullish().transform((v) => v ?? null),
  city: optionalText(100),
  qpvResident: z.boolean().default(false),
  fictitious: z.boolean().default(false),
});
export type TraineeInput = z.input<typeof traineeInput>;
export const trainee = traineeInput.extend({ id, ...audit });
export type Trainee = z.infer<typeof trainee>;

// Re-exported so callers needing only a SIRET check need not import common.
export { siret };
