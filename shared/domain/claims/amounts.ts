/**
 * The claim engine's arithmetic (issue #10): integer cents, quantities × 10 000, and the one rounding the
 * funders' rules support — half-up per line. Products go through BigInt so no amount is ever off by a cent
 * from floating point, whatever the size.
 */

/**
 * The largest rate a person may type — per hour, unit, day or contract (an NPEC): 100 000,00 €. Far above any
 * funder's price, it keeps every line (quantity × rate) and every claim total among the integers a number holds
 * exactly (2^53): unbounded, a rate made `claims.build` reach a total it could not answer (issue #12, fuzzing).
 */
export const MAX_RATE_CENTS = 10_000_000;

/** The largest amount a person may type (a budget, a cap, a top-up, a sum received): 1 000 000 000,00 €. */
export const MAX_AMOUNT_CENTS = 100_000_000_000;

/**
 * `a × b / c` rounded half-up (a half goes away from zero), exactly. `c` must be positive.
 *
 * @example mulDivHalfUp(4_120_000, 1150, 10_000) // 473 800 (412 h × 11,50 €)
 */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(c) || c <= 0) {
    throw new RangeError(`mulDivHalfUp: entiers attendus (${a}, ${b}, ${c}).`);
  }
  const p = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  const abs = p < 0n ? -p : p;
  const q = (abs * 2n + d) / (d * 2n);
  return Number(p < 0n ? -q : q);
}

/** `a × b / c` rounded down (towards zero for non-negative values), exactly. */
export function mulDivFloor(a: number, b: number, c: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(c) || c <= 0) {
    throw new RangeError(`mulDivFloor: entiers attendus (${a}, ${b}, ${c}).`);
  }
  const p = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  return Number(p >= 0n ? p / d : -((-p + d - 1n) / d));
}

/**
 * Minutes → hours to the hundredth, rounded DOWN, × 10 000 (a claim never bills a minute the engine did not
 * count).
 *
 * @example hoursE4FromMinutes(20) // 3300 (0,33 h)
 * @example hoursE4FromMinutes(90) // 15000 (1,50 h)
 */
export function hoursE4FromMinutes(minutes: number): number {
  return mulDivFloor(minutes, 100, 60) * 100;
}

/**
 * A line's amount: `quantityE4 × unitPriceCents / 10 000`, rounded half-up to the cent.
 *
 * @example lineAmountCents(10_000 * 412, 1150) // 473 800 (412 h × 11,50 € = 4 738,00 €)
 * @example lineAmountCents(3300, 1150) // 380 (0,33 h × 11,50 € = 3,795 € → 3,80 €)
 */
export function lineAmountCents(quantityE4: number, unitPriceCents: number): number {
  return mulDivHalfUp(quantityE4, unitPriceCents, 10_000);
}
