import { AppError } from '../../../shared/errors';
import { isSealed, SEALED_PREFIX, type FieldCipher, type Place } from './field-cipher';

/**
 * Personal data inside the records queued for the funders (issue #12). The outbox keeps each record's payload
 * as JSON text, and a batch keeps its body (those payloads, verbatim) until the receiver has answered: both stay
 * in the database for months. A field that holds personal data (the trainee's NIR of an `enrolment` record) is
 * therefore stored sealed, as a string `enc:v1:…` bound to the record's id and the field's path, and opened only
 * on the way out: the body posted to a receiver, the file handed to the user for a funder's extranet.
 *
 * Only the sensitive fields are sealed, not whole payloads: the sync pages and the support exports read the rest
 * (names, dates, statuses) as they are, and everything else stays byte for byte what it was.
 */

/** Where a sealed field of a queued record lives: the record (its versions share it) and the field's path. */
export function payloadPlace(recordId: string, path: string): Place {
  return { table: 'outbox', column: `payload.${path}`, rowId: recordId };
}

/** A value to put at `path` (`'trainee.nir'`) of the payload of record `recordId`, sealed. */
export function sealPayloadField(cipher: FieldCipher, recordId: string, path: string, value: string): string {
  return cipher.seal(value, payloadPlace(recordId, path));
}

/** What a reader without `people.sensitive.read` sees in place of a sealed field. */
export const MASKED = '•••• (donnée protégée)';

const NO_KEY = "Cet enregistrement contient des données personnelles chiffrées sous une clé que seule l'application Sillon détient : envoyez-le depuis l'application.";

/** A sealed value as JSON text writes it (the base64 alphabet needs no escape). */
const TOKEN = /"enc:v1:[A-Za-z0-9+/=]+"/g;

/** Whether a stored payload or body text holds any sealed field (a cheap test before parsing). */
export function hasSealedFields(text: string): boolean {
  return text.includes(`"${SEALED_PREFIX}`);
}

/** Calls `found` with each sealed string of a parsed payload and its path. */
function eachSealed(value: unknown, path: readonly string[], found: (sealed: string, path: string) => void): void {
  if (typeof value === 'string') {
    if (isSealed(value)) found(value, path.join('.'));
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => eachSealed(v, [...path, String(i)], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) eachSealed(v, [...path, k], found);
  }
}

/**
 * `text` with each sealed value replaced by the JSON of `replacement(sealed, recordId, path)`, every other byte
 * kept: sealed values are unique (a random IV each), so each is found by its own text, whatever JSON around it.
 */
function replaceSealed(text: string, records: readonly { recordId: string; payload: unknown }[], replacement: (sealed: string, recordId: string, path: string) => string): string {
  const clear = new Map<string, string>();
  for (const r of records) eachSealed(r.payload, [], (sealed, path) => clear.set(JSON.stringify(sealed), JSON.stringify(replacement(sealed, r.recordId, path))));
  return text.replace(TOKEN, (token) => clear.get(token) ?? token);
}

/**
 * A payload's stored text with its sealed fields opened (`reveal`) or masked (for a reader who may not see
 * personal data); the text itself when it holds none. A value sealed for another record or another path does
 * not open: French error.
 */
export function openPayloadText(cipher: FieldCipher | null, recordId: string, text: string, reveal = true): string {
  if (!hasSealedFields(text)) return text;
  return replaceSealed(text, [{ recordId, payload: JSON.parse(text) }], (sealed, id, path) => (reveal ? opened(cipher, sealed, id, path) : MASKED));
}

/**
 * A batch body as it goes to the receiver: each record's sealed fields opened, every other byte as stored. So a
 * stored batch always goes out as the same bytes (a receiver recognises a batch sent again by its id and bytes),
 * and those are the bytes the body had before its fields were sealed.
 */
export function bodyForWire(cipher: FieldCipher | null, body: string): string {
  if (!hasSealedFields(body)) return body;
  const parsed = JSON.parse(body) as { records?: { recordId: string; payload: unknown }[] };
  return replaceSealed(body, parsed.records ?? [], (sealed, id, path) => opened(cipher, sealed, id, path));
}

function opened(cipher: FieldCipher | null, sealed: string, recordId: string, path: string): string {
  if (!cipher) throw new AppError('business', NO_KEY);
  return cipher.open(sealed, payloadPlace(recordId, path));
}

/**
 * `text` (an outbox payload, or a batch body when `recordId` is found first) with the first clear `"nir":"<nir>"`
 * after the record's start replaced by its sealed value, every other byte kept; `from`: where to start looking.
 * Returns the new text and where the replacement ended, or null when the NIR is not there.
 */
export function sealNirAt(cipher: FieldCipher, text: string, recordId: string, nir: string, from = 0): { text: string; end: number } | null {
  const needle = `"nir":${JSON.stringify(nir)}`;
  const at = text.indexOf(needle, from);
  if (at < 0) return null;
  const sealed = `"nir":${JSON.stringify(sealPayloadField(cipher, recordId, 'trainee.nir', nir))}`;
  return { text: text.slice(0, at) + sealed + text.slice(at + needle.length), end: at + sealed.length };
}
