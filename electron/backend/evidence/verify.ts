import type Database from 'better-sqlite3';
import { contentHash, entryHash, EVIDENCE_TABLES, GENESIS } from './hash';

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
 * millions of entries. Reads only: the app runs it through `withRaw` (the `ledger.verify` handler); a check
 * from outside the app (a test playing the attacker, a bench) passes the file's own handle.
 */
export function verifyLedger(raw: { prepare(sql: string): Database.Statement }, options: { maxProblems?: number } = {}): VerifyReport {
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

  const tables = new Set((raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
  for (const [type, table] of Object.entries(EVIDENCE_TABLES)) {
    // A database of an older schema (a migration test stopping half-way) lacks the later evidence tables.
    if (!tables.has(table)) continue;
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
