/** When to try a batch again. Frozen defaults; tests and the CLI pass their own. */
export interface RetryPolicy {
  /** First delay after an unknown outcome (5xx, timeout, connection lost). */
  baseMs: number;
  /** The exponential delay never exceeds this. */
  capMs: number;
  /** After this many unknown outcomes the batch and its records are `dead` (kept, exportable). */
  maxAttempts: number;
  /** A request without an answer after this long is an unknown outcome. */
  timeoutMs: number;
  /** Probe interval while the receiver cannot be reached at all (nothing was delivered). */
  offlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseMs: 2_000,
  capMs: 15 * 60_000,
  maxAttempts: 20,
  timeoutMs: 60_000,
  offlineMs: 30_000,
});

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of many
 * clients spread out yet never come back at once.
 *
 * @example backoffMs(3, { baseMs: 1000, capMs: 60_000 }, () => 0.5) // 3000: 4000 / 2 + 0.5 × 2000
 */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable.
 *
 * @example parseRetryAfter('7', new Date()) // 7000
 */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v), 86_400) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now.getTime()), 86_400_000);
}
