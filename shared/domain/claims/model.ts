/**
 * The shapes the claim engine works on (issue #10). Pure data: the backend loads them from the database
 * (electron/backend/claims), the engine (`computeClaim` in ./compute.ts) turns them into claim lines, the
 * pre-flight issues it can see, and totals. Quantities of attendance come only from the realised-hours
 * engine (../realised-hours.ts); the split of minutes between funders is ./split.ts.
 */
import type { EngineMark, EngineSlot } from '../realised-hours';
import type { BillingUnit, CostType, FundingRule } from '../../schemas/funding';

/** What the manager asked for. Dates `YYYY-MM-DD`, inclusive. */
export interface ClaimRequest {
  funderCode: string;
  /** Only this programme's lines, or every programme of the funder. */
  programmeId: string | null;
  /** Only the funding lines carrying this purchase order (*bon de commande*). */
  purchaseOrder: string | null;
  /** Only this apprenticeship contract. */
  contractId: string | null;
  from: string;
  to: string;
}

/** A dated version of a programme's rule pack. `validTo` inclusive, null when open-ended. */
export interface RuleVersion {
  id: string;
  validFrom: string;
  validTo: string | null;
  rule: FundingRule;
}

export interface ClaimProgramme {
  id: string;
  code: string;
  name: string;
  funderCode: string;
  /** Every version in force (replaced versions left out), any order. */
  rules: RuleVersion[];
}

/** A funding line (`fundings`): an enrolment's, or a whole session's (then `enrolmentId` is null). */
export interface ClaimFundingLine {
  id: string;
  enrolmentId: string | null;
  sessionId: string | null;
  funderCode: string;
  programmeId: string | null;
  costType: CostType;
  purchaseOrder: string | null;
  shareKind: 'percent' | 'minutes' | 'remainder';
  /** Basis points for `percent`, minutes for `minutes`, null for `remainder`. */
  shareValue: number | null;
  /** A negotiated rate that replaces the rule's. */
  rateCents: number | null;
  position: number;
}

export interface ClaimEnrolment {
  id: string;
  sessionId: string;
  traineeId: string;
  /** « NOM Prénom », for labels and messages. */
  label: string;
  /** The date it exited (status `exited`), if it did. */
  exitDate: string | null;
}

export interface ClaimSlot extends EngineSlot {
  sessionId: string;
  cancelled: boolean;
  countersigned: boolean;
}

export interface ClaimContract {
  id: string;
  enrolmentId: string;
  label: string;
  funderCode: string;
  programmeId: string | null;
  majorationProgrammeId: string | null;
  npecCents: number;
  startDate: string;
  endDate: string;
  ruptureDate: string | null;
  rncpCode: string;
  /** The training site's zoning, at the contract's start. */
  siteZrr: boolean;
  siteQpv: boolean;
}

/** What earlier validated claims already billed, for the cumulative caps. */
export interface BilledBefore {
  /** Minutes already billed per `${enrolmentId}|${programmeId}`. */
  minutesByEnrolmentProgramme: Record<string, number>;
  /** Amount already claimed per programme id (validated claims and later). */
  amountByProgramme: Record<string, number>;
  /** Lump sums and majorations already billed: keys `${unit}|${enrolmentId or sessionId or contractId}|${programmeId}|${majoration code or ''}`. */
  onceKeys: string[];
}

export interface ClaimInput {
  request: ClaimRequest;
  /** Every programme a funding line or contract below names, the other funders' too (the split needs their units). */
  programmes: ClaimProgramme[];
  /**
   * Every funding line of the enrolments and sessions concerned, ALL funders: the split between funders
   * (./split.ts) needs the other funders' shares. The engine keeps to the request's scope itself.
   */
  fundingLines: ClaimFundingLine[];
  enrolments: ClaimEnrolment[];
  /** Every slot of the sessions concerned (all dates: lump sums look before the period). */
  slots: ClaimSlot[];
  /** Every mark of those enrolments, superseded ones included (the engine keeps the marks in force). */
  marks: EngineMark[];
  contracts: ClaimContract[];
  billedBefore: BilledBefore;
  /** Session names for labels and messages (« CAP Cuisine 2026 »); a session missing here is named by its id. */
  sessionLabels?: Record<string, string>;
}

/** Where the user goes to fix an issue. */
export interface IssueLink {
  kind: 'enrolment' | 'session' | 'slot' | 'programme' | 'trainee' | 'contract' | 'organisation' | 'funder';
  id: string;
}

/** A pre-flight finding: a blocker stops validation, a warning does not. French message naming the record. */
export interface ClaimIssue {
  code: string;
  message: string;
  link: IssueLink | null;
}

export interface ComputedLine {
  enrolmentId: string | null;
  sessionId: string | null;
  contractId: string | null;
  fundingId: string | null;
  programmeId: string;
  ruleId: string;
  unit: BillingUnit;
  costType: CostType;
  /** French, e.g. « DUPONT Marie — heures stagiaire (#Avenir) ». */
  label: string;
  /** The quantity × 10 000 (hours to the hundredth rounded down, counts, shares). */
  quantityE4: number;
  unitPriceCents: number;
  /** quantityE4 × unitPriceCents / 10 000 rounded half-up, then capped. */
  amountCents: number;
  /** Billed minutes for minute-based units, else null. Never more than `realisedMinutes`. */
  minutes: number | null;
  /** What the realised-hours engine counted for this line's enrolment (or session) in the period, before split. */
  realisedMinutes: number | null;
  /** How it was computed (share, caps applied, days, majoration codes…), shown on the claim page. */
  detail: Record<string, unknown>;
}

export interface ClaimComputation {
  lines: ComputedLine[];
  totalCents: number;
  blockers: ClaimIssue[];
  warnings: ClaimIssue[];
}
