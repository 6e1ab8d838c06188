import { isoToDisplay } from './date-text';
import type { EnrolmentStatus } from './enrolment-status';
import type { IsoDate } from './dates';

/**
 * How long a trainee's data must be kept for the funders after the person asked for it to be erased (RGPD
 * art. 17, limited by art. 17.3.b: a legal obligation to keep), and so when the rest may be anonymised. Pure: the
 * backend gathers the facts (electron/backend/rgpd/facts.ts), the erasure screen and the purge read this plan.
 *
 * The rules, per enrolment (*inscription*), from shared/design/reference/market-and-rules.md §2.1, §2.2, §2.12:
 * - **Certificat de réalisation**: « une durée de 3 ans à compter de la fin de l'année du dernier paiement. En cas
 *   de cofinancement des fonds européens la durée de conservation est étendue » (the Ministry's model clause,
 *   verbatim in electron/backend/documents/claim-pdf.ts RETENTION_CLAUSE; OCAPIAT). Kept until 31 December of
 *   the third year after the year of the last payment; 10 years when co-funded by the EU (the extension the
 *   clause announces, taken as the co-funded supporting pieces' 10 years).
 * - **Supporting pieces** (*pièces justificatives*: attendance sheets, marks, signatures, connection logs, the
 *   AFEST log, the claim's documents): 6 years, 10 when co-funded by the EU (OCAPIAT,
 *   https://www.ocapiat.fr/utilisez-le-bon-modele-de-certificat-de-realisation/). The page gives no starting
 *   point: we count from the **later** of the end of the action and the last payment, so that neither reading
 *   (« after the action », « after the payment » as the certificate counts) ends before the other.
 * - A period in years ends on the day of the last year that bears the same number as its starting day, or the
 *   last day of the month when there is none (a 29 February → 28 February), and runs to the end of that day
 *   (Code de procédure civile, art. 641 and 642). Kept **through** `until`; the purge may run **the day after**.
 * - **No payment yet**: the end of the action stands in for it. That is when the funder's control can start, and
 *   a claim paid later moves the date: the purge computes the plan again from the facts of the day before acting,
 *   and never purges before the date recorded at the erasure. Such dates are marked `provisional` while a
 *   validated claim covering the enrolment is still unpaid.
 * - **An enrolment still running** (not exited and its planned end not passed, or an exit dated in the future)
 *   blocks the erasure: its evidence is not complete yet. Record the trainee's exit first.
 *
 * Identity (names, birth date) is what ties the evidence to a person for the funders: it is kept until the last
 * of those dates. With no enrolment at all, nothing is under an obligation: everything goes at once.
 */

/** What the plan needs to know of one enrolment, as the backend reads it. */
export interface EnrolmentRetentionFacts {
  enrolmentId: string;
  /** The enrolment as people recognise it: « CAP Cuisine — promotion de mars (Région Normandie) ». */
  label: string;
  status: EnrolmentStatus;
  plannedEnd: IsoDate;
  /** The effective date of the exit, when exited. */
  exitDate: IsoDate | null;
  /** The last day with a mark, a connection or an AFEST sequence or evaluation for the enrolment. */
  lastActivity: IsoDate | null;
  /** The date of the last payment recorded on a claim covering the enrolment (its lines or its session's). */
  lastPayment: IsoDate | null;
  /** Claims covering the enrolment that were validated but are neither paid nor rejected yet. */
  unpaidClaims: number;
  /** Certificats de réalisation issued for the enrolment (frozen claim documents). */
  certificates: number;
  /** Whether a funding of the enrolment (or of its session) belongs to a programme co-funded by the EU (FSE+). */
  euCofunded: boolean;
}

export type RetentionKind = 'certificate' | 'supporting';

/** One obligation to keep: what, for which enrolment, through which date, counted from what, and why. */
export interface RetentionItem {
  kind: RetentionKind;
  enrolmentId: string;
  /** Kept through this day (included). */
  until: IsoDate;
  /** The day the period is counted from (end of the action, last payment, or the end of its year). */
  from: IsoDate;
  basis: 'end-of-action' | 'last-payment';
  years: number;
  /** A payment still to come may move the date (an unpaid claim covers the enrolment). */
  provisional: boolean;
  /** Why, in French, with the dates: shown before the erasure and kept in its record. */
  reason: string;
}

export interface ErasureBlocker {
  enrolmentId: string;
  message: string;
}

