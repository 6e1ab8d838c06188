import type { Ctx } from '../context';
import { rawGet, rawRun } from '../db/raw';

/**
 * The next invoice number, `F2026-000001`: prefix, year of the validation, six digits. One counter per
 * organisation (`invoice_sequence`, a single row whose trigger refuses any jump), moved inside the validation's
 * transaction: a validation rolled back takes its number back with it, so the sequence never has a gap.
 */
export async function nextInvoiceNumber(tx: Ctx, year: string): Promise<string> {
  if (!tx.db.isTransaction) throw new Error('An invoice number is taken inside the transaction that uses it');
  await rawRun(tx.db, 'UPDATE invoice_sequence SET last_number = last_number + 1 WHERE id = 1');
  const row = await rawGet<{ prefix: string; last_number: number }>(tx.db, 'SELECT prefix, last_number FROM invoice_sequence WHERE id = 1');
  if (!row) throw new Error('invoice_sequence has no row');
  return `${row.prefix}${year}-${String(row.last_number).padStart(6, '0')}`;
}
