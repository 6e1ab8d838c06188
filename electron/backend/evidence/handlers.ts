import type { evidenceContract } from '../../../shared/contract/evidence';
import type { HandlersOf } from '../handler';
import { verifyLedger } from './ledger';

export const evidenceHandlers: HandlersOf<typeof evidenceContract> = {
  'ledger.verify': async (ctx) => {
    const { entries, ok, problems } = verifyLedger(ctx.raw);
    return { entries, ok, problems };
  },
};
