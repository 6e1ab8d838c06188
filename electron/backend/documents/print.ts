import { formatCents } from '../../../shared/format/money';
import { inTransaction, type Ctx } from '../context';
import { withRaw } from '../db/raw';
import { ledgerHeadLine, readLedgerHead } from '../evidence/head';
import { writeEvidence } from '../evidence/writer';
import { syncOf } from '../sync/registry';
import { signingIdentity, type SigningIdentity } from './certificate';
import { funderLogoBytes, organisationHeader, signaturePng } from './common-model';
import { canonicalJson, fingerprint, type ContentPart } from './content-hash';
import { dateRange, issuedLine, monthLabel, numericDate, personName, slug } from './format';
import { howToCheck, Pdf, stampPages } from './pdf';
import { signPdf } from './pdf-signature';
import { drawSheet, QR_BOX_LANDSCAPE } from './sheet-pdf';
import { mondayOf, sheetModel, sheetParts } from './sheet-model';
import { drawStatement, QR_BOX_PORTRAIT } from './statement-pdf';
import { statementModel, statementParts } from './statement-model';
import type { SecretStore } from '../sync/secret-store';
import { certificatModel, certificatParts, funderStatementModel, funderStatementParts, invoiceModel, invoiceParts } from './claim-model';
import { CLAIM_MARGIN, drawCertificat, drawFunderStatement, drawInvoice, QR_BOX_CLAIM } from './claim-pdf';
import { afestDossierModel, dossierParts } from './afest-dossier-model';
import { DOSSIER_MARGIN, drawAfestDossier, QR_BOX_DOSSIER } from './afest-dossier-pdf';

/**
 * Printed documents: émargement sheet, blank sheet for paper fallback, monthly statement, and the documents of
 * a claim (certificat de réalisation, invoice, funder statement: claim-model.ts, issued by claim-documents.ts
 * within the claim's validation), and the AFEST dossier (afest-dossier-model.ts). Each print
 * computes the document's content model, fingerprints it, records the print (printed_documents + ledger)
 * and renders a PDF whose every page carries the QR code of its short hash. `verify.ts` recomputes the
 * same content from the current data to tell whether the paper still matches.
 */

export const DOCUMENT_KINDS = ['attendance-sheet', 'blank-sheet', 'monthly-statement', 'certificat-realisation', 'invoice', 'funder-statement', 'afest-dossier'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const KIND_LABELS: Record<DocumentKind, string> = {
  'attendance-sheet': "feuille d'émargement",
  'blank-sheet': "feuille d'émargement vierge (secours papier)",
  'monthly-statement': 'relevé mensuel de présence',
  'certificat-realisation': 'certificat de réalisation',
  invoice: 'facture',
  'funder-statement': 'état de présence de la période (demande de paiement)',
  'afest-dossier': 'dossier AFEST',
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
  /** Where the QR code goes and the footer's margin, when not the default of the page's orientation. */
  layout?: { qr: { x: number; y: number; size: number }; margin: number };
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
    case 'certificat-realisation': {
      const params = { claimId: input.claimId ?? '', enrolmentId: input.enrolmentId ?? '' };
      const m = await certificatModel(ctx, params.claimId, params.enrolmentId, asOf);
      const who = personName(m.trainee.lastName, m.trainee.firstName);
      const period = `du ${numericDate(m.claim.periodFrom)} au ${numericDate(m.claim.periodTo)}`;
      return {
        kind, input: params, parts: certificatParts(m),
        describe: `${who}, ${m.final ? 'final' : 'intermédiaire'}, période ${period}, action « ${m.action.title} »`,
        fileStem: `certificat-realisation_${slug(`${m.trainee.lastName}-${m.trainee.firstName}`)}_${m.claim.periodFrom}_${m.claim.periodTo}`,
        title: `Certificat de réalisation ${m.final ? 'final' : 'intermédiaire'} — ${who} — ${period}`,
        landscape: false, layout: { qr: QR_BOX_CLAIM, margin: CLAIM_MARGIN },
        draw: async (_c, pdf) => drawCertificat(pdf, m),
      };
    }
    case 'invoice': {
      const params = { claimId: input.claimId ?? '' };
      const m = await invoiceModel(ctx, params.claimId, asOf);
      const number = m.claim.invoiceNumber ?? 'sans-numero';
      return {
        kind, input: params, parts: invoiceParts(m),
        describe: `${m.totalHtCents < 0 ? 'avoir' : 'facture'} ${m.claim.invoiceNumber ?? '(non numérotée)'}, ${m.funder.name}, ${formatCents(m.totalTtcCents)}`,
        fileStem: `facture_${slug(number)}`,
        title: `${m.totalHtCents < 0 ? 'Avoir' : 'Facture'} ${m.claim.invoiceNumber ?? ''} — ${m.funder.name}`,
        landscape: false, layout: { qr: QR_BOX_CLAIM, margin: CLAIM_MARGIN },
        draw: async (_c, pdf) => drawInvoice(pdf, m),
      };
    }
    case 'funder-statement': {
      const params = { claimId: input.claimId ?? '' };
      const m = await funderStatementModel(ctx, params.claimId, asOf);
      const period = `du ${numericDate(m.claim.periodFrom)} au ${numericDate(m.claim.periodTo)}`;
      return {
        kind, input: params, parts: funderStatementParts(m),
        describe: `${m.funder.name}, période ${period}, ${m.total.trainees} stagiaire(s)`,
        fileStem: `etat-presence_${slug(m.funder.code)}_${m.claim.periodFrom}_${m.claim.periodTo}`,
        title: `État de présence de la période ${period} — ${m.funder.name}`,
        landscape: false, layout: { qr: QR_BOX_CLAIM, margin: CLAIM_MARGIN },
        draw: async (_c, pdf) => drawFunderStatement(pdf, m),
      };
    }
    case 'afest-dossier': {
      const params = { afestId: input.afestId ?? '' };
      const m = await afestDossierModel(ctx, params.afestId, asOf);
      return {
        kind, input: params, parts: dossierParts(m),
        describe: `${m.trainee.name}, « ${m.afest.title} »${m.company ? `, ${m.company.name}` : ''}`,
        fileStem: `dossier-afest_${slug(m.trainee.name)}`,
        title: `Dossier AFEST — ${m.trainee.name} — ${m.afest.title}`,
        landscape: false, layout: { qr: QR_BOX_DOSSIER, margin: DOSSIER_MARGIN },
        draw: (c, pdf) => drawAfestDossier(pdf, m, { signature: (id) => signaturePng(c, id) }),
      };
    }
  }
}

