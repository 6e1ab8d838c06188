/**
 * Well-formed Unicode text (issue #9 §2). A lone UTF-16 surrogate (half of an emoji's pair, cut by a
 * copy-paste or a faulty client) is a JavaScript string SQLite cannot store as such: it writes U+FFFD
 * instead. An evidence row hashed with the surrogate and read back with U+FFFD then fails verification for
 * ever, although nobody tampered with it. Such text is refused at validation, for every method's input
 * (electron/backend/dispatch.ts) and every line of an import (transfer/transfer.ts).
 *
 * `String.prototype.isWellFormed` is ES2024; the project's lib is ES2023, so the same test by pattern.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** What a person reads beside the field. */
export const ILL_FORMED_TEXT =
  "texte mal formé : il contient un caractère incomplet (la moitié d'un emoji ou d'un symbole, souvent après un copier-coller) ; retapez ce texte.";

/**
 * The path of the first string (value or key) of `value` that is not well-formed Unicode, or null. Walks
 * arrays and plain objects; stops at `maxDepth` (inputs are shallow).
 */
export function illFormedPath(value: unknown, path: PropertyKey[] = [], maxDepth = 32): PropertyKey[] | null {
  if (typeof value === 'string') return isWellFormedText(value) ? null : path;
  if (maxDepth <= 0 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedPath(value[i], [...path, i], maxDepth - 1);
      if (found) return found;
    }
    return null;
  }
  if (ArrayBuffer.isView(value)) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isWellFormedText(k)) return [...path, k];
    const found = illFormedPath(v, [...path, k], maxDepth - 1);
    if (found) return found;
  }
  return null;
}