export interface RetentionPlan {
  items: RetentionItem[];
  /** Identity and evidence are kept through this day; null: nothing is under an obligation. */
  keepUntil: IsoDate | null;
  /** The first day the purge may anonymise what remains (the day after `keepUntil`; `today` when nothing is kept). */
  purgeFrom: IsoDate;
  /** Enrolments still running: the erasure is refused until each exit is recorded. */
  blockers: ErasureBlocker[];
}

const SUPPORTING_YEARS = 6;
const CERTIFICATE_YEARS = 3;
const EU_YEARS = 10;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The day a period of `years` years starting on `date` ends (CPC art. 641): the same day number `years` later, or
 * the last day of the month when that month is shorter (only a 29 February can fall so).
 *
 * @example addYearsFrench('2024-02-29', 6) // '2030-02-28'
 * @example addYearsFrench('2024-02-29', 4) // '2028-02-29'
 */
export function addYearsFrench(date: IsoDate, years: number): IsoDate {
  const y = Number(date.slice(0, 4)) + years;
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const day = m === 2 && d === 29 && !isLeap(y) ? 28 : d;
  return `${y}-${pad(m)}-${pad(day)}`;
}

/** The next calendar day, without a Date (shared/ reads no clock and needs none for this). */
export function dayAfter(date: IsoDate): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  if (d < days) return `${y}-${pad(m)}-${pad(d + 1)}`;
  return m < 12 ? `${y}-${pad(m + 1)}-01` : `${y + 1}-01-01`;
}

const later = (a: IsoDate, b: IsoDate | null) => (b !== null && b > a ? b : a);

/** The last day of the action for this person: the exit (or the planned end), or a later activity. */
export function endOfAction(e: Pick<EnrolmentRetentionFacts, 'status' | 'plannedEnd' | 'exitDate' | 'lastActivity'>): IsoDate {
  const end = e.status === 'exited' && e.exitDate !== null ? e.exitDate : e.plannedEnd;
  return later(end, e.lastActivity);
}

/** Whether the enrolment is still running on `today` (see the module's comment): it blocks the erasure. */
export function stillRunning(e: Pick<EnrolmentRetentionFacts, 'status' | 'plannedEnd' | 'exitDate'>, today: IsoDate): boolean {
  return e.status === 'exited' ? e.exitDate !== null && e.exitDate > today : e.plannedEnd >= today;
}

/**
 * What is kept, through when and why, for a trainee's enrolments on `today`.
 *
 * @example
 * retentionPlan([{ enrolmentId: 'e1', label: 'CAP Cuisine', status: 'exited', plannedEnd: '2025-07-04', exitDate: '2025-06-30',
 *   lastActivity: '2025-06-30', lastPayment: '2025-09-15', unpaidClaims: 0, certificates: 1, euCofunded: false }], '2026-01-10')
 * // keepUntil '2031-09-15' (6 years after the payment), purgeFrom '2031-09-16'; the certificate until '2028-12-31'
 */
