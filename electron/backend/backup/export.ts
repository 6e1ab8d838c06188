import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { backupFileName, backupManifest, type BackupEntry, type BackupManifest } from '../../../shared/schemas/backups';
import { APP_VERSION } from '../version';
import { backupsDir, entryOf, freeName, parseName, readManifest, sha256File, stampOf, writeManifest } from './files';

/**
 * The encrypted export of a backup (`.sillonbak`), to copy to another disk. Streamed: memory stays flat whatever the
 * size (a few hundred MB is the expected case; the format itself holds up to AES-GCM's 64 GB per message).
 *
 * Format, version 1:
 *   "SILLONBK" · version (1 byte) · header length (4 bytes, big-endian) · header (JSON) · ciphertext · tag (16 bytes)
 * The header holds the key derivation's parameters (scrypt: N, r, p, a random 16-byte salt), the cipher
 * (AES-256-GCM with a random 12-byte IV) and a check value of the passphrase. Everything before the ciphertext is
 * authenticated with it (GCM's additional data), so no parameter can be changed unseen. The plaintext is the
 * backup's manifest (4-byte length, JSON) followed by the database file: the manifest travels encrypted too.
 *
 * scrypt gives 64 bytes: the first 32 are the AES key; the last 32 key an HMAC whose value over a fixed text is the
 * header's check, so a wrong passphrase is told at once, before anything is decrypted (a guess costs one scrypt
 * either way).
 */

const MAGIC = Buffer.from('SILLONBK', 'latin1');
const FORMAT_VERSION = 1;
/** OWASP's recommended scrypt cost (2^17, 8, 1): 128 MiB and a fraction of a second per derivation. */
const KDF = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
/** What an import accepts from a header before deriving anything: a crafted file must not exhaust the memory. */
const KDF_LIMITS = Object.freeze({ minN: 2 ** 14, maxN: 2 ** 20, maxR: 32, maxP: 16 });
const MAX_HEADER = 64 * 1024;
const MAX_MANIFEST = 1024 * 1024;
const TAG_BYTES = 16;
const CHECK_TEXT = 'sillon-backup-v1-passphrase-check';

const header = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  check: z.string(),
});
type Header = z.infer<typeof header>;

function derive(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Promise<{ key: Buffer; check: Buffer }> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r };
  return new Promise((done, fail) => {
    // NFC: the same passphrase typed on another system (decomposed accents) gives the same key.
    scrypt(passphrase.normalize('NFC'), salt, 64, options, (error, out) => {
      if (error) fail(error);
      else done({ key: out.subarray(0, 32), check: createHmac('sha256', out.subarray(32)).update(CHECK_TEXT).digest() });
    });
  });
}

function headerBytes(h: Header): Buffer {
  const json = Buffer.from(JSON.stringify(h), 'utf8');
  const fixed = Buffer.alloc(MAGIC.length + 5);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt8(FORMAT_VERSION, MAGIC.length);
  fixed.writeUInt32BE(json.length, MAGIC.length + 1);
  return Buffer.concat([fixed, json]);
}

const partialOf = (file: string) => join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);

/**
 * Writes `file` (a backup, with its manifest if it has one) encrypted under `passphrase` to `out`: a temporary
 * file beside `out`, renamed over it once complete, so `out` is never half-written. The backup is checked against
 * its manifest's SHA-256 on the way: a backup changed since it was taken is not exported.
 *
 * @example
 * await exportBackup(join(dataDir, 'backups', 'sillon-20261123-090000-manual.db'), 'une longue phrase de passe', '/media/cle/sillon.sillonbak');
 */
