import type Database from 'better-sqlite3';
import { contentHash, entryHash, EVIDENCE_SINCE_SCHEMA_9, EVIDENCE_TABLES, GENESIS, type EvidenceType } from './hash';
import { readHeadFile, type HeadFileState } from './head-file';
import { ledgerSealOf } from './key';
import { redactedTo, redactionChains } from './redact';
import { TRACKED, trackedRecordType, type TrackedKind } from './track';
import { FROZEN_CLAIM_SQL, FROZEN_LINES_SQL, frozenClaimSha256, type FrozenClaimRow } from '../claims/frozen';
import type { SqlRow } from '../db/schema';

export interface LedgerProblem {
  seq: number | null;
  recordType: string;
  recordId: string;
  problem:
    | 'chain-broken'
    | 'content-changed'
    | 'record-removed'
    | 'record-inserted'
    | 'entry-missing'
    /** Entries without a seal (added without the key, or left unsealed because the chain was broken before the key). */
    | 'unsealed'
    /** A seal that does not chain: the chain was recomputed or edited without the key. */
    | 'seal-broken'
    /** The head file outside the database: missing, forged, under another key, ahead of the chain, or no longer on it. */
    | 'head-missing'
    | 'head-invalid'
    | 'head-foreign'
    | 'entries-cut'
    | 'chain-rewritten'
    /** A validated claim (schema 14) whose header or lines no longer hash to its `frozen_sha256`. */
    | 'claim-tampered';
  message: string;
}

export interface VerifyReport {
  entries: number;
  ok: boolean;
  problems: LedgerProblem[];
  /** The first broken entry, by position in the chain. */
  first: LedgerProblem | null;
  /** What was checked beside the problems, in French (old entries sealed at the upgrade, head behind…). */
  notes: string[];
}

const plural = (n: number, word: string) => `${n.toLocaleString('fr-FR')} ${word}${n > 1 ? 's' : ''}`;

/**
 * Walks the whole chain (hashes, and seals under the ledger key when the connection has it), the head kept
 * outside the database, every evidence table and every tracked row. Streams rows (iterate), so memory stays
 * flat for millions of entries. Reads only: the app runs it through `withRaw` (the `ledger.verify` handler); a
 * check from outside the app (a test playing the attacker, a bench) passes the file's own handle, and then
 * only the unkeyed checks run (the key is bound to the backend's handle).
 */
