import { unzipSync, zipSync } from 'fflate';
import { AppError } from '../../../shared/errors';
import { toCsv } from '../../../shared/format/csv';
import { formatCents } from '../../../shared/format/money';
import type { Ctx } from '../context';
import { withRaw } from '../db/raw';
import { sha256 } from '../evidence/hash';
import { claimHeader, unitLabel } from './claim-model';
import { numericDate, slug } from './format';

/**
 * The bundle of a validated claim, one ZIP for the funder (or the file connector): the PDFs stored with the
 * claim at its validation (claim_documents, never re-rendered: their SHA-256 are the frozen ones), the lines
 * as CSV (French Excel: `;`, UTF-8 with BOM, decimal comma, dates dd/mm/yyyy) and as XLSX (real numbers and
 * dates), and `manifest.json` naming every other file with its SHA-256 and size.
 */

export interface ManifestFile {
  name: string;
  sha256: string;
  size: number;
  kind: 'certificat' | 'invoice' | 'statement' | 'lines-csv' | 'lines-xlsx';
}

export interface Manifest {
  format: 'sillon-claim-bundle/1';
  claimId: string;
  kind: 'claim' | 'regularisation';
  status: string;
  funder: { code: string; name: string };
  programme: { code: string; name: string } | null;
  purchaseOrder: string | null;
  invoiceNumber: string | null;
  period: { from: string; to: string };
  totalCents: number;
  /** « 1 265 600,00 € » */
  total: string;
  validatedAt: string;
  frozenSha256: string;
  files: ManifestFile[];
}

const CSV_HEADER = ['N°', 'Libellé', 'Unité', 'Type de coût', 'Début de période', 'Fin de période', 'Quantité', 'Prix unitaire (€)', 'Montant (€)', 'Minutes facturées', 'Minutes réalisées'];

export async function buildClaimBundle(ctx: Ctx, claimId: string): Promise<{ fileName: string; bytes: Uint8Array; manifest: Manifest }> {
  const h = await claimHeader(ctx, claimId, ctx.now());
  const { claim, validatedAt, status, docs } = await withRaw(ctx.db, (raw) => ({
    claim: h.claim,
    ...raw.get<{ validatedAt: string | null; status: string }>('SELECT validated_at AS validatedAt, status FROM claims WHERE id = ?', claimId)!,
    docs: raw.all<{ kind: 'certificat' | 'invoice' | 'statement'; name: string; bytes: Uint8Array; sha256: string }>(
      "SELECT kind, name, bytes, sha256 FROM claim_documents WHERE claim_id = ? AND kind <> 'bundle' ORDER BY CASE kind WHEN 'invoice' THEN 0 WHEN 'statement' THEN 1 ELSE 2 END, name", claimId),
  }));
  if (status === 'draft' || !validatedAt || !claim.frozenSha256) {
    throw new AppError('business', "Cette demande de paiement est encore un brouillon : validez-la avant d'exporter son dossier (les pièces sont produites à la validation).", [{ path: 'claimId', message: 'Demande non validée.' }]);
  }

  const files: Record<string, Uint8Array> = {};
  const listed: ManifestFile[] = [];
  const add = (name: string, bytes: Uint8Array, kind: ManifestFile['kind']) => {
    files[name] = bytes;
    listed.push({ name, sha256: sha256(bytes), size: bytes.length, kind });
  };
  for (const d of docs) {
    const bytes = new Uint8Array(d.bytes);
    if (sha256(bytes) !== d.sha256) {
      throw new AppError('internal', `La pièce « ${d.name} » de la demande ne correspond plus à son empreinte enregistrée : dossier non exporté. Lancez « npm run cli -- verify ».`);
    }
    add(`pdf/${d.name}`, bytes, d.kind);
  }

  const rows = h.lines.map((l) => [
    l.position, l.label, unitLabel(l.unit), l.costType, numericDate(claim.periodFrom), numericDate(claim.periodTo),
    l.quantityE4 / 10_000, l.unitPriceCents / 100, l.amountCents / 100, l.minutes, l.realisedMinutes,
  ]);
  const total = ['', 'Total', '', '', '', '', null, null, claim.totalCents / 100, null, null];
  add('lignes.csv', new TextEncoder().encode(toCsv(CSV_HEADER, [...rows, total], { decimalComma: true })), 'lines-csv');
  add('lignes.xlsx', await linesXlsx(h, validatedAt), 'lines-xlsx');

  const manifest: Manifest = {
    format: 'sillon-claim-bundle/1', claimId, kind: claim.kind, status, funder: { code: h.funder.code, name: h.funder.name }, programme: h.programme,
    purchaseOrder: claim.purchaseOrder, invoiceNumber: claim.invoiceNumber, period: { from: claim.periodFrom, to: claim.periodTo },
    totalCents: claim.totalCents, total: formatCents(claim.totalCents), validatedAt, frozenSha256: claim.frozenSha256, files: listed,
  };
  files['manifest.json'] = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  // The entries dated at the validation: the same claim always gives the same archive.
  const bytes = zipSync(files, { level: 6, mtime: validatedAt });
  const fileName = `dossier_${slug(h.funder.code)}_${claim.periodFrom}_${claim.periodTo}_${slug(claim.invoiceNumber ?? claimId.slice(0, 8))}.zip`;
  return { fileName, bytes, manifest };
}

