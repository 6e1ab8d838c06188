import { FROZEN_CLAIM_SQL, FROZEN_LINES_SQL, frozenClaimSha256, type FrozenClaimRow } from '../claims/frozen';
import type { Raw } from '../db/raw';
import type { SqlRow } from '../db/schema';
import { contentHash, EVIDENCE_TABLES } from './hash';
import { writeEvidenceIn } from './writer';

/**
 * Blanking the personal content of evidence rows once nothing obliges the organisation to keep it: the purge of
 * an erased trainee after the funders' retention (RGPD art. 17, electron/backend/rgpd/purge.ts). Evidence is
 * otherwise never changed; this is the only other path, and it leaves a trace no one can forge:
 *
 * 1. an `evidence_redactions` row (itself evidence: in the ledger, chained and sealed, written by the one
 *    writer) records the row, the columns blanked, its content hash before (the hash its ledger entry holds, or the
 *    previous redaction's after) and after;
 * 2. then the row is updated: the append-only triggers (migration 18) let through only an update of those
 *    columns, to their blank value, of a row with a recorded redaction.
 *
 * `ledger.verify` (verify.ts) accepts a row whose content differs from its entry only if a chain of recorded
 * redactions leads from the entry's hash to the row's current hash: a blanking done behind the app's back, or a
 * redaction record edited or inserted without the ledger's key, is still reported.
 *
 * A frozen claim (schema 14) is the same idea at the claim's level: its lines' labels name the trainee, its
 * `frozen_sha256` covers them; the redaction's record type is `claim` and its hashes are the frozen hashes.
 */

/** The evidence a purge may blank, and the columns of each (their blank values are the purge's to choose). */
export const REDACTABLE = {
  signature: ['strokes', 'png'],
  attendance_mark: ['reason'],
  document: ['name', 'bytes'],
  connection_log_row: ['login'],
  claim_document: ['name', 'bytes'],
  audit_event: ['summary'],
} as const;
export type RedactableType = keyof typeof REDACTABLE;

export interface Redaction<T extends RedactableType = RedactableType> {
  type: T;
  id: string;
  /** The new values of some of the type's redactable columns. */
  set: Partial<Record<(typeof REDACTABLE)[T][number], string | Uint8Array | null>>;
}

export interface RedactionContext {
  /** The erasure the purge carries out (`rgpd_erasures.id`). */
  erasureId: string;
  at: string;
  userId: string;
  newId: () => string;
}

type Row = Record<string, unknown> & { id: string };

/**
 * Blanks rows in the caller's transaction (refused outside one): records each redaction, then applies it. A row
 * already blank (same content after) or gone is skipped. Returns how many rows were blanked.
 */
export function redactEvidenceIn(raw: Raw, c: RedactionContext, redactions: readonly Redaction[]): number {
  if (!raw.inTransaction) throw new Error('A redaction is recorded inside the transaction that applies it');
  let done = 0;
  for (const r of redactions) {
    const table = EVIDENCE_TABLES[r.type];
    const columns = Object.keys(r.set).filter((k) => (REDACTABLE[r.type] as readonly string[]).includes(k));
    if (columns.length !== Object.keys(r.set).length) throw new Error(`Redaction of ${r.type}: only ${REDACTABLE[r.type].join(', ')} may be blanked`);
    const row = raw.get<Row>(`SELECT * FROM ${table} WHERE id = ?`, r.id);
    if (!row) continue;
    const blanked: Row = { ...row, ...r.set };
    const before = contentHash(row);
    const after = contentHash(blanked);
    if (before === after) continue;
    record(raw, c, r.type, r.id, columns, before, after);
    raw.run(`UPDATE ${table} SET ${columns.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`, { ...r.set, id: r.id });
    done++;
  }
  return done;
}

/**
 * Rewrites the labels of a claim's lines (`label(line)` gives the new one, or the same to leave it) in the caller's
 * transaction. A draft is simply updated (nothing is frozen yet); a validated claim gets a `claim` redaction first.
 * Returns how many lines changed.
 */
export function redactClaimLabelsIn(raw: Raw, c: RedactionContext, claimId: string, label: (line: SqlRow<'claim_lines'>) => string): number {
  if (!raw.inTransaction) throw new Error('A redaction is recorded inside the transaction that applies it');
  const status = raw.get<{ status: string }>('SELECT status FROM claims WHERE id = ?', claimId)?.status;
  if (status === undefined) return 0;
  const lines = raw.all<SqlRow<'claim_lines'>>(FROZEN_LINES_SQL, claimId);
  const renamed = lines.map((l) => ({ ...l, label: label(l) }));
  const changed = renamed.filter((l, i) => l.label !== lines[i]!.label);
  if (changed.length === 0) return 0;
  if (status !== 'draft') {
    const header = raw.get<FrozenClaimRow>(FROZEN_CLAIM_SQL, claimId)!;
    record(raw, c, 'claim', claimId, ['claim_lines.label'], frozenClaimSha256(header, lines), frozenClaimSha256(header, renamed));
  }
  const update = raw.prepare('UPDATE claim_lines SET label = ? WHERE id = ?');
  for (const l of changed) update.run(l.label, l.id);
  return changed.length;
}

function record(raw: Raw, c: RedactionContext, type: string, id: string, columns: readonly string[], before: string, after: string): void {
  writeEvidenceIn(
    raw,
    [{ type: 'evidence_redaction', row: { id: c.newId(), erasure_id: c.erasureId, record_type: type, record_id: id, columns: JSON.stringify(columns), before_hash: before, after_hash: after, created_at: c.at, created_by: c.userId } }],
    { at: c.at },
  );
}

/** The recorded redactions, per `type id`, in the order they were made: what verify.ts walks. */
export type RedactionChains = Map<string, { before: string; after: string }[]>;

export function redactionChains(raw: { prepare(sql: string): { all(...p: unknown[]): unknown[] } }): RedactionChains {
  const chains: RedactionChains = new Map();
  const rows = raw.prepare('SELECT record_type, record_id, before_hash, after_hash FROM evidence_redactions ORDER BY created_at, rowid').all() as {
    record_type: string;
    record_id: string;
    before_hash: string;
    after_hash: string;
  }[];
  for (const r of rows) {
    const key = `${r.record_type} ${r.record_id}`;
    const chain = chains.get(key) ?? [];
    chain.push({ before: r.before_hash, after: r.after_hash });
    chains.set(key, chain);
  }
  return chains;
}

/** Whether recorded redactions lead from the hash the ledger holds (`original`) to the row's `current` one. */
export function redactedTo(chains: RedactionChains, type: string, id: string, original: string, current: string): boolean {
  const chain = chains.get(`${type} ${id}`);
  if (!chain) return false;
  let hash = original;
  for (const step of chain) if (step.before === hash) hash = step.after;
  return hash === current;
}
