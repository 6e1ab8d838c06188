/**
 * NIR (*numéro d'inscription au répertoire*, numéro de sécurité sociale): 13 characters + a 2-digit key.
 * Key = 97 − (number mod 97). Corsica's departments 2A / 2B count as 19 / 18 in the key computation.
 *
 * @example isValidNir('269054958815780') // true
 */
export function isValidNir(value: string): boolean {
  const nir = normaliseNir(value);
  if (!/^[12378]\d{4}(\d{2}|2A|2B)\d{6}\d{2}$/.test(nir)) return false;
  const body = nir.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = Number(nir.slice(13));
  return nirKey(body) === key;
}

/** The 2-digit key of a 13-digit NIR body (digits only). */
export function nirKey(body13: string): number {
  // 13 digits exceed 2^53 when multiplied; BigInt keeps the modulo exact.
  return 97 - Number(BigInt(body13) % 97n);
}

export function normaliseNir(value: string): string {
  return value.replace(/\s/g, '').toUpperCase();
}

/**
 * A NIR as a list shows it (issue #12): the sex digit, the birth year and the key, the rest hidden, so two
 * trainees can be told apart without the number being read over a shoulder. The whole NIR is shown only
 * on an explicit action, which the backend writes to the audit log.
 *
 * @example maskNir('285052A00412342') // '2 85 •• •• ••• ••• 42'
 */
export function maskNir(value: string): string {
  const nir = normaliseNir(value);
  return `${nir.slice(0, 1)} ${nir.slice(1, 3)} •• •• ••• ••• ${nir.slice(13, 15)}`;
}