export function verifyLedger(raw: { prepare(sql: string): Database.Statement }, options: { maxProblems?: number } = {}): VerifyReport {
  const max = options.maxProblems ?? 100;
  const problems: LedgerProblem[] = [];
  const notes: string[] = [];
  const add = (p: LedgerProblem) => {
    if (problems.length < max) problems.push(p);
  };
  const has = (table: string) => raw.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  const keyedSchema = has('ledger_keying');
  const seal = keyedSchema ? ledgerSealOf(raw) : null;
  const keying = seal
    ? ((raw.prepare('SELECT keyed_at, sealed_entries, unsealed_from FROM ledger_keying WHERE id = 1').get() as
        | { keyed_at: string; sealed_entries: number; unsealed_from: number | null }
        | undefined) ?? null)
    : null;
  let headFile: HeadFileState | null = seal ? readHeadFile(seal) : null;
  if (headFile?.state === 'foreign') {
    add({ seq: null, recordType: 'ledger', recordId: 'ledger.head', problem: 'head-foreign', message: "Le registre a été scellé sous une autre clé (celle de l'application ?) : ses sceaux ne peuvent pas être vérifiés ici." });
    headFile = null;
  }
  const checkSeals = seal !== null && headFile !== null && keying !== null;
  if (!keyedSchema) {
    // A database older than the key (schema < 9): the unkeyed chain and its evidence only.
  } else if (!seal) notes.push('Sceaux non vérifiés : cette lecture ne dispose pas de la clé du registre (seule la chaîne d’empreintes est contrôlée).');
  else if (!keying) {
    add({ seq: null, recordType: 'ledger', recordId: 'ledger_keying', problem: 'unsealed', message: "Le registre n'a jamais été scellé dans cette base alors qu'un en-tête existe dans le dossier de données : base remplacée ou modifiée hors de l'application." });
  } else if (keying.sealed_entries > 0) {
    const n = keying.sealed_entries;
    notes.push(`${plural(n, 'entrée')} antérieure${n > 1 ? 's' : ''} à la clé du registre scellée${n > 1 ? 's' : ''} le ${keying.keyed_at.slice(0, 10)}, la chaîne non scellée étant intacte jusque-là.`);
  }

  let entries = 0;
  let lastSeq = 0;
  let prev = GENESIS;
  let prevMac = GENESIS;
  let expectedSeq = 1;
  let unsealed = 0;
  let firstUnsealed: { seq: number; type: string; id: string } | null = null;
  let macAtHead: string | null | undefined;
  const headCount = headFile?.state === 'ok' ? headFile.count : -1;
  const chain = raw.prepare('SELECT seq, record_type, record_id, content_hash, prev_hash, hash, created_at' + (keyedSchema ? ', mac' : ', NULL AS mac') + ' FROM ledger ORDER BY seq');
  for (const e of chain.iterate() as Iterable<{ seq: number; record_type: string; record_id: string; content_hash: string; prev_hash: string; hash: string; created_at: string; mac: string | null }>) {
    entries++;
    lastSeq = e.seq;
    if (e.seq !== expectedSeq) {
      add({ seq: e.seq, recordType: e.record_type, recordId: e.record_id, problem: 'entry-missing', message: `Entrée ${expectedSeq} du registre absente (la suivante est la ${e.seq}).` });
    }
    const recomputed = entryHash(e.prev_hash, e.seq, e.record_type, e.record_id, e.content_hash, e.created_at);
    if (e.prev_hash !== prev || recomputed !== e.hash) {
      add({ seq: e.seq, recordType: e.record_type, recordId: e.record_id, problem: 'chain-broken', message: `Chaîne rompue à l'entrée ${e.seq} (${e.record_type} ${e.record_id}) : entrée modifiée, insérée ou supprimée.` });
    }
    if (checkSeals) {
      if (e.mac === null) {
        unsealed++;
        firstUnsealed ??= { seq: e.seq, type: e.record_type, id: e.record_id };
      } else if (e.mac !== seal.entryMac(prevMac, e.hash)) {
        add({ seq: e.seq, recordType: e.record_type, recordId: e.record_id, problem: 'seal-broken', message: `Sceau invalide à l'entrée ${e.seq} (${e.record_type} ${e.record_id}) : le registre a été recalculé ou modifié sans sa clé.` });
      }
    }
    if (e.seq === headCount) macAtHead = e.mac;
    prev = e.hash;
    prevMac = e.mac ?? GENESIS;
    expectedSeq = e.seq + 1;
  }
  if (firstUnsealed) {
    const before = keying?.unsealed_from !== null && keying?.unsealed_from !== undefined && firstUnsealed.seq >= keying.unsealed_from;
    add({
      seq: firstUnsealed.seq,
      recordType: firstUnsealed.type,
      recordId: firstUnsealed.id,
      problem: 'unsealed',
      message: before
        ? `${plural(unsealed, 'entrée')} sans sceau à partir de l'entrée ${firstUnsealed.seq} : la chaîne était déjà rompue quand le registre a reçu sa clé (${keying!.keyed_at.slice(0, 10)}).`
        : `${plural(unsealed, 'entrée')} sans sceau à partir de l'entrée ${firstUnsealed.seq} : ajoutée${unsealed > 1 ? 's' : ''} hors de l'application.`,
    });
  }

  if (seal && headFile && keying) {
    if (headFile.state === 'missing') {
      if (entries > 0) add({ seq: null, recordType: 'ledger', recordId: 'ledger.head', problem: 'head-missing', message: `L'en-tête du registre (fichier ledger.head du dossier de données) a disparu alors que le registre compte ${plural(entries, 'entrée')} : la coupe ou la vidange du registre ne peut plus être exclue.` });
    } else if (headFile.state === 'invalid') {
      add({ seq: null, recordType: 'ledger', recordId: 'ledger.head', problem: 'head-invalid', message: `L'en-tête du registre (ledger.head) est refusé : ${headFile.reason}.` });
    } else if (headFile.state === 'ok') {
      if (headFile.count > lastSeq) {
        add({ seq: lastSeq + 1, recordType: 'ledger', recordId: 'ledger.head', problem: 'entries-cut', message: `Le registre compte ${plural(lastSeq, 'entrée')} alors que son en-tête en atteste ${headFile.count.toLocaleString('fr-FR')} (le ${headFile.at.slice(0, 10)}) : les dernières entrées ont été supprimées.` });
      } else if (headFile.count > 0 && (macAtHead === undefined || macAtHead === null || !seal.same(macAtHead, headFile.mac))) {
        add({ seq: headFile.count, recordType: 'ledger', recordId: 'ledger.head', problem: 'chain-rewritten', message: `L'entrée ${headFile.count} ne porte plus le sceau que l'en-tête du registre a enregistré : le registre a été réécrit.` });
      } else if (headFile.count < lastSeq) {
        notes.push(`${plural(lastSeq - headFile.count, 'entrée')} postérieure${lastSeq - headFile.count > 1 ? 's' : ''} à l'en-tête du registre, aux sceaux vérifiés (l'en-tête sera mis à jour).`);
      }
    }
  }

  // Rows blanked by an RGPD purge after the retention (redact.ts): accepted only along their recorded redactions.
  const chains = has('evidence_redactions') ? redactionChains(raw) : new Map();
  for (const [type, table] of Object.entries(EVIDENCE_TABLES)) {
    // A table absent from the file (one a later schema adds, or dropped behind the app's back): whatever the
    // ledger holds for it has been removed.
    if (!has(table)) {
      for (const o of raw.prepare('SELECT seq, record_id FROM ledger WHERE record_type = ? ORDER BY seq').iterate(type) as Iterable<{ seq: number; record_id: string }>) {
        add({ seq: o.seq, recordType: type, recordId: o.record_id, problem: 'record-removed', message: `${type} ${o.record_id} (entrée ${o.seq}) supprimé hors de l'application.` });
      }
      continue;
    }
    if (!keyedSchema && EVIDENCE_SINCE_SCHEMA_9.includes(type as EvidenceType)) continue;
    // Every evidence row must have its entry, with the same content hash.
    const rows = raw.prepare(`SELECT t.*, l.seq AS __seq, l.content_hash AS __hash FROM ${table} t LEFT JOIN ledger l ON l.record_type = ? AND l.record_id = t.id`);
    for (const r of rows.iterate(type) as Iterable<Record<string, unknown> & { id: string; __seq: number | null; __hash: string | null }>) {
      const { __seq, __hash, ...row } = r;
      if (__seq === null) {
        add({ seq: null, recordType: type, recordId: row.id as string, problem: 'record-inserted', message: `${type} ${row.id as string} présent en base mais absent du registre : ajouté hors de l'application.` });
      } else if (contentHash(row) !== __hash && !redactedTo(chains, type, row.id as string, __hash!, contentHash(row))) {
        add({ seq: __seq, recordType: type, recordId: row.id as string, problem: 'content-changed', message: `${type} ${row.id as string} (entrée ${__seq}) modifié hors de l'application : son contenu ne correspond plus à son empreinte.` });
      }
    }
    const orphans = raw.prepare(`SELECT l.seq, l.record_id FROM ledger l LEFT JOIN ${table} t ON t.id = l.record_id WHERE l.record_type = ? AND t.id IS NULL`);
    for (const o of orphans.iterate(type) as Iterable<{ seq: number; record_id: string }>) {
      add({ seq: o.seq, recordType: type, recordId: o.record_id, problem: 'record-removed', message: `${type} ${o.record_id} (entrée ${o.seq}) supprimé hors de l'application.` });
    }
  }

  // Tracked rows (from schema 9): each current row against its latest entry.
  if (keyedSchema) {
    for (const kind of Object.keys(TRACKED) as TrackedKind[]) verifyTracked(raw, kind, add);
  }

  // Validated claims (schema 14): the frozen header and lines against the hash taken at validation.
  if (has('claims')) {
    for (const c of raw.prepare("SELECT id, frozen_sha256, invoice_number FROM claims WHERE status <> 'draft' ORDER BY id").iterate() as Iterable<{ id: string; frozen_sha256: string; invoice_number: string | null }>) {
      const header = raw.prepare(FROZEN_CLAIM_SQL).get(c.id) as FrozenClaimRow;
      const lines = raw.prepare(FROZEN_LINES_SQL).all(c.id) as SqlRow<'claim_lines'>[];
      const now = frozenClaimSha256(header, lines);
      if (now !== c.frozen_sha256 && !redactedTo(chains, 'claim', c.id, c.frozen_sha256, now)) {
        add({ seq: null, recordType: 'claim', recordId: c.id, problem: 'claim-tampered', message: `Demande de paiement ${c.invoice_number ?? c.id} modifiée hors de l'application après sa validation : ses lignes ne correspondent plus à l'empreinte figée.` });
      }
    }
  }

  const sorted = [...problems].sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  return { entries, ok: problems.length === 0, problems: sorted, first: sorted[0] ?? null, notes };
}

