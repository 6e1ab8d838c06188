import type { Ctx } from '../context';

/** A frozen document of a validated claim. */
export interface RenderedClaimDocument {
  kind: 'certificat' | 'invoice' | 'statement';
  enrolmentId: string | null;
  name: string;
  mime: 'application/pdf';
  bytes: Uint8Array;
  sha256: string;
  printId: string;
}

/**
 * PLACEHOLDER (claims-service helper): the documents helper's file replaces this one at merge. Renders the
 * certificats, the invoice and the statement of a claim inside the validation's transaction `tx`.
 */
export async function renderClaimDocuments(tx: Ctx, claimId: string): Promise<RenderedClaimDocument[]> {
  void tx;
  void claimId;
  return [];
}
