import type { IsoDate } from './dates';

/**
 * Rules that keep the trainee register clean (issue #8): a birth date that is plausible for someone
 * entering training, and how two records are recognised as the same person. Pure: the renderer checks
 * them as people type, the backend checks them again on every save.
 */

/** The youngest age at which someone may enter training (apprenticeship, *préapprentissage* aside). */
export const MINIMUM_AGE_AT_ENTRY = 14;

/** "2026-09-01" → "01/09/2026". */
function frDate(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** The same calendar day `years` earlier (29 February gives a string that still compares correctly). */
function yearsBefore(date: IsoDate, years: number): IsoDate {
  return `${String(Number(date.slice(0, 4)) - years).padStart(4, '0')}${date.slice(4)}`;
}

/**
 * Why a birth date is refused, as a French sentence naming the field, or null. `today` in the
 * organisation's time zone; `entry` is the date the trainee enters training: the earliest start of their
 * enrolments, or today when the trainee is being created.
 * - in the future: refused;
 * - less than {@link MINIMUM_AGE_AT_ENTRY} years before the entry: refused (someone born on 1 September
 *   2012 is 14 on 1 September 2026 and may enter that day, not the day before).
 */
export function birthDateProblem(birthDate: IsoDate, today: IsoDate, entry: IsoDate = today): string | null {
  if (birthDate > today) return `La date de naissance (${frDate(birthDate)}) est dans le futur.`;
  const latest = yearsBefore(entry, MINIMUM_AGE_AT_ENTRY);
  if (birthDate > latest) {
    return `La date de naissance (${frDate(birthDate)}) donne moins de ${MINIMUM_AGE_AT_ENTRY} ans à l'entrée en formation (${frDate(entry)}) : née ou né le ${frDate(latest)} au plus tard.`;
  }
  return null;
}

/** A name as compared for duplicates: no accents, no case, hyphens and apostrophes as spaces, spaces collapsed. */
export function comparableName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('fr-FR')
    .replace(/[-'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface Identity {
  lastName: string;
  firstName: string;
  birthDate: IsoDate;
}

/** Whether two records look like the same person: same names (accents and case aside) and birth date. */
export function sameIdentity(a: Identity, b: Identity): boolean {
  return a.birthDate === b.birthDate && comparableName(a.lastName) === comparableName(b.lastName) && comparableName(a.firstName) === comparableName(b.firstName);
}

/** The warning shown (and the backend's refusal without confirmation) when a namesake exists. */
export function duplicateWarning(other: Identity): string {
  return `Un stagiaire ${other.lastName.toLocaleUpperCase('fr-FR')} ${other.firstName} né(e) le ${frDate(other.birthDate)} existe déjà : vérifiez qu'il ne s'agit pas de la même personne avant d'enregistrer.`;
}

/** The refusal of a NIR already held by another trainee. */
export function duplicateNirMessage(other: { lastName: string; firstName: string; archived: boolean }): string {
  return `NIR déjà enregistré pour ${other.lastName.toLocaleUpperCase('fr-FR')} ${other.firstName}${other.archived ? ' (stagiaire archivé)' : ''} : un NIR identifie une seule personne.`;
}
