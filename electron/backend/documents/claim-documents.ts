import type { Ctx } from '../context';
import { sha256 } from '../evidence/hash';
import type { SecretStore } from '../sync/secret-store';
import { signingIdentity } from './certificate';
import { claimEnrolments, claimHeader } from './claim-model';
import { documentContent, issueDocument, type DocumentKind } from './print';

/**
 * The PDFs of a claim, made from its frozen numbers: one certificat de réalisation per trainee with lines,
 * the invoice and the funder's attendance statement of the period. Called by the claims service **inside**
 * the validation transaction (it stores them in `claim_documents`); each is a print like any other
 * (printed_documents + ledger entry), so it carries the verification QR code and short hash and the
 * « Vérifier un document » screen recognises it. Any failure throws, and the validation rolls back whole.
 */

export interface RenderedClaimDocument {
  kind: 'certificat' | 'invoice' | 'statement';
  enrolmentId: string | null;
  name: string;
  mime: 'application/pdf';
  bytes: Uint8Array;
  sha256: string;
  printId: string;
}

/** `secrets`: the store that opens the signing key (`syncOf(ctx).secrets`, read before the transaction opens, as printDocument does). */
export async function renderClaimDocuments(tx: Ctx, claimId: string, secrets: SecretStore): Promise<RenderedClaimDocument[]> {
  const asOf = tx.now();
  const { lines } = await claimHeader(tx, claimId, asOf);
  // Opened once for the whole batch (a claim of 500 trainees issues 502 PDFs).
  const identity = await signingIdentity(tx, secrets);
  const out: RenderedClaimDocument[] = [];
  const issue = async (kind: DocumentKind, docKind: RenderedClaimDocument['kind'], input: Record<string, string>, enrolmentId: string | null) => {
    const issued = await issueDocument(tx, identity, await documentContent(tx, kind, input, asOf));
    out.push({ kind: docKind, enrolmentId, name: issued.fileName, mime: 'application/pdf', bytes: issued.bytes, sha256: sha256(issued.bytes), printId: issued.printId });
  };
  await issue('invoice', 'invoice', { claimId }, null);
  await issue('funder-statement', 'statement', { claimId }, null);
  for (const enrolmentId of claimEnrolments(lines)) await issue('certificat-realisation', 'certificat', { claimId, enrolmentId }, enrolmentId);
  return out;
}
