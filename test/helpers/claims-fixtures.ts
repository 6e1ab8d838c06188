// Builders for the claim engine's unit tests (not a test file itself: no `.test.ts`).
import { fundingRule, type FundingRuleInput } from '../../shared/schemas/funding';
import type { EngineMark } from '../../shared/domain/realised-hours';
import type { ClaimContract, ClaimEnrolment, ClaimFundingLine, ClaimInput, ClaimProgramme, ClaimRequest, ClaimSlot, RuleVersion } from '../../shared/domain/claims/model';

export const rule = (r: Partial<FundingRuleInput> & Pick<FundingRuleInput, 'unit'>) => fundingRule.parse({ payerCategory: 'C-2a', ...r });

export const version = (id: string, validFrom: string, validTo: string | null, r: Partial<FundingRuleInput> & Pick<FundingRuleInput, 'unit'>): RuleVersion => ({
  id, validFrom, validTo, rule: rule(r),
});

export const programme = (id: string, name: string, funderCode: string, rules: RuleVersion[]): ClaimProgramme => ({ id, code: id.toUpperCase(), name, funderCode, rules });

export const funding = (id: string, o: Partial<ClaimFundingLine> & Pick<ClaimFundingLine, 'funderCode' | 'programmeId'>): ClaimFundingLine => ({
  id, enrolmentId: null, sessionId: null, costType: 'pedagogique', purchaseOrder: null, shareKind: 'remainder', shareValue: null, rateCents: null, position: 1, ...o,
});

export const enrolment = (id: string, label: string, o: Partial<ClaimEnrolment> = {}): ClaimEnrolment => ({ id, sessionId: 'S', traineeId: `t-${id}`, label, exitDate: null, ...o });

export const slot = (id: string, date: string, minutes: number, o: Partial<ClaimSlot> = {}): ClaimSlot => ({
  id, date, minutes, modality: 'presentiel', sessionId: 'S', cancelled: false, countersigned: true, ...o,
});

let markSeq = 0;
export const mark = (slotId: string, enrolmentId: string, category: EngineMark['category'] = 'present', o: Partial<EngineMark> = {}): EngineMark => ({
  id: `m${++markSeq}`, slotId, enrolmentId, category, lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, supersedesId: null, ...o,
});

export const contract = (id: string, label: string, o: Partial<ClaimContract> = {}): ClaimContract => ({
  id, enrolmentId: `e-${id}`, label, funderCode: 'AKTO', programmeId: 'appr', majorationProgrammeId: 'maj', npecCents: 700_000,
  startDate: '2022-09-05', endDate: '2024-08-31', ruptureDate: null, rncpCode: 'RNCP00001', siteZrr: false, siteQpv: false, ...o,
});

export const request = (funderCode: string, from: string, to: string, o: Partial<ClaimRequest> = {}): ClaimRequest => ({
  funderCode, programmeId: null, purchaseOrder: null, contractId: null, from, to, ...o,
});

export function input(o: Partial<ClaimInput> & Pick<ClaimInput, 'request'>): ClaimInput {
  return {
    programmes: [], fundingLines: [], enrolments: [], slots: [], marks: [], contracts: [],
    billedBefore: { minutesByEnrolmentProgramme: {}, amountByProgramme: {}, onceKeys: [] },
    sessionLabels: { S: 'CAP Cuisine 2026' },
    ...o,
  };
}

/** `n` consecutive days from `from` (calendar days, weekends included: the engine does not care). */
export function days(from: string, n: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < n; i++) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
