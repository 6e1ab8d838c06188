import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The 32-byte keys of a data folder (the ledger's, the personal data's). The app keeps each sealed by Electron's
 * safeStorage (`<name>.sealed`); tests, the CLI and the preview keep it in a plain file beside the database.
 */

/** True when the app keeps this key sealed and no plain key file exists: a CLI or preview run has no key then. */
export function keptSealedByTheApp(dataDir: string, fileName: string): boolean {
  return existsSync(join(dataDir, `${fileName}.sealed`)) && !existsSync(join(dataDir, fileName));
}

/**
 * The plain key file of a data folder, created on first use ('wx': never overwrites a key another process just
 * wrote). `what` names it in the error of a file that holds no key: « Clé du registre ».
 */
export function plainKeyFile(dataDir: string, fileName: string, what: string): Buffer {
  const file = join(dataDir, fileName);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${what} illisible : ${file}.`);
  return key;
}
