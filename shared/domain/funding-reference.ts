/**
 * Pure rules of the funders' reference data (issue #10): a programme's rule versions are dated windows
 * (`validFrom` … `validTo`, both inclusive, `validTo` null = open-ended); two versions still current (not
 * replaced) never overlap, so on any day at most one is in force. A correction is a new version that
 * replaces the old one (append-only history).
 */
import { isoToDisplay } from './date-text';

export interface DatedWindow {
  id: string;
  validFrom: string;
  validTo: string | null;
  replacesId?: string | null;
}

/** Whether two inclusive windows share at least one day. */
export function windowsOverlap(a: Pick<DatedWindow, 'validFrom' | 'validTo'>, b: Pick<DatedWindow, 'validFrom' | 'validTo'>): boolean {
  const aEndsBeforeB = a.validTo !== null && a.validTo < b.validFrom;
  const bEndsBeforeA = b.validTo !== null && b.validTo < a.validFrom;
  return !aEndsBeforeB && !bEndsBeforeA;
}

/** « du 01/01/2026 au 31/12/2026 », « du 01/01/2026 sans date de fin ». */
export function windowText(w: Pick<DatedWindow, 'validFrom' | 'validTo'>): string {
  return w.validTo === null ? `du ${isoToDisplay(w.validFrom)} sans date de fin` : `du ${isoToDisplay(w.validFrom)} au ${isoToDisplay(w.validTo)}`;
}

/** The ids of the versions a later one replaced. */
export function replacedIds(versions: readonly DatedWindow[]): Set<string> {
  return new Set(versions.map((v) => v.replacesId).filter((x): x is string => typeof x === 'string'));
}

/**
 * The French refusal when `candidate` overlaps a current version of the same programme (the one it
 * replaces aside), else null: « La version du 01/01/2026 au 31/12/2026 chevauche celle du 01/07/2026 sans date de fin. »
 */
export function overlapProblem(candidate: Omit<DatedWindow, 'id'>, versions: readonly DatedWindow[]): string | null {
  const replaced = replacedIds(versions);
  for (const v of versions) {
    if (replaced.has(v.id) || v.id === candidate.replacesId) continue;
    if (windowsOverlap(candidate, v)) return `La version ${windowText(candidate)} chevauche celle ${windowText(v)}.`;
  }
  return null;
}

export type VersionState = 'in-force' | 'future' | 'ended' | 'replaced';

/** Where a version stands on `today`. */
export function versionState(v: DatedWindow, replaced: ReadonlySet<string>, today: string): VersionState {
  if (replaced.has(v.id)) return 'replaced';
  if (v.validFrom > today) return 'future';
  if (v.validTo !== null && v.validTo < today) return 'ended';
  return 'in-force';
}

/** The version in force on `day` (current versions never overlap, so there is at most one). */
export function versionInForce<T extends DatedWindow>(versions: readonly T[], day: string): T | null {
  const replaced = replacedIds(versions);
  return versions.find((v) => !replaced.has(v.id) && v.validFrom <= day && (v.validTo === null || v.validTo >= day)) ?? null;
}

/** The BPF payer category a funder of this kind usually has (as migration 14 filled them). */
export const DEFAULT_PAYER_CATEGORY: Readonly<Record<string, string>> = Object.freeze({
  opco: 'C-2h', region: 'C-6', 'france-travail': 'C-7', cpf: 'C-2e', etat: 'C-5', agefiph: 'C-8', collectivite: 'C-8', employeur: 'C-1', particulier: 'C-9', autre: 'C-11',
});

/** A receiver's billing unit → Sillon's (`hour` is the trainee hour); null when there is none to map to. */
export function referenceUnit(unit: unknown): string | null {
  const ALIASES: Record<string, string> = {
    hour: 'trainee-hour', 'trainee-hour': 'trainee-hour', 'hour-trainee': 'trainee-hour', 'heure-stagiaire': 'trainee-hour',
    'group-hour': 'group-hour', 'heure-groupe': 'group-hour',
    'lump-sum': 'learner-lump-sum', forfait: 'learner-lump-sum', 'learner-lump-sum': 'learner-lump-sum',
    'session-lump-sum': 'session-lump-sum', 'pathway-lump-sum': 'pathway-lump-sum',
    contract: 'contract', 'contract-majoration': 'contract-majoration', day: 'day', jour: 'day',
    'cost-based': 'cost-based', sieg: 'cost-based', 'grant-percent': 'grant-percent',
  };
  return typeof unit === 'string' ? (ALIASES[unit.trim().toLowerCase()] ?? null) : null;
}
