import type { evidenceContract } from '../../../shared/contract/evidence';
import type { HandlersOf } from '../handler';
import { withRaw } from '../db/raw';
import { verifyLedger } from './verify';

export const evidenceHandlers: HandlersOf<typeof evidenceContract> = {
  'ledger.verify': async (ctx) => {
    const { entries, ok, problems, notes } = await withRaw(ctx.db, (raw) => verifyLedger(raw));
    return { entries, ok, problems, notes };
  },
};
