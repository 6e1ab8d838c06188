import type { SqlRow } from '../db/schema';
import { canonicalJson } from '../documents/content-hash';
import { sha256 } from '../evidence/hash';

/**
 * What a validated claim freezes: its header (funder, scope, period, kind, total, invoice number, the hash of the
 * evidence it was computed from) and every line, all columns, in position order. `claims.frozen_sha256` is the
 * SHA-256 of this record's canonical JSON; the ledger check (evidence/verify.ts) recomputes it.
 */
export const FROZEN_CLAIM_COLUMNS = [
  'id', 'funder_code', 'programme_id', 'purchase_order', 'contract_id', 'period_from', 'period_to', 'kind', 'regularises_id', 'total_cents', 'invoice_number', 'inputs_sha256',
] as const;

export type FrozenClaimRow = Pick<SqlRow<'claims'>, (typeof FROZEN_CLAIM_COLUMNS)[number]>;

export function frozenClaimSha256(claim: FrozenClaimRow, lines: readonly SqlRow<'claim_lines'>[]): string {
  const header = Object.fromEntries(FROZEN_CLAIM_COLUMNS.map((c) => [c, claim[c]]));
  const sorted = [...lines].sort((a, b) => a.position - b.position);
  return sha256(canonicalJson({ claim: header, lines: sorted }));
}

/** The SQL reading a claim's frozen header (for `frozenClaimSha256`). */
export const FROZEN_CLAIM_SQL = `SELECT ${FROZEN_CLAIM_COLUMNS.join(', ')} FROM claims WHERE id = ?`;
export const FROZEN_LINES_SQL = 'SELECT * FROM claim_lines WHERE claim_id = ? ORDER BY position';
