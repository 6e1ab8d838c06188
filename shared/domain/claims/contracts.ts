/**
 * Apprenticeship contracts (issue #10): the yearly coût contrat (NPEC) pro-rated by days, and the Region's
 * majorations (Occitanie: +1 500 € when the training site is in a ZRR or a QPV, +1 000 € for a strategic
 * sector on a dated list). Pure arithmetic; ./compute.ts turns the results into claim lines.
 */
import type { FundingRule, Majoration } from '../../schemas/funding';
import { parseIsoDate } from '../dates';
import { mulDivHalfUp } from './amounts';
import type { ClaimContract } from './model';

/** Days from `from` to `to`, both included; 0 when `to` is before `from`. */
export function daysInclusive(from: string, to: string): number {
  if (to < from) return 0;
  return Math.round((parseIsoDate(to).getTime() - parseIsoDate(from).getTime()) / 86_400_000) + 1;
}

/** The last day a contract runs: its end, or its rupture when earlier. */
export function contractLastDay(c: Pick<ClaimContract, 'endDate' | 'ruptureDate'>): string {
  return c.ruptureDate !== null && c.ruptureDate < c.endDate ? c.ruptureDate : c.endDate;
}

/** The days of [from, to] the contract runs: [start, min(end, rupture)] ∩ [from, to], or null when none. */
export function contractDaysIn(c: Pick<ClaimContract, 'startDate' | 'endDate' | 'ruptureDate'>, from: string, to: string): { from: string; to: string; days: number } | null {
  const a = c.startDate > from ? c.startDate : from;
  const last = contractLastDay(c);
  const b = last < to ? last : to;
  const days = daysInclusive(a, b);
  return days > 0 ? { from: a, to: b, days } : null;
}

/**
 * The coût contrat of `days` days: days × NPEC / yearDays, rounded half-up to the cent.
 *
 * @example proRatedNpecCents(100, 700_000, 365) // 191 781 (100 × 7 000 € / 365 = 1 917,808… €)
 */
export function proRatedNpecCents(days: number, npecCents: number, yearDays: number): number {
  return mulDivHalfUp(days, npecCents, yearDays);
}

/** Whether a majoration's condition holds for a contract (the sector list entry valid at the contract start). */
export function majorationApplies(m: Majoration, c: Pick<ClaimContract, 'siteZrr' | 'siteQpv' | 'rncpCode' | 'startDate'>): boolean {
  if (m.condition === 'site-zrr-qpv') return c.siteZrr || c.siteQpv;
  return m.sectors.some((s) => s.rncpCode === c.rncpCode && s.from <= c.startDate && (s.to === null || c.startDate <= s.to));
}

export interface MajorationAmount {
  code: string;
  label: string;
  /** The rule's amount, before any rupture. */
  fullCents: number;
  amountCents: number;
  /** `full`, `pro-rata` (days done / days planned), or `dropped` (then amountCents is 0 and no line is made). */
  treatment: 'full' | 'pro-rata' | 'dropped';
  daysDone: number | null;
  daysPlanned: number | null;
}

/**
 * The majorations one contract earns under a rule: those whose condition holds; when `combineMajorations` is
 * false only the highest (the first listed on a tie); a rupture keeps them whole, pro-rates them by days done
 * over days planned ([start, rupture] over [start, end], half-up), or drops them, as `onRupture` says.
 */
export function contractMajorations(
  rule: Pick<FundingRule, 'majorations' | 'combineMajorations' | 'onRupture'>,
  c: Pick<ClaimContract, 'siteZrr' | 'siteQpv' | 'rncpCode' | 'startDate' | 'endDate' | 'ruptureDate'>,
): MajorationAmount[] {
  let applying = rule.majorations.filter((m) => majorationApplies(m, c));
  if (!rule.combineMajorations && applying.length > 1) {
    const best = applying.reduce((a, b) => (b.amountCents > a.amountCents ? b : a));
    applying = [best];
  }
  const ruptured = c.ruptureDate !== null && c.ruptureDate < c.endDate;
  return applying.map((m) => {
    if (!ruptured || rule.onRupture === 'keep') {
      return { code: m.code, label: m.label, fullCents: m.amountCents, amountCents: m.amountCents, treatment: 'full', daysDone: null, daysPlanned: null };
    }
    const daysDone = daysInclusive(c.startDate, c.ruptureDate!);
    const daysPlanned = daysInclusive(c.startDate, c.endDate);
    if (rule.onRupture === 'drop') {
      return { code: m.code, label: m.label, fullCents: m.amountCents, amountCents: 0, treatment: 'dropped', daysDone, daysPlanned };
    }
    return { code: m.code, label: m.label, fullCents: m.amountCents, amountCents: mulDivHalfUp(m.amountCents, daysDone, daysPlanned), treatment: 'pro-rata', daysDone, daysPlanned };
  });
}
