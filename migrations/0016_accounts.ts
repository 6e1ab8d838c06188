import { appendOnly } from './helpers';
import type { Migration } from './index';

/**
 * Issue #12, people and permissions.
 *
 * - `users` become accounts: a login, a role (shared/permissions.ts ROLES), a password hash (scrypt, never the
 *   password), an optional PIN hash to unlock a locked session on a shared tablet, the trainer or tutor the account
 *   stands for (record-level scopes: a trainer sees their sessions, a tutor their learners), and the throttling
 *   state of failed sign-ins. 'local' (the author of everything written before accounts) stays, with no login: it
 *   cannot sign in.
 * - `auth_sessions`: one row per signed-in window, CLI run or preview browser. Only the SHA-256 of the token is
 *   kept; a disabled account's sessions end at once. `locked_at`: locked after inactivity, unlocked by PIN or
 *   password.
 * - `audit_events`: who did what and when (sign-ins and failures, exports, prints, claim validations, corrections,
 *   refusals, account changes, NIR displays). Append-only and in the evidence ledger.
 */
export const accounts: Migration = {
  version: 16,
  name: 'accounts',
  sql: `
ALTER TABLE users ADD COLUMN role TEXT CHECK (role IS NULL OR role IN ('admin', 'manager', 'staff', 'trainer', 'tutor', 'auditor'));
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN pin_hash TEXT;
ALTER TABLE users ADD COLUMN trainer_id TEXT REFERENCES trainers (id);
ALTER TABLE users ADD COLUMN tutor_id TEXT REFERENCES tutors (id);
ALTER TABLE users ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0);
ALTER TABLE users ADD COLUMN locked_until TEXT;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;
ALTER TABLE users ADD COLUMN created_by TEXT REFERENCES users (id);
ALTER TABLE users ADD COLUMN updated_by TEXT REFERENCES users (id);
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);

CREATE TABLE auth_sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id),
  transport TEXT NOT NULL CHECK (transport IN ('app', 'preview', 'cli', 'test')),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  locked_at TEXT,
  pin_failures INTEGER NOT NULL DEFAULT 0 CHECK (pin_failures >= 0),
  ended_at TEXT,
  end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('signed_out', 'disabled', 'expired', 'password_changed', 'role_changed', 'restored'))
) STRICT;
CREATE INDEX auth_sessions_user ON auth_sessions (user_id) WHERE ended_at IS NULL;

CREATE TABLE audit_events (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  -- NULL for a failed sign-in under a login that matches no account (the login as typed is in 'login').
  user_id TEXT REFERENCES users (id),
  login TEXT,
  action TEXT NOT NULL CHECK (length(action) > 0),
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'refused')),
  subject_type TEXT,
  subject_id TEXT,
  summary TEXT,
  method TEXT
) STRICT;
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_user ON audit_events (user_id, at);
${appendOnly('audit_events')}
`,
};
