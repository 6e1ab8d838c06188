import type { claimsContract } from '../../../shared/contract/claims';
import { buildClaimBundle } from '../documents/claim-bundle';
import { sha256 } from '../evidence/hash';
import type { HandlersOf } from '../handler';
import { takeBackupOf } from '../backup/backup';
import { advanceClaim, buildClaim, claimDocument, discardClaim, getClaimPage, listClaims, rebuildClaim, regulariseClaim, validateClaim } from './claims';

export const claimsHandlers: HandlersOf<typeof claimsContract> = {
  'claims.list': listClaims,
  'claims.get': (ctx, { id }) => getClaimPage(ctx, id),
  'claims.document': (ctx, { id }) => claimDocument(ctx, id),
  'claims.bundle': async (ctx, { id }) => {
    const { fileName, bytes } = await buildClaimBundle(ctx, id);
    return { fileName, mime: 'application/zip' as const, sha256: sha256(bytes), base64: Buffer.from(bytes).toString('base64') };
  },
  'claims.build': buildClaim,
  'claims.rebuild': (ctx, { id }) => rebuildClaim(ctx, id),
  'claims.discard': (ctx, { id }) => discardClaim(ctx, id),
  'claims.validate': async (ctx, { id }) => {
    // A backup before the claim is frozen (issue #12): what was validated can always be traced back to the base it
    // came from. Outside the validation's transaction; a failing backup stops the validation (said in French).
    await takeBackupOf(ctx, 'claim');
    return validateClaim(ctx, id);
  },
  'claims.advance': advanceClaim,
  'claims.regularise': (ctx, { id }) => regulariseClaim(ctx, id),
};