export function retentionPlan(enrolments: readonly EnrolmentRetentionFacts[], today: IsoDate): RetentionPlan {
  const items: RetentionItem[] = [];
  const blockers: ErasureBlocker[] = [];
  for (const e of enrolments) {
    if (stillRunning(e, today)) {
      const end = e.status === 'exited' ? e.exitDate! : e.plannedEnd;
      blockers.push({
        enrolmentId: e.enrolmentId,
        message: `L'inscription « ${e.label} » est en cours (fin ${e.status === 'exited' ? 'enregistrée' : 'prévue'} le ${isoToDisplay(end)}) : enregistrez d'abord la sortie du stagiaire, ses preuves de présence doivent être complètes avant l'effacement.`,
      });
    }
    const end = endOfAction(e);
    const provisional = e.unpaidClaims > 0;
    const paidLater = e.lastPayment !== null && e.lastPayment > end;
    const anchor = paidLater ? e.lastPayment! : end;
    const supportingYears = e.euCofunded ? EU_YEARS : SUPPORTING_YEARS;
    const eu = e.euCofunded ? ', cofinancement européen' : '';
    const after = paidLater ? `après le dernier paiement (${isoToDisplay(anchor)})` : `après la fin de l'action (${isoToDisplay(anchor)})`;
    items.push({
      kind: 'supporting',
      enrolmentId: e.enrolmentId,
      until: addYearsFrench(anchor, supportingYears),
      from: anchor,
      basis: paidLater ? 'last-payment' : 'end-of-action',
      years: supportingYears,
      provisional,
      reason: `Pièces justificatives de « ${e.label} » (émargements, signatures, journaux de connexion, journal AFEST, pièces de la demande de paiement) : ${supportingYears} ans ${after}${eu}, durée de conservation demandée par les financeurs.`,
    });
    if (e.certificates > 0) {
      // « 3 ans à compter de la fin de l'année du dernier paiement »: from 31 December of that year.
      const paid = e.lastPayment ?? end;
      const endOfYear = `${paid.slice(0, 4)}-12-31`;
      const years = e.euCofunded ? EU_YEARS : CERTIFICATE_YEARS;
      const since = e.lastPayment !== null ? `du dernier paiement (${isoToDisplay(paid)})` : `de l'action (terminée le ${isoToDisplay(paid)}), aucun paiement n'étant encore enregistré`;
      items.push({
        kind: 'certificate',
        enrolmentId: e.enrolmentId,
        until: addYearsFrench(endOfYear, years),
        from: endOfYear,
        basis: e.lastPayment !== null ? 'last-payment' : 'end-of-action',
        years,
        provisional: provisional || e.lastPayment === null,
        reason: `Certificat de réalisation de « ${e.label} » : ${years} ans à compter de la fin de l'année ${since}${eu}, clause de conservation du modèle de certificat.`,
      });
    }
  }
  const keepUntil = items.reduce<IsoDate | null>((max, i) => (max === null || i.until > max ? i.until : max), null);
  return { items, keepUntil, purgeFrom: keepUntil === null ? today : dayAfter(keepUntil), blockers };
}

/**
 * Whether what remains may be anonymised on `today`: the plan's first purge day has come, and so has the one
 * recorded at the erasure (`recorded`; a plan computed later never brings the purge forward).
 */
export function purgeDue(plan: Pick<RetentionPlan, 'purgeFrom'>, today: IsoDate, recorded: IsoDate | null = null): boolean {
  return today >= plan.purgeFrom && (recorded === null || today >= recorded);
}

/** The name an anonymised trainee keeps: « Personne effacée 3 » (the erasure's number), « — » as first name. */
export function erasedName(n: number): { lastName: string; firstName: string } {
  return { lastName: `Personne effacée ${n}`, firstName: '—' };
}

/** The birth date an anonymised trainee keeps: the column is NOT NULL and the forms accept none earlier. */
export const ERASED_BIRTH_DATE = '1900-01-01';

/**
 * What the erasure removes at once: nothing here is under a funder's obligation. The backend does exactly this
 * (electron/backend/rgpd/erase.ts); the screen lists it before the user confirms.
 */
export const ERASED_NOW = [
  { key: 'contact', label: 'Coordonnées : e-mail, téléphone, code postal et ville' },
  { key: 'nir', label: 'NIR (numéro de sécurité sociale) et son index de recherche' },
  { key: 'sensitive', label: 'Données sensibles : RQTH et aménagements, prestations, suivi judiciaire' },
  { key: 'franceTravailId', label: 'Identifiant France Travail' },
  { key: 'pin', label: "Code PIN d'émargement" },
  { key: 'drafts', label: "Saisies d'appel en cours (brouillons, signatures non enregistrées)" },
  { key: 'sent', label: 'NIR et identifiant France Travail des copies déjà transmises aux financeurs gardées dans la file de synchronisation' },
  { key: 'logins', label: 'Identifiant de connexion des lignes de journaux de connexion qui ne justifient aucune heure' },
] as const satisfies readonly { key: string; label: string }[];
export type ErasedNowKey = (typeof ERASED_NOW)[number]['key'];

/** What stays until the end of the retention, then is anonymised by the purge (electron/backend/rgpd/purge.ts). */
export const KEPT_UNTIL_PURGE = [
  { key: 'identity', label: 'Nom, prénom et date de naissance (ils rattachent les preuves à la personne pour les financeurs)' },
  { key: 'evidence', label: 'Marques de présence et leurs corrections, signatures, relevés de connexion, journal AFEST' },
  { key: 'claims', label: 'Lignes des demandes de paiement et certificats de réalisation' },
  { key: 'audit', label: 'Événements du journal d’audit qui la concernent' },
] as const satisfies readonly { key: string; label: string }[];
export type KeptKey = (typeof KEPT_UNTIL_PURGE)[number]['key'];
