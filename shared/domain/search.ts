/**
 * Search that ignores case and accents, the same in the renderer and the backend: « helene » finds
 * « Hélène », « lefevre » finds « LEFÈVRE », « oeuvre » finds « Œuvre ». The backend stores the folded text
 * of each searchable record (trainees: `search_key`, written on every save) and matches folded terms
 * against it; small lists fold on the fly with {@link matchesSearch}.
 */

/** Letters that Unicode does not decompose into a base letter and a mark. */
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i', ŀ: 'l' };
const LIGATURE_RE = new RegExp(`[${Object.keys(LIGATURES).join('')}]`, 'g');

/**
 * Lower case, accents and other combining marks removed, ligatures spelt out, apostrophes, hyphens and runs
 * of white space made one space, trimmed.
 *
 * @example foldForSearch('LEFÈVRE  Hélène') // 'lefevre helene'
 * @example foldForSearch("N'Diaye-Œuvrard") // 'n diaye oeuvrard'
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c)
    .replace(/[\s'‘’ʼ`´\-‐‑‒–—]+/gu, ' ')
    .trim();
}

/**
 * The words of a search, folded: each must appear somewhere in the record (in any order).
 *
 * @example searchTerms('  Lefèvre hél ') // ['lefevre', 'hel']
 */
export function searchTerms(search: string | null | undefined): string[] {
  if (!search) return [];
  return foldForSearch(search).split(' ').filter((w) => w.length > 0);
}

/**
 * The folded text of a record's searchable fields, one space between them (null and empty fields skipped).
 *
 * @example searchKeyOf(['LEFÈVRE', 'Hélène', null]) // 'lefevre helene'
 */
export function searchKeyOf(fields: readonly (string | number | null | undefined)[]): string {
  return fields
    .filter((f): f is string | number => f !== null && f !== undefined && f !== '')
    .map((f) => foldForSearch(String(f)))
    .filter((f) => f.length > 0)
    .join(' ');
}

/**
 * The folded search text of a trainee (its `search_key` column): last name, first name, France Travail id.
 * Last name first, so ordering by it is the list's alphabetical order, accents and case aside.
 *
 * @example traineeSearchKey('LEFÈVRE', 'Hélène', null) // 'lefevre helene'
 */
export function traineeSearchKey(lastName: string, firstName: string, franceTravailId: string | null | undefined): string {
  return searchKeyOf([lastName, firstName, franceTravailId]);
}

/**
 * Whether a record whose searchable fields are `fields` matches `search`: every folded word of the search
 * is in the folded fields. An empty search matches everything.
 *
 * @example matchesSearch(['LEFÈVRE', 'Hélène'], 'helene lef') // true
 */
export function matchesSearch(fields: readonly (string | number | null | undefined)[], search: string | null | undefined): boolean {
  const terms = searchTerms(search);
  if (terms.length === 0) return true;
  const key = searchKeyOf(fields);
  return terms.every((w) => key.includes(w));
}

/**
 * A search word as a SQL `LIKE` pattern (`%word%`) with `\` as the escape character, so `%` and `_` typed
 * by the user are literal. Use with `ESCAPE '\'`.
 *
 * @example likeContains('50%') // '%50\\%%'
 */
export function likeContains(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
