import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerSeal } from './key';

/**
 * `ledger.head` in the data folder: the chain's head (count + last seal + its time) authenticated under the
 * ledger key, kept outside the database file so cutting the chain's tail or emptying it is caught. A file
 * forged or edited without the key is refused; an older copy put back shows a head that the chain has passed
 * with another seal at that position, or a count the chain no longer reaches.
 */

export const LEDGER_HEAD_FILE = 'ledger.head';

export interface SealedHead {
  count: number;
  mac: string;
  /** When the last entry counted was written (its created_at). */
  at: string;
}

export type HeadFileState =
  | { state: 'missing' }
  | { state: 'invalid'; reason: string }
  /** Written under another key (e.g. the app's, read by the CLI's key file). */
  | { state: 'foreign'; keyId: string }
  | ({ state: 'ok' } & SealedHead);

interface HeadFileJson extends SealedHead {
  v: 1;
  keyId: string;
  tag: string;
}

export function headFilePath(seal: LedgerSeal): string {
  return join(seal.dataDir, LEDGER_HEAD_FILE);
}

export function readHeadFile(seal: LedgerSeal): HeadFileState {
  let text: string;
  try {
    text = readFileSync(headFilePath(seal), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'invalid', reason: `illisible (${(e as Error).message})` };
  }
  let j: Partial<HeadFileJson>;
  try {
    j = JSON.parse(text) as Partial<HeadFileJson>;
  } catch {
    return { state: 'invalid', reason: 'contenu illisible' };
  }
  if (j.v !== 1 || !Number.isSafeInteger(j.count) || typeof j.mac !== 'string' || typeof j.at !== 'string' || typeof j.keyId !== 'string' || typeof j.tag !== 'string') {
    return { state: 'invalid', reason: 'format inconnu' };
  }
  if (j.keyId !== seal.keyId) return { state: 'foreign', keyId: j.keyId };
  if (!seal.same(seal.headTag(j.count!, j.mac, j.at), j.tag)) return { state: 'invalid', reason: 'son sceau ne correspond pas à son contenu (fichier modifié ou fabriqué)' };
  return { state: 'ok', count: j.count!, mac: j.mac, at: j.at };
}

/** Writes the head atomically: a temporary file, flushed to disk, then renamed over the old one. */
export function writeHeadFile(seal: LedgerSeal, head: SealedHead): void {
  const file = headFilePath(seal);
  const tmp = `${file}.${process.pid}.tmp`;
  const body: HeadFileJson = { v: 1, count: head.count, mac: head.mac, at: head.at, keyId: seal.keyId, tag: seal.headTag(head.count, head.mac, head.at) };
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(body)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
