import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Seals the receivers' bearer tokens before they reach the database. In the app the Electron main process
 * provides one over `safeStorage` (the OS keychain); the CLI, the tests and the browser preview use
 * {@link FileKeySecretStore}.
 */
export interface SecretStore {
  /** A printable, opaque string that only this store can open. */
  seal(plain: string): string;
  /** Throws when the sealed value was not made by this store (another key, tampered). */
  open(sealed: string): string;
}

const PREFIX = 'v1:';

/**
 * AES-256-GCM under a random key kept in a file of the data folder (mode 0600), created on first use.
 * **Important**: this is obfuscation, not protection against someone who can read the data folder — the
 * key sits next to the database. It keeps tokens out of the database file, its backups and exports.
 *
 * @example
 * const store = new FileKeySecretStore(join(dataDir, 'sync.key'));
 * store.open(store.seal('secret')) // 'secret'
 */
export class FileKeySecretStore implements SecretStore {
  readonly #keyFile: string;
  #key: Buffer | null = null;

  constructor(keyFile: string) {
    this.#keyFile = keyFile;
  }

  #loadKey(create: boolean): Buffer {
    if (this.#key) return this.#key;
    if (existsSync(this.#keyFile)) {
      const key = Buffer.from(readFileSync(this.#keyFile, 'utf8').trim(), 'base64');
      if (key.length !== 32) throw new Error(`Clé de chiffrement illisible : ${this.#keyFile}.`);
      this.#key = key;
    } else {
      if (!create) throw new Error(`Clé de chiffrement absente : ${this.#keyFile}.`);
      mkdirSync(dirname(this.#keyFile), { recursive: true });
      const key = randomBytes(32);
      // 'wx': never overwrite a key another process has just written.
      try {
        writeFileSync(this.#keyFile, key.toString('base64'), { mode: 0o600, flag: 'wx' });
        this.#key = key;
      } catch {
        return this.#loadKey(false);
      }
    }
    return this.#key;
  }

  seal(plain: string): string {
    return sealWith(this.#loadKey(true), plain);
  }

  open(sealed: string): string {
    return openWith(this.#loadKey(false), sealed);
  }
}

/**
 * AES-256-GCM under a key held only in memory. In the app, the Electron main process keeps that key
 * sealed by `safeStorage` (the OS keychain) and hands it to the backend process at start-up, so the data
 * folder alone does not open the tokens. Tokens sealed earlier by another store (e.g. the CLI's key file)
 * are still opened through `fallback`, and sealed anew under this key when next saved.
 */
export class KeySecretStore implements SecretStore {
  readonly #key: Buffer;
  readonly #fallback: SecretStore | undefined;

  constructor(key: Buffer, fallback?: SecretStore) {
    if (key.length !== 32) throw new Error('Clé de chiffrement invalide : 32 octets attendus.');
    this.#key = key;
    this.#fallback = fallback;
  }

  seal(plain: string): string {
    return sealWith(this.#key, plain);
  }

  open(sealed: string): string {
    try {
      return openWith(this.#key, sealed);
    } catch (e) {
      if (!this.#fallback) throw e;
      return this.#fallback.open(sealed);
    }
  }
}

function sealWith(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

function openWith(key: Buffer, sealed: string): string {
  if (!sealed.startsWith(PREFIX)) throw new Error('Jeton chiffré dans un format inconnu.');
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
