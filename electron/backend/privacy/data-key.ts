import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { Ctx } from '../context';
import { withRaw } from '../db/raw';
import { keptSealedByTheApp, plainKeyFile } from '../key-files';
import { FieldCipher } from './field-cipher';

/**
 * The data key: 32 random bytes under which personal data is sealed (privacy/field-cipher.ts). Where it lives
 * follows the sync tokens' and the ledger's keys: in the app, the Electron main process keeps it sealed by
 * safeStorage (`data.key.sealed`, electron/main/secrets.ts) and hands it to the backend at start-up
 * (startBackend's `dataKey`); the CLI, the tests and the browser preview use the plain key file `data.key` of
 * the data folder (mode 0600, created on first use, never overwritten).
 *
 * **Important**: the plain key file sits next to the database: it keeps personal data out of the database file,
 * its copies and the records queued for funders, not away from someone who holds the whole folder. The app's
 * safeStorage-sealed key does keep it from them.
 */

export const DATA_KEY_FILE = 'data.key';
export const SEALED_DATA_KEY_FILE = 'data.key.sealed';

/**
 * True when the app keeps this folder's data key sealed by safeStorage and no plain key file exists: a CLI or
 * preview run then has no key — it reads everything but personal data, and cannot write any.
 */
export function dataKeyKeptByTheApp(dataDir: string): boolean {
  return keptSealedByTheApp(dataDir, DATA_KEY_FILE);
}

/** The file key of a data folder, created on first use. */
export function fileDataKey(dataDir: string): Buffer {
  return plainKeyFile(dataDir, DATA_KEY_FILE, 'Clé de données');
}

const bound = new WeakMap<Database.Database, FieldCipher>();

/**
 * Binds the data key to the database handle, once, at start-up (startBackend): every connection on it (Kysely's,
 * `withRaw`'s) seals and opens with it. `key`: the one the app's main process unsealed; absent, the folder's
 * `data.key` — unless the app keeps the key (then nothing is bound and returns null).
 */
export function openDataKey(db: Database.Database, dataDir: string, key?: Buffer): FieldCipher | null {
  if (!key && dataKeyKeptByTheApp(dataDir)) return null;
  const cipher = new FieldCipher(key ?? fileDataKey(dataDir));
  bound.set(db, cipher);
  return cipher;
}

const NO_KEY =
  "Les données personnelles de ce dossier (NIR, données sensibles, motifs d'absence) sont chiffrées sous une clé que seule l'application Sillon détient : faites cette opération dans l'application.";

/** The cipher bound to the connection `raw` runs on, or null (no key in this process). */
export function cipherOf(raw: { prepare(sql: string): Database.Statement }): FieldCipher | null {
  return bound.get(raw.prepare('SELECT 1').database) ?? null;
}

/** `cipher`, or a French refusal when this process has no data key (see {@link dataKeyKeptByTheApp}). */
export function keyOrRefuse(cipher: FieldCipher | null): FieldCipher {
  if (!cipher) throw new AppError('business', NO_KEY);
  return cipher;
}

/** The cipher bound to the connection, or a French refusal when this process has no data key. */
export function requireCipher(raw: { prepare(sql: string): Database.Statement }): FieldCipher {
  return keyOrRefuse(cipherOf(raw));
}

/** {@link requireCipher} for a service holding a Ctx (inside or outside a transaction). */
export async function dataCipher(ctx: Ctx): Promise<FieldCipher> {
  return withRaw(ctx.db, (raw) => requireCipher(raw));
}
