import { createHash } from 'node:crypto';

/**
 * The hashes of the tamper-evident ledger. **Important**: the formats below are what every existing ledger
 * was written with; changing a byte makes every database fail verification.
 */

/** Evidence record types and the table each lives in. */
export const EVIDENCE_TABLES = {
  document: 'documents',
  signature: 'signatures',
  attendance_mark: 'attendance_marks',
  slot_closure: 'slot_closures',
  connection_log: 'connection_logs',
  connection_log_row: 'connection_log_rows',
  printed_document: 'printed_documents',
  // Issue #9: insert-only tables whose rows alter hours or identity (schema 9 backfills their entries).
  enrolment_status: 'enrolment_statuses',
  rollcall_submission: 'rollcall_submissions',
  slot_correction: 'slot_corrections',
  qr_scan: 'qr_scans',
  mark_qr_scan: 'mark_qr_scans',
  // Issue #10: a validated claim's workflow steps and its frozen documents.
  claim_event: 'claim_events',
  claim_document: 'claim_documents',
  // Issue #11: AFEST sequences and evaluations (corrections supersede).
  afest_sequence: 'afest_sequences',
  afest_evaluation: 'afest_evaluations',
  // Issue #12: the audit log (who did what and when).
  audit_event: 'audit_events',
  // Issue #12, RGPD: the recorded blanking of an evidence row's personal content after the retention (evidence/redact.ts).
  evidence_redaction: 'evidence_redactions',
} as const;
export type EvidenceType = keyof typeof EVIDENCE_TABLES;
/** Evidence types from schema 9 on: in an older database their rows have no entry yet (the keyed upgrade adds them). */
export const EVIDENCE_SINCE_SCHEMA_9: readonly EvidenceType[] = ['enrolment_status', 'rollcall_submission'];

/** The chain's head: read once per append, on the INTEGER PRIMARY KEY. */
export const LEDGER_HEAD_SQL = 'SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1';
/** The head with its seal (schema 9): `mac` is NULL on entries older than the key. */
export const LEDGER_TIP_SQL = 'SELECT seq, hash, mac, created_at FROM ledger ORDER BY seq DESC LIMIT 1';
export interface LedgerTip {
  seq: number;
  hash: string;
  mac: string | null;
  created_at: string;
}

export const GENESIS = '0'.repeat(64);

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const sortedKeys = new Map<string, string[]>();

/**
 * Columns added to an evidence table after rows were hashed without them (the migration that added each).
 * A row's content hash leaves such a column out while it is NULL: a row written before the column existed
 * hashes as it always did (and every ledger still verifies), a row that fills it hashes with it. A column
 * added to an evidence table by a later migration MUST be listed here.
 */
export const LATE_COLUMNS: ReadonlySet<string> = new Set([
  // 0010_clock_device: the device's own reading of the time, and the device on closures and connection logs.
  'device_signed_at',
  'device_closed_at',
  'device_id',
]);

/**
 * A row's content hash: columns sorted by name, BLOBs replaced by their own SHA-256, late columns
 * ({@link LATE_COLUMNS}) left out while NULL.
 */
export function contentHash(row: Record<string, unknown>): string {
  const own = Object.keys(row).filter((k) => !(LATE_COLUMNS.has(k) && row[k] == null));
  const signature = own.join(',');
  let keys = sortedKeys.get(signature);
  if (!keys) sortedKeys.set(signature, (keys = own.sort()));
  const values = keys.map((k) => {
    const v = row[k];
    return v instanceof Uint8Array ? `sha256:${sha256(v)}` : v;
  });
  return sha256(JSON.stringify([keys, values]));
}

export function entryHash(prev: string, seq: number, type: string, id: string, content: string, at: string): string {
  return sha256(`${prev}|${seq}|${type}|${id}|${content}|${at}`);
}
