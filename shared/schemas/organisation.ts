import { z } from 'zod';
import { isTimeZone } from '../domain/dates';
import { audit, email, holidayZone, id, isoDate, nda, optionalText, phone, postcode, requiredText, siret } from './common';

/** The training body (*organisme de formation* or CFA) this installation belongs to. */
export const organisationInput = z.object({
  name: requiredText(200),
  siret,
  nda,
  qualiopiValidUntil: isoDate.nullish().transform((v) => v ?? null),
  legalRepresentative: optionalText(120),
  address: optionalText(200),
  postcode: postcode.nullish().transform((v) => v ?? null),
  city: optionalText(100),
  email,
  phone,
  /** Every date of the app ("today", the day and time of a signature) is read in this IANA zone. */
  timeZone: z.string().refine(isTimeZone, { error: 'Fuseau horaire inconnu : nom IANA attendu (Europe/Paris, America/Cayenne, Indian/Reunion…).' }).default('Europe/Paris'),
});
export type OrganisationInput = z.input<typeof organisationInput>;

export const organisation = organisationInput.extend({ id, ...audit });
export type Organisation = z.infer<typeof organisation>;

/** A site and its rooms (*lieu de formation*). QPV / ZRR flags drive funders' top-ups. */
export const placeInput = z.object({
  id: id.optional(),
  name: requiredText(120),
  address: optionalText(200),
  postcode,
  city: requiredText(100),
  qpv: z.boolean().default(false),
  zrr: z.boolean().default(false),
  holidayZone: holidayZone.optional(),
});
export type PlaceInput = z.input<typeof placeInput>;
export const place = placeInput.extend({ id, holidayZone, ...audit });
export type Place = z.infer<typeof place>;

/** A logo as the app carries it: PNG or JPEG, base64, at most 1 MB. */
export const funderLogo = z.object({
  mime: z.enum(['image/png', 'image/jpeg'], { error: 'Logo : image PNG ou JPEG attendue.' }),
  base64: z.string().min(1, { error: 'Logo vide.' }).max(1_400_000, { error: 'Logo trop lourd : 1 Mo au plus.' }).regex(/^[A-Za-z0-9+/=]*$/, { error: 'Logo illisible.' }),
});

/**
 * What a funder wants printed on the documents of its trainees (sheet, monthly statement): its logo and
 * its required mentions, e.g. the FSE+ co-funding notice. Keyed by funder code.
 */
export const funderDocumentInput = z.object({
  funderCode: requiredText(40),
  mentions: optionalText(1000),
  /** A new logo; null removes it; left out keeps the current one. */
  logo: funderLogo.nullable().optional(),
});
export type FunderDocumentInput = z.input<typeof funderDocumentInput>;

export const funderDocument = z.object({
  funderCode: z.string(),
  funderName: z.string(),
  mentions: z.string().nullable(),
  logo: funderLogo.nullable(),
  updatedAt: z.string().nullable(),
});
export type FunderDocument = z.infer<typeof funderDocument>;
