import { describe, expect, it } from 'vitest';
import { eurosInput, formatCents, formatHoursE4, formatQuantityE4, parseEuros } from '../../shared/format/money';

// The one text of money and quantities (shared/format/money.ts): screens, PDFs, the CLI and the engine's
// messages all read « 1 265 600,00 € », with no-break spaces that never split an amount across two lines.
const S = '\u00a0';

describe('money and quantities as text', () => {
  it('writes cents as French money', () => {
    expect(formatCents(126_560_000)).toBe(`1${S}265${S}600,00${S}€`);
    expect(formatCents(920_800)).toBe(`9${S}208,00${S}€`);
    expect(formatCents(10_413)).toBe(`104,13${S}€`);
    expect(formatCents(5)).toBe(`0,05${S}€`);
    expect(formatCents(0)).toBe(`0,00${S}€`);
    expect(formatCents(-1_250)).toBe(`-12,50${S}€`);
  });

  it('writes hours to the hundredth, rounded down', () => {
    expect(formatHoursE4(3300)).toBe(`0,33${S}h`);
    expect(formatHoursE4(3399)).toBe(`0,33${S}h`);
    expect(formatHoursE4(4_120_000)).toBe(`412,00${S}h`);
    expect(formatHoursE4(12_345_600)).toBe(`1${S}234,56${S}h`);
    expect(formatHoursE4(-15_000)).toBe(`-1,50${S}h`);
  });

  it('writes a quantity with two to four decimals', () => {
    expect(formatQuantityE4(4_125_000)).toBe('412,50');
    expect(formatQuantityE4(2_500)).toBe('0,25');
    expect(formatQuantityE4(12_345)).toBe('1,2345');
    expect(formatQuantityE4(12_340)).toBe('1,234');
    expect(formatQuantityE4(12_345_670_000)).toBe(`1${S}234${S}567,00`);
    expect(formatQuantityE4(-7_000)).toBe('-0,70');
  });

  it.each([
    ['7 500,00', 750_000], ['7500', 750_000], ['12,5', 1250], ['12.5', 1250], ['0,07', 7], ['18 €', 1800], ['1 500 €', 150_000],
    [`1${S}265${S}600,00${S}€`, 126_560_000], ['1\u202f265\u202f600,00\u00a0€', 126_560_000], ['', null], ['   ', null],
  ] as const)('reads « %s » as %s cents', (text, cents) => expect(parseEuros(text)).toBe(cents));

  it.each(['12,505', '-3', 'douze', '1,2,3'])('« %s » is no amount (NaN, so the form names the field)', (text) => expect(parseEuros(text)).toBeNaN());

  it('writes cents back for an input field, as parseEuros reads them', () => {
    expect([eurosInput(750_000), eurosInput(1250), eurosInput(7), eurosInput(null)]).toEqual(['7500,00', '12,50', '0,07', '']);
    for (const cents of [0, 7, 1250, 126_560_000]) expect(parseEuros(eurosInput(cents))).toBe(cents);
    expect(parseEuros(formatCents(126_560_000))).toBe(126_560_000);
  });
});
