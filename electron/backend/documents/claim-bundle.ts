import { AppError } from '../../../shared/errors';
import type { Ctx } from '../context';

/** PLACEHOLDER (claims-service helper): the documents helper's file replaces this one at merge. */
export async function buildClaimBundle(ctx: Ctx, claimId: string): Promise<{ fileName: string; bytes: Uint8Array; manifest: unknown }> {
  void ctx;
  void claimId;
  throw new AppError('business', 'Le dossier de la demande (ZIP) n’est pas encore disponible.');
}