const LABELS: Record<TrackedKind, string> = { slot: 'Créneau', attendance_kind: 'Type de présence', afest: 'AFEST', afest_rule: 'Règle AFEST du dispositif' };

function verifyTracked(raw: { prepare(sql: string): Database.Statement }, kind: TrackedKind, add: (p: LedgerProblem) => void): void {
  const def = TRACKED[kind];
  const type = trackedRecordType(kind);
  const label = LABELS[kind];
  const rows = raw.prepare(
    `SELECT q.*, l.seq AS __seq, l.content_hash AS __hash FROM (${def.select}) q
     LEFT JOIN ledger l ON l.seq = (SELECT max(seq) FROM ledger WHERE record_type = ? AND record_id = q.id)`,
  );
  for (const r of rows.iterate(type) as Iterable<Record<string, unknown> & { id: string; __seq: number | null; __hash: string | null }>) {
    const { __seq, __hash, ...row } = r;
    if (__seq === null) {
      add({ seq: null, recordType: type, recordId: row.id, problem: 'record-inserted', message: `${label} ${row.id} présent en base mais absent du registre : ajouté hors de l'application.` });
    } else if (contentHash(row) !== __hash) {
      add({ seq: __seq, recordType: type, recordId: row.id, problem: 'content-changed', message: `${label} ${row.id} (entrée ${__seq}) modifié hors de l'application : son état ne correspond plus à sa dernière entrée du registre.` });
    }
  }
  const orphans = raw.prepare(
    `SELECT l.record_id, max(l.seq) AS seq FROM ledger l WHERE l.record_type = ? AND NOT EXISTS (SELECT 1 FROM ${def.table} t WHERE t.${def.idColumn} = l.record_id) GROUP BY l.record_id`,
  );
  for (const o of orphans.iterate(type) as Iterable<{ seq: number; record_id: string }>) {
    add({ seq: o.seq, recordType: type, recordId: o.record_id, problem: 'record-removed', message: `${label} ${o.record_id} (entrée ${o.seq}) supprimé hors de l'application.` });
  }
}
