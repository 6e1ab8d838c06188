/**
 * Which version of a programme's rule pack is in force at a date, and which versions overlap (a bad input
 * the pre-flight reports: two versions in force on one day leave the rate ambiguous).
 */
import type { RuleVersion } from './model';

const inForce = (v: RuleVersion, date: string) => v.validFrom <= date && (v.validTo === null || date <= v.validTo);

/**
 * The version in force on `date` (`validFrom` ≤ date ≤ `validTo`, inclusive), or null. When versions
 * overlap (reported by `overlappingVersions`), the one that starts last wins, then the greatest id.
 */
export function ruleInForce(versions: readonly RuleVersion[], date: string): RuleVersion | null {
  let best: RuleVersion | null = null;
  for (const v of versions) {
    if (!inForce(v, date)) continue;
    if (!best || v.validFrom > best.validFrom || (v.validFrom === best.validFrom && v.id > best.id)) best = v;
  }
  return best;
}

/** Every pair of versions whose windows share at least one day, each pair ordered by `validFrom` then id. */
export function overlappingVersions(versions: readonly RuleVersion[]): [RuleVersion, RuleVersion][] {
  const sorted = [...versions].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const pairs: [RuleVersion, RuleVersion][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (a.validTo === null || b.validFrom <= a.validTo) pairs.push([a, b]);
    }
  }
  return pairs;
}
