import { inTransaction, type Ctx } from '../context';
import { writeEvidence } from '../evidence/writer';
import { funderLogoBytes, organisationHeader, signaturePng } from './common-model';
import { canonicalJson, fingerprint, type ContentPart } from './content-hash';
import { dateRange, issuedLine, monthLabel, numericDate, personName, slug } from './format';
import { Pdf, stampPages } from './pdf';
import { drawSheet, QR_BOX_LANDSCAPE } from './sheet-pdf';
import { mondayOf, sheetModel, sheetParts } from './sheet-model';
import { drawStatement, QR_BOX_PORTRAIT } from './statement-pdf';
import { statementModel, statementParts } from './statement-model';

/**
 * Printed documents: émargement sheet, blank sheet for paper fallback, monthly statement. Each print
 * computes the document's content model, fingerprints it, records the print (printed_documents + ledger)
 * and renders a PDF whose every page carries the QR code of its short hash. `verify.ts` recomputes the
 * same content from the current data to tell whether the paper still matches.
 */

export const DOCUMENT_KINDS = ['attendance-sheet', 'blank-sheet', 'monthly-statement'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const KIND_LABELS: Record<DocumentKind, string> = {
  'attendance-sheet': "feuille d'émargement",
  'blank-sheet': "feuille d'émargement vierge (secours papier)",
  'monthly-statement': 'relevé mensuel de présence',
};

/** What one document prints, ready to hash and to draw. */
export interface DocumentContent {
  kind: DocumentKind;
  /** The inputs, normalised (e.g. any date of a week → its Monday): stored to recompute later. */
  input: Record<string, string>;
  parts: ContentPart[];
  /** One line for people: "semaine du 23 au 29 novembre 2026, Des étoiles et des femmes…". */
  describe: string;
  fileStem: string;
  title: string;
  landscape: boolean;
  draw(ctx: Ctx, pdf: Pdf, issuedAt: string): Promise<void>;
}

/** `asOf`: the instant the document reads as of (now when printing, the issue date when verifying). */
export async function documentContent(ctx: Ctx, kind: DocumentKind, input: Record<string, string>, asOf: Date = ctx.now()): Promise<DocumentContent> {
  switch (kind) {
    case 'attendance-sheet':
    case 'blank-sheet': {
      const params = { sessionId: input.sessionId ?? '', weekStart: mondayOf(input.weekStart ?? '') };
      const m = await sheetModel(ctx, kind, params);
      return {
        kind, input: params, parts: sheetParts(m),
        describe: `semaine ${dateRange(m.week.start, m.week.end)}, session « ${m.session.label} »`,
        fileStem: `${kind === 'blank-sheet' ? 'emargement-vierge' : 'emargement'}_${slug(m.session.label)}_${m.week.start}`,
        title: `${kind === 'blank-sheet' ? "Feuille d'émargement vierge" : "Feuille d'émargement"} — ${m.session.label} — semaine du ${numericDate(m.week.start)}`,
        landscape: true,
        draw: (c, pdf) => drawSheet(pdf, m, { signature: (id) => signaturePng(c, id), funderLogo: (code) => funderLogoBytes(c, code) }),
      };
    }
    case 'monthly-statement': {
      const params = { enrolmentId: input.enrolmentId ?? '', month: input.month ?? '' };
      const m = await statementModel(ctx, params, asOf);
      const who = personName(m.trainee.lastName, m.trainee.firstName);
      return {
        kind, input: params, parts: statementParts(m),
        describe: `${who}, ${monthLabel(m.month.id)}, session « ${m.session.label} »`,
        fileStem: `releve-presence_${slug(`${m.trainee.lastName}-${m.trainee.firstName}`)}_${m.month.id}`,
        title: `Relevé mensuel de présence — ${who} — ${monthLabel(m.month.id)}`,
        landscape: false,
        draw: async (c, pdf, issuedAt) => drawStatement(pdf, m, issuedAt, m.funder?.logo ? await funderLogoBytes(c, m.funder.code) : null),
      };
    }
  }
}

export interface PrintedDocument {
  fileName: string;
  base64: string;
  shortHash: string;
}

/**
 * Prints one document: content → fingerprint → PDF, and the print recorded in the same transaction as
 * its ledger entry (nothing is recorded if drawing fails). The same data printed twice gives the same
 * short hash; each print is still its own row (who printed what, when).
 */
export async function printDocument(ctx: Ctx, kind: DocumentKind, input: Record<string, string>): Promise<PrintedDocument> {
  return inTransaction(ctx, async (tx) => {
    const content = await documentContent(tx, kind, input);
    const fp = fingerprint(kind, content.parts);
    const at = tx.now().toISOString();
    const organisation = await organisationHeader(tx);

    const pdf = await Pdf.create({ title: content.title, author: organisation.name, subject: `Empreinte ${fp.shortHash}`, at: tx.now() });
    await content.draw(tx, pdf, at);
    const landscape = content.landscape;
    await stampPages(pdf, {
      shortHash: fp.shortHash,
      issued: issuedLine(at, organisation.timeZone, tx.user.name),
      qr: landscape ? QR_BOX_LANDSCAPE : QR_BOX_PORTRAIT,
      margin: landscape ? 24 : 32,
    });
    const bytes = await pdf.save();

    const row = {
      id: tx.newId(), kind, params: canonicalJson({ input: content.input, parts: fp.parts }), content_sha256: fp.contentSha256,
      short_hash: fp.shortHash, created_at: at, created_by: tx.user.id,
    };
    await writeEvidence(tx, [{ type: 'printed_document', row }], { at });
    return { fileName: `${content.fileStem}_${fp.shortHash}.pdf`, base64: Buffer.from(bytes).toString('base64'), shortHash: fp.shortHash };
  });
}
