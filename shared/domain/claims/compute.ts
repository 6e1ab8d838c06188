/**
 * The claim engine (issue #10): a `ClaimInput` → claim lines, the pre-flight issues the input shows, and the
 * total. Pure: the backend loads the input (electron/backend/claims) and re-runs this; the screens call it
 * to preview. Quantities come only from the realised-hours engine (`currentMarks`, `billableMinutes`); the
 * split between funders is ./split.ts; the coût contrat and majorations ./contracts.ts; the rule in force
 * ./rules.ts; the arithmetic ./amounts.ts. The semantics of each unit: BILLING_UNITS in shared/schemas/funding.ts.
 *
 * One line per (enrolment, session or contract) × funding line × rule version: a period spanning two versions
 * gives two lines, each slot under the version in force on its date.
 */
import { HOURLY_UNITS, type BillingUnit, type CostType, type FundingRule } from '../../schemas/funding';
import { isoToDisplay } from '../date-text';
import { addDays } from '../dates';
import { billableMinutes, currentMarks, type BillableFlags, type EngineMark } from '../realised-hours';
import { formatCents, formatHoursE4 } from '../../format/money';
import { hoursE4FromMinutes, lineAmountCents, mulDivHalfUp } from './amounts';
import { contractDaysIn, contractMajorations, proRatedNpecCents } from './contracts';
import type { ClaimComputation, ClaimContract, ClaimEnrolment, ClaimFundingLine, ClaimInput, ClaimIssue, ClaimProgramme, ClaimSlot, ComputedLine, IssueLink, RuleVersion } from './model';
import { overlappingVersions, ruleInForce } from './rules';
import { OF_COST_TYPE_FR } from '../funding-lines';
import { COST_TYPE_LABELS, splitMinutes, type ShareLine } from './split';

/** French names of the units, in labels. */
export const UNIT_LABELS: Record<BillingUnit, string> = {
  'trainee-hour': 'heures stagiaire',
  'group-hour': 'heures groupe',
  'learner-lump-sum': 'forfait stagiaire',
  'session-lump-sum': 'forfait session',
  'pathway-lump-sum': 'forfait parcours',
  contract: 'coût contrat',
  'contract-majoration': 'majoration',
  day: 'journées',
  'cost-based': 'compensation SIEG',
  'grant-percent': 'subvention',
};

/** Units billed per session (on a session's funding lines); the others per enrolment (or per contract). */
export const SESSION_UNITS: readonly BillingUnit[] = ['group-hour', 'session-lump-sum'];
const CONTRACT_UNITS: readonly BillingUnit[] = ['contract', 'contract-majoration'];

/** The statuses counted when no rule is in force (only to know what a `minutes` share took before a period). */
const DEFAULT_BILLABLE: BillableFlags = { present: true, late: true, earlyLeave: true, excused: false, unexcused: false, remote: true };

/** The key of a lump sum or majoration in `billedBefore.onceKeys`. */
export function onceKey(unit: BillingUnit, subjectId: string, programmeId: string, majorationCode = ''): string {
  return `${unit}|${subjectId}|${programmeId}|${majorationCode}`;
}

/** The unit a programme bills in: its version in force at `date`, else its latest version; null without any. */
export function programmeUnit(p: Pick<ClaimProgramme, 'rules'>, date: string): BillingUnit | null {
  const v = ruleInForce(p.rules, date) ?? [...p.rules].sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  return v ? v.rule.unit : null;
}

interface Dated {
  mark: EngineMark;
  slot: ClaimSlot;
}

