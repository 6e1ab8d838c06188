/**
 * The rules of accounts and sign-in (issue #12). Pure: the sign-in and account screens show them as the person
 * types, the backend applies them again and stays the judge.
 *
 * Passwords follow the CNIL's recommendation for an account protected by throttling (délibération 2022-100):
 * at least {@link PASSWORD_MIN_LENGTH} characters mixing at least three kinds among lower case, upper case, digits
 * and other characters — and never the login itself.
 */

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

export type PasswordProblem = 'empty' | 'short' | 'long' | 'kinds' | 'login';

/** `ok`, or the first thing wrong with a new password. */
export function passwordProblem(password: string, login: string): 'ok' | PasswordProblem {
  if (password === '') return 'empty';
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'short';
  if ([...password].length > PASSWORD_MAX_LENGTH) return 'long';
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length;
  if (kinds < 3) return 'kinds';
  if (login !== '' && password.toLowerCase().includes(login.toLowerCase())) return 'login';
  return 'ok';
}

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  empty: 'Mot de passe obligatoire.',
  short: `Mot de passe trop court : au moins ${PASSWORD_MIN_LENGTH} caractères.`,
  long: `Mot de passe trop long : au plus ${PASSWORD_MAX_LENGTH} caractères.`,
  kinds: 'Mot de passe trop simple : mêlez au moins trois sortes de caractères parmi minuscules, majuscules, chiffres et autres signes.',
  login: "Le mot de passe ne doit pas contenir l'identifiant.",
};

/** A login: 2 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter. */
export const LOGIN_PATTERN = /^[a-z][a-z0-9._-]{1,39}$/;

/** An account's PIN to unlock a locked session: 4 to 8 digits. */
export const ACCOUNT_PIN_PATTERN = /^\d{4,8}$/;

/** Wrong passwords in a row for one account before it is throttled… */
export const SIGN_IN_FREE_FAILURES = 5;
/** …then each further failure locks it for twice as long, from one minute up to an hour. */
export const SIGN_IN_MAX_LOCK_MINUTES = 60;

/**
 * How long an account stays throttled after its `failures`th wrong password in a row: none for the first
 * {@link SIGN_IN_FREE_FAILURES}, then 1, 2, 4… minutes, at most {@link SIGN_IN_MAX_LOCK_MINUTES}.
 *
 * @example throttleMinutes(5) // 1
 * @example throttleMinutes(7) // 4
 */
export function throttleMinutes(failures: number): number {
  if (failures < SIGN_IN_FREE_FAILURES) return 0;
  return Math.min(SIGN_IN_MAX_LOCK_MINUTES, 2 ** (failures - SIGN_IN_FREE_FAILURES));
}

/** Wrong PINs on one locked session before the PIN stops working there (the password is then needed). */
export const UNLOCK_PIN_MAX_FAILURES = 3;

/** The inactivity after which a session locks, by default; a setting of the organisation (1 to 240 minutes). */
export const DEFAULT_LOCK_AFTER_MINUTES = 15;
export const LOCK_AFTER_MINUTES_RANGE = { min: 1, max: 240 } as const;
/** A session unused this long ends: the next call must sign in again. */
export const SESSION_EXPIRES_AFTER_HOURS = 12;

/**
 * Whether a session last used at `lastSeenMs` is, at `nowMs`, still open, to be locked, or expired.
 *
 * @example sessionState(0, 15 * 60_000, 15) // 'locked'
 */
export function sessionState(lastSeenMs: number, nowMs: number, lockAfterMinutes: number): 'open' | 'locked' | 'expired' {
  const idle = nowMs - lastSeenMs;
  if (idle >= SESSION_EXPIRES_AFTER_HOURS * 3_600_000) return 'expired';
  if (idle >= lockAfterMinutes * 60_000) return 'locked';
  return 'open';
}
