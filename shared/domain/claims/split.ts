/**
 * The split of an enrolment's (or a session's) realised minutes between its funding lines of one cost type
 * (issue #10): one trainee, several funders, one truth. Pure; the engine (./compute.ts), the funding-lines
 * editor and the backend's checks call it.
 *
 * Order: `minutes` lines take their minutes first, in position order (each never more than what is left,
 * and never more than its hours minus what it already took before); `percent` lines take their share of the
 * total (largest-remainder rounding, so shares that add up to 100 % take every minute), in position order
 * never more than what is left; one `remainder` line takes what is left. Without a remainder line the rest
 * is returned as `unfunded`.
 */
import type { CostType } from '../../schemas/funding';

export interface ShareLine {
  id: string;
  shareKind: 'percent' | 'minutes' | 'remainder';
  /** Basis points for `percent`, minutes for `minutes`, null for `remainder`. */
  shareValue: number | null;
  position: number;
}

export interface SplitResult {
  /** Minutes per line id (every line given has an entry, possibly 0). */
  shares: Record<string, number>;
  /** What no line takes. */
  unfunded: number;
}

const byPosition = (a: ShareLine, b: ShareLine) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Splits `total` minutes between `lines`. `takenBefore` gives, per `minutes` line, what it already took
 * before (earlier periods): it takes at most its minutes minus that.
 *
 * @example splitMinutes(600, [{ id: 'a', shareKind: 'minutes', shareValue: 120, position: 1 }, { id: 'b', shareKind: 'percent', shareValue: 5000, position: 2 }, { id: 'c', shareKind: 'remainder', shareValue: null, position: 3 }])
 * // { shares: { a: 120, b: 300, c: 180 }, unfunded: 0 }
 */
export function splitMinutes(total: number, lines: readonly ShareLine[], takenBefore: Readonly<Record<string, number>> = {}): SplitResult {
  const sorted = [...lines].sort(byPosition);
  const shares: Record<string, number> = {};
  for (const l of sorted) shares[l.id] = 0;
  const whole = Math.max(0, Math.floor(total));
  let left = whole;

  for (const l of sorted) {
    if (l.shareKind !== 'minutes') continue;
    const capacity = Math.max(0, (l.shareValue ?? 0) - (takenBefore[l.id] ?? 0));
    const take = Math.min(capacity, left);
    shares[l.id] = take;
    left -= take;
  }

  const percents = sorted.filter((l) => l.shareKind === 'percent' && (l.shareValue ?? 0) > 0);
  if (percents.length > 0) {
    // Largest remainder: floor each exact share, then hand the minutes the floors lost to the largest
    // fractions (position order on ties), up to the floor of the exact total of the shares.
    const totalT = whole;
    const bp = percents.map((l) => Math.min(10_000, l.shareValue ?? 0));
    const exact = bp.map((b) => ({ floor: Math.floor((totalT * b) / 10_000), frac: (totalT * b) % 10_000 }));
    const sumBp = bp.reduce((s, b) => s + b, 0);
    const target = Math.floor((totalT * Math.min(sumBp, 10_000)) / 10_000);
    let extra = target - exact.reduce((s, e) => s + e.floor, 0);
    const order = exact.map((e, i) => ({ i, frac: e.frac })).sort((a, b) => b.frac - a.frac || a.i - b.i);
    const want = exact.map((e) => e.floor);
    for (const o of order) {
      if (extra <= 0 || o.frac === 0) break;
      want[o.i]!++;
      extra--;
    }
    percents.forEach((l, i) => {
      const take = Math.min(want[i]!, left);
      shares[l.id] = take;
      left -= take;
    });
  }

  const remainder = sorted.find((l) => l.shareKind === 'remainder');
  if (remainder) {
    shares[remainder.id] = left;
    left = 0;
  }
  return { shares, unfunded: left };
}

export const COST_TYPE_LABELS: Record<CostType, string> = {
  pedagogique: 'coût pédagogique',
  remuneration: 'rémunération',
  aide: 'aide',
  accompagnement: 'accompagnement',
  ingenierie: 'ingénierie',
};
