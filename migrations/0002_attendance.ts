import { appendOnly } from './helpers';
import type { Migration } from './index';

/**
 * Attendance evidence (*émargement*): marks per slot and enrolment, signatures, attached documents,
 * slot closures, imported connection logs, printed documents, and the hash-chained ledger over them.
 * Evidence tables are append-only (triggers); a correction is a new mark that supersedes the old one.
 */
export const attendance: Migration = {
  version: 2,
  name: 'attendance',
  sql: `
-- The configurable set of statuses; each maps to a category the realised-hours engine understands.
CREATE TABLE attendance_kinds (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('present', 'late', 'early-leave', 'excused', 'unexcused', 'remote')),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  sort INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO attendance_kinds (code, label, category, sort) VALUES
  ('present', 'Présent', 'present', 1),
  ('late', 'Retard', 'late', 2),
  ('early-leave', 'Départ anticipé', 'early-leave', 3),
  ('excused', 'Absent justifié', 'excused', 4),
  ('unexcused', 'Absent non justifié', 'unexcused', 5),
  ('remote', 'Distanciel', 'remote', 6);

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  bytes BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL
) STRICT;

CREATE TABLE signatures (
  id TEXT PRIMARY KEY,
  signer_kind TEXT NOT NULL CHECK (signer_kind IN ('trainee', 'trainer')),
  signer_id TEXT NOT NULL,
  -- The strokes as vectors (JSON [[x,y,t],…] per stroke) and as an image (PNG).
  strokes TEXT NOT NULL,
  png BLOB,
  sha256 TEXT NOT NULL,
  device_id TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL
) STRICT;

CREATE TABLE attendance_marks (
  id TEXT PRIMARY KEY,
  -- Stable id of the (slot, enrolment) record across corrections: the first mark's id.
  record_id TEXT NOT NULL,
  slot_id TEXT NOT NULL REFERENCES slots (id),
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  kind TEXT NOT NULL REFERENCES attendance_kinds (code),
  late_minutes INTEGER NOT NULL DEFAULT 0 CHECK (late_minutes >= 0),
  early_minutes INTEGER NOT NULL DEFAULT 0 CHECK (early_minutes >= 0),
  remote_minutes INTEGER CHECK (remote_minutes >= 0),
  minutes INTEGER NOT NULL CHECK (minutes >= 0),
  reason TEXT,
  document_id TEXT REFERENCES documents (id),
  method TEXT NOT NULL CHECK (method IN ('signature', 'pin', 'qr', 'paper', 'proxy', 'none')),
  signature_id TEXT REFERENCES signatures (id),
  proxy_name TEXT,
  checked_by TEXT,
  device_id TEXT NOT NULL,
  signed_at TEXT,
  supersedes_id TEXT REFERENCES attendance_marks (id),
  correction_reason TEXT,
  submission_id TEXT,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL,
  CHECK (supersedes_id IS NULL OR record_id <> id)
) STRICT;
CREATE INDEX attendance_marks_slot ON attendance_marks (slot_id, enrolment_id);
CREATE INDEX attendance_marks_enrolment ON attendance_marks (enrolment_id);
CREATE UNIQUE INDEX attendance_marks_supersedes ON attendance_marks (supersedes_id) WHERE supersedes_id IS NOT NULL;

CREATE TABLE slot_closures (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL UNIQUE REFERENCES slots (id),
  trainer_id TEXT NOT NULL REFERENCES trainers (id),
  signature_id TEXT REFERENCES signatures (id),
  method TEXT NOT NULL CHECK (method IN ('signature', 'pin', 'paper')),
  closed_at TEXT NOT NULL,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL
) STRICT;

-- Roll calls already recorded, so a double submission records nothing twice.
CREATE TABLE rollcall_submissions (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots (id),
  result TEXT NOT NULL,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL
) STRICT;

CREATE TABLE connection_logs (
  id TEXT PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL
) STRICT;

CREATE TABLE connection_log_rows (
  id TEXT PRIMARY KEY,
  log_id TEXT NOT NULL REFERENCES connection_logs (id),
  line INTEGER NOT NULL,
  login TEXT NOT NULL,
  enrolment_id TEXT REFERENCES enrolments (id),
  slot_id TEXT REFERENCES slots (id),
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes >= 0)
) STRICT;
CREATE INDEX connection_log_rows_slot ON connection_log_rows (slot_id, enrolment_id);

CREATE TABLE printed_documents (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  short_hash TEXT NOT NULL,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL
) STRICT;
CREATE INDEX printed_documents_short ON printed_documents (short_hash);

-- The tamper-evident chain: each entry holds the hash of its record's content and of the previous entry.
CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX ledger_record ON ledger (record_type, record_id);
${['documents', 'signatures', 'attendance_marks', 'slot_closures', 'connection_logs', 'connection_log_rows', 'printed_documents', 'ledger'].map((t) => appendOnly(t)).join('\n')}
`,
};
