import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { contentHash } from './hash';
import { appendLedger, type LedgerRaw, type TrackedRecordType } from './ledger';

/**
 * Tracked rows: tables that stay mutable (a slot is moved, its trainers change, an attendance kind is
 * renamed) but whose change alters hours, money or identity. Each write path calls `trackIn` (or `track`) in
 * its transaction, after the change: when the row's covered state differs from its latest ledger entry, a new
 * entry (record type `row:<kind>`) records the hash of that state. Verification (verify.ts) compares every
 * current row with its latest entry, so a row changed, added or removed behind the app's back is caught.
 *
 * **Important**: the covered state of a kind below is hashed for every entry already written; adding a column
 * to it is a new coverage level (seal.ts COVERAGE) that records a fresh entry for every row.
 */
export const TRACKED = {
  /** A slot's times, place, modality, cancellation and removal, and its current trainers. */
  slot: {
    table: 'slots',
    idColumn: 'id',
    select: `SELECT t.id, t.session_id, t.date, t.half_day, t.start_time, t.end_time, t.minutes, t.modality, t.place_id, t.cancelled, t.deleted_at,
  (SELECT json_group_array(st.trainer_id ORDER BY st.trainer_id) FROM slot_trainers st WHERE st.slot_id = t.id AND st.deleted_at IS NULL) AS trainers
FROM slots t`,
  },
  /** An attendance kind: its category decides whether its minutes count as attended. */
  attendance_kind: {
    table: 'attendance_kinds',
    idColumn: 'code',
    select: 'SELECT t.code AS id, t.label, t.category, t.active, t.sort FROM attendance_kinds t',
  },
  /**
   * An AFEST's set-up (issue #11): the dates and people D.6313-3-2 orders before the first work situation,
   * the analysis, the convention, the planned hours, and its current target competences. A designation
   * back-dated after sequences were logged leaves its previous state in the ledger.
   */
  afest: {
    table: 'afests',
    idColumn: 'id',
    select: `SELECT t.id, t.enrolment_id, t.programme_id, t.title, t.company_id, t.tutor_id, t.tutor_designated_on, t.tutor_accepted_on, t.facilitator_id,
  t.convention_ref, t.analysis_date, t.work_situations, t.tasks, t.critical_points, t.adaptations, t.safety_points, t.assessment_plan, t.planned_minutes,
  t.pathway_minutes, t.start_date, t.end_date, t.deleted_at,
  (SELECT json_group_array(json_array(c.id, c.label, c.block_code) ORDER BY c.position, c.id) FROM afest_competences c WHERE c.afest_id = t.id AND c.deleted_at IS NULL) AS competences
FROM afests t`,
  },
  /** A programme's AFEST rules (issue #11): they decide whether an AFEST is compliant. */
  afest_rule: {
    table: 'afest_rules',
    idColumn: 'programme_id',
    select: 'SELECT t.programme_id AS id, t.min_share_percent, t.facilitator_distinct FROM afest_rules t',
  },
} as const;
export type TrackedKind = keyof typeof TRACKED;

export function trackedRecordType(kind: TrackedKind): TrackedRecordType {
  return `row:${kind}`;
}

const LATEST = 'SELECT seq, content_hash FROM ledger WHERE record_type = ? AND record_id = ? ORDER BY seq DESC LIMIT 1';
const CHUNK = 500;

/**
 * Records the current state of rows `ids` of a tracked kind (`'slot'` ids, `'attendance_kind'` codes), in the
 * caller's transaction (refused outside one), stamped `at`. A row whose state is unchanged since its latest
 * entry gets none; an unknown id is skipped. Call it after every INSERT or UPDATE of a covered column —
 * for a slot, also after its trainers change.
 */
export function trackIn(raw: LedgerRaw & Pick<Raw, 'all'>, kind: TrackedKind, ids: readonly string[], at: string): void {
  if (!raw.inTransaction) throw new Error('A tracked row is recorded inside the transaction that changed it');
  const def = TRACKED[kind];
  const type = trackedRecordType(kind);
  const entries: { type: TrackedRecordType; row: Record<string, unknown> & { id: string } }[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const part = unique.slice(i, i + CHUNK);
    const rows = raw.all<Record<string, unknown> & { id: string }>(`${def.select} WHERE t.${def.idColumn} IN (${part.map(() => '?').join(', ')})`, ...part);
    for (const row of rows) {
      const latest = raw.get<{ content_hash: string }>(LATEST, type, row.id);
      if (latest?.content_hash !== contentHash(row)) entries.push({ type, row });
    }
  }
  if (entries.length > 0) appendLedger(raw, entries, at);
}

/** `trackIn` in the transaction `tx` runs (refused outside one), stamped with `tx`'s clock. */
export async function track(tx: Ctx, kind: TrackedKind, ids: readonly string[]): Promise<void> {
  if (!tx.db.isTransaction) throw new Error('A tracked row is recorded inside the transaction that changed it');
  if (ids.length === 0) return;
  const at = tx.now().toISOString();
  await withRaw(tx.db, (raw) => trackIn(raw, kind, ids, at));
}
