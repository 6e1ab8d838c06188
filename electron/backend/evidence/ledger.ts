import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

/**
 * The tamper-evident ledger: every evidence row is appended to a hash chain. Each entry holds the hash
 * of its record's content and the hash of the previous entry, so a row changed, removed or inserted
 * behind the app's back (e.g. by editing the SQLite file) breaks the chain or a content hash.
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
} as const;
export type EvidenceType = keyof typeof EVIDENCE_TABLES;

const GENESIS = '0'.repeat(64);

/** The chain's head: read once per append, on the INTEGER PRIMARY KEY. */
export const LEDGER_HEAD_SQL = 'SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const sortedKeys = new Map<string, string[]>();

/** A row's content hash: columns sorted by name, BLOBs replaced by their own SHA-256. */
export function contentHash(row: Record<string, unknown>): string {
  const own = Object.keys(row);
  const signature = own.join(',');
  let keys = sortedKeys.get(signature);
  if (!keys) sortedKeys.set(signature, (keys = own.sort()));
  const values = keys.map((k) => {
    const v = row[k];
    return v instanceof Uint8Array ? `sha256:${sha256(v)}` : v;
  });
  return sha256(JSON.stringify([keys, values]));
}

function entryHash(prev: string, seq: number, type: string, id: string, content: string, at: string): string {
  return sha256(`${prev}|${seq}|${type}|${id}|${content}|${at}`);
}

/**
 * Appends entries for rows just written, in the caller's transaction. Reads the chain's head once per
 * call, so a batch of marks costs one extra read.
 */
export class LedgerWriter {
  readonly #raw: Database.Database;
  readonly #head: Database.Statement;
  readonly #insert: Database.Statement;

  constructor(raw: Database.Database) {
    this.#raw = raw;
    this.#head = raw.prepare(LEDGER_HEAD_SQL);
    this.#insert = raw.prepare(
      'INSERT INTO ledger (seq, record_type, record_id, content_hash, prev_hash, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Returns the entries' content hashes, in order: a caller that quotes one (an outbox payload) need not read it back. */
  append(entries: readonly { type: EvidenceType; row: Record<string, unknown> & { id: string } }[], at: string): string[] {
    if (!this.#raw.inTransaction) throw new Error('ledger.append must run inside the transaction that wrote the evidence');
    const head = this.#head.get() as { seq: number; hash: string } | undefined;
    let seq = head?.seq ?? 0;
    let prev = head?.hash ?? GENESIS;
    const contents: string[] = [];
    for (const { type, row } of entries) {
      seq++;
      const content = contentHash(row);
      const hash = entryHash(prev, seq, type, row.id, content, at);
      this.#insert.run(seq, type, row.id, content, prev, hash, at);
      contents.push(content);
      prev = hash;
    }
    return contents;
  }
}

const writers = new WeakMap<Database.Database, LedgerWriter>();
export function ledgerWriter(raw: Database.Database): LedgerWriter {
  let w = writers.get(raw);
  if (!w) writers.set(raw, (w = new LedgerWriter(raw)));
  return w;
}

export interface LedgerProblem {
  seq: number | null;
  recordType: string;
  recordId: string;
  problem: 'chain-broken' | 'content-changed' | 'record-removed' | 'record-inserted' | 'entry-missing';
  message: string;
}

export interface VerifyReport {
  entries: number;
  ok: boolean;
  problems: LedgerProblem[];
  /** The first broken entry, by position in the chain. */
  first: LedgerProblem | null;
}

/**
 * Walks the whole chain and every evidence table. Streams rows (iterate), so memory stays flat for
 * millions of entries.
 */
export function verifyLedger(raw: Database.Database, options: { maxProblems?: number } = {}): VerifyReport {
  const max = options.maxProblems ?? 100;
  const problems: LedgerProblem[] = [];
  const add = (p: LedgerProblem) => {
    if (problems.length < max) problems.push(p);
  };
  let entries = 0;
  let prev = GENESIS;
  let expectedSeq = 1;
  const chain = raw.prepare('SELECT seq, record_type, record_id, content_hash, prev_hash, hash, created_at FROM ledger ORDER BY seq');
  for (const e of chain.iterate() as Iterable<{ seq: number; record_type: string; record_id: string; content_hash: string; prev_hash: string; hash: string; created_at: string }>) {
    entries++;
    if (e.seq !== expectedSeq) {
      add({ seq: e.seq, recordType: e.record_type, recordId: e.record_id, problem: 'entry-missing', message: `Entrée ${expectedSeq} du registre absente (la suivante est la ${e.seq}).` });
    }
    const recomputed = entryHash(e.prev_hash, e.seq, e.record_type, e.record_id, e.content_hash, e.created_at);
    if (e.prev_hash !== prev || recomputed !== e.hash) {
      add({ seq: e.seq, recordType: e.record_type, recordId: e.record_id, problem: 'chain-broken', message: `Chaîne rompue à l'entrée ${e.seq} (${e.record_type} ${e.record_id}) : entrée modifiée, insérée ou supprimée.` });
    }
    prev = e.hash;
    expectedSeq = e.seq + 1;
  }

  for (const [type, table] of Object.entries(EVIDENCE_TABLES)) {
    // Every evidence row must have its entry, with the same content hash.
    const rows = raw.prepare(`SELECT t.*, l.seq AS __seq, l.content_hash AS __hash FROM ${table} t LEFT JOIN ledger l ON l.record_type = ? AND l.record_id = t.id`);
    for (const r of rows.iterate(type) as Iterable<Record<string, unknown> & { id: string; __seq: number | null; __hash: string | null }>) {
      const { __seq, __hash, ...row } = r;
      if (__seq === null) {
        add({ seq: null, recordType: type, recordId: row.id as string, problem: 'record-inserted', message: `${type} ${row.id as string} présent en base mais absent du registre : ajouté hors de l'application.` });
      } else if (contentHash(row) !== __hash) {
        add({ seq: __seq, recordType: type, recordId: row.id as string, problem: 'content-changed', message: `${type} ${row.id as string} (entrée ${__seq}) modifié hors de l'application : son contenu ne correspond plus à son empreinte.` });
      }
    }
    const orphans = raw.prepare(`SELECT l.seq, l.record_id FROM ledger l LEFT JOIN ${table} t ON t.id = l.record_id WHERE l.record_type = ? AND t.id IS NULL`);
    for (const o of orphans.iterate(type) as Iterable<{ seq: number; record_id: string }>) {
      add({ seq: o.seq, recordType: type, recordId: o.record_id, problem: 'record-removed', message: `${type} ${o.record_id} (entrée ${o.seq}) supprimé hors de l'application.` });
    }
  }
  const sorted = [...problems].sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  return { entries, ok: problems.length === 0, problems: sorted, first: sorted[0] ?? null };
}