/** A date-only value as the spreadsheet's date (midnight UTC: exceljs writes the serial day without a shift). */
function day(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

async function linesXlsx(h: Awaited<ReturnType<typeof claimHeader>>, validatedAt: string): Promise<Uint8Array> {
  // Loaded on first use: exceljs is heavy.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sillon';
  workbook.created = day(validatedAt.slice(0, 10));
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Lignes');
  sheet.columns = [
    { header: CSV_HEADER[0], key: 'position', width: 6 },
    { header: CSV_HEADER[1], key: 'label', width: 48 },
    { header: CSV_HEADER[2], key: 'unit', width: 20 },
    { header: CSV_HEADER[3], key: 'costType', width: 16 },
    { header: CSV_HEADER[4], key: 'from', width: 14, style: { numFmt: 'dd/mm/yyyy' } },
    { header: CSV_HEADER[5], key: 'to', width: 14, style: { numFmt: 'dd/mm/yyyy' } },
    { header: CSV_HEADER[6], key: 'quantity', width: 12, style: { numFmt: '#,##0.00##' } },
    { header: CSV_HEADER[7], key: 'unitPrice', width: 16, style: { numFmt: '#,##0.00 "€"' } },
    { header: CSV_HEADER[8], key: 'amount', width: 16, style: { numFmt: '#,##0.00 "€"' } },
    { header: CSV_HEADER[9], key: 'minutes', width: 16, style: { numFmt: '0' } },
    { header: CSV_HEADER[10], key: 'realised', width: 16, style: { numFmt: '0' } },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const l of h.lines) {
    sheet.addRow({
      position: l.position, label: l.label, unit: unitLabel(l.unit), costType: l.costType, from: day(h.claim.periodFrom), to: day(h.claim.periodTo),
      quantity: l.quantityE4 / 10_000, unitPrice: l.unitPriceCents / 100, amount: l.amountCents / 100, minutes: l.minutes, realised: l.realisedMinutes,
    });
  }
  const totalRow = sheet.addRow({ label: 'Total', amount: h.claim.totalCents / 100 });
  totalRow.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  // exceljs dates its zip entries with the wall clock: re-zipped with the validation's date, the same claim
  // gives the same spreadsheet bytes (and so the same bundle).
  const written = unzipSync(new Uint8Array(await workbook.xlsx.writeBuffer()));
  return zipSync(written, { level: 6, mtime: validatedAt });
}
