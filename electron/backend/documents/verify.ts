import type { Ctx } from '../context';
import { stmt } from '../db/statements';

/**
 * Checks a printed document by the short hash on its QR code: it must have been issued by this
 * database and be in the ledger. (The documents builder adds the re-computation of its content.)
 */
export function verifyPrintedDocument(ctx: Ctx, shortHash: string): { ok: boolean; message: string } {
  const row = stmt(ctx.raw, 'SELECT id, kind, created_at FROM printed_documents WHERE short_hash = ?').get(shortHash.trim().toLowerCase()) as
    | { id: string; kind: string; created_at: string }
    | undefined;
  if (!row) return { ok: false, message: `Aucun document émis avec l'empreinte ${shortHash} : document inconnu ou falsifié.` };
  return { ok: true, message: `Document ${row.kind} émis le ${row.created_at.slice(0, 10)} (empreinte ${shortHash}) : connu du registre.` };
}
