import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';

/**
 * Personal data sealed at rest (issue #12): the NIR, a trainee's sensitive fields, the reasons of absence, the
 * NIR inside the records queued for the funders. Each value is sealed on its own with AES-256-GCM under a key
 * derived from the data key (privacy/data-key.ts), with a random 96-bit IV, and bound to its place — table,
 * column, row — as additional authenticated data: a sealed value copied onto another row (or another column)
 * fails to open, so the app never shows one trainee's NIR as another's.
 *
 * Text format, versioned so that another cipher can come later beside this one:
 * `enc:v1:<base64 of IV (12 bytes) | tag (16 bytes) | ciphertext>`.
 *
 * **Important**: lookups cannot compare ciphertexts (every seal of the same value differs): a value the app
 * searches or checks for uniqueness (the NIR) also gets a blind index, an HMAC under another key derived from
 * the same data key ({@link FieldCipher.blindIndex}). NIRs are few and structured, so whoever holds the data key
 * can test candidates against the index: the index is only as safe as the key, like the ciphertext.
 */

export const SEALED_PREFIX = 'enc:v1:';

/** Where a sealed value lives: bound into its seal. `rowId` is the row's id (or, for a queued record, the record's id). */
export interface Place {
  table: string;
  column: string;
  rowId: string;
}

/** Whether a stored text is a sealed value (else: NULL, or a clear value written before sealing existed). */
export function isSealed(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

function additionalData(place: Place): Buffer {
  // Lengths first, so that no two places can ever produce the same bytes ("a|b" + "c" vs "a" + "b|c").
  return Buffer.from(JSON.stringify(['sillon-field', 1, place.table, place.column, place.rowId]), 'utf8');
}

/** The French sentence for a value that does not open: never its clear text, nor anything of another row. */
export function unreadableMessage(place: Place): string {
  return `Donnée chiffrée illisible (${place.table}.${place.column}, enregistrement ${place.rowId}) : elle a été modifiée ou recopiée d'un autre enregistrement, ou la clé de données de ce dossier (data.key) n'est pas celle qui l'a chiffrée. Restaurez une sauvegarde ou la bonne clé.`;
}

/**
 * @example
 * const cipher = new FieldCipher(randomBytes(32));
 * const place = { table: 'trainees', column: 'nir', rowId: id };
 * cipher.open(cipher.seal('179044935500771', place), place) // '179044935500771'
 */
export class FieldCipher {
  readonly #encKey: Buffer;
  readonly #indexKey: Buffer;

  constructor(dataKey: Buffer) {
    if (dataKey.length !== 32) throw new Error('Clé de données invalide : 32 octets attendus.');
    // Two keys from one: the index can never be used to open a value, nor a seal to test the index.
    this.#encKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'sillon/fields/aes-256-gcm/v1', 32));
    this.#indexKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'sillon/fields/blind-index/v1', 32));
  }

  seal(plain: string, place: Place): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, iv);
    cipher.setAAD(additionalData(place));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }

  /** Opens a sealed value at its place; throws a French `internal` error when it does not open there. */
  open(sealed: string, place: Place): string {
    if (!isSealed(sealed)) throw new AppError('internal', unreadableMessage(place));
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
    if (raw.length < 28) throw new AppError('internal', unreadableMessage(place));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#encKey, raw.subarray(0, 12));
      decipher.setAAD(additionalData(place));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError('internal', unreadableMessage(place));
    }
  }

  /** A stored value as clear text: opened when sealed, as is when written in clear before sealing existed. */
  read(stored: string, place: Place): string;
  read(stored: string | null, place: Place): string | null;
  read(stored: string | null, place: Place): string | null {
    return stored === null ? null : isSealed(stored) ? this.open(stored, place) : stored;
  }

  /**
   * The blind index of a value of one kind (`'nir'`): equal values give equal indexes, so the app can look a
   * value up or check it is held once without opening every row. Hex HMAC-SHA256.
   */
  blindIndex(kind: string, value: string): string {
    return createHmac('sha256', this.#indexKey).update(`${kind}|${value}`).digest('hex');
  }

  /** Seals bytes (a file kept in the data folder) bound to a name: same format, as bytes. */
  sealBytes(bytes: Uint8Array, place: Place): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, iv);
    cipher.setAAD(additionalData(place));
    const ct = Buffer.concat([cipher.update(bytes), cipher.final()]);
    return Buffer.concat([Buffer.from(SEALED_PREFIX), iv, cipher.getAuthTag(), ct]);
  }

  openBytes(sealed: Uint8Array, place: Place): Buffer {
    const buf = Buffer.from(sealed);
    const head = Buffer.byteLength(SEALED_PREFIX);
    if (buf.length < head + 28 || buf.subarray(0, head).toString() !== SEALED_PREFIX) throw new AppError('internal', unreadableMessage(place));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#encKey, buf.subarray(head, head + 12));
      decipher.setAAD(additionalData(place));
      decipher.setAuthTag(buf.subarray(head + 12, head + 28));
      return Buffer.concat([decipher.update(buf.subarray(head + 28)), decipher.final()]);
    } catch {
      throw new AppError('internal', unreadableMessage(place));
    }
  }
}
