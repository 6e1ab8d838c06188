import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_LOCK_AFTER_MINUTES, sessionState } from '../../../shared/domain/accounts';
import { isRole, permissionsOf } from '../../../shared/permissions';
import { ANONYMOUS, type CallSession, type Ctx, type Transport, type User } from '../context';
import { withRaw, type Raw } from '../db/raw';
import type { SqlRow } from '../db/schema';

/**
 * Signed-in sessions (issue #12). A session is a random 256-bit token the host keeps (the app's backend process in
 * memory, the preview in an HttpOnly cookie, the CLI for one run); the database holds only its SHA-256, so a copy of
 * the file opens no session. Every call a host carries is resolved here to its account — or to ANONYMOUS — before
 * the dispatch checks the method's permission.
 */

export const LOCK_AFTER_SETTING = 'lock_after_minutes';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The inactivity, in minutes, after which a session locks (a setting; 15 by default). */
export function lockAfterMinutes(raw: Raw): number {
  const v = Number(raw.get<{ value: string }>('SELECT value FROM sync_settings WHERE key = ?', LOCK_AFTER_SETTING)?.value);
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_LOCK_AFTER_MINUTES;
}

export type UserRow = SqlRow<'users'>;

/** The account as the dispatch sees it: its role's permissions and its record-level scope. */
export function userOf(row: UserRow): User {
  const role = isRole(row.role) ? row.role : null;
  if (!role) return { id: row.id, name: row.name, permissions: new Set() };
  const scope = role === 'trainer' ? { trainerId: row.trainer_id } : role === 'tutor' ? { tutorId: row.tutor_id } : undefined;
  return { id: row.id, name: row.name, role, permissions: permissionsOf(role), ...(scope ? { scope } : {}) };
}

/** Opens a session for an account, inside the caller's transaction; returns the token for the host. */
export function openSession(raw: Raw, userId: string, transport: Transport, id: string, at: string): string {
  const token = randomBytes(32).toString('base64url');
  raw.run(
    'INSERT INTO auth_sessions (id, token_hash, user_id, transport, created_at, last_seen_at, locked_at, pin_failures, ended_at, end_reason) VALUES (?, ?, ?, ?, ?, ?, NULL, 0, NULL, NULL)',
    id,
    tokenHash(token),
    userId,
    transport,
    at,
    at,
  );
  return token;
}

export function endSession(raw: Raw, sessionId: string, reason: 'signed_out' | 'disabled' | 'expired' | 'password_changed' | 'role_changed' | 'restored', at: string): void {
  raw.run('UPDATE auth_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL', at, reason, sessionId);
}

/** Ends every open session of an account (disabled, role or password changed), but `keep` (the caller's own). */
export function endSessionsOf(raw: Raw, userId: string, reason: 'disabled' | 'password_changed' | 'role_changed', at: string, keep?: string): number {
  return raw.run('UPDATE auth_sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL AND id <> ?', at, reason, userId, keep ?? '').changes;
}

/** Calls that do not count as activity: the screens poll them, and they must not keep an idle session open. */
const PASSIVE = new Set(['auth.status', 'sync.status']);

export interface ResolvedCall {
  user: User;
  session?: CallSession;
  /** A token came but opens nothing (ended, expired, unknown or altered): the host forgets it. */
  stale: boolean;
}

/**
 * The account and session of a call carrying `token`. An unknown or altered token, an ended session or a disabled
 * account resolve to ANONYMOUS (`stale`); a session idle past the lock delay is locked (only the PIN or the password
 * opens it again); idle past the expiry it ends. An active call moves the session's last activity on.
 */
export async function resolveCall(ctx: Ctx, token: string | null | undefined, method: string): Promise<ResolvedCall> {
  if (!token) return { user: ANONYMOUS, stale: false };
  const writable = !ctx.readOnly && !ctx.integrity;
  return withRaw(ctx.db, (raw) => {
    const row = raw.get<{ sid: string; transport: Transport; last_seen_at: string; locked_at: string | null } & UserRow>(
      `SELECT s.id AS sid, s.transport, s.last_seen_at, s.locked_at, u.*
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ? AND s.ended_at IS NULL`,
      tokenHash(token),
    );
    if (!row) return { user: ANONYMOUS, stale: true };
    const now = ctx.now();
    const at = now.toISOString();
    if (!row.active || !isRole(row.role)) {
      if (writable) endSession(raw, row.sid, 'disabled', at);
      return { user: ANONYMOUS, stale: true };
    }
    const lockAfter = lockAfterMinutes(raw);
    const state = sessionState(Date.parse(row.last_seen_at), now.getTime(), lockAfter);
    if (state === 'expired') {
      if (writable) endSession(raw, row.sid, 'expired', at);
      return { user: ANONYMOUS, stale: true };
    }
    let locked = row.locked_at !== null;
    if (state === 'locked' && !locked) {
      locked = true;
      if (writable) raw.run('UPDATE auth_sessions SET locked_at = ? WHERE id = ?', at, row.sid);
    }
    // Activity moves the clock on, at most once a minute (a write per call would cost a page of reads dearly), and
    // at least every tenth of the lock delay, so that a short setting never locks someone who was just active.
    if (!locked && writable && !PASSIVE.has(method) && now.getTime() - Date.parse(row.last_seen_at) >= touchEveryMs(lockAfter)) {
      raw.run('UPDATE auth_sessions SET last_seen_at = ? WHERE id = ?', at, row.sid);
    }
    return { user: userOf(row), session: { id: row.sid, transport: row.transport, locked }, stale: false };
  });
}

/** How stale `last_seen_at` may be before a call moves it on: a minute, or a tenth of a short lock delay. */
export function touchEveryMs(lockAfterMinutes: number): number {
  return Math.min(60_000, lockAfterMinutes * 6_000);
}
