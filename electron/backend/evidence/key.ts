import type Database from 'better-sqlite3';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { keptSealedByTheApp, plainKeyFile } from '../key-files';

/**
 * The ledger's key: 32 random bytes under which every entry is sealed (HMAC-SHA256 chained over the previous
 * seal) and the head kept outside the database is authenticated. Whoever holds the database file without the
 * key can no longer recompute the chain.
 *
 * **Private to evidence/** (an eslint rule refuses this import elsewhere): the key is bound to the database
 * connection once, by `openLedger` (seal.ts), and only the seal functions below ever see it.
 *
 * Where it lives: in the app, the Electron main process keeps it sealed by safeStorage (`ledger.key.sealed`,
 * electron/main/secrets.ts) and hands it to the backend at start-up; the CLI, the tests and the preview use
 * the key file `ledger.key` of the data folder (mode 0600, created on first use, never overwritten), like
 * the sync tokens' FileKeySecretStore.
 */

export const LEDGER_KEY_FILE = 'ledger.key';

/**
 * True when the app keeps this folder's key sealed by safeStorage (`ledger.key.sealed`) and no plain key file
 * exists: a CLI or preview run then has no key — it may read and verify the unkeyed chain, never write.
 */
export function keptByTheApp(dataDir: string): boolean {
  return keptSealedByTheApp(dataDir, LEDGER_KEY_FILE);
}

/** The file key of a data folder, created on first use. */
export function fileLedgerKey(dataDir: string): Buffer {
  return plainKeyFile(dataDir, LEDGER_KEY_FILE, 'Clé du registre');
}

/** What the evidence functions do with the key bound to a connection. */
export interface LedgerSeal {
  /** The data folder whose `ledger.head` goes with this database. */
  readonly dataDir: string;
  /** A short public name of the key (not the key): tells two keys apart in the head file and the report. */
  readonly keyId: string;
  /** An entry's seal: HMAC over the previous entry's seal and the entry's own hash. */
  entryMac(prevMac: string, hash: string): string;
  /** The head file's tag over its fields. */
  headTag(count: number, mac: string, at: string): string;
  /** Constant-time comparison of two hex seals. */
  same(a: string, b: string): boolean;
}

const bound = new WeakMap<Database.Database, LedgerSeal>();

function sealOver(key: Buffer, dataDir: string): LedgerSeal {
  if (key.length !== 32) throw new Error('Clé du registre invalide : 32 octets attendus.');
  const hmac = (text: string) => createHmac('sha256', key).update(text).digest('hex');
  return {
    dataDir,
    keyId: hmac('sillon-ledger-key-id').slice(0, 16),
    entryMac: (prevMac, hash) => hmac(`entry|${prevMac}|${hash}`),
    headTag: (count, mac, at) => hmac(`head|v1|${count}|${mac}|${at}`),
    same: (a, b) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b)),
  };
}

/** Binds the key to the database handle: every connection on it (Kysely's, `withRaw`'s) seals with it. */
export function bindLedgerKey(db: Database.Database, key: Buffer, dataDir: string): LedgerSeal {
  const seal = sealOver(key, dataDir);
  bound.set(db, seal);
  return seal;
}

/**
 * Binds the key already bound to `source` (the running backend's handle) to another handle, whose head file is in
 * `dataDir`: a backup's copy is verified under the app's key (evidence/backup-ledger.ts) without the key leaving
 * this file. Null when `source` has no key.
 */
export function bindSameLedgerKey(source: { prepare(sql: string): Database.Statement }, target: Database.Database, dataDir: string): LedgerSeal | null {
  const seal = ledgerSealOf(source);
  if (!seal) return null;
  const copy: LedgerSeal = Object.freeze({ ...seal, dataDir });
  bound.set(target, copy);
  return copy;
}

/**
 * The seal bound to the connection `raw` runs on, or null (a handle opened outside the backend: a test playing
 * the attacker, a tool reading an old file): verification then checks the unkeyed chain only.
 */
export function ledgerSealOf(raw: { prepare(sql: string): Database.Statement }): LedgerSeal | null {
  return bound.get(raw.prepare('SELECT 1').database) ?? null;
}
