import type { Raw } from '../db/raw';
import { GENESIS, LEDGER_TIP_SQL, type LedgerTip } from './hash';

/**
 * The ledger's head as printed on documents and sent to funders (`sender.ledgerHead`): how many entries the
 * chain holds and the last entry's seal. Copies of it kept outside the data folder (paper, receivers) let a
 * cut or emptied chain be caught.
 */
export interface LedgerHead {
  count: number;
  /**
   * Hex seal of the last entry: its HMAC under the ledger key (schema 9), which only the key's holder can
   * make; its unkeyed hash on a ledger older than the key; the genesis value for an empty ledger.
   */
  mac: string;
}

/** Reads the head in the caller's connection (inside or outside a transaction). */
export function readLedgerHead(raw: Pick<Raw, 'get'>): LedgerHead {
  const head = raw.get<LedgerTip>(LEDGER_TIP_SQL);
  return { count: head?.seq ?? 0, mac: head?.mac ?? head?.hash ?? GENESIS };
}

/** The head in one short line for a printed page: "Registre : 1 204 entrées · sceau 3f9a0c21e4b7d6a1". */
export function ledgerHeadLine(head: LedgerHead): string {
  return `Registre : ${head.count.toLocaleString('fr-FR')} entrée${head.count > 1 ? 's' : ''} · sceau ${head.mac.slice(0, 16)}`;
}
