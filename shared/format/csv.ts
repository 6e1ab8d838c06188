/**
 * The one CSV writer (backend exports, sync file batches, and every list exported from the screen): French
 * Excel's dialect — `;` separator, CRLF line ends, UTF-8 with a byte-order mark so accents open right — and
 * the spreadsheet formula-injection guard: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is prefixed with `'` so a spreadsheet shows it as text instead of running it as a formula.
 * Pure: it returns a string; the caller turns it into bytes (Buffer, Blob).
 */

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /**
   * Write decimals with a comma (12,5), as French Excel reads numbers: for files people open (lists exported
   * from the screen). Machine-read files (sync batches, exports for import) keep the dot.
   */
  decimalComma?: boolean;
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP « CSV injection »). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** UTF-8 byte-order mark: Excel reads the file as UTF-8 only with it. */
export const CSV_BOM = '\uFEFF';

/**
 * One cell: text that could start a formula is neutralised (numbers and booleans are data and stay as
 * they are), and a cell with `;`, `"`, CR or LF is quoted with its quotes doubled. null/undefined → empty.
 *
 * @example csvCell('=SUM(A1)') // "'=SUM(A1)"
 * @example csvCell('a;b') // '"a;b"'
 * @example csvCell(-5) // '-5'
 */
export function csvCell(value: CsvCell, options: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' && options.decimalComma ? String(value).replace('.', ',') : String(value);
  const safe = typeof value === 'string' && FORMULA_START.test(s) ? `'${s}` : s;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A whole file: BOM, header row, data rows, each line ended by CRLF.
 *
 * @example toCsv(['Nom', 'Heures'], [['Hélène', 7]]) // '\uFEFFNom;Heures\r\nHélène;7\r\n'
 */
export function toCsv(header: readonly CsvCell[], rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  return `${CSV_BOM}${[header, ...rows].map((row) => row.map((cell) => csvCell(cell, options)).join(';')).join('\r\n')}\r\n`;
}
