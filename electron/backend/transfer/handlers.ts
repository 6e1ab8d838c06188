import type { transferContract } from '../../../shared/contract/transfer';
import { inTransaction } from '../context';
import type { HandlersOf } from '../handler';
import { exportLines, importLines } from './transfer';

export const transferHandlers: HandlersOf<typeof transferContract> = {
  'data.import': (ctx, { text }) => importLines(ctx, text),
  'data.export': async (ctx) => {
    // One read transaction: the export is a consistent snapshot even while the app writes.
    const text = await inTransaction(ctx, (tx) => exportLines(tx));
    return { text, lines: text === '' ? 0 : text.split('\n').length - 1 };
  },
};
