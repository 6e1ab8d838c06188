/**
 * A trainee's sensitive fields (*données sensibles*, issue #12): disability (*RQTH*, reconnaissance de la
 * qualité de travailleur handicapé), social benefits (*minima sociaux*, unemployment benefit) and justice
 * follow-up (*SPIP* for adults, *PJJ* for minors). Funders ask for them to count their priority audiences;
 * they are health and justice data under the RGPD (art. 9 and 10): the backend keeps them sealed and shows
 * them only to roles holding `people.sensitive.read`. Pure: the form checks them as people type, the backend
 * checks them again.
 */

/** RSA, ASS, AAH, ARE (*allocation d'aide au retour à l'emploi*), or another one named in `benefitsOther`. */
export const BENEFITS = ['rsa', 'ass', 'aah', 'are', 'other'] as const;
export type Benefit = (typeof BENEFITS)[number];

/** SPIP (*service pénitentiaire d'insertion et de probation*) or PJJ (*protection judiciaire de la jeunesse*). */
export const JUSTICE_SERVICES = ['spip', 'pjj'] as const;
export type JusticeService = (typeof JUSTICE_SERVICES)[number];

export interface TraineeSensitive {
  /** RQTH recognised. */
  rqth: boolean;
  /** The RQTH's end date, when it has one (`YYYY-MM-DD`). */
  rqthUntil: string | null;
  /** Accommodations the training needs (free text): asked for with or without an RQTH. */
  accommodations: string | null;
  benefits: Benefit[];
  benefitsOther: string | null;
  /** Followed by a justice service, or null. */
  justiceFollowUp: JusticeService | null;
  justiceNote: string | null;
}

export type SensitiveField = keyof TraineeSensitive;

/**
 * Why a set of sensitive fields is refused, each issue a French sentence naming its field: an RQTH end date
 * without an RQTH, « autre » prestation not named (or named without « autre »), a justice note without the
 * service.
 */
export function sensitiveProblems(s: TraineeSensitive): { path: SensitiveField; message: string }[] {
  const problems: { path: SensitiveField; message: string }[] = [];
  if (s.rqthUntil && !s.rqth) problems.push({ path: 'rqthUntil', message: 'Fin de la RQTH : cochez d’abord « RQTH reconnue ».' });
  if (s.benefits.includes('other') && !s.benefitsOther) problems.push({ path: 'benefitsOther', message: 'Autre prestation : précisez laquelle.' });
  if (s.benefitsOther && !s.benefits.includes('other')) problems.push({ path: 'benefitsOther', message: 'Autre prestation : cochez d’abord « Autre ».' });
  if (s.justiceNote && !s.justiceFollowUp) problems.push({ path: 'justiceNote', message: 'Suivi judiciaire : indiquez d’abord le service (SPIP ou PJJ).' });
  return problems;
}

/** Nothing recorded: such a trainee has no sensitive data (stored as NULL, not as an empty sealed object). */
export function isEmptySensitive(s: TraineeSensitive): boolean {
  return !s.rqth && !s.rqthUntil && !s.accommodations && s.benefits.length === 0 && !s.benefitsOther && !s.justiceFollowUp && !s.justiceNote;
}
