/**
 * PLACEHOLDER of the claim engine (issue #10), written by the claims-service helper so the backend compiles and
 * its integration tests run: trainee-hour lines only. The engine helper's file replaces this one at merge.
 *
 * - billable minutes of each current mark (realised-hours engine) under the rule in force on the slot's date;
 * - split between an enrolment's funding lines of one cost type, by position: percent (rounded down), minutes,
 *   then the remainder;
 * - hours to the hundredth rounded down, amount half-up per line.
 */
import { attendedMinutes, currentMarks, type EngineMark } from '../realised-hours';
import type { ClaimComputation, ClaimFundingLine, ClaimInput, ClaimIssue, ComputedLine, RuleVersion } from './model';

export function computeClaim(input: ClaimInput): ClaimComputation {
  const { request } = input;
  const blockers: ClaimIssue[] = [];
  const warnings: ClaimIssue[] = [];
  const lines: ComputedLine[] = [];
  const programmes = new Map(input.programmes.filter((p) => p.funderCode === request.funderCode && (!request.programmeId || p.id === request.programmeId)).map((p) => [p.id, p]));
  const slots = new Map(input.slots.map((s) => [s.id, s]));
  const enrolments = new Map(input.enrolments.map((e) => [e.id, e]));
  const marksByEnrolment = new Map<string, EngineMark[]>();
  for (const m of currentMarks(input.marks)) {
    const slot = slots.get(m.slotId);
    if (!slot || slot.cancelled || slot.date < request.from || slot.date > request.to) continue;
    let list = marksByEnrolment.get(m.enrolmentId);
    if (!list) marksByEnrolment.set(m.enrolmentId, (list = []));
    list.push(m);
  }
  const ruleOn = (rules: RuleVersion[], date: string) => rules.find((r) => r.validFrom <= date && (r.validTo === null || r.validTo >= date)) ?? null;
  const linesOf = new Map<string, ClaimFundingLine[]>();
  for (const f of input.fundingLines) {
    if (!f.enrolmentId) continue;
    const key = `${f.enrolmentId}|${f.costType}`;
    let list = linesOf.get(key);
    if (!list) linesOf.set(key, (list = []));
    list.push(f);
  }
  const ordered = [...input.fundingLines].filter((f) => f.enrolmentId && f.funderCode === request.funderCode && f.programmeId && programmes.has(f.programmeId)
    && (!request.purchaseOrder || f.purchaseOrder === request.purchaseOrder));
  ordered.sort((a, b) => (enrolments.get(a.enrolmentId!)?.label ?? '').localeCompare(enrolments.get(b.enrolmentId!)?.label ?? '') || a.position - b.position);
  for (const f of ordered) {
    const programme = programmes.get(f.programmeId!)!;
    const enrolment = enrolments.get(f.enrolmentId!);
    if (!enrolment) continue;
    // Minutes per rule version in force on each slot's date.
    const byRule = new Map<string, { rule: RuleVersion; billable: number; realised: number }>();
    let realisedAll = 0;
    for (const m of marksByEnrolment.get(enrolment.id) ?? []) {
      const slot = slots.get(m.slotId)!;
      const attended = attendedMinutes(slot.minutes, m);
      realisedAll += attended;
      const rule = ruleOn(programme.rules, slot.date);
      if (!rule) continue;
      if (rule.rule.unit !== 'trainee-hour') continue;
      const b = rule.rule.billable;
      const billable = m.category === 'present' ? (b.present ? attended : 0)
        : m.category === 'late' ? (b.late ? attended : 0)
        : m.category === 'early-leave' ? (b.earlyLeave ? attended : 0)
        : m.category === 'remote' ? (b.remote ? attended : 0)
        : m.category === 'excused' ? (b.excused ? slot.minutes : 0)
        : b.unexcused ? slot.minutes : 0;
      let entry = byRule.get(rule.id);
      if (!entry) byRule.set(rule.id, (entry = { rule, billable: 0, realised: 0 }));
      entry.billable += billable;
      entry.realised += attended;
    }
    if (byRule.size === 0 && programme.rules.length === 0) {
      blockers.push({ code: 'no-rule', message: `Programme ${programme.code} : aucune règle en vigueur.`, link: { kind: 'programme', id: programme.id } });
      continue;
    }
    for (const { rule, billable, realised } of byRule.values()) {
      const share = shareOf(linesOf.get(`${enrolment.id}|${f.costType}`) ?? [f], f.id, billable);
      const rate = f.rateCents ?? rule.rule.rateCents;
      if (rate === null) {
        blockers.push({ code: 'missing-rate', message: `${enrolment.label} : aucun taux horaire (ni sur la ligne de financement, ni dans la règle ${programme.code}).`, link: { kind: 'enrolment', id: enrolment.id } });
        continue;
      }
      if (rule.rule.caps.hourlyPriceCents !== null && rate > rule.rule.caps.hourlyPriceCents) {
        blockers.push({ code: 'hourly-cap', message: `${enrolment.label} : taux de ${rate} centimes au-dessus du plafond horaire de ${programme.code} (${rule.rule.caps.hourlyPriceCents}).`, link: { kind: 'enrolment', id: enrolment.id } });
      }
      let minutes = share;
      const cap = rule.rule.caps.minutesPerEnrolment;
      if (cap !== null) minutes = Math.max(0, Math.min(minutes, cap - (input.billedBefore.minutesByEnrolmentProgramme[`${enrolment.id}|${programme.id}`] ?? 0)));
      if (minutes === 0) continue;
      const quantityE4 = Math.floor((minutes * 100) / 60) * 100;
      let amountCents = Math.floor((quantityE4 * rate + 5000) / 10_000);
      if (rule.rule.caps.amountPerLineCents !== null) amountCents = Math.min(amountCents, rule.rule.caps.amountPerLineCents);
      lines.push({
        enrolmentId: enrolment.id, sessionId: null, contractId: null, fundingId: f.id, programmeId: programme.id, ruleId: rule.id, unit: 'trainee-hour', costType: f.costType,
        label: `${enrolment.label} — heures stagiaire (${programme.code})`, quantityE4, unitPriceCents: rate, amountCents, minutes, realisedMinutes: realised,
        detail: { share: f.shareKind, shareValue: f.shareValue, billableMinutes: billable, realisedAll },
      });
    }
  }
  return { lines, totalCents: lines.reduce((s, l) => s + l.amountCents, 0), blockers, warnings };
}

/** This line's minutes out of `total`, split between the lines of one enrolment and cost type. */
function shareOf(all: ClaimFundingLine[], id: string, total: number): number {
  const sorted = [...all].sort((a, b) => a.position - b.position);
  let left = total;
  const given = new Map<string, number>();
  for (const l of sorted) {
    if (l.shareKind === 'remainder') continue;
    const want = l.shareKind === 'percent' ? Math.floor((total * (l.shareValue ?? 0)) / 10_000) : (l.shareValue ?? 0);
    const m = Math.min(want, left);
    given.set(l.id, m);
    left -= m;
  }
  for (const l of sorted) if (l.shareKind === 'remainder') {
    given.set(l.id, left);
    left = 0;
  }
  return given.get(id) ?? 0;
}
