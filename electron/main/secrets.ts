import { safeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key that seals the receivers' tokens, kept in the data folder only as sealed by safeStorage (the
 * OS keychain / DPAPI / libsecret). Returns it in base64 for the backend process, or null where the OS
 * offers no encryption (the backend then falls back to its key file).
 */
export function tokenKey(dataDir: string): string | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const file = join(dataDir, 'sync.key.sealed');
  if (existsSync(file)) return safeStorage.decryptString(readFileSync(file));
  const key = randomBytes(32).toString('base64');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, safeStorage.encryptString(key), { mode: 0o600, flag: 'wx' });
  return key;
}

/**
 * The evidence ledger's key (electron/backend/evidence/key.ts), kept in the data folder only as sealed by
 * safeStorage (`ledger.key.sealed`). Made on first use — from the folder's plain `ledger.key` when the CLI or
 * the preview made one before, so the ledger they sealed still verifies, else from random bytes. Returns it
 * in base64 for the backend process, or null where the OS offers no encryption (the backend then uses the
 * plain key file).
 */
export function ledgerKey(dataDir: string): string | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const file = join(dataDir, 'ledger.key.sealed');
  if (existsSync(file)) return safeStorage.decryptString(readFileSync(file));
  const plain = join(dataDir, 'ledger.key');
  const key = existsSync(plain) ? readFileSync(plain, 'utf8').trim() : randomBytes(32).toString('base64');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, safeStorage.encryptString(key), { mode: 0o600, flag: 'wx' });
  return key;
}

/**
 * The data key personal data is sealed under (electron/backend/privacy/data-key.ts), kept in the data folder only
 * as sealed by safeStorage (`data.key.sealed`). Made on first use — from the folder's plain `data.key` when the
 * CLI or the preview made one before, so what they sealed still opens, else from random bytes. Returns it in
 * base64 for the backend process, or null where the OS offers no encryption (the backend then uses the plain
 * key file).
 */
export function dataKey(dataDir: string): string | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const file = join(dataDir, 'data.key.sealed');
  if (existsSync(file)) return safeStorage.decryptString(readFileSync(file));
  const plain = join(dataDir, 'data.key');
  const key = existsSync(plain) ? readFileSync(plain, 'utf8').trim() : randomBytes(32).toString('base64');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, safeStorage.encryptString(key), { mode: 0o600, flag: 'wx' });
  return key;
}
