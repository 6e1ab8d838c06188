import type { documentsContract } from '../../../shared/contract/documents';
import type { HandlersOf } from '../handler';
import { printDocument } from './print';
import { verifyPrintedDocument } from './verify';

export const documentsHandlers: HandlersOf<typeof documentsContract> = {
  'documents.attendanceSheet': (ctx, input) => printDocument(ctx, 'attendance-sheet', input),
  'documents.blankSheet': (ctx, input) => printDocument(ctx, 'blank-sheet', input),
  'documents.monthlyStatement': (ctx, input) => printDocument(ctx, 'monthly-statement', input),
  'documents.verify': async (ctx, { shortHash }) => {
    const { exitCode: _exitCode, ...check } = await verifyPrintedDocument(ctx, shortHash);
    return check;
  },
};
