import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { TABLES, type RecordType, type SqlRow } from '../db/schema';
import { EVIDENCE_TABLES, type EvidenceType } from './hash';
import { appendLedger } from './ledger';
import { ledgerSealOf } from './key';
import { enqueueIn } from './outbox';

/**
 * The one evidence writer: inserting an evidence row, appending its ledger entry and queueing what the
 * funders must receive happen here together, in the caller's transaction, so no row can exist without its
 * entry or an entry without its row. Nothing else writes evidence tables or the ledger.
 */

/** An evidence row with every column of its table (snake_case, as stored): exactly what the ledger hashes. */
export type EvidenceEntry = { [K in EvidenceType]: { type: K; row: SqlRow<(typeof EVIDENCE_TABLES)[K]> } }[EvidenceType];

/** A record for the funders, queued as its next version (sync picks it up after commit). */
export interface OutboxEntry {
  recordType: RecordType;
  recordId: string;
  payload: unknown;
}

export interface EvidenceOptions {
  /** The instant stamped on the ledger entries (and on the queued records). */
  at: string;
  outbox?: readonly OutboxEntry[];
}

// One INSERT per table, every column named: a row missing a column fails to bind instead of being hashed short.
const INSERTS = Object.fromEntries(
  Object.entries(EVIDENCE_TABLES).map(([type, table]) => {
    const columns = Object.keys(TABLES[table]);
    return [type, { sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`, width: columns.length }];
  }),
) as Record<EvidenceType, { sql: string; width: number }>;

/**
 * Writes evidence on a connection already held (inside a `withRaw` callback of a transaction): inserts the
 * rows in order, appends their ledger entries, queues the outbox records.
 */
export function writeEvidenceIn(raw: Raw, evidence: readonly EvidenceEntry[], options: EvidenceOptions): void {
  if (!raw.inTransaction) throw new Error('Evidence is written inside the transaction of the change that produced it');
  for (const { type, row } of evidence) {
    const insert = INSERTS[type];
    // An extra property would be hashed but not stored, and verification would then call the row tampered.
    if (Object.keys(row).length !== insert.width) throw new Error(`Evidence row ${type} ${row.id}: expected exactly the ${insert.width} columns of its table`);
    raw.run(insert.sql, row);
  }
  if (evidence.length > 0) appendLedger(raw, evidence, options.at);
  for (const o of options.outbox ?? []) enqueueIn(raw, o.recordType, o.recordId, o.payload, options.at);
}

/** Writes evidence in the transaction `tx` runs (refused outside one). See `writeEvidenceIn`. */
export async function writeEvidence(tx: Ctx, evidence: readonly EvidenceEntry[], options: EvidenceOptions): Promise<void> {
  if (!tx.db.isTransaction) throw new Error('Evidence is written inside the transaction of the change that produced it');
  await withRaw(tx.db, (raw) => writeEvidenceIn(raw, evidence, options));
}

/**
 * Whether this connection can append evidence: false beside an app that keeps the ledger's key (the CLI's read-only
 * commands), where an unsealed entry would read as tampering. For writers that may skip (the audit log).
 */
export function canWriteEvidence(raw: Raw): boolean {
  return ledgerSealOf(raw) !== null;
}
