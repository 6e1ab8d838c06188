import { formatMinutes, isoWeekday, localDateTime, parseIsoDate } from '../../../shared/domain/dates';

/**
 * French wording of dates and durations on printed documents. Spelled out by hand rather than through
 * Intl, so a document reads the same whatever ICU data the Node or Electron build carries.
 */

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;
const SHORT_MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'] as const;

/** "lundi 23 novembre 2026" */
export function longDate(date: string): string {
  const d = parseIsoDate(date);
  const day = d.getUTCDate();
  return `${WEEKDAYS[isoWeekday(date) - 1]} ${day === 1 ? '1er' : day} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "lun. 23 nov." — for narrow column headers. */
export function shortDate(date: string): string {
  const d = parseIsoDate(date);
  return `${WEEKDAYS[isoWeekday(date) - 1]!.slice(0, 3)}. ${d.getUTCDate()} ${SHORT_MONTHS[d.getUTCMonth()]}`;
}

const MODALITIES: Record<string, string> = { presentiel: 'présentiel', distanciel: 'distanciel', mixte: 'mixte', afest: 'AFEST' };

/** An action's modality as printed: `presentiel` → « présentiel » (never the stored code). */
export function modalityLabel(code: string): string {
  return MODALITIES[code] ?? code;
}

/** "23/11/2026" */
export function numericDate(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** "novembre 2026" for "2026-11". */
export function monthLabel(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** "du lundi 23 au vendredi 27 novembre 2026", shortened when both ends share month and year. */
export function dateRange(from: string, to: string): string {
  if (from === to) return `le ${longDate(from)}`;
  const [a, b] = [longDate(from), longDate(to)];
  if (from.slice(0, 7) === to.slice(0, 7)) return `du ${a.split(' ').slice(0, 2).join(' ')} au ${b}`;
  if (from.slice(0, 4) === to.slice(0, 4)) return `du ${a.split(' ').slice(0, 3).join(' ')} au ${b}`;
  return `du ${a} au ${b}`;
}

/** "7 h 30", "0 h" — the house duration format. */
export function duration(minutes: number): string {
  return formatMinutes(minutes);
}

/** "08:30" → "8 h 30" (times on documents are read aloud the French way). */
export function clock(time: string): string {
  const [h, m] = time.split(':') as [string, string];
  return `${Number(h)} h ${m}`;
}

/** "lundi 23 novembre 2026 à 10 h 05" for an instant, in the training body's time zone. */
export function instantLabel(instant: string, timeZone: string): string {
  const local = localDateTime(instant, timeZone);
  return `${longDate(local.date)} à ${clock(local.time)}`;
}

export const HALF_DAY_LABEL = { am: 'matin', pm: 'après-midi' } as const;

/** "BENALI Nadia": the last name in capitals, as on French official lists. */
export function personName(lastName: string, firstName: string): string {
  return `${lastName.toLocaleUpperCase('fr-FR')} ${firstName}`;
}

/** "999 001 001 00018" — SIRET grouped 3-3-3-5 for reading. */
export function groupedSiret(siret: string): string {
  return siret.length === 14 ? `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}` : siret;
}

/** A file-name-safe slug: "Des étoiles et des femmes" → "des-etoiles-et-des-femmes". */
export function slug(raw: string, max = 40): string {
  const text = raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  return cut.includes('-') ? cut.slice(0, cut.lastIndexOf('-')) : cut.slice(0, max);
}

/** "Édité le lundi 23 novembre 2026 à 10 h 05 par Utilisateur local" — the footer's issue line. */
export function issuedLine(at: string, timeZone: string, user: string): string {
  return `Édité le ${instantLabel(at, timeZone)} par ${user}`;
}

