import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidSiren, isValidSiret, normaliseSiret, siretProblem } from '../../shared/domain/siret';
import { siret as siretSchema } from '../../shared/schemas/common';

/** Luhn check digit computed independently of the module under test. */
function luhnCheckDigit(body: string): string {
  let sum = 0;
  // The check digit will sit at position 0 from the right, so the body's last digit is doubled.
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** A 13-digit SIRET body whose SIREN (8 random digits + its key) is valid, outside La Poste and zeros. */
const validBody = fc
  .tuple(digits(8), digits(4))
  .map(([sirenBody, nic]) => sirenBody + luhnCheckDigit(sirenBody) + nic)
  .filter((body) => !body.startsWith('356000000') && !body.startsWith('000000000'));

describe('isValidSiret', () => {
  it.each([
    '73282932000074', // the module's own example
    '44306184100047',
    '54205118000066',
    '99900100100018', // demo organisation (fictitious, SIREN 999001001 and SIRET Luhn-valid)
    '99900600000015', // a demo company
  ])('accepts the valid SIRET %s', (value) => {
    expect(isValidSiret(value)).toBe(true);
  });

  it.each([
    ['73282932000075', 'wrong check digit'],
    ['7328293200007', '13 digits'],
    ['732829320000740', '15 digits'],
    ['7328293200007A', 'a letter'],
    ['', 'empty'],
    ['732 829 320 00074', 'spaces are not normalised by the validator itself'],
    // Issue #8 item 15: Luhn holds over the 14 digits but the SIREN 732829321 fails its own key.
    ['73282932100007', 'SIREN key wrong although the SIRET key holds'],
    ['99900100000010', 'the former demo SIRET: SIREN 999001000 fails its key'],
    ['00000000000000', 'zeros only (Luhn-valid)'],
  ])('refuses %s (%s)', (value) => {
    expect(isValidSiret(value)).toBe(false);
  });

  describe('La Poste (SIREN 356000000)', () => {
    it('accepts establishments whose digit sum is a multiple of 5 even when Luhn fails', () => {
      // 3+5+6+4+9+8+3+7 = 45
      expect(isValidSiret('35600000049837')).toBe(true);
      expect(isValidSiret('35600000049832')).toBe(true); // sum 40
    });

    it('refuses La Poste establishments whose digit sum is not a multiple of 5', () => {
      expect(isValidSiret('35600000049838')).toBe(false); // sum 46
      expect(isValidSiret('35600000000049')).toBe(false); // sum 27, Luhn-invalid too
    });

    it("accepts La Poste's head office 35600000000048, which follows Luhn and not the sum rule", () => {
      expect(isValidSiret('35600000000048')).toBe(true);
    });

    it('does not apply the La Poste rule to other SIRENs', () => {
      // Digit sum 45 (multiple of 5) but Luhn-invalid, under another SIREN.
      expect(isValidSiret('35600000149836')).toBe(false);
    });
  });

  it('property: a valid SIREN, a NIC and the Luhn key of the 13 digits is always valid', () => {
    fc.assert(
      fc.property(validBody, (body) => {
        expect(isValidSiret(body + luhnCheckDigit(body))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: any other key digit than the computed one is refused', () => {
    fc.assert(
      fc.property(validBody, fc.integer({ min: 1, max: 9 }), (body, shift) => {
        const wrong = String((Number(luhnCheckDigit(body)) + shift) % 10);
        expect(isValidSiret(body + wrong)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('property: changing one digit of a valid SIRET makes it invalid', () => {
    fc.assert(
      fc.property(validBody, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (body, position, shift) => {
        const valid = body + luhnCheckDigit(body);
        const changed = valid.slice(0, position) + String((Number(valid[position]) + shift) % 10) + valid.slice(position + 1);
        // La Poste's rule (digit sum modulo 5) does not catch every single-digit change, so stay outside it.
        fc.pre(!changed.startsWith('356000000'));
        expect(isValidSiret(valid)).toBe(true);
        expect(isValidSiret(changed)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isValidSiren', () => {
  it('checks 9 digits with Luhn', () => {
    expect(isValidSiren('732829320')).toBe(true);
    expect(isValidSiren('732829321')).toBe(false);
    expect(isValidSiren('73282932')).toBe(false);
    expect(isValidSiren('000000000')).toBe(false);
  });

  it('property: a SIRET whose SIREN fails its key is refused even when its own Luhn key holds', () => {
    fc.assert(
      fc.property(digits(8), fc.integer({ min: 1, max: 9 }), digits(4), (sirenBody, shift, nic) => {
        const siren = sirenBody + String((Number(luhnCheckDigit(sirenBody)) + shift) % 10);
        fc.pre(siren !== '356000000');
        const body = siren + nic;
        expect(isValidSiret(body + luhnCheckDigit(body))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: the SIREN of a valid SIRET built from a valid SIREN stays valid', () => {
    fc.assert(
      fc.property(digits(8), digits(4), (sirenBody, nic) => {
        const siren = sirenBody + luhnCheckDigit(sirenBody);
        expect(isValidSiren(siren)).toBe(true);
        fc.pre(siren !== '356000000');
        const body = siren + nic;
        expect(isValidSiret(body + luhnCheckDigit(body))).toBe(true);
      }),
    );
  });
});

describe('normaliseSiret and the zod schema', () => {
  it('removes spaces and dots people type', () => {
    expect(normaliseSiret('732 829 320 00074')).toBe('73282932000074');
    expect(normaliseSiret('732.829.320.00074')).toBe('73282932000074');
  });

  it('the schema normalises then checks the key, with a French message', () => {
    expect(siretSchema.parse(' 732 829 320 00074 ')).toBe('73282932000074');
    const bad = siretSchema.safeParse('732 829 320 00075');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/SIRET invalide/);
  });

  it('says why: the SIREN key, zeros only, the length', () => {
    expect(siretSchema.safeParse('732 829 321 00007').error?.issues[0]?.message).toBe(
      'SIRET invalide : le SIREN 732829321 (ses 9 premiers chiffres) a une clé de contrôle fausse.',
    );
    expect(siretProblem('00000000000000')).toBe('SIRET invalide : un SIRET ne peut pas être composé uniquement de zéros.');
    expect(siretProblem('7328293200007')).toBe('SIRET invalide : 14 chiffres attendus.');
    expect(siretProblem('73282932000074')).toBeNull();
  });
});
