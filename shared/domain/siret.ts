/** La Poste's head office: the one SIRET of SIREN 356000000 that follows Luhn rather than the sum rule. */
const LA_POSTE_HEAD_OFFICE = '35600000000048';

/**
 * SIRET (*Système d'identification du répertoire des établissements*): 14 digits, Luhn checksum, and its
 * first 9 digits are a SIREN that passes its own Luhn key (a SIRET is the company's SIREN followed by the
 * establishment's NIC): 73282932100007 passes Luhn as a whole but its SIREN 732829321 does not. Zeros
 * only is no SIRET. La Poste's establishments (SIREN 356000000) use a digit-sum modulo 5 instead of Luhn,
 * except its head office (35600000000048), which follows Luhn.
 *
 * @example isValidSiret('73282932000074') // true
 */
export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value) || /^0+$/.test(value)) return false;
  if (!isValidSiren(value.slice(0, 9))) return false;
  if (value.startsWith('356000000') && value !== LA_POSTE_HEAD_OFFICE) {
    // La Poste: the sum of the digits is a multiple of 5.
    const sum = [...value].reduce((acc, d) => acc + Number(d), 0);
    return sum % 5 === 0;
  }
  return luhn(value);
}

/** SIREN: 9 digits, Luhn checksum, not zeros only. */
export function isValidSiren(value: string): boolean {
  return /^\d{9}$/.test(value) && !/^0+$/.test(value) && luhn(value);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Removes spaces people type in SIRETs ("732 829 320 00074"). */
export function normaliseSiret(value: string): string {
  return value.replace(/[\s.]/g, '');
}

/**
 * Why a SIRET (already normalised) is refused, as one French sentence naming the field, or null when it is
 * valid. The screens show it next to the field; the backend's schemas give the same sentence.
 */
export function siretProblem(value: string): string | null {
  if (isValidSiret(value)) return null;
  if (!/^\d{14}$/.test(value)) return 'SIRET invalide : 14 chiffres attendus.';
  if (/^0+$/.test(value)) return 'SIRET invalide : un SIRET ne peut pas être composé uniquement de zéros.';
  if (!isValidSiren(value.slice(0, 9))) {
    return `SIRET invalide : le SIREN ${value.slice(0, 9)} (ses 9 premiers chiffres) a une clé de contrôle fausse.`;
  }
  return 'SIRET invalide : 14 chiffres dont la clé de contrôle (Luhn) doit être juste.';
}
