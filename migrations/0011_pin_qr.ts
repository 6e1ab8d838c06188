import { appendOnly } from './helpers';
import type { Migration } from './index';

/**
 * Real PIN and QR capture (issue #9, §1):
 * - `person_pins`: one PIN per trainee and per trainer, stored only as a scrypt hash with its own salt
 *   (`scrypt$N$r$p$salt$hash`, attendance/pins.ts), who set it and when; setting it again replaces it. The
 *   failure count and lock of shared/domain/capture-proof.ts live beside it. Not evidence (a PIN changes).
 * - `qr_codes`: the short-lived codes the backend issued for a slot, hashed, with their issued and expiry
 *   instants by the backend's clock. Append-only (renewing issues a new one).
 * - `qr_scans` (evidence): a code of the slot presented for one trainee while valid — who, which code, when.
 * - `mark_qr_scans` (evidence): the scan a mark captured by QR code cites (one per mark; a correction that
 *   keeps the method cites the same scan). A link rather than a column so attendance_marks, whose every
 *   column the ledger hashes, keeps its shape.
 */
export const pinQr: Migration = {
  version: 11,
  name: 'pin-qr',
  sql: `
CREATE TABLE person_pins (
  person_kind TEXT NOT NULL CHECK (person_kind IN ('trainee', 'trainer')),
  person_id TEXT NOT NULL,
  pin_hash TEXT NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until TEXT,
  set_at TEXT NOT NULL,
  set_by TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (person_kind, person_id)
) STRICT;

CREATE TABLE qr_codes (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots (id),
  code_hash TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  expires_at TEXT NOT NULL CHECK (expires_at > issued_at),
  created_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX qr_codes_hash ON qr_codes (code_hash);
CREATE INDEX qr_codes_slot ON qr_codes (slot_id, issued_at);
${appendOnly('qr_codes', 'qr_codes is append-only: renewing issues a new code')}

CREATE TABLE qr_scans (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots (id),
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  code_id TEXT NOT NULL REFERENCES qr_codes (id),
  scanned_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX qr_scans_slot ON qr_scans (slot_id, enrolment_id);
${appendOnly('qr_scans')}

CREATE TABLE mark_qr_scans (
  id TEXT PRIMARY KEY,
  mark_id TEXT NOT NULL UNIQUE REFERENCES attendance_marks (id),
  scan_id TEXT NOT NULL REFERENCES qr_scans (id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX mark_qr_scans_scan ON mark_qr_scans (scan_id);
${appendOnly('mark_qr_scans')}
`,
};
