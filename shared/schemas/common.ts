import { z } from 'zod';
import { isValidSiret, normaliseSiret, siretProblem } from '../domain/siret';
import { isValidNir, normaliseNir } from '../domain/nir';
import { HOLIDAY_ZONES } from '../domain/holiday-zones';
import { FIRST_DATE, LAST_DATE } from '../domain/dates';
import { LINK_TO_NOTHING } from '../errors';

// French messages for every generic zod issue; the fields below add their own, more precise ones. zod's French
// calls a number that is not one « NaN » (« nombre attendu, NaN reçu »): people read « nombre invalide ».
const french = z.locales.fr().localeError;
z.config({
  localeError: (issue) => {
    const message = french?.(issue);
    return typeof message === 'string' ? message.replace(/\bNaN\b/g, 'nombre invalide') : message;
  },
});

/** UUIDv7, made on the machine that created the row. */
// A person meets an id only through a link or a list: a bad one is a link to nothing, never "UUIDv7".
export const id = z.uuid({
  version: 'v7',
  error: (iss) =>
    iss.input === undefined || iss.input === null || iss.input === '' ? 'Ce champ est obligatoire.' : typeof iss.input === 'string' ? LINK_TO_NOTHING : 'Identifiant invalide.',
});

/**
 * The id of an attendance record: a UUIDv5 of (slot, enrolment) so devices agree on it offline, or the
 * UUIDv7 of a record made before schema 4 (see electron/backend/attendance/records.ts).
 */
export const recordId = z.uuid({ error: 'Identifiant invalide (UUID attendu).' });

/** « Indiquez la date de début. »: an empty required date names its field (paths end with the field's name). */
const DATE_REQUIRED: Record<string, string> = {
  startDate: 'Indiquez la date de début.', endDate: 'Indiquez la date de fin.', birthDate: 'Indiquez la date de naissance.',
  effectiveDate: "Indiquez la date d'effet.", plannedStart: 'Indiquez le début prévu.', plannedEnd: 'Indiquez la fin prévue.',
  from: 'Indiquez la date de début.', to: 'Indiquez la date de fin.', qualiopiValidUntil: 'Indiquez la date de validité Qualiopi.',
};
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Calendar date `YYYY-MM-DD` in the training body's time zone. People type and read it JJ/MM/AAAA (the
 * DateInput component converts), so the message speaks of that format.
 */
export const isoDate = z.iso
  .date({
    error: (iss) => {
      if (!isEmpty(iss.input)) return 'Date invalide : format JJ/MM/AAAA attendu (ex. 01/09/2026).';
      const field = [...(iss.path ?? [])].reverse().find((p) => typeof p === 'string');
      return (typeof field === 'string' ? DATE_REQUIRED[field] : undefined) ?? 'Indiquez la date.';
    },
  })
  // ISO dates compare as text; a malformed one has its own issue above. The message's dates are written JJ/MM/AAAA
  // where it is shown (shared/messages.ts).
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || (d >= FIRST_DATE && d <= LAST_DATE), { error: `Date hors du calendrier de Sillon : entre le ${FIRST_DATE} et le ${LAST_DATE}.` });

/** Wall-clock time `HH:MM`. */
export const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (iss) => (isEmpty(iss.input) ? 'Indiquez l’heure.' : 'Heure invalide : format HH:MM attendu (ex. 08:30).') });

/** Instant, ISO 8601 UTC. */
export const instant = z.iso.datetime({ error: 'Horodatage ISO 8601 invalide.' });

export const minutes = z
  .number({ error: 'Durée invalide : nombre entier de minutes attendu.' })
  .int({ error: 'Durée invalide : nombre entier de minutes attendu.' })
  .min(0, { error: 'La durée ne peut pas être négative.' });

export const cents = z
  .number({ error: 'Montant invalide : nombre entier de centimes attendu.' })
  .int({ error: 'Montant invalide : nombre entier de centimes attendu.' });

export const requiredText = (max = 200) =>
  z
    .string({ error: 'Ce champ est obligatoire.' })
    .trim()
    .min(1, { error: 'Ce champ est obligatoire.' })
    .max(max, { error: `Ce champ est limité à ${max} caractères.` });

export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max, { error: `Ce champ est limité à ${max} caractères.` })
    .nullish()
    .transform((v) => (v ? v : null));

export const siret = z
  .string({ error: 'SIRET obligatoire.' })
  .transform(normaliseSiret)
  .refine(isValidSiret, { error: (issue) => siretProblem(String(issue.input)) ?? 'SIRET invalide.' });

export const optionalSiret = z
  .string()
  .nullish()
  .transform((v) => (v ? normaliseSiret(v) : null))
  .refine((v) => v === null || isValidSiret(v), { error: (issue) => siretProblem(String(issue.input)) ?? 'SIRET invalide.' });

/** NIR with its 2-digit key checked. Optional everywhere: only some funders collect it. */
export const optionalNir = z
  .string()
  .nullish()
  .transform((v) => (v ? normaliseNir(v) : null))
  .refine((v) => v === null || isValidNir(v), {
    error: 'NIR invalide : 13 caractères suivis de la clé à 2 chiffres (97 − reste de la division par 97).',
  });

/** NDA (*numéro de déclaration d'activité*): 11 digits. */
export const nda = z
  .string()
  .nullish()
  .transform((v) => (v ? v.replace(/\s/g, '') : null))
  .refine((v) => v === null || /^\d{11}$/.test(v), { error: "Numéro de déclaration d'activité invalide : 11 chiffres attendus." });

export const postcode = z
  .string({ error: 'Code postal obligatoire.' })
  .trim()
  .regex(/^\d{5}$/, { error: 'Code postal invalide : 5 chiffres attendus.' });

export const email = z
  .string()
  .trim()
  .nullish()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || z.email().safeParse(v).success, { error: 'Adresse e-mail invalide.' });

export const phone = optionalText(30);

export const holidayZone = z.enum(HOLIDAY_ZONES, { error: 'Zone de jours fériés inconnue.' });

/** Who and when, on every table that holds user data. */
export const audit = {
  createdAt: instant,
  createdBy: z.string(),
  updatedAt: instant,
  updatedBy: z.string(),
};

/** A list's search: words matched ignoring case and accents in the backend (shared/domain/search.ts). */
export const listSearch = z.object({ search: z.string().trim().max(100).optional() }).strict().default({});

export const pageQuery = z.object({
  search: z.string().trim().max(100).optional(),
  limit: z.number().int().min(1).max(50_000).default(10_000),
  offset: z.number().int().min(0).default(0),
});