interface Group {
  version: RuleVersion;
  minutes: number;
  count: number;
  firstDate: string;
  lastDate: string;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function computeClaim(input: ClaimInput): ClaimComputation {
  const req = input.request;
  const { from, to } = req;
  const blockers: ClaimIssue[] = [];
  const warnings: ClaimIssue[] = [];
  const seen = new Set<string>();
  const issue = (list: ClaimIssue[], code: string, message: string, link: IssueLink | null) => {
    const key = `${code}|${message}|${link?.kind ?? ''}|${link?.id ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    list.push({ code, message, link });
  };
  const blocker = (code: string, message: string, link: IssueLink | null) => issue(blockers, code, message, link);
  const warning = (code: string, message: string, link: IssueLink | null) => issue(warnings, code, message, link);

  const programmes = new Map(input.programmes.map((p) => [p.id, p]));
  const enrolments = new Map(input.enrolments.map((e) => [e.id, e]));
  const slots = new Map(input.slots.map((s) => [s.id, s]));
  const sessionLabel = (id: string) => input.sessionLabels?.[id] ?? `Session ${id.slice(0, 8)}`;

  // Marks in force on slots that were held, per enrolment and per slot, in date order.
  const byEnrolment = new Map<string, Dated[]>();
  const bySlot = new Map<string, Dated[]>();
  for (const mark of currentMarks(input.marks)) {
    const slot = slots.get(mark.slotId);
    if (!slot || slot.cancelled) continue;
    const d = { mark, slot };
    (byEnrolment.get(mark.enrolmentId) ?? byEnrolment.set(mark.enrolmentId, []).get(mark.enrolmentId)!).push(d);
    (bySlot.get(slot.id) ?? bySlot.set(slot.id, []).get(slot.id)!).push(d);
  }
  for (const list of byEnrolment.values()) list.sort((a, b) => cmp(a.slot.date, b.slot.date) || cmp(a.slot.id, b.slot.id));
  const enrolmentsBySession = new Map<string, ClaimEnrolment[]>();
  for (const e of input.enrolments) (enrolmentsBySession.get(e.sessionId) ?? enrolmentsBySession.set(e.sessionId, []).get(e.sessionId)!).push(e);
  const slotsBySession = new Map<string, ClaimSlot[]>();
  for (const s of input.slots) if (!s.cancelled) (slotsBySession.get(s.sessionId) ?? slotsBySession.set(s.sessionId, []).get(s.sessionId)!).push(s);
  for (const list of slotsBySession.values()) list.sort((a, b) => cmp(a.date, b.date) || cmp(a.id, b.id));

  const lineClass = (l: ClaimFundingLine): 'session' | 'enrolment' | 'contract' => {
    const p = l.programmeId ? programmes.get(l.programmeId) : undefined;
    const unit = p ? programmeUnit(p, to) : null;
    if (unit && CONTRACT_UNITS.includes(unit)) return 'contract';
    return unit && SESSION_UNITS.includes(unit) ? 'session' : 'enrolment';
  };
  const classes = new Map(input.fundingLines.map((l) => [l.id, lineClass(l)]));
  /** The lines that share an enrolment's minutes of one cost type: its own, else its session's. */
  const effectiveForEnrolment = (e: ClaimEnrolment, costType: CostType): ClaimFundingLine[] => {
    const same = (l: ClaimFundingLine) => l.costType === costType && classes.get(l.id) === 'enrolment';
    const own = input.fundingLines.filter((l) => l.enrolmentId === e.id && same(l));
    return own.length > 0 ? own : input.fundingLines.filter((l) => l.enrolmentId === null && l.sessionId === e.sessionId && same(l));
  };
  const effectiveForSession = (sessionId: string, costType: CostType): ClaimFundingLine[] =>
    input.fundingLines.filter((l) => l.enrolmentId === null && l.sessionId === sessionId && l.costType === costType && classes.get(l.id) === 'session');
  const asShare = (l: ClaimFundingLine): ShareLine => ({ id: l.id, shareKind: l.shareKind, shareValue: l.shareValue, position: l.position });

  // Dates with evidence and no rule in force, per programme: one blocker each (a gap of months is one sentence).
  const withoutRule = new Map<string, { p: ClaimProgramme; dates: Set<string> }>();
  const noRule = (p: ClaimProgramme, date: string) => {
    let entry = withoutRule.get(p.id);
    if (!entry) withoutRule.set(p.id, (entry = { p, dates: new Set() }));
    entry.dates.add(date);
  };
  const countersignChecked = new Set<string>();
  const checkCountersigned = (slot: ClaimSlot, rule: FundingRule) => {
    if (!rule.requireCountersignature || slot.countersigned || countersignChecked.has(slot.id)) return;
    countersignChecked.add(slot.id);
    blocker('not-countersigned', `Le créneau du ${isoToDisplay(slot.date)} (${sessionLabel(slot.sessionId)}) n'est pas contresigné par le formateur.`, { kind: 'slot', id: slot.id });
  };

  const lines: (ComputedLine & { sortKey: string })[] = [];
  const minutesUsed = new Map<string, number>();
  const labelOf = (subject: string, unit: BillingUnit, costType: CostType, p: ClaimProgramme, v: RuleVersion, extra?: string) => {
    const cost = costType === 'pedagogique' ? '' : ` (${COST_TYPE_LABELS[costType]})`;
    const window = [v.validFrom > from ? `à partir du ${isoToDisplay(v.validFrom)}` : '', v.validTo !== null && v.validTo < to ? `jusqu'au ${isoToDisplay(v.validTo)}` : '']
      .filter(Boolean)
      .join(', ');
    return `${subject} — ${extra ?? UNIT_LABELS[unit]}${cost} — ${p.name}${window ? ` (règle ${window})` : ''}`;
  };
  const push = (l: ComputedLine, version: RuleVersion, tie = '') => {
    const capped = version.rule.caps.amountPerLineCents;
    if (capped !== null && l.amountCents > capped) {
      warning('amount-cap', `${l.label} : montant de ${formatCents(l.amountCents)} plafonné à ${formatCents(capped)}.`, null);
      l.detail = { ...l.detail, amountBeforeCapCents: l.amountCents, amountCapCents: capped };
      l.amountCents = capped;
    }
    // The claim record's invariant (exchange-protocol.md, checked by receivers): amount = quantity × unit price
    // rounded half-up. A line computed otherwise (pro-rated coût contrat, grant share, pro-rated majoration,
    // capped amount) is stated as 1 × its amount; its detail keeps the quantity and price it came from.
    if (lineAmountCents(l.quantityE4, l.unitPriceCents) !== l.amountCents) {
      l.detail = { ...l.detail, computedQuantityE4: l.quantityE4, computedUnitPriceCents: l.unitPriceCents };
      l.quantityE4 = 10_000;
      l.unitPriceCents = l.amountCents;
    }
    const sortKey = [l.label, version.validFrom, l.enrolmentId ?? '', l.sessionId ?? '', l.contractId ?? '', l.fundingId ?? '', l.ruleId, l.unit, tie].join('\u0000');
    lines.push({ ...l, sortKey });
  };

  /** The rate of a funding line under a version, or null after reporting why there is none (or a cap passed). */
  const rateOf = (line: ClaimFundingLine, p: ClaimProgramme, v: RuleVersion, unit: BillingUnit, who: string, link: IssueLink): number | null => {
    const rate = line.rateCents ?? v.rule.rateCents;
    if (rate === null) {
      blocker('no-rate', `Aucun tarif pour ${who} (${p.name}) : la règle n'en donne pas, indiquez-le sur la ligne de financement.`, link);
      return null;
    }
    const cap = v.rule.caps.hourlyPriceCents;
    if (cap !== null && HOURLY_UNITS.includes(unit) && rate > cap) {
      blocker(
        'hourly-cap',
        `Tarif de ${formatCents(rate)} de l'heure au-dessus du plafond de ${formatCents(cap)} du programme ${p.name} pour ${who}.`,
        line.rateCents !== null ? link : { kind: 'programme', id: p.id },
      );
    }
    return rate;
  };

  /** Per rule version, the minutes (or days) of `items` in the period; reports dates without a rule. */
  const groupByVersion = <T>(p: ClaimProgramme, items: readonly T[], dateOf: (t: T) => string, measure: (t: T, rule: FundingRule) => number, evidence: (t: T, rule: FundingRule) => void) => {
    const groups = new Map<string, Group>();
    for (const t of items) {
      const date = dateOf(t);
      if (date < from || date > to) continue;
      const v = ruleInForce(p.rules, date);
      if (!v) {
        noRule(p, date);
        continue;
      }
      const m = measure(t, v.rule);
      if (m <= 0) continue;
      evidence(t, v.rule);
      let g = groups.get(v.id);
      if (!g) groups.set(v.id, (g = { version: v, minutes: 0, count: 0, firstDate: date, lastDate: date }));
      g.minutes += m;
      g.count++;
      if (date > g.lastDate) g.lastDate = date;
    }
    return [...groups.values()].sort((a, b) => cmp(a.version.validFrom, b.version.validFrom));
  };
  const markMinutes = (unit: BillingUnit) => (d: Dated, rule: FundingRule) =>
    unit === 'cost-based' ? d.slot.minutes : billableMinutes(d.slot.minutes, d.mark, rule.billable);
  const minutesBefore = (p: ClaimProgramme, items: readonly Dated[], unit: BillingUnit) => {
    let sum = 0;
    for (const d of items) {
      if (d.slot.date >= from) break;
      const v = ruleInForce(p.rules, d.slot.date);
      sum += unit === 'cost-based' ? d.slot.minutes : billableMinutes(d.slot.minutes, d.mark, v ? v.rule.billable : DEFAULT_BILLABLE);
    }
    return sum;
  };

  /** Minute-based lines of one subject: split per version group, minutes cap, amount. */
  const minuteLines = (
    line: ClaimFundingLine, p: ClaimProgramme, unit: BillingUnit, groups: Group[], shareLines: ClaimFundingLine[], before: number,
    subject: { enrolment: ClaimEnrolment | null; sessionId: string; who: string; link: IssueLink },
  ) => {
    const shares = shareLines.map(asShare);
    const first = splitMinutes(before, shares);
    const taken: Record<string, number> = {};
    for (const s of shares) if (s.shareKind === 'minutes') taken[s.id] = first.shares[s.id] ?? 0;
    // The split is made once on the period's total, so every funder's line sees the same split whatever its
    // rule versions; this line's share is then spread over its versions pro rata (largest remainder).
    const total = groups.reduce((s, g) => s + g.minutes, 0);
    const split = splitMinutes(total, shares, taken);
    if (split.unfunded > 0 && groups.length > 0) {
      warning(
        'unfunded',
        `${subject.who} : ${formatHoursE4(hoursE4FromMinutes(split.unfunded))} ${OF_COST_TYPE_FR[line.costType]} sans financeur du ${isoToDisplay(groups[0]!.firstDate)} au ${isoToDisplay(groups[groups.length - 1]!.lastDate)}.`,
        subject.link,
      );
    }
    const lineShare = split.shares[line.id] ?? 0;
    const perGroup = spread(lineShare, groups.map((g) => g.minutes));
    for (const [gi, g] of groups.entries()) {
      const share = perGroup[gi]!;
      if (share <= 0) continue;
      const v = g.version;
      const rate = rateOf(line, p, v, unit, subject.who, subject.link);
      if (rate === null) continue;
      let minutes = share;
      const detail: Record<string, unknown> = {
        share: { kind: line.shareKind, value: line.shareValue },
        realisedMinutes: g.minutes,
        shareMinutes: share,
        unfundedMinutes: split.unfunded,
        ruleValidFrom: v.validFrom,
        rateSource: line.rateCents !== null ? 'funding' : 'rule',
      };
      const capMinutes = v.rule.caps.minutesPerEnrolment;
      if (capMinutes !== null && subject.enrolment) {
        const key = `${subject.enrolment.id}|${p.id}`;
        const used = (input.billedBefore.minutesByEnrolmentProgramme[key] ?? 0) + (minutesUsed.get(key) ?? 0);
        const left = Math.max(0, capMinutes - used);
        if (minutes > left) {
          warning(
            'minutes-cap',
            `Plafond de ${formatHoursE4(hoursE4FromMinutes(capMinutes))} atteint pour ${subject.who} (${p.name}) : ${formatHoursE4(hoursE4FromMinutes(minutes - left))} non facturées.`,
            subject.link,
          );
          detail.minutesCap = capMinutes;
          detail.minutesBeforeCap = minutes;
          minutes = left;
        }
        minutesUsed.set(key, (minutesUsed.get(key) ?? 0) + minutes);
      }
      if (minutes <= 0) continue;
      const quantityE4 = hoursE4FromMinutes(minutes);
      let amountCents = lineAmountCents(quantityE4, rate);
      if (unit === 'grant-percent') {
        const bp = v.rule.grantBasisPoints ?? 10_000;
        amountCents = mulDivHalfUp(quantityE4 * bp, rate, 100_000_000);
        detail.grantBasisPoints = bp;
        detail.amountFormula = 'quantité × tarif × part de subvention';
      }
      push(
        {
          enrolmentId: subject.enrolment?.id ?? null, sessionId: subject.sessionId, contractId: null, fundingId: line.id, programmeId: p.id, ruleId: v.id, unit,
          costType: line.costType, label: labelOf(subject.who, unit, line.costType, p, v), quantityE4, unitPriceCents: rate, amountCents, minutes,
          realisedMinutes: g.minutes, detail,
        },
        v,
      );
    }
  };

  /** A count-based line (lump sums, days): count × the line's share of a unit. */
  const countLine = (
    line: ClaimFundingLine, p: ClaimProgramme, unit: BillingUnit, v: RuleVersion, count: number, shareLines: ClaimFundingLine[],
    subject: { enrolment: ClaimEnrolment | null; sessionId: string; who: string; link: IssueLink }, extraDetail: Record<string, unknown>,
  ) => {
    if (line.shareKind === 'minutes') {
      warning('minutes-share-on-count', `${subject.who} : une part en heures ne s'applique pas au ${UNIT_LABELS[unit]} du programme ${p.name} (indiquez un pourcentage).`, subject.link);
      return;
    }
    const bp = splitMinutes(10_000, shareLines.filter((l) => l.shareKind !== 'minutes').map(asShare)).shares[line.id] ?? 0;
    if (count <= 0 || bp <= 0) return;
    const rate = rateOf(line, p, v, unit, subject.who, subject.link);
    if (rate === null) return;
    const quantityE4 = count * bp;
    push(
      {
        enrolmentId: subject.enrolment?.id ?? null, sessionId: subject.sessionId, contractId: null, fundingId: line.id, programmeId: p.id, ruleId: v.id, unit,
        costType: line.costType, label: labelOf(subject.who, unit, line.costType, p, v), quantityE4, unitPriceCents: rate, amountCents: lineAmountCents(quantityE4, rate),
        minutes: null, realisedMinutes: null,
        detail: { share: { kind: line.shareKind, value: line.shareValue }, shareBasisPoints: bp, count, ruleValidFrom: v.validFrom, rateSource: line.rateCents !== null ? 'funding' : 'rule', ...extraDetail },
      },
      v,
    );
  };

  const billedOnce = new Set(input.billedBefore.onceKeys);
  /** The first date (all dates) an enrolment has billable attendance under the rule in force that day. */
  const firstBillable = (p: ClaimProgramme, items: readonly Dated[], until: string | null = null): string | null => {
    for (const d of items) {
      if (until !== null && d.slot.date > until) break;
      const v = ruleInForce(p.rules, d.slot.date);
      if (billableMinutes(d.slot.minutes, d.mark, v ? v.rule.billable : DEFAULT_BILLABLE) > 0) return d.slot.date;
    }
    return null;
  };

  // ——— Funding lines in scope ———
  const scoped = req.contractId !== null
    ? []
    : input.fundingLines.filter(
        (l) => l.funderCode === req.funderCode && (req.programmeId === null || l.programmeId === req.programmeId) && (req.purchaseOrder === null || l.purchaseOrder === req.purchaseOrder),
      );
  const touched = new Set<string>();
  for (const line of [...scoped].sort((a, b) => a.position - b.position || cmp(a.id, b.id))) {
    const owner = line.enrolmentId ? enrolments.get(line.enrolmentId) : undefined;
    const who = owner ? owner.label : sessionLabel(line.sessionId ?? '');
    const link: IssueLink = owner ? { kind: 'enrolment', id: owner.id } : { kind: 'session', id: line.sessionId ?? '' };
    if (line.programmeId === null) {
      blocker('funding-without-programme', `La ligne de financement de ${who} (${COST_TYPE_LABELS[line.costType]}) n'a pas de programme.`, link);
      continue;
    }
    const p = programmes.get(line.programmeId);
    if (!p) {
      blocker('unknown-programme', `La ligne de financement de ${who} (${COST_TYPE_LABELS[line.costType]}) renvoie à un programme inconnu.`, link);
      continue;
    }
    touched.add(p.id);
    const cls = classes.get(line.id);
    if (cls === 'contract') continue; // billed through the contracts below
    if (cls === 'session') {
      if (line.enrolmentId !== null || line.sessionId === null) {
        warning('session-unit-on-enrolment', `${who} : le programme ${p.name} se facture par session ; portez la ligne de financement sur la session.`, link);
        continue;
      }
      const sessionId = line.sessionId;
      const subject = { enrolment: null, sessionId, who, link };
      const shareLines = effectiveForSession(sessionId, line.costType);
      const sessionSlots = slotsBySession.get(sessionId) ?? [];
      const unit = programmeUnit(p, to)!;
      const held = (s: ClaimSlot, rule: FundingRule) => ((bySlot.get(s.id) ?? []).some((d) => billableMinutes(s.minutes, d.mark, rule.billable) > 0) ? s.minutes : 0);
      if (unit === 'group-hour') {
        const groups = groupByVersion(p, sessionSlots, (s) => s.date, held, (s, rule) => checkCountersigned(s, rule));
        let before = 0;
        for (const s of sessionSlots) {
          if (s.date >= from) break;
          const v = ruleInForce(p.rules, s.date);
          before += held(s, v ? v.rule : ({ billable: DEFAULT_BILLABLE } as FundingRule));
        }
        minuteLines(line, p, unit, groups, shareLines, before, subject);
      } else {
        const first = sessionSlots.find((s) => {
          const v = ruleInForce(p.rules, s.date);
          return held(s, v ? v.rule : ({ billable: DEFAULT_BILLABLE } as FundingRule)) > 0;
        });
        if (!first || first.date < from || first.date > to || billedOnce.has(onceKey(unit, sessionId, p.id))) continue;
        const v = ruleInForce(p.rules, first.date);
        if (!v) {
          noRule(p, first.date);
          continue;
        }
        checkCountersigned(first, v.rule);
        countLine(line, p, unit, v, 1, shareLines, subject, { firstDate: first.date });
      }
      continue;
    }
    // Enrolment units: the line's own enrolment, or each enrolment of its session without lines of its own.
    const covered = line.enrolmentId !== null
      ? owner ? [owner] : []
      : (enrolmentsBySession.get(line.sessionId ?? '') ?? []).filter((e) => effectiveForEnrolment(e, line.costType).some((l) => l.id === line.id));
    for (const e of covered) {
      const subject = { enrolment: e, sessionId: e.sessionId, who: e.label, link: { kind: 'enrolment', id: e.id } as IssueLink };
      const items = byEnrolment.get(e.id) ?? [];
      const shareLines = effectiveForEnrolment(e, line.costType);
      const unit = programmeUnit(p, to)!;
      if (unit === 'trainee-hour' || unit === 'cost-based' || unit === 'grant-percent') {
        const measure = markMinutes(unit);
        const groups = groupByVersion(p, items, (d) => d.slot.date, measure, (d, rule) => checkCountersigned(d.slot, rule));
        minuteLines(line, p, unit, groups, shareLines, minutesBefore(p, items, unit), subject);
      } else if (unit === 'day') {
        const perDate = new Map<string, Dated[]>();
        for (const d of items) (perDate.get(d.slot.date) ?? perDate.set(d.slot.date, []).get(d.slot.date)!).push(d);
        const groups = groupByVersion(
          p, [...perDate.entries()], ([date]) => date,
          ([, ds], rule) => (ds.reduce((s, d) => s + billableMinutes(d.slot.minutes, d.mark, rule.billable), 0) >= rule.minDayMinutes ? 1 : 0),
          ([, ds], rule) => ds.forEach((d) => billableMinutes(d.slot.minutes, d.mark, rule.billable) > 0 && checkCountersigned(d.slot, rule)),
        );
        for (const g of groups) countLine(line, p, unit, g.version, g.minutes, shareLines, subject, { days: g.minutes, minDayMinutes: g.version.rule.minDayMinutes });
      } else if (unit === 'learner-lump-sum' || unit === 'pathway-lump-sum') {
        const date = unit === 'learner-lump-sum' ? firstBillable(p, items) : e.exitDate;
        if (date === null || date < from || date > to || billedOnce.has(onceKey(unit, e.id, p.id))) continue;
        if (unit === 'pathway-lump-sum' && firstBillable(p, items, date) === null) continue;
        const v = ruleInForce(p.rules, date);
        if (!v) {
          noRule(p, date);
          continue;
        }
        if (unit === 'learner-lump-sum') {
          const firstSlot = items.find((d) => d.slot.date === date);
          if (firstSlot) checkCountersigned(firstSlot.slot, v.rule);
        }
        countLine(line, p, unit, v, 1, shareLines, subject, unit === 'learner-lump-sum' ? { firstDate: date } : { exitDate: date });
      }
    }
  }

  // ——— Apprenticeship contracts ———
  const contractInScope = (c: ClaimContract, programmeId: string | null) =>
    req.purchaseOrder === null && (req.contractId === null || c.id === req.contractId) && (req.programmeId === null || programmeId === req.programmeId);
  for (const c of input.contracts) {
    const link: IssueLink = { kind: 'contract', id: c.id };
    if (c.funderCode === req.funderCode && contractInScope(c, c.programmeId)) {
      const p = c.programmeId ? programmes.get(c.programmeId) : undefined;
      if (!p) {
        blocker('contract-without-programme', `Le contrat de ${c.label} n'a pas de programme de financement.`, link);
      } else {
        touched.add(p.id);
        contractLines(c, p, link);
      }
    }
    const mp = c.majorationProgrammeId ? programmes.get(c.majorationProgrammeId) : undefined;
    if (mp && mp.funderCode === req.funderCode && contractInScope(c, mp.id) && c.startDate >= from && c.startDate <= to) {
      touched.add(mp.id);
      const v = ruleInForce(mp.rules, c.startDate);
      if (!v) {
        noRule(mp, c.startDate);
        continue;
      }
      for (const m of contractMajorations(v.rule, c)) {
        if (m.treatment === 'dropped' || m.amountCents <= 0 || billedOnce.has(onceKey('contract-majoration', c.id, mp.id, m.code))) continue;
        push(
          {
            enrolmentId: c.enrolmentId, sessionId: null, contractId: c.id, fundingId: null, programmeId: mp.id, ruleId: v.id, unit: 'contract-majoration', costType: 'pedagogique',
            label: labelOf(c.label, 'contract-majoration', 'pedagogique', mp, v, `majoration ${m.label}`), quantityE4: 10_000, unitPriceCents: m.fullCents, amountCents: m.amountCents,
            minutes: null, realisedMinutes: null,
            detail: { majorationCode: m.code, treatment: m.treatment, daysDone: m.daysDone, daysPlanned: m.daysPlanned, combine: v.rule.combineMajorations, onRupture: v.rule.onRupture, contractStart: c.startDate },
          },
          v,
          m.code,
        );
      }
    }
  }

  function contractLines(c: ClaimContract, p: ClaimProgramme, link: IssueLink) {
    const range = contractDaysIn(c, from, to);
    if (!range) return;
    // Days grouped by the version in force on each (a version change mid-period gives two lines).
    const groups: { version: RuleVersion; days: number; from: string; to: string }[] = [];
    let day = range.from;
    for (let i = 0; i < range.days; i++) {
      const v = ruleInForce(p.rules, day);
      if (!v) noRule(p, day);
      else {
        const last = groups[groups.length - 1];
        if (last && last.version.id === v.id) {
          last.days++;
          last.to = day;
        } else groups.push({ version: v, days: 1, from: day, to: day });
      }
      day = addDays(day, 1);
    }
    for (const g of groups) {
      const npec = c.npecCents > 0 ? c.npecCents : g.version.rule.rateCents;
      if (npec === null) {
        blocker('no-rate', `Aucun coût contrat pour ${c.label} (${p.name}) : indiquez le NPEC du contrat.`, link);
        continue;
      }
      push(
        {
          enrolmentId: c.enrolmentId, sessionId: null, contractId: c.id, fundingId: null, programmeId: p.id, ruleId: g.version.id, unit: 'contract', costType: 'pedagogique',
          label: labelOf(c.label, 'contract', 'pedagogique', p, g.version, `${UNIT_LABELS.contract} ${formatCents(npec)}/an × ${g.days}/${g.version.rule.yearDays} j`), quantityE4: g.days * 10_000, unitPriceCents: npec,
          amountCents: proRatedNpecCents(g.days, npec, g.version.rule.yearDays), minutes: null, realisedMinutes: null,
          detail: { days: g.days, from: g.from, to: g.to, yearDays: g.version.rule.yearDays, npecCents: npec, amountFormula: 'jours × coût contrat annuel / jours par an', ruptureDate: c.ruptureDate },
        },
        g.version,
      );
    }
  }

  // ——— Whole-claim checks ———
  for (const { p, dates } of withoutRule.values()) {
    const sorted = [...dates].sort();
    const when = sorted.length === 1 ? `le ${isoToDisplay(sorted[0]!)}` : `du ${isoToDisplay(sorted[0]!)} au ${isoToDisplay(sorted.at(-1)!)} (${sorted.length} dates)`;
    blocker('no-rule', `Aucune règle en vigueur ${when} pour le programme ${p.name}.`, { kind: 'programme', id: p.id });
  }
  for (const id of [...touched].sort()) {
    const p = programmes.get(id)!;
    for (const [a, b] of overlappingVersions(p.rules)) {
      blocker('overlapping-rules', `Deux versions des règles du programme ${p.name} se chevauchent (en vigueur du ${isoToDisplay(a.validFrom)} et du ${isoToDisplay(b.validFrom)}).`, { kind: 'programme', id: p.id });
    }
  }
  const byProgramme = new Map<string, { total: number; budget: number | null }>();
  for (const l of lines) {
    const p = programmes.get(l.programmeId)!;
    const v = p.rules.find((r) => r.id === l.ruleId)!;
    const entry = byProgramme.get(p.id) ?? { total: 0, budget: null };
    entry.total += l.amountCents;
    if (v.rule.caps.budgetCents !== null) entry.budget = v.rule.caps.budgetCents;
    byProgramme.set(p.id, entry);
  }
  for (const [id, { total, budget }] of byProgramme) {
    const before = input.billedBefore.amountByProgramme[id] ?? 0;
    if (budget !== null && before + total > budget) {
      const p = programmes.get(id)!;
      warning(
        'budget',
        `Le budget du programme ${p.name} (${formatCents(budget)}) est dépassé : ${formatCents(before)} déjà facturés et ${formatCents(total)} dans cette demande.`,
        { kind: 'programme', id },
      );
    }
  }
  if (lines.length === 0) {
    blocker('nothing-to-claim', `Rien à facturer pour ${req.funderCode} du ${isoToDisplay(from)} au ${isoToDisplay(to)} : aucune présence facturable ni contrat dans la période.`, { kind: 'funder', id: req.funderCode });
  }

  lines.sort((a, b) => cmp(a.sortKey, b.sortKey));
  const out: ComputedLine[] = lines.map(({ sortKey: _sortKey, ...l }) => l);
  return { lines: out, totalCents: out.reduce((s, l) => s + l.amountCents, 0), blockers, warnings };
}

/** `amount` spread over parts pro rata to `weights`, largest remainder (earlier parts first on ties); sums to `amount`. */
function spread(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) return weights.map(() => 0);
  const parts = weights.map((w) => Math.floor((amount * w) / total));
  const order = weights.map((w, i) => ({ i, frac: (amount * w) % total })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  let left = amount - parts.reduce((s, p) => s + p, 0);
  for (const o of order) {
    if (left <= 0) break;
    parts[o.i]!++;
    left--;
  }
  return parts;
}

