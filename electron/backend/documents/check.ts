import { PDFDocument } from 'pdf-lib';
import type { Ctx } from '../context';
import { certificateByFingerprint, displayFingerprint } from './certificate';
import { instantLabel } from './format';
import { inspectSignature } from './pdf-signature';
import { parseVerifyCode, verifyPrintedDocument, type DocumentCheck } from './verify';

/**
 * The « Vérifier un document » screen: a PDF (or the code under its QR code) → authentic / changed /
 * unknown, and why, in French. For a PDF: its signature (the signed bytes' digest against the CMS
 * message-digest, the CMS signature, whose certificate), then, by the code the PDF carries, the print in
 * this database (its ledger entry intact) and its content recomputed today (verify.ts). For a code: the
 * last two only.
 */

export type Verdict = 'authentic' | 'changed' | 'unknown';

export interface Reason {
  ok: boolean;
  text: string;
}

export interface DocumentVerdict {
  verdict: Verdict;
  /** One sentence: what the verdict means. */
  summary: string;
  reasons: Reason[];
  printId: string | null;
  shortHash: string | null;
  kind: string | null;
  issuedAt: string | null;
  /** Who signed the PDF (the certificate's subject), when it carried a readable signature. */
  signer: string | null;
}

const SUMMARY: Record<Verdict, string> = {
  authentic: 'Document authentique : émis par cet organisme avec Sillon, et inchangé depuis.',
  changed: 'Document modifié : il ne correspond plus à ce que cet organisme a émis.',
  unknown: "Document inconnu : il n'a pas été émis par cet organisme avec cette installation de Sillon.",
};

/** The verification code a PDF printed by Sillon carries in its keywords (inside the signed bytes). */
export async function codeOfPdf(pdf: Buffer): Promise<string | null> {
  try {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
    const found = /sillon:verify:[0-9a-f:-]+/i.exec(doc.getKeywords() ?? '');
    if (found) return found[0];
  } catch {
    // A damaged file: look for the keywords in the raw text below.
  }
  const text = pdf.toString('latin1');
  for (const hex of text.match(/<FEFF[0-9A-Fa-f]+>/g) ?? []) {
    const bytes = Buffer.from(hex.slice(5, -1), 'hex');
    const decoded = bytes.swap16().toString('utf16le');
    const found = /sillon:verify:[0-9a-f:-]+/i.exec(decoded);
    if (found) return found[0];
  }
  return /sillon:verify:[0-9a-f:-]+/i.exec(text)?.[0] ?? null;
}

function recordReasons(check: DocumentCheck): Reason[] {
  switch (check.status) {
    case 'unchanged':
      return [
        { ok: true, text: "Son émission est enregistrée dans cette base, et l'entrée correspondante du registre des preuves est intacte." },
        { ok: true, text: "Son contenu, recalculé aujourd'hui à partir des données, correspond exactement à l'empreinte imprimée." },
      ];
    case 'changed':
      return [
        { ok: true, text: "Son émission est enregistrée dans cette base, et l'entrée correspondante du registre des preuves est intacte." },
        { ok: false, text: check.changes.length ? `Les données ont changé depuis son émission : ${check.changes.join(' ; ')}. Réimprimez-le pour obtenir la version à jour.` : check.message },
      ];
    case 'tampered':
      return [{ ok: false, text: check.message }];
    case 'unknown':
      return [{ ok: false, text: `Aucune émission de ce document (empreinte ${check.shortHash}) dans cette base.` }];
    case 'invalid':
      return [{ ok: false, text: check.message }];
  }
}

/** Checks the code under a QR code (or the QR code's text). */
export async function checkCode(ctx: Ctx, code: string): Promise<DocumentVerdict> {
  const check = await verifyPrintedDocument(ctx, code);
  const { printId } = parseVerifyCode(code);
  const verdict: Verdict = check.status === 'unchanged' ? 'authentic' : check.status === 'changed' || check.status === 'tampered' ? 'changed' : 'unknown';
  return {
    verdict, summary: SUMMARY[verdict], reasons: recordReasons(check), printId, shortHash: check.status === 'invalid' ? null : check.shortHash,
    kind: check.kind, issuedAt: check.issuedAt, signer: null,
  };
}

/** Checks a PDF file: its signature, then the print it names. */
export async function checkPdf(ctx: Ctx, pdf: Buffer): Promise<DocumentVerdict> {
  const reasons: Reason[] = [];
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
    return {
      verdict: 'unknown', summary: SUMMARY.unknown, reasons: [{ ok: false, text: "Ce fichier n'est pas un PDF." }], printId: null, shortHash: null,
      kind: null, issuedAt: null, signer: null,
    };
  }
  const sig = inspectSignature(pdf);
  const timeZone = (await ctx.db.selectFrom('organisation').select('timeZone').orderBy('createdAt').limit(1).executeTakeFirst())?.timeZone ?? 'Europe/Paris';
  const ours = sig.signerFingerprint ? await certificateByFingerprint(ctx, sig.signerFingerprint) : null;
  const intact = sig.present && sig.digestMatches && sig.signatureValid && sig.coversWholeFile;

  if (!sig.present || sig.problem) reasons.push({ ok: false, text: sig.problem ?? 'Ce PDF ne porte aucune signature électronique.' });
  else if (intact) {
    reasons.push({ ok: true, text: `Signature électronique intacte : le fichier n'a pas changé d'un octet depuis sa signature${sig.signedAt ? ` le ${instantLabel(sig.signedAt, timeZone)}` : ''}.` });
  } else if (!sig.digestMatches) {
    reasons.push({ ok: false, text: "Signature électronique rompue : le contenu du fichier a été modifié après sa signature (l'empreinte des octets signés ne correspond plus)." });
  } else if (!sig.signatureValid) {
    reasons.push({ ok: false, text: 'Signature électronique invalide : elle ne correspond à aucun certificat joint au fichier.' });
  } else {
    reasons.push({ ok: false, text: 'Du contenu a été ajouté au fichier après sa signature.' });
  }
  if (sig.signatureValid && sig.signerFingerprint) {
    reasons.push(ours
      ? { ok: true, text: `Signé par le certificat de cet organisme (${ours.source === 'imported' ? 'importé' : 'auto-signé par Sillon'}) : ${ours.subject}, empreinte SHA-256 ${ours.fingerprint}.` }
      : { ok: false, text: `Signé par un autre certificat que ceux de cet organisme (${sig.signerSubject ?? 'sujet illisible'}, empreinte SHA-256 ${displayFingerprint(sig.signerFingerprint)}) : document émis par une autre installation de Sillon, ou par un tiers.` });
  }

  const code = await codeOfPdf(pdf);
  let record: DocumentVerdict | null = null;
  if (code) {
    record = await checkCode(ctx, code);
    reasons.push(...record.reasons);
  } else {
    reasons.push({ ok: false, text: 'Ce PDF ne porte pas de code de vérification Sillon.' });
  }

  let verdict: Verdict;
  if (sig.signatureValid && sig.signerFingerprint && !ours) verdict = 'unknown';
  else if (!ours && (!record || record.verdict === 'unknown')) verdict = 'unknown';
  else if (!intact || !record || record.verdict !== 'authentic') verdict = record?.verdict === 'unknown' && intact ? 'unknown' : 'changed';
  else verdict = 'authentic';
  return {
    verdict, summary: SUMMARY[verdict], reasons, printId: record?.printId ?? null, shortHash: record?.shortHash ?? null, kind: record?.kind ?? null,
    issuedAt: record?.issuedAt ?? null, signer: sig.signerSubject,
  };
}
