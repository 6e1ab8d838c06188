import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidSiren, isValidSiret, normaliseSiret } from '../../shared/domain/siret';
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

describe('isValidSiret', () => {
  it.each([
    '73282932000074', // the module's own example
    '44306184100047',
    '54205118000066',
    '99900100000010', // demo company (fictitious, Luhn-valid)
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

  it('property: a random 13-digit body followed by its Luhn key is always valid', () => {
    fc.assert(
      fc.property(digits(13), (body) => {
        fc.pre(!body.startsWith('356000000'));
        expect(isValidSiret(body + luhnCheckDigit(body))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: any other key digit than the computed one is refused', () => {
    fc.assert(
      fc.property(digits(13), fc.integer({ min: 1, max: 9 }), (body, shift) => {
        fc.pre(!body.startsWith('356000000'));
        const wrong = String((Number(luhnCheckDigit(body)) + shift) % 10);
        expect(isValidSiret(body + wrong)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('property: changing one digit of a valid SIRET makes it invalid', () => {
    fc.assert(
      fc.property(digits(13), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (body, position, shift) => {
        const valid = body + luhnCheckDigit(body);
        const changed = valid.slice(0, position) + String((Number(valid[position]) + shift) % 10) + valid.slice(position + 1);
        // La Poste's rule (digit sum modulo 5) does not catch every single-digit change, so stay outside it.
        fc.pre(!valid.startsWith('356000000') && !changed.startsWith('356000000'));
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
});
