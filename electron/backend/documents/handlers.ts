import type { documentsContract } from '../../../shared/contract/documents';
import type { HandlersOf } from '../handler';
import { syncOf } from '../sync/registry';
import { currentCertificate, importCertificate, signingIdentity } from './certificate';
import { checkCode, checkPdf } from './check';
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
  'documents.check': (ctx, input) => (input.pdfBase64 ? checkPdf(ctx, Buffer.from(input.pdfBase64, 'base64')) : checkCode(ctx, input.code ?? '')),
  'documents.certificate': (ctx) => currentCertificate(ctx),
  'documents.ensureCertificate': async (ctx) => (await signingIdentity(ctx, syncOf(ctx).secrets)).view,
  'documents.importCertificate': (ctx, input) => importCertificate(ctx, syncOf(ctx).secrets, input),
};
