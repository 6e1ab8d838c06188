import type { Ctx } from '../context';
import { printDocument, type PrintedDocument } from '../documents/print';

/**
 * `afest.dossier`: the AFEST dossier (funder, Qualiopi indicator 28) through the printing pipeline like every
 * printed document — content fingerprinted, the print recorded in printed_documents and the ledger, the PDF
 * signed, the QR code with the short hash on every page — so « Vérifier un document » recomputes it from the
 * AFEST's id (documents/afest-dossier-model.ts).
 *
 * @example await printAfestDossier(ctx, { id: afestId }) // { fileName: 'dossier-afest_renaud-julien_3f2a…pdf', base64, shortHash, printId }
 */
export function printAfestDossier(ctx: Ctx, input: { id: string }): Promise<PrintedDocument> {
  return printDocument(ctx, 'afest-dossier', { afestId: input.id });
}