export interface PrintedDocument {
  fileName: string;
  base64: string;
  shortHash: string;
  /** The print's id (printed_documents.id), in the QR code beside the short hash. */
  printId: string;
}

/**
 * Prints one document: content → fingerprint → PDF, signed under the organisation's certificate, and the
 * print recorded in the same transaction as its ledger entry (nothing is recorded if drawing or signing
 * fails). The same data printed twice gives the same short hash; each print is still its own row (who
 * printed what, when), with its own id in the QR code. The ledger head printed on each page is the one the
 * print found, before its own entry.
 */
export async function printDocument(ctx: Ctx, kind: DocumentKind, input: Record<string, string>): Promise<PrintedDocument> {
  // The secret store lives with the engine of the root connection (it is reached before the transaction).
  const secrets = syncOf(ctx).secrets;
  return inTransaction(ctx, async (tx) => {
    const issued = await issueDocument(tx, secrets, await documentContent(tx, kind, input));
    return { fileName: issued.fileName, base64: Buffer.from(issued.bytes).toString('base64'), shortHash: issued.shortHash, printId: issued.printId };
  });
}

export interface IssuedDocument {
  fileName: string;
  bytes: Uint8Array;
  shortHash: string;
  contentSha256: string;
  printId: string;
}

/**
 * The steps of a print, inside the caller's transaction: fingerprint → PDF → stamp (QR code, short hash,
 * ledger head) on every page → signature → printed_documents row and its ledger entry. Used by
 * `printDocument` and by the claim documents (claim-documents.ts), rendered within a claim's validation.
 * `signer`: the secret store that opens the signing key, or an identity already opened (a batch of prints
 * opens it once).
 */
export async function issueDocument(tx: Ctx, signer: SecretStore | SigningIdentity, content: DocumentContent): Promise<IssuedDocument> {
  const fp = fingerprint(content.kind, content.parts);
  const signedAt = tx.now();
  const at = signedAt.toISOString();
  const organisation = await organisationHeader(tx);
  const identity = 'key' in signer ? signer : await signingIdentity(tx, signer);
  const head = await withRaw(tx.db, (raw) => readLedgerHead(raw));
  const printId = tx.newId();

  const pdf = await Pdf.create({ title: content.title, author: organisation.name, subject: `Empreinte ${fp.shortHash}`, at: signedAt });
  pdf.doc.setKeywords([`sillon:verify:${printId}:${fp.shortHash}`]);
  await content.draw(tx, pdf, at);
  const landscape = content.landscape;
  await stampPages(pdf, {
    printId,
    shortHash: fp.shortHash,
    issued: issuedLine(at, organisation.timeZone, tx.user.name),
    ledger: ledgerHeadLine(head),
    howToCheck: howToCheck(organisation.name, fp.shortHash),
    qr: content.layout?.qr ?? (landscape ? QR_BOX_LANDSCAPE : QR_BOX_PORTRAIT),
    margin: content.layout?.margin ?? (landscape ? 24 : 32),
  });
  const bytes = await signPdf(pdf.doc, identity, {
    name: pdf.clean(organisation.name),
    reason: pdf.clean(`${content.title} : document émis par ${organisation.name} (Sillon), empreinte ${fp.shortHash}`),
    location: pdf.clean(organisation.city ?? 'France'),
    contactInfo: pdf.clean(`${organisation.name}, SIRET ${organisation.siret}`),
    at: signedAt,
  });

  const row = {
    id: printId, kind: content.kind,
    params: canonicalJson({ input: content.input, parts: fp.parts, ledgerHead: head, certificate: identity.view.fingerprint }),
    content_sha256: fp.contentSha256, short_hash: fp.shortHash, created_at: at, created_by: tx.user.id,
  };
  await writeEvidence(tx, [{ type: 'printed_document', row }], { at });
  return { fileName: `${content.fileStem}_${fp.shortHash}.pdf`, bytes, shortHash: fp.shortHash, contentSha256: fp.contentSha256, printId };
}
