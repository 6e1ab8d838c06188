import { AppError } from '../../../shared/errors';
import type { Raw } from '../db/raw';
import { contentHash, entryHash, GENESIS, LEDGER_TIP_SQL, type EvidenceType, type LedgerTip } from './hash';
import { ledgerSealOf } from './key';

/**
 * The tamper-evident ledger: every evidence row is appended to a hash chain. Each entry holds the hash
 * of its record's content and the hash of the previous entry, so a row changed, removed or inserted
 * behind the app's back (e.g. by editing the SQLite file) breaks the chain or a content hash. Since schema 9
 * each entry is also sealed: `mac` = HMAC under the ledger key (key.ts, kept outside the database) over the
 * previous entry's seal and the entry's hash, so the chain cannot be recomputed without the key.
 *
 * **Private to evidence/**: only the evidence writer (writer.ts) and the tracked rows (track.ts) append, in the
 * transaction that wrote the rows (an eslint rule refuses this import elsewhere). Verification lives in
 * verify.ts, hashes in hash.ts.
 */

const INSERT = 'INSERT INTO ledger (seq, record_type, record_id, content_hash, prev_hash, hash, created_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

/** Record types of tracked rows (track.ts): `row:<kind>`, several entries per row, one per state. */
export type TrackedRecordType = `row:${string}`;

/** The part of Raw the append needs (the one-time upgrade runs it on the file's handle). */
export type LedgerRaw = Pick<Raw, 'get' | 'prepare' | 'inTransaction'>;

/**
 * Appends entries for rows just written, in the caller's transaction. Reads the chain's head once per
 * call, so a batch of marks costs one extra read. Refused on a connection without the ledger key (one not
 * opened by the backend): an unsealed entry would read as tampering.
 */
export function appendLedger(
  raw: LedgerRaw,
  entries: readonly { type: EvidenceType | TrackedRecordType; row: Record<string, unknown> & { id: string } }[],
  at: string,
): void {
  if (!raw.inTransaction) throw new Error('ledger.append must run inside the transaction that wrote the evidence');
  const seal = ledgerSealOf(raw);
  if (!seal) {
    throw new AppError(
      'business',
      "Le registre des preuves de ce dossier est scellé par l'application Sillon (sa clé est gardée par le trousseau du système) : la ligne de commande peut le lire, l'exporter et le vérifier, pas y écrire. Faites cette opération depuis l'application ; rien n'a été enregistré.",
    );
  }
  const head = raw.get<LedgerTip>(LEDGER_TIP_SQL);
  const insert = raw.prepare(INSERT);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS;
  let prevMac = head?.mac ?? GENESIS;
  for (const { type, row } of entries) {
    seq++;
    const content = contentHash(row);
    const hash = entryHash(prev, seq, type, row.id, content, at);
    const mac = seal.entryMac(prevMac, hash);
    insert.run(seq, type, row.id, content, prev, hash, at, mac);
    prev = hash;
    prevMac = mac;
  }
}
