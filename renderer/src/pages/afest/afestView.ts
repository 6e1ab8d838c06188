import {
  afestCompliance,
  currentVersions,
  DEFAULT_AFEST_RULES,
  sequenceProblems,
  type AfestRules,
  type AfestSetupFacts,
  type ComplianceReport,
  type SequenceCandidate,
  type SequenceFacts,
  type SequenceProblem,
} from '../../../../shared/domain/afest';
import type { MethodOutput } from '../../../../shared/contract';
import type { AfestPage, Evaluation, Sequence } from '../../../../shared/schemas/afest';

/**
 * What the AFEST screens read from the contract's records, kept apart from the components: the set-up facts
 * the rules of shared/domain/afest.ts take (from the saved AFEST or from the form being typed), the
 * programme's rules, the sequences in force, a sequence's versions grouped as one record, and the live
 * compliance panel. The rules themselves are never restated here: the same functions run in the backend.
 */

export type AfestRule = MethodOutput<'afest.rules'>[number];
export type SetupSource = Pick<AfestPage['afest'],
  'companyId' | 'tutorId' | 'tutorDesignatedOn' | 'tutorAcceptedOn' | 'facilitatorId' | 'conventionRef' | 'analysisDate' | 'workSituations' | 'tasks' | 'plannedMinutes' | 'pathwayMinutes'> & { competences: readonly unknown[] };

/** The set-up as the rules read it. */
export function setupFacts(a: SetupSource): AfestSetupFacts {
  return {
    companyId: a.companyId ?? null,
    tutorId: a.tutorId ?? null,
    tutorDesignatedOn: a.tutorDesignatedOn ?? null,
    tutorAcceptedOn: a.tutorAcceptedOn ?? null,
    facilitatorId: a.facilitatorId ?? null,
    conventionRef: a.conventionRef ?? null,
    analysisDate: a.analysisDate ?? null,
    workSituations: a.workSituations ?? null,
    tasks: a.tasks ?? null,
    competences: a.competences.length,
    plannedMinutes: a.plannedMinutes ?? null,
    pathwayMinutes: a.pathwayMinutes ?? null,
  };
}

/** The rules of a programme: its row of « Règles AFEST », else the defaults (as the backend does). */
export function rulesOf(programmeId: string | null, rules: readonly AfestRule[] | undefined, fallback?: AfestPage['rules']): AfestRules {
  const row = programmeId ? rules?.find((r) => r.programmeId === programmeId) : undefined;
  if (row) return { minSharePercent: row.minSharePercent, facilitatorDistinct: row.facilitatorDistinct };
  if (fallback && !rules) return { minSharePercent: fallback.minSharePercent, facilitatorDistinct: fallback.facilitatorDistinct };
  return DEFAULT_AFEST_RULES;
}

/** The sequences in force (no later version, not withdrawn), as the rules read them. */
export function inForce(sequences: readonly Sequence[]): Sequence[] {
  return currentVersions(sequences);
}

/** The evaluations in force. */
export function evaluationsInForce(evaluations: readonly Evaluation[]): Evaluation[] {
  return currentVersions(evaluations);
}

/**
 * The compliance panel for a set-up being typed: the same function as the backend's, on the form's facts and
 * the page's sequences, evaluations and realised hours.
 */
export function liveCompliance(page: AfestPage, setup: AfestSetupFacts, rules: AfestRules): ComplianceReport {
  const { hours } = page.summary;
  return afestCompliance({
    setup,
    rules,
    sequences: inForce(page.sequences),
    evaluations: evaluationsInForce(page.evaluations),
    realised: { afestMinutes: hours.afest, otherMinutes: hours.other },
  });
}

/** One sequence as the log shows it: its record, the version in force (or the last one) and the ones before. */
export interface SequenceRecord {
  recordId: string;
  /** The last version: in force, or the withdrawal. */
  latest: Sequence;
  /** The version whose content stands (the withdrawn record's last content for a withdrawal). */
  content: Sequence;
  /** Earlier versions, newest first. */
  earlier: Sequence[];
  withdrawn: boolean;
}

/**
 * Versions grouped by record: corrections supersede (a chain through `supersedesId`), a withdrawal is the
 * last version. Records newest first (date, then start), so the latest sequence is at the top.
 */
export function groupRecords(sequences: readonly Sequence[]): SequenceRecord[] {
  const byRecord = new Map<string, Sequence[]>();
  for (const s of sequences) byRecord.set(s.recordId, [...(byRecord.get(s.recordId) ?? []), s]);
  const records: SequenceRecord[] = [];
  for (const [recordId, versions] of byRecord) {
    const superseded = new Set(versions.map((v) => v.supersedesId).filter((v): v is string => !!v));
    const ordered = [...versions].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    const latest = versions.find((v) => !superseded.has(v.id)) ?? ordered[0]!;
    const earlier = ordered.filter((v) => v.id !== latest.id);
    const content = latest.withdrawn ? (earlier.find((v) => !v.withdrawn) ?? latest) : latest;
    records.push({ recordId, latest, content, earlier, withdrawn: latest.withdrawn });
  }
  return records.sort((a, b) => (b.content.date + b.content.start).localeCompare(a.content.date + a.content.start));
}

/**
 * The live problems of a sequence being typed (shared/domain/afest.ts `sequenceProblems`), or none until the
 * date and times are typed in full: a half-typed hour is not yet an overlap.
 */
export function candidateProblems(
  setup: AfestSetupFacts,
  rules: AfestRules,
  existing: readonly SequenceFacts[],
  candidate: Omit<SequenceCandidate, 'leaderId'> & { leaderId: string | null },
): SequenceProblem[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(candidate.date) || !/^\d{2}:\d{2}$/.test(candidate.start) || !/^\d{2}:\d{2}$/.test(candidate.end)) return [];
  return sequenceProblems(setup, rules, existing, { ...candidate, leaderId: candidate.leaderId ?? '' });
}

/** The first problem of each field, as `{ path: message }` for a form's check. */
export function problemsByField(problems: readonly SequenceProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) out[p.path] ??= p.message;
  return out;
}

/** The set-up fields a compliance check may name, and the id of the control that edits each. */
export const SETUP_FIELD_IDS: Record<string, string> = {
  companyId: 'afest-setup-companyId',
  tutorId: 'afest-setup-tutorId',
  tutorDesignatedOn: 'afest-setup-tutorDesignatedOn',
  tutorAcceptedOn: 'afest-setup-tutorAcceptedOn',
  facilitatorId: 'afest-setup-facilitatorId',
  conventionRef: 'afest-setup-conventionRef',
  analysisDate: 'afest-setup-analysisDate',
  workSituations: 'afest-setup-workSituations',
  tasks: 'afest-setup-tasks',
  competences: 'afest-setup-competences',
  plannedMinutes: 'afest-setup-plannedHours',
  pathwayMinutes: 'afest-setup-pathwayHours',
};

/** `HH:MM` of a number of minutes after midnight, clamped to the day. */
export function clockTime(minutes: number): string {
  const m = Math.min(Math.max(minutes, 0), 23 * 60 + 59);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A hours field's text from minutes (« 350 », « 7,5 »). */
export function hoursText(minutes: number | null | undefined): string {
  return minutes === null || minutes === undefined ? '' : String(minutes / 60).replace('.', ',');
}

/** The 12 first hex digits of a SHA-256, as receipts print it. */
export const shortHash = (sha256: string) => sha256.slice(0, 12);
