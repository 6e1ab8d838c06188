import { formatHoursE4 } from '../../../../shared/format/money';
import type { ClaimPage } from '../../../../shared/contract/claims';

/**
 * What the claims screens show, kept apart from the components: the quantity of a line in its unit, the
 * route of the record a pre-flight issue names, and the bars of the claim's chart.
 */

export type ClaimIssueView = ClaimPage['preflight']['blockers'][number];
export type ClaimLineView = ClaimPage['lines'][number];

/** Units whose quantity is hours (« 412,50 h »); the others are counts or shares (« 1 », « 0,5833 »). */
const HOUR_UNITS = new Set(['trainee-hour', 'group-hour', 'cost-based', 'grant-percent']);

/** A French number with its decimals (up to four, trailing zeros dropped): 5 833 → « 0,5833 ». */
export function formatQuantityE4(quantityE4: number): string {
  const negative = quantityE4 < 0;
  const abs = Math.abs(quantityE4);
  const whole = String(Math.floor(abs / 10_000)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const decimals = String(abs % 10_000).padStart(4, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${decimals ? `,${decimals}` : ''}`;
}

/**
 * A line's quantity in its unit: hours as « 412,50 h », anything else as a plain number. A line the engine
 * states as 1 × its amount (a grant share, a capped or pro-rated amount: `detail.computedQuantityE4`) counts 1.
 */
export function formatLineQuantity(line: { unit: string; quantityE4: number; detail?: Record<string, unknown> }): string {
  const statedAsAmount = line.detail !== undefined && 'computedQuantityE4' in line.detail;
  return HOUR_UNITS.has(line.unit) && !statedAsAmount ? formatHoursE4(line.quantityE4) : formatQuantityE4(line.quantityE4);
}

/**
 * Where a pre-flight issue is fixed: an enrolment on its session's page (registrations tab), a slot on its
 * roll call, programmes and funders on « Financeurs », contracts, the organisation and trainees on their
 * screens. Null when the link names nothing the app can open.
 */
export function issueRoute(link: ClaimIssueView['link']): string | null {
  if (!link) return null;
  switch (link.kind) {
    case 'enrolment':
      return link.sessionId ? `/sessions/${link.sessionId}?onglet=inscriptions` : null;
    case 'session':
      return link.id ? `/sessions/${link.id}` : null;
    case 'slot':
      return `/emargement/${link.id}`;
    case 'programme':
    case 'funder':
      return '/financeurs';
    case 'contract':
      return '/contrats';
    case 'organisation':
      return '/organisme';
    case 'trainee':
      return '/stagiaires';
    default:
      return null;
  }
}

export interface Bar {
  label: string;
  cents: number;
}

/**
 * The chart's bars: the amount per trainee (a line's label up to « — » names who it bills: the trainee, the
 * session or the contract), largest first; beyond `max` bars the rest is one « others » bar.
 */
export function barsOf(lines: readonly Pick<ClaimLineView, 'label' | 'amountCents'>[], max: number, others: string): Bar[] {
  const byWho = new Map<string, number>();
  for (const l of lines) {
    const who = l.label.split(' — ')[0]!.trim() || l.label;
    byWho.set(who, (byWho.get(who) ?? 0) + l.amountCents);
  }
  const bars = [...byWho].map(([label, cents]) => ({ label, cents })).sort((a, b) => b.cents - a.cents || a.label.localeCompare(b.label, 'fr'));
  if (bars.length <= max) return bars;
  const rest = bars.slice(max - 1).reduce((s, b) => s + b.cents, 0);
  return [...bars.slice(0, max - 1), { label: others, cents: rest }];
}
