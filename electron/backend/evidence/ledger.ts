import type { Raw } from '../db/raw';
import { contentHash, entryHash, GENESIS, LEDGER_HEAD_SQL, type EvidenceType } from './hash';

/**
 * The tamper-evident ledger: every evidence row is appended to a hash chain. Each entry holds the hash
 * of its record's content and the hash of the previous entry, so a row changed, removed or inserted
 * behind the app's back (e.g. by editing the SQLite file) breaks the chain or a content hash.
 *
 * **Private to evidence/**: only the evidence writer (writer.ts) appends, in the transaction that inserts
 * the rows (an eslint rule refuses this import elsewhere). Verification lives in verify.ts, hashes in hash.ts.
 */

const INSERT = 'INSERT INTO ledger (seq, record_type, record_id, content_hash, prev_hash, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)';

/**
 * Appends entries for rows just written, in the caller's transaction. Reads the chain's head once per
 * call, so a batch of marks costs one extra read.
 */
export function appendLedger(raw: Raw, entries: readonly { type: EvidenceType; row: Record<string, unknown> & { id: string } }[], at: string): void {
  if (!raw.inTransaction) throw new Error('ledger.append must run inside the transaction that wrote the evidence');
  const head = raw.get<{ seq: number; hash: string }>(LEDGER_HEAD_SQL);
  const insert = raw.prepare(INSERT);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS;
  for (const { type, row } of entries) {
    seq++;
    const content = contentHash(row);
    const hash = entryHash(prev, seq, type, row.id, content, at);
    insert.run(seq, type, row.id, content, prev, hash, at);
    prev = hash;
  }
}
