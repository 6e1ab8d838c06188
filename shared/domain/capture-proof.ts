/**
 * The rules of the two capture methods that prove a presence without a drawn signature:
 *
 * - **PIN**: a personal code of 4 to 6 digits per trainee and per trainer, typed by its holder when a mark
 *   (or a countersignature) is captured. Stored only hashed by the backend. Repeated wrong PINs for one
 *   person lock that person's PIN for a while ({@link PIN_MAX_FAILURES}, {@link PIN_LOCK_MINUTES}).
 * - **QR code**: a short-lived code per slot that the backend issues and the trainer shows on the roll-call
 *   screen (a QR code and the same code in clear). The trainee's device submits it at capture time; the
 *   backend checks it by its own clock and records the scan, which the mark then cites. The roll call being
 *   recorded at the end, only the scan (not the code's validity) is checked then.
 *
 * Pure: the screen and the backend both apply these rules; the backend stays the judge.
 */

/** A PIN: 4 to 6 digits. */
export const PIN_MIN_LENGTH = 4;
export const PIN_MAX_LENGTH = 6;
const PIN_PATTERN = /^\d{4,6}$/;

/** After this many wrong PINs in a row for one person, that person's PIN is locked… */
export const PIN_MAX_FAILURES = 5;
/** …for this many minutes (then the count starts again). */
export const PIN_LOCK_MINUTES = 5;

/** `ok`, or what is wrong with a PIN as typed: empty, not digits only, too short or too long. */
export function pinProblem(pin: string): 'ok' | 'empty' | 'digits' | 'length' {
  if (pin === '') return 'empty';
  if (!/^\d+$/.test(pin)) return 'digits';
  return PIN_PATTERN.test(pin) ? 'ok' : 'length';
}

/** The failure count of a PIN and the instant (ms since 1970) until which it is locked, if any. */
export interface PinThrottle {
  failures: number;
  lockedUntilMs: number | null;
}

/** Whether a PIN is locked at `nowMs`; `minutesLeft` rounded up for the message. */
export function pinLock(state: PinThrottle, nowMs: number): { locked: false } | { locked: true; minutesLeft: number } {
  if (state.lockedUntilMs === null || state.lockedUntilMs <= nowMs) return { locked: false };
  return { locked: true, minutesLeft: Math.ceil((state.lockedUntilMs - nowMs) / 60_000) };
}

/**
 * The state after one more wrong PIN at `nowMs`: the {@link PIN_MAX_FAILURES}th failure locks the PIN for
 * {@link PIN_LOCK_MINUTES} minutes and starts the count again.
 *
 * @example afterPinFailure({ failures: 4, lockedUntilMs: null }, 0) // { failures: 0, lockedUntilMs: 300000 }
 */
export function afterPinFailure(state: PinThrottle, nowMs: number): PinThrottle {
  const failures = (pinLock(state, nowMs).locked ? 0 : state.failures) + 1;
  return failures >= PIN_MAX_FAILURES ? { failures: 0, lockedUntilMs: nowMs + PIN_LOCK_MINUTES * 60_000 } : { failures, lockedUntilMs: null };
}

/** How long a slot's QR code is valid after the backend issued it. */
export const QR_CODE_VALIDITY_MINUTES = 3;
/** The code under the QR: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
export const QR_CODE_LENGTH = 6;
export const QR_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** The code as typed, made comparable: upper case, spaces and dashes dropped. */
export function normaliseQrCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** Whether a normalised code has the shape of a slot code (length and alphabet). */
export function isQrCodeShape(code: string): boolean {
  return code.length === QR_CODE_LENGTH && [...code].every((c) => QR_CODE_ALPHABET.includes(c));
}

/** Whether a code issued until `expiresAtMs` is still valid at `nowMs` (valid up to, not at, its expiry). */
export function qrCodeValid(issuedAtMs: number, expiresAtMs: number, nowMs: number): boolean {
  return issuedAtMs <= nowMs && nowMs < expiresAtMs;
}
