import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNir, nirKey, normaliseNir } from '../../shared/domain/nir';
import { optionalNir } from '../../shared/schemas/common';

/** Key computed independently: 97 − (n mod 97), Corsica as 20 minus 1 000 000 (2A) or 2 000 000 (2B). */
function key(body: string): string {
  let n = BigInt(body.replace('2A', '20').replace('2B', '20'));
  if (body.slice(5, 7) === '2A') n -= 1_000_000n;
  if (body.slice(5, 7) === '2B') n -= 2_000_000n;
  return String(97n - (n % 97n)).padStart(2, '0');
}

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** A 13-character NIR body: sex/kind digit 1, 2, 3, 7 or 8, then 12 digits. */
const nirBody = fc.tuple(fc.constantFrom('1', '2', '3', '7', '8'), digits(12)).map(([s, rest]) => s + rest);

describe('isValidNir', () => {
  it.each([
    ['269054958815780', 'the module example'],
    ['179044935500771', 'the demo trainee'],
    ['185052A00412356', 'born in Corse-du-Sud (2A)'],
    ['293072B01204593', 'born in Haute-Corse (2B)'],
    ['2 69 05 49 588 157 80', 'with spaces'],
    ['185052a00412356', 'lower-case Corsica code'],
  ])('accepts %s (%s)', (value) => {
    expect(isValidNir(value)).toBe(true);
  });

  it.each([
    ['269054958815781', 'wrong key'],
    ['26905495881578', '14 characters'],
    ['2690549588157800', '16 characters'],
    ['469054958815780', 'first digit must be 1, 2, 3, 7 or 8'],
    ['185052A00412357', 'Corsica with a wrong key'],
    ['185052B00412356', '2A key used with 2B'],
    ['185052C00412356', 'no department 2C'],
    ['18505A200412356', 'letter at the wrong place'],
    ['', 'empty'],
  ])('refuses %s (%s)', (value) => {
    expect(isValidNir(value)).toBe(false);
  });

  it('computes Corsica keys as 19 (2A) and 18 (2B)', () => {
    expect(nirKey('1850519004123')).toBe(56);
    expect(nirKey('2930718012045')).toBe(93);
  });

  it('keys run from 01 to 97 and are written on two digits', () => {
    // A body that is a multiple of 97 has key 97 (97 − 0).
    const multiple = String(97n * 12_345_678_901n);
    expect(multiple).toMatch(/^1\d{12}$/);
    expect(nirKey(multiple)).toBe(97);
    expect(isValidNir(`${multiple}97`)).toBe(true);
    // A body whose remainder is 96 has key 1, written 01.
    const n = 1_850_549_004_000n;
    const low = String(n - (n % 97n) + 96n);
    expect(low).toMatch(/^1\d{12}$/);
    expect(nirKey(low)).toBe(1);
    expect(isValidNir(`${low}01`)).toBe(true);
    expect(isValidNir(`${low}1`)).toBe(false);
  });

  it('normaliseNir removes spaces and upper-cases', () => {
    expect(normaliseNir(' 1 85 05 2a 004 123 56 ')).toBe('185052A00412356');
  });

  it('property: a random 13-digit body followed by its computed key is always valid', () => {
    fc.assert(
      fc.property(nirBody, (body) => {
        expect(isValidNir(body + key(body))).toBe(true);
        expect(isValidNir(body + String(nirKey(body)).padStart(2, '0'))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a Corsican body (2A / 2B) followed by its computed key is always valid', () => {
    fc.assert(
      fc.property(fc.constantFrom('1', '2'), digits(4), fc.constantFrom('2A', '2B'), digits(6), (sex, birth, dept, rest) => {
        const body = sex + birth + dept + rest;
        expect(isValidNir(body + key(body))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('property: changing one digit of the body or using any other key is refused', () => {
    fc.assert(
      fc.property(nirBody, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 96 }), (body, pos, shift, keyShift) => {
        const good = key(body);
        const changed = body.slice(0, pos) + String((Number(body[pos]) + shift) % 10) + body.slice(pos + 1);
        expect(isValidNir(changed + good)).toBe(false);
        const other = String(((Number(good) - 1 + keyShift) % 97) + 1).padStart(2, '0');
        expect(isValidNir(body + other)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('optionalNir schema', () => {
  it('accepts nothing, normalises a valid NIR and refuses a wrong key in French', () => {
    expect(optionalNir.parse(undefined)).toBeNull();
    expect(optionalNir.parse('')).toBeNull();
    expect(optionalNir.parse('1 85 05 2a 004 123 56')).toBe('185052A00412356');
    const bad = optionalNir.safeParse('185052A00412357');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/^NIR invalide/);
  });
});
