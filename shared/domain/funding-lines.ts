import type { CostType } from '../schemas/funding';
import { splitMinutes } from './claims/split';

/**
 * The funding lines of one enrolment or of a whole session (`fundings`, issue #10): funder × programme × cost
 * type × share. Within a cost type, `minutes` lines take their hours, `percent` lines their share (basis
 * points: 10 000 = 100 %), and at most one `remainder` line takes what is left. The editor checks a set with
 * {@link checkFundingLines} as it is typed; the backend checks it again before saving (same sentences).
 * The split of realised minutes a claim bills is shared/domain/claims/split.ts; the remainder shown while
 * editing ({@link remainderOf}) is the same rule applied to the planned minutes.
 */

export type ShareKind = 'percent' | 'minutes' | 'remainder';

export interface FundingLineDraft {
  funderCode: string;
  programmeId: string | null;
  costType: CostType;
  shareKind: ShareKind;
  /** Basis points for `percent`, minutes for `minutes`, null for `remainder`. */
  shareValue: number | null;
}

/** What a set is checked against: the funders that exist and the programmes with their funder. */
export interface FundingReference {
  funders: readonly { code: string; name: string }[];
  programmes: readonly { id: string; funderCode: string; name: string }[];
}

export interface FundingLineIssue {
  /** `lines.1.shareValue`: the field of the line to fix (0-based index). */
  path: string;
  message: string;
}

/** A cost type inside a sentence, after « de »: « les pourcentages du coût pédagogique ». */
export const OF_COST_TYPE_FR: Record<CostType, string> = {
  pedagogique: 'du coût pédagogique',
  remuneration: 'de la rémunération',
  aide: 'des aides',
  accompagnement: "de l'accompagnement",
  ingenierie: "de l'ingénierie",
};

/** 3333 → « 33,33 % », 7000 → « 70 % ». */
export function formatBasisPoints(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const cents = Math.abs(bp % 100);
  return `${whole}${cents === 0 ? '' : `,${String(cents).padStart(2, '0').replace(/0$/, '')}`} %`;
}

/** « 33,33 » (or « 33.33 », « 33,33 % ») → 3333; '' → null; anything else → NaN (the check reports it). */
export function parsePercent(text: string): number | null {
  const t = text.replace(/\s|%/g, '').replace(',', '.');
  if (t === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return Number.NaN;
  const [whole, frac = ''] = t.split('.') as [string, string?];
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** « 120 » → 7 200 minutes, « 7,5 » → 450; '' → null; anything else → NaN. */
export function parseHours(text: string): number | null {
  const t = text.replace(/\s/g, '').replace(/h$/i, '').replace(',', '.');
  if (t === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return Number.NaN;
  return Math.round(Number(t) * 60);
}

/**
 * What is wrong with a set of lines, in French, each issue on the field to fix. Checked: the funder exists,
 * the programme is one of the funder's, a share is in range, percents of one cost type do not pass 100 %, one
 * cost type has at most one `remainder` line. `requireOne`: an enrolment keeps at least one line.
 */
export function checkFundingLines(lines: readonly FundingLineDraft[], reference?: FundingReference, options: { requireOne?: boolean } = {}): FundingLineIssue[] {
  const issues: FundingLineIssue[] = [];
  if (options.requireOne && lines.length === 0) {
    issues.push({ path: 'lines', message: 'Une inscription garde au moins une ligne de financement.' });
  }
  const funders = reference ? new Map(reference.funders.map((f) => [f.code, f])) : null;
  const programmes = reference ? new Map(reference.programmes.map((p) => [p.id, p])) : null;
  const percentSum = new Map<CostType, number>();
  const remainderAt = new Map<CostType, number>();
  lines.forEach((line, i) => {
    const at = (field: string) => `lines.${i}.${field}`;
    if (!line.funderCode.trim()) {
      issues.push({ path: at('funderCode'), message: 'Choisissez le financeur.' });
    } else if (funders && !funders.has(line.funderCode)) {
      issues.push({ path: at('funderCode'), message: `Financeur inconnu : ${line.funderCode}.` });
    }
    if (line.programmeId && programmes) {
      const programme = programmes.get(line.programmeId);
      if (!programme) issues.push({ path: at('programmeId'), message: 'Dispositif inconnu.' });
      else if (programme.funderCode !== line.funderCode) {
        const owner = funders?.get(programme.funderCode)?.name ?? programme.funderCode;
        issues.push({ path: at('programmeId'), message: `Le dispositif « ${programme.name} » appartient à un autre financeur (${owner}).` });
      }
    }
    const value = line.shareValue;
    if (line.shareKind === 'percent') {
      if (value === null || !Number.isInteger(value) || value < 1 || value > 10_000) {
        issues.push({ path: at('shareValue'), message: 'Part : de 0,01 % à 100 % (ex. 33,33).' });
        return;
      }
      const before = percentSum.get(line.costType) ?? 0;
      const sum = before + value;
      percentSum.set(line.costType, sum);
      if (sum > 10_000 && before <= 10_000) {
        issues.push({ path: at('shareValue'), message: `Les pourcentages ${OF_COST_TYPE_FR[line.costType]} dépassent 100 % (${formatBasisPoints(sum)}).` });
      }
    } else if (line.shareKind === 'minutes') {
      if (value === null || !Number.isInteger(value) || value <= 0) {
        issues.push({ path: at('shareValue'), message: "Indiquez un nombre d'heures supérieur à zéro (ex. 120)." });
      }
    } else {
      const first = remainderAt.get(line.costType);
      if (first === undefined) remainderAt.set(line.costType, i);
      else {
        issues.push({
          path: at('shareKind'),
          message: `Un seul « reste » par type de coût : la ligne ${first + 1} prend déjà le reste ${OF_COST_TYPE_FR[line.costType]}.`,
        });
      }
    }
  });
  return issues;
}

/**
 * The share of one cost type's `total` minutes left to the remainder line, by the rule a claim bills with
 * (`splitMinutes`: hours first, then percents with largest-remainder rounding): who takes it (`index` of the
 * remainder line, or null: nobody, the rest is unfunded) and how many minutes. Null when the cost type has no line.
 */
export function remainderOf(lines: readonly FundingLineDraft[], costType: CostType, total: number): { index: number | null; minutes: number } | null {
  const mine = lines.map((l, index) => ({ l, index })).filter(({ l }) => l.costType === costType);
  if (mine.length === 0) return null;
  const split = splitMinutes(Math.max(0, total), mine.map(({ l, index }) => ({ id: String(index), shareKind: l.shareKind, shareValue: l.shareValue, position: index })));
  const remainder = mine.find(({ l }) => l.shareKind === 'remainder');
  return remainder ? { index: remainder.index, minutes: split.shares[String(remainder.index)] ?? 0 } : { index: null, minutes: split.unfunded };
}
