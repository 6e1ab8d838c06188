import { sha256 } from '../evidence/hash';

/**
 * The fingerprint of a printed document is the SHA-256 of a canonical JSON of its content model (the
 * plain data it prints), never of the PDF bytes: the same data always gives the same hash, whatever
 * pdf-lib version or font renders it, so `verify --document` can recompute it from the database.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * JSON with object keys sorted at every level and `undefined` members dropped. Arrays keep their order
 * (the model orders them itself: rows by name, slots by date).
 *
 * @example canonicalJson({ b: 1, a: [2, { d: null, c: 'é' }] }) // '{"a":[2,{"c":"é","d":null}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonicalJson: non-finite number ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  throw new Error(`canonicalJson: unsupported value of type ${typeof value}`);
}

export const SHORT_HASH_LENGTH = 12;

/** One named section of a document (header, a trainee's row, a slot…), hashed on its own. */
export interface ContentPart {
  /** Stable key: `header`, `totals`, `row:<enrolmentId>`, `slot:<slotId>`. */
  key: string;
  data: unknown;
}

export interface Fingerprint {
  contentSha256: string;
  shortHash: string;
  /** Per-part hashes (16 hex), stored with the print so a later check can say which part changed. */
  parts: Record<string, string>;
}

/** Hash of the whole model, plus one per part, computed from the same canonical JSON. */
export function fingerprint(kind: string, parts: readonly ContentPart[]): Fingerprint {
  const contentSha256 = sha256(canonicalJson({ kind, parts: parts.map((p) => [p.key, p.data]) }));
  const hashes: Record<string, string> = {};
  for (const p of parts) hashes[p.key] = sha256(canonicalJson(p.data)).slice(0, 16);
  return { contentSha256, shortHash: contentSha256.slice(0, SHORT_HASH_LENGTH), parts: hashes };
}
