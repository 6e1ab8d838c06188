/**
 * The file connector: the same records as the protocol's batches, written as CSV (French Excel: `;`, UTF-8
 * with BOM) or XLSX (one sheet per record type) for funders without an API. The user uploads the file by
 * hand and records the outcome; the outbox tracks it like any batch. Pure mapping: no database here.
 */

import { toCsv as writeCsv } from '../../../../shared/format/csv';

export interface WireRecord {
  recordId: string;
  version: number;
  type: string;
  payload: unknown;
}

type Cell = string | number | boolean | null;

const TYPE_LABELS: Record<string, string> = {
  enrolment: 'Inscriptions',
  attendance: 'Émargements',
  'afest-sequence': 'Séquences AFEST',
  claim: 'Demandes de paiement',
};

/** `{ trainee: { lastName } }` → `{ 'trainee.lastName': … }`; arrays by index (`lines.0.amountCents`). */
export function flatten(value: unknown, prefix = '', out: Record<string, Cell> = {}): Record<string, Cell> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out[prefix] = Array.isArray(value) ? '[]' : '{}';
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = value === undefined ? null : (value as Cell);
  }
  return out;
}

function table(records: readonly WireRecord[]): { columns: string[]; rows: Cell[][] } {
  const flat = records.map((r) => ({ recordId: r.recordId, version: r.version, type: r.type, ...flatten(r.payload) }));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of flat) {
    for (const k of Object.keys(row)) {
      if (seen.has(k)) continue;
      seen.add(k);
      columns.push(k);
    }
  }
  return { columns, rows: flat.map((row) => columns.map((c) => (row as Record<string, Cell>)[c] ?? null)) };
}

/**
 * @example toCsv([{ recordId: 'r1', version: 1, type: 'claim', payload: { totalCents: 100 } }])
 * // '\uFEFFrecordId;version;type;totalCents\r\nr1;1;claim;100\r\n'
 */
export function toCsv(records: readonly WireRecord[]): string {
  const { columns, rows } = table(records);
  return writeCsv(columns, rows);
}

export async function toXlsx(records: readonly WireRecord[]): Promise<Buffer> {
  // Loaded on first use: exceljs is heavy and most start-ups never write a spreadsheet.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sillon';
  const byType = new Map<string, WireRecord[]>();
  for (const r of records) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  for (const [type, list] of byType) {
    const sheet = workbook.addWorksheet(TYPE_LABELS[type] ?? type);
    const { columns, rows } = table(list);
    sheet.addRow(columns).font = { bold: true };
    for (const row of rows) sheet.addRow(row);
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The records of a saved batch body (the file is always rebuilt from exactly what was queued). */
export function recordsOfBody(body: string): WireRecord[] {
  return (JSON.parse(body) as { records: WireRecord[] }).records;
}