export async function exportBackup(file: string, passphrase: string, out: string): Promise<{ out: string; bytes: number }> {
  if (!existsSync(file)) throw new AppError('not_found', `Sauvegarde introuvable : ${file}.`, [{ path: 'file', message: 'Sauvegarde introuvable.' }]);
  if (!existsSync(dirname(out))) {
    throw new AppError('validation', `Le dossier de destination ${dirname(out)} n'existe pas : rien n'a été écrit.`, [{ path: 'out', message: 'Dossier introuvable.' }]);
  }
  // A backup without manifest (the pre-migration ones) gets one now: the import lists it like any other.
  let manifest = readManifest(file);
  if (!manifest) {
    // A file of another name (copied by hand) travels as a manual backup named after its time.
    const fromName = parseName(basename(file));
    const mtime = statSync(file).mtime;
    const named = fromName ? basename(file) : `sillon-${stampOf(mtime)}-manual.db`;
    manifest = { format: 'sillon-backup', v: 1, file: named, reason: fromName?.reason ?? 'manual', takenAt: fromName?.takenAt ?? mtime.toISOString(), appVersion: APP_VERSION, schemaVersion: fromName?.schemaVersion ?? 0, ...(await sha256File(file)), ledger: null };
  }
  const manifestJson = Buffer.from(JSON.stringify(manifest), 'utf8');
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(manifestJson.length, 0);

  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { key, check } = await derive(passphrase, salt, KDF);
  const head = headerBytes({ kdf: 'scrypt', ...KDF, salt: salt.toString('base64'), cipher: 'aes-256-gcm', iv: iv.toString('base64'), check: check.toString('base64') });
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(head);

  const tmp = partialOf(out);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    writeFileSync(tmp, head, { mode: 0o600 });
    await pipeline(
      async function* () {
        yield Buffer.concat([prefix, manifestJson]);
        for await (const chunk of createReadStream(file)) {
          hash.update(chunk as Buffer);
          bytes += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
      },
      cipher,
      createWriteStream(tmp, { flags: 'a' }),
    );
    if (hash.digest('hex') !== manifest.sha256 || bytes !== manifest.bytes) {
      throw new AppError('business', `La sauvegarde ${basename(file)} a changé depuis qu'elle a été prise (son empreinte SHA-256 ne correspond plus à son manifeste) : elle n'a pas été exportée. Exportez-en une autre.`);
    }
    const fd = openSync(tmp, 'a');
    try {
      writeFileSync(fd, cipher.getAuthTag());
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return { out, bytes: head.length + 4 + manifestJson.length + bytes + TAG_BYTES };
}

/** Splits the decrypted stream: the manifest (length-prefixed) kept aside, the database passed on and hashed. */
class ManifestSplitter extends Transform {
  #pending: Buffer = Buffer.alloc(0);
  manifest: Buffer | null = null;
  readonly hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let rest = chunk;
    if (this.manifest === null) {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      if (this.#pending.length < 4) return done();
      const length = this.#pending.readUInt32BE(0);
      if (length > MAX_MANIFEST) return done(new Error('manifest too large'));
      if (this.#pending.length < 4 + length) return done();
      this.manifest = this.#pending.subarray(4, 4 + length);
      rest = this.#pending.subarray(4 + length);
      this.#pending = Buffer.alloc(0);
    }
    if (rest.length > 0) {
      this.hash.update(rest);
      this.bytes += rest.length;
      this.push(rest);
    }
    done();
  }
}

const notSillonbak = (file: string, why: string) =>
  new AppError('validation', `Le fichier ${file} n'est pas une sauvegarde chiffrée Sillon lisible (${why}) : rien n'a été importé.`, [{ path: 'file', message: 'Fichier .sillonbak attendu.' }]);

/** Reads and bounds the header of a `.sillonbak` (nothing derived or decrypted yet). */
function readHeader(file: string): { header: Header; bytes: Buffer; size: number } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const fixed = Buffer.alloc(MAGIC.length + 5);
    if (readSync(fd, fixed, 0, fixed.length, 0) !== fixed.length || !fixed.subarray(0, MAGIC.length).equals(MAGIC)) throw notSillonbak(file, 'signature absente');
    const version = fixed.readUInt8(MAGIC.length);
    if (version !== FORMAT_VERSION) {
      throw new AppError('business', `Le fichier ${file} est une sauvegarde chiffrée d'un format plus récent (version ${version}) : mettez Sillon à jour pour l'importer.`);
    }
    const length = fixed.readUInt32BE(MAGIC.length + 1);
    if (length > MAX_HEADER || fixed.length + length + TAG_BYTES > size) throw notSillonbak(file, 'en-tête tronqué');
    const json = Buffer.alloc(length);
    readSync(fd, json, 0, length, fixed.length);
    let parsed: Header;
    try {
      parsed = header.parse(JSON.parse(json.toString('utf8')));
    } catch {
      throw notSillonbak(file, 'en-tête illisible');
    }
    const { N, r, p } = parsed;
    if (N < KDF_LIMITS.minN || N > KDF_LIMITS.maxN || (N & (N - 1)) !== 0 || r < 1 || r > KDF_LIMITS.maxR || p < 1 || p > KDF_LIMITS.maxP) {
      throw notSillonbak(file, 'paramètres de chiffrement hors limites');
    }
    return { header: parsed, bytes: Buffer.concat([fixed, json]), size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Decrypts a `.sillonbak` into the data folder's backups folder (with its manifest), where it is listed and can be
 * restored (backup.ts `restoreBackup` checks it first, like any backup). A wrong passphrase, or a file changed or
 * damaged in any byte (GCM's tag, then the manifest's SHA-256), is refused in French and nothing is written: the
 * plaintext goes to a temporary file, renamed into the folder only once authenticated.
 */
export async function importBackup(input: string, passphrase: string, dataDir: string): Promise<BackupEntry & { alreadyThere: boolean }> {
  if (!existsSync(input)) throw new AppError('not_found', `Fichier introuvable : ${input}.`, [{ path: 'file', message: 'Fichier introuvable.' }]);
  const { header: h, bytes: head, size } = readHeader(input);
  const { key, check } = await derive(passphrase, Buffer.from(h.salt, 'base64'), h);
  const expected = Buffer.from(h.check, 'base64');
  if (expected.length !== check.length || !timingSafeEqual(expected, check)) {
    throw new AppError('validation', `Phrase de passe incorrecte pour ${basename(input)} : rien n'a été importé.`, [{ path: 'passphrase', message: 'Phrase de passe incorrecte.' }]);
  }
  const tag = Buffer.alloc(TAG_BYTES);
  const fd = openSync(input, 'r');
  try {
    readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    closeSync(fd);
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(h.iv, 'base64'), { authTagLength: TAG_BYTES });
  decipher.setAAD(head);
  decipher.setAuthTag(tag);

  const dir = backupsDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.import-${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  const splitter = new ManifestSplitter();
  const tampered = () =>
    new AppError('business', `Le fichier ${basename(input)} a été modifié ou est abîmé (son contrôle d'authenticité échoue) : rien n'a été importé. Reprenez une autre copie de l'export.`);
  try {
    try {
      await pipeline(createReadStream(input, { start: head.length, end: size - TAG_BYTES - 1 }), decipher, splitter, createWriteStream(tmp, { mode: 0o600 }));
    } catch {
      throw tampered();
    }
    let manifest: BackupManifest;
    try {
      manifest = backupManifest.parse(JSON.parse((splitter.manifest ?? Buffer.alloc(0)).toString('utf8')));
    } catch {
      throw tampered();
    }
    const sha256 = splitter.hash.digest('hex');
    if (sha256 !== manifest.sha256 || splitter.bytes !== manifest.bytes || !backupFileName.safeParse(manifest.file).success || !parseName(manifest.file)) throw tampered();

    // Already in the folder (the same bytes under the same name): nothing to add.
    const same = join(dir, manifest.file);
    if (existsSync(same) && readManifest(same)?.sha256 === sha256) {
      rmSync(tmp, { force: true });
      return { ...entryOf(manifest.file, manifest.bytes, readManifest(same)), alreadyThere: true };
    }
    const name = existsSync(same) ? freeName(dir, manifest.file.replace(/\.db$/, '')) : manifest.file;
    const file = join(dir, name);
    renameSync(tmp, file);
    const written = { ...manifest, file: name };
    try {
      writeManifest(file, written);
    } catch (e) {
      rmSync(file, { force: true });
      throw e;
    }
    return { ...entryOf(name, manifest.bytes, written), alreadyThere: false };
  } finally {
    rmSync(tmp, { force: true });
  }
}
