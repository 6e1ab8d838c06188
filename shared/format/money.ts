/**
 * The one money and quantity text of Sillon (screens, PDFs, the CLI, the engine's messages): integer cents in,
 * French text out, and back for what people type. Integer arithmetic only (never a float on money).
 * No-break spaces (U+00A0) group the thousands and stand before « € » and « h », so an amount never breaks
 * across two lines; U+00A0 is in the PDFs' WinAnsi font too. Pure.
 */

export const NBSP = '\u00a0';

/** Digits grouped by three with no-break spaces: 1265600 → « 1 265 600 ». */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/**
 * « 1 265 600,00 € »: cents as French money; a credit « -12,50 € ».
 *
 * @example formatCents(126_560_000) // '1 265 600,00 €'
 */
export function formatCents(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${grouped(Math.floor(abs / 100))},${String(abs % 100).padStart(2, '0')}${NBSP}€`;
}

/**
 * « 412,00 h » from hours × 10 000 (the claim lines' `quantity_e4`), to the hundredth rounded down.
 *
 * @example formatHoursE4(3300) // '0,33 h'
 */
export function formatHoursE4(quantityE4: number): string {
  const hundredths = Math.floor(Math.abs(quantityE4) / 100);
  return `${quantityE4 < 0 ? '-' : ''}${grouped(Math.floor(hundredths / 100))},${String(hundredths % 100).padStart(2, '0')}${NBSP}h`;
}

/**
 * A quantity × 10 000 with no unit: at least two decimals, up to four when they matter.
 *
 * @example formatQuantityE4(4_125_000) // '412,50'
 * @example formatQuantityE4(12_345) // '1,2345'
 */
export function formatQuantityE4(quantityE4: number): string {
  const abs = Math.abs(quantityE4);
  const decimals = String(abs % 10_000).padStart(4, '0').replace(/0{1,2}$/, '');
  return `${quantityE4 < 0 ? '-' : ''}${grouped(Math.floor(abs / 10_000))},${decimals}`;
}

/**
 * What people type → cents: « 7 500,00 », « 7500 », « 12.5 », « 1 500 € » (at most two decimals, never
 * negative); '' (or blanks) → null; anything else → NaN (the form names the field).
 *
 * @example parseEuros('7 500,00') // 750000
 */
export function parseEuros(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (t === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return Number.NaN;
  const [whole, frac = ''] = t.split('.') as [string, string?];
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/**
 * Cents → the text of an input field, as `parseEuros` reads it back: no grouping, two decimals; null → ''.
 *
 * @example eurosInput(750_000) // '7500,00'
 */
export function eurosInput(cents: number | null): string {
  if (cents === null) return '';
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}
