import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords and account PINs are kept only as `scrypt$N$r$p$salt$hash`: scrypt, memory-hard, from Node's own
 * crypto (maintained with Node, nothing to build), a random 16-byte salt per secret, the parameters stored with the
 * hash so they can be raised later without breaking the accounts made before. N = 2^15, r = 8 uses 32 MiB per hash
 * (OWASP's scrypt baseline) and about 0.1 s here: cheap for one sign-in, costly for a guesser. Run asynchronously
 * (libuv's thread pool) so a sign-in never freezes the other calls.
 */
const N = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  // Memory bound: 128·N·r bytes, plus headroom (Node refuses above maxmem, 32 MiB by default).
  const maxmem = 256 * (options.N ?? N) * (options.r ?? R);
  return new Promise((ok, fail) => scrypt(secret.normalize('NFC'), salt, length, { ...options, maxmem }, (e, key) => (e ? fail(e) : ok(key))));
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, KEY_LENGTH, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `secret` is the one `stored` was made from (constant-time comparison). False for a malformed hash. */
export async function secretMatches(secret: string, stored: string | null): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = (stored ?? DUMMY).split('$');
  if (scheme !== 'scrypt' || !salt || !hash || !n || !r || !p) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(secret, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected) && stored !== null;
}

/**
 * A hash nobody's secret matches, checked when the login matches no account: an unknown login then takes as long
 * as a wrong password, so timing does not tell which logins exist.
 */
const DUMMY = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
