import { appendOnly, epochMsSql, rebuildTable, uuidV7Sql } from './helpers';
import type { Migration } from './index';

/**
 * A schema ready for many devices and funders (issue #7, section 3):
 * - `users` and `devices`, and foreign keys to them from every `created_by`, `updated_by` and `device_id`
 *   (except the sync tables, which never leave the machine and whose routing trigger makes a rebuild of
 *   `sync_receivers` unsafe). The local user, `local`, becomes a real row until accounts arrive.
 * - `version` and a `deleted_at` tombstone on the user-data rows that can leave the machine; nothing is
 *   hard-deleted any more (`slot_trainers` rows were), so a link gets its own id.
 * - `attendance_records`: one stable identity per (slot, enrolment), so the marks of two devices become
 *   versions of one funder record.
 * - `fundings`: the funders of an enrolment (funder, programme, file number, share), replacing its single
 *   funder and file number.
 *
 * **Important**: the evidence tables (see evidence/ledger.ts) are hashed over all their columns: they are
 * rebuilt with exactly the same columns and values, only gaining foreign keys, so every ledger still verifies.
 * Rebuilds need foreign keys off: the migrator turns them off and checks them all before committing.
 */

/** Columns of the rows that sync: each change is a new version; a removal is a tombstone. */
const VERSIONED = `version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0), deleted_at TEXT`;
const AUDIT = `created_at TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users (id),
  updated_at TEXT NOT NULL, updated_by TEXT NOT NULL REFERENCES users (id)`;
const CREATED = `created_at TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users (id)`;
const AUDIT_COLUMNS = ['created_at', 'created_by', 'updated_at', 'updated_by'];

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** Every table whose author columns gain a foreign key to `users`, with those columns. */
const AUTHORED: Record<string, readonly string[]> = {
  organisation: ['created_by', 'updated_by'],
  places: ['created_by', 'updated_by'],
  trainers: ['created_by', 'updated_by'],
  companies: ['created_by', 'updated_by'],
  trainees: ['created_by', 'updated_by'],
  actions: ['created_by', 'updated_by'],
  sessions: ['created_by', 'updated_by'],
  slots: ['created_by', 'updated_by'],
  enrolments: ['created_by', 'updated_by'],
  enrolment_statuses: ['created_by'],
  documents: ['created_by'],
  signatures: ['created_by'],
  attendance_marks: ['created_by'],
  slot_closures: ['created_by'],
  rollcall_submissions: ['created_by'],
  connection_logs: ['created_by'],
  printed_documents: ['created_by'],
};

const EVIDENCE_APPEND_ONLY = (table: string) => appendOnly(table);

export const devices: Migration = {
  version: 4,
  name: 'devices',
  sql: `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- Accounts and roles come with the people-and-permissions capability; until then only 'local' exists.
  login TEXT UNIQUE,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
-- 'local' is the created_by of every row written so far, and part of evidence hashes: it keeps that id.
INSERT INTO users (id, name, created_at, updated_at) VALUES ('local', 'Utilisateur local', ${NOW}, ${NOW});
-- Any other author already in the data (tests and tools opened the backend as another user) becomes a row.
INSERT OR IGNORE INTO users (id, name, created_at, updated_at)
${Object.entries(AUTHORED)
  .flatMap(([table, columns]) => columns.map((c) => `SELECT ${c}, ${c}, ${NOW}, ${NOW} FROM ${table}`))
  .join('\nUNION\n')};

-- The devices that wrote evidence (tablets, PCs: the renderer's device id) and this backend's sync identity.
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  label TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('backend', 'client')),
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
) STRICT;
INSERT INTO devices (id, kind, first_seen_at, last_seen_at)
SELECT device_id, 'client', min(created_at), max(created_at)
FROM (SELECT device_id, created_at FROM signatures UNION ALL SELECT device_id, created_at FROM attendance_marks)
GROUP BY device_id;
INSERT OR IGNORE INTO devices (id, kind, first_seen_at, last_seen_at)
SELECT value, 'backend', ${NOW}, ${NOW} FROM sync_settings WHERE key = 'device_id';

-- One identity per (slot, enrolment): the id a funder knows the attendance record by. Existing records keep
-- the id they were sent under (their first mark's); new ones get a UUIDv5 of (slot, enrolment), see
-- attendance/records.ts. Never changed nor removed: corrections are new marks.
CREATE TABLE attendance_records (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots (id),
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  ${CREATED},
  UNIQUE (slot_id, enrolment_id)
) STRICT;
CREATE INDEX attendance_records_enrolment ON attendance_records (enrolment_id);
INSERT INTO attendance_records (id, slot_id, enrolment_id, created_at, created_by)
SELECT record_id, slot_id, enrolment_id, min(created_at), created_by FROM attendance_marks GROUP BY record_id;
${appendOnly('attendance_records', 'attendance_records is append-only: a record keeps its identity')}

-- The funders of an enrolment. share_kind 'percent': share_value in basis points (10000 = 100 %, so 33.33 %
-- stays an integer); 'minutes': share_value minutes of the enrolment; 'remainder': what the other lines leave
-- (a single line funds it all). The first line by position is the primary funder the UI and payloads show.
CREATE TABLE fundings (
  id TEXT PRIMARY KEY,
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  funder_code TEXT NOT NULL REFERENCES funders (code),
  programme TEXT,
  file_number TEXT,
  share_kind TEXT NOT NULL CHECK (share_kind IN ('percent', 'minutes', 'remainder')),
  share_value INTEGER,
  position INTEGER NOT NULL CHECK (position > 0),
  ${VERSIONED},
  ${AUDIT},
  CHECK ((share_kind = 'remainder' AND share_value IS NULL)
      OR (share_kind = 'percent' AND share_value BETWEEN 1 AND 10000)
      OR (share_kind = 'minutes' AND share_value >= 0))
) STRICT;
CREATE UNIQUE INDEX fundings_position ON fundings (enrolment_id, position) WHERE deleted_at IS NULL;
INSERT INTO fundings (id, enrolment_id, funder_code, file_number, share_kind, position, created_at, created_by, updated_at, updated_by)
SELECT ${uuidV7Sql(epochMsSql('e.created_at'))}, e.id, e.funder_code, e.file_number, 'remainder', 1, e.created_at, e.created_by, e.updated_at, e.updated_by
FROM enrolments e;

${rebuildTable({
  table: 'organisation',
  columns: `
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  siret TEXT NOT NULL CHECK (length(siret) = 14),
  nda TEXT,
  qualiopi_valid_until TEXT,
  legal_representative TEXT,
  address TEXT, postcode TEXT, city TEXT, email TEXT, phone TEXT,
  time_zone TEXT NOT NULL DEFAULT 'Europe/Paris',
  ${AUDIT}`,
  copy: ['id', 'name', 'siret', 'nda', 'qualiopi_valid_until', 'legal_representative', 'address', 'postcode', 'city', 'email', 'phone', 'time_zone', ...AUDIT_COLUMNS],
})}

${rebuildTable({
  table: 'places',
  columns: `
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT, postcode TEXT NOT NULL, city TEXT NOT NULL,
  qpv INTEGER NOT NULL DEFAULT 0 CHECK (qpv IN (0, 1)),
  zrr INTEGER NOT NULL DEFAULT 0 CHECK (zrr IN (0, 1)),
  holiday_zone TEXT NOT NULL DEFAULT 'metropole',
  ${VERSIONED},
  ${AUDIT}`,
  copy: ['id', 'name', 'address', 'postcode', 'city', 'qpv', 'zrr', 'holiday_zone', ...AUDIT_COLUMNS],
})}

${rebuildTable({
  table: 'trainers',
  columns: `
  id TEXT PRIMARY KEY,
  last_name TEXT NOT NULL, first_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('internal', 'external')),
  email TEXT, phone TEXT, siret TEXT,
  ${VERSIONED},
  ${AUDIT}`,
  copy: ['id', 'last_name', 'first_name', 'kind', 'email', 'phone', 'siret', ...AUDIT_COLUMNS],
})}

${rebuildTable({
  table: 'companies',
  columns: `
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  siret TEXT NOT NULL UNIQUE CHECK (length(siret) = 14),
  address TEXT, postcode TEXT, city TEXT, headcount INTEGER,
  ${VERSIONED},
  ${AUDIT}`,
  copy: ['id', 'name', 'siret', 'address', 'postcode', 'city', 'headcount', ...AUDIT_COLUMNS],
})}

${rebuildTable({
  table: 'trainees',
  columns: `
  id TEXT PRIMARY KEY,
  last_name TEXT NOT NULL, first_name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  -- Sensitive: shown only with people.sensitive.read; encryption at rest comes with the people capability.
  nir TEXT,
  france_travail_id TEXT,
  email TEXT, phone TEXT, postcode TEXT, city TEXT,
  qpv_resident INTEGER NOT NULL DEFAULT 0 CHECK (qpv_resident IN (0, 1)),
  fictitious INTEGER NOT NULL DEFAULT 0 CHECK (fictitious IN (0, 1)),
  ${VERSIONED},
  ${AUDIT}`,
  copy: ['id', 'last_name', 'first_name', 'birth_date', 'nir', 'france_travail_id', 'email', 'phone', 'postcode', 'city', 'qpv_resident', 'fictitious', ...AUDIT_COLUMNS],
  after: 'CREATE INDEX trainees_name ON trainees (last_name, first_name);',
})}

${rebuildTable({
  table: 'actions',
  columns: `
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  code TEXT,
  certification_code TEXT,
  level INTEGER CHECK (level BETWEEN 1 AND 8),
  nsf_code TEXT,
  planned_minutes INTEGER NOT NULL CHECK (planned_minutes > 0),
  modality TEXT NOT NULL CHECK (modality IN ('presentiel', 'distanciel', 'mixte', 'afest')),
  nature TEXT NOT NULL CHECK (nature IN ('action-de-formation', 'bilan-de-competences', 'vae', 'apprentissage')),
  ${VERSIONED},
  ${AUDIT}`,
  copy: ['id', 'title', 'code', 'certification_code', 'level', 'nsf_code', 'planned_minutes', 'modality', 'nature', ...AUDIT_COLUMNS],
})}

${rebuildTable({
  table: 'sessions',
  columns: `
  id TEXT PRIMARY KEY,
  action_id TEXT NOT NULL REFERENCES actions (id),
  label TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('cohort', 'rolling')),
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL CHECK (end_date >= start_date),
  place_id TEXT REFERENCES places (id),
  ${VERSIONED},
  ${AUDIT}`,
  copy: ['id', 'action_id', 'label', 'mode', 'capacity', 'start_date', 'end_date', 'place_id', ...AUDIT_COLUMNS],
  after: 'CREATE INDEX sessions_action ON sessions (action_id);',
})}

${rebuildTable({
  table: 'slots',
  columns: `
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id),
  date TEXT NOT NULL,
  half_day TEXT NOT NULL CHECK (half_day IN ('am', 'pm')),
  start_time TEXT NOT NULL,
  end_time TEXT NOT NULL CHECK (end_time > start_time),
  minutes INTEGER NOT NULL CHECK (minutes > 0),
  modality TEXT NOT NULL CHECK (modality IN ('presentiel', 'distanciel', 'mixte', 'afest')),
  place_id TEXT REFERENCES places (id),
  cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
  ${VERSIONED},
  ${AUDIT},
  UNIQUE (session_id, date, half_day)`,
  copy: ['id', 'session_id', 'date', 'half_day', 'start_time', 'end_time', 'minutes', 'modality', 'place_id', 'cancelled', ...AUDIT_COLUMNS],
  after: 'CREATE INDEX slots_date ON slots (date);',
})}

-- A link is never deleted: unassigning tombstones it, assigning again revives it (one row per slot and
-- trainer, its version counting the changes). Links made before had no author: they take their slot's
-- last change, which is when trainers were last assigned.
${rebuildTable({
  table: 'slot_trainers',
  columns: `
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots (id),
  trainer_id TEXT NOT NULL REFERENCES trainers (id),
  ${VERSIONED},
  ${AUDIT},
  UNIQUE (slot_id, trainer_id)`,
  copy: [
    ['id', uuidV7Sql(epochMsSql('s.updated_at'))],
    ['slot_id', 'st.slot_id'],
    ['trainer_id', 'st.trainer_id'],
    ['created_at', 's.updated_at'],
    ['created_by', 's.updated_by'],
    ['updated_at', 's.updated_at'],
    ['updated_by', 's.updated_by'],
  ],
  from: 'slot_trainers st JOIN slots s ON s.id = st.slot_id',
  after: 'CREATE INDEX slot_trainers_trainer ON slot_trainers (trainer_id);',
})}

-- The funder and file number moved to fundings (copied above).
${rebuildTable({
  table: 'enrolments',
  columns: `
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id),
  trainee_id TEXT NOT NULL REFERENCES trainees (id),
  company_id TEXT REFERENCES companies (id),
  planned_start TEXT NOT NULL,
  planned_end TEXT NOT NULL CHECK (planned_end >= planned_start),
  planned_minutes INTEGER NOT NULL CHECK (planned_minutes >= 0),
  ${VERSIONED},
  ${AUDIT},
  UNIQUE (session_id, trainee_id)`,
  copy: ['id', 'session_id', 'trainee_id', 'company_id', 'planned_start', 'planned_end', 'planned_minutes', ...AUDIT_COLUMNS],
  after: 'CREATE INDEX enrolments_trainee ON enrolments (trainee_id);',
})}
CREATE INDEX fundings_enrolment ON fundings (enrolment_id);

${rebuildTable({
  table: 'enrolment_statuses',
  columns: `
  id TEXT PRIMARY KEY,
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  status TEXT NOT NULL CHECK (status IN ('planned', 'entered', 'suspended', 'exited')),
  effective_date TEXT NOT NULL,
  reason TEXT,
  outcome TEXT,
  note TEXT,
  ${CREATED},
  CHECK (status <> 'exited' OR reason IS NOT NULL)`,
  copy: ['id', 'enrolment_id', 'status', 'effective_date', 'reason', 'outcome', 'note', 'created_at', 'created_by'],
  after: `CREATE INDEX enrolment_statuses_enrolment ON enrolment_statuses (enrolment_id, effective_date, id);
${appendOnly('enrolment_statuses', 'enrolment_statuses is append-only')}`,
})}

${rebuildTable({
  table: 'rollcall_submissions',
  columns: `
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots (id),
  result TEXT NOT NULL,
  ${CREATED}`,
  copy: ['id', 'slot_id', 'result', 'created_at', 'created_by'],
})}

-- Evidence: the same columns and values, only foreign keys added (the ledger hashes every column).
${rebuildTable({
  table: 'documents',
  columns: `
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  bytes BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  ${CREATED}`,
  copy: ['id', 'name', 'mime', 'bytes', 'sha256', 'created_at', 'created_by'],
  after: EVIDENCE_APPEND_ONLY('documents'),
})}

${rebuildTable({
  table: 'signatures',
  columns: `
  id TEXT PRIMARY KEY,
  signer_kind TEXT NOT NULL CHECK (signer_kind IN ('trainee', 'trainer')),
  signer_id TEXT NOT NULL,
  -- The strokes as vectors (JSON [[x,y,t],…] per stroke) and as an image (PNG).
  strokes TEXT NOT NULL,
  png BLOB,
  sha256 TEXT NOT NULL,
  device_id TEXT NOT NULL REFERENCES devices (id),
  signed_at TEXT NOT NULL,
  ${CREATED}`,
  copy: ['id', 'signer_kind', 'signer_id', 'strokes', 'png', 'sha256', 'device_id', 'signed_at', 'created_at', 'created_by'],
  after: EVIDENCE_APPEND_ONLY('signatures'),
})}

${rebuildTable({
  table: 'attendance_marks',
  columns: `
  id TEXT PRIMARY KEY,
  -- The attendance record (slot, enrolment) this mark is a version of.
  record_id TEXT NOT NULL REFERENCES attendance_records (id),
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
  device_id TEXT NOT NULL REFERENCES devices (id),
  signed_at TEXT,
  supersedes_id TEXT REFERENCES attendance_marks (id),
  correction_reason TEXT,
  submission_id TEXT,
  ${CREATED},
  CHECK (supersedes_id IS NULL OR record_id <> id)`,
  copy: ['id', 'record_id', 'slot_id', 'enrolment_id', 'kind', 'late_minutes', 'early_minutes', 'remote_minutes', 'minutes', 'reason', 'document_id', 'method', 'signature_id', 'proxy_name', 'checked_by', 'device_id', 'signed_at', 'supersedes_id', 'correction_reason', 'submission_id', 'created_at', 'created_by'],
  after: `CREATE INDEX attendance_marks_slot ON attendance_marks (slot_id, enrolment_id);
CREATE INDEX attendance_marks_enrolment ON attendance_marks (enrolment_id);
CREATE INDEX attendance_marks_record ON attendance_marks (record_id);
CREATE UNIQUE INDEX attendance_marks_supersedes ON attendance_marks (supersedes_id) WHERE supersedes_id IS NOT NULL;
${EVIDENCE_APPEND_ONLY('attendance_marks')}`,
})}

${rebuildTable({
  table: 'slot_closures',
  columns: `
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL UNIQUE REFERENCES slots (id),
  trainer_id TEXT NOT NULL REFERENCES trainers (id),
  signature_id TEXT REFERENCES signatures (id),
  method TEXT NOT NULL CHECK (method IN ('signature', 'pin', 'paper')),
  closed_at TEXT NOT NULL,
  ${CREATED}`,
  copy: ['id', 'slot_id', 'trainer_id', 'signature_id', 'method', 'closed_at', 'created_at', 'created_by'],
  after: EVIDENCE_APPEND_ONLY('slot_closures'),
})}

${rebuildTable({
  table: 'connection_logs',
  columns: `
  id TEXT PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  ${CREATED}`,
  copy: ['id', 'file_name', 'sha256', 'source', 'row_count', 'created_at', 'created_by'],
  after: EVIDENCE_APPEND_ONLY('connection_logs'),
})}

${rebuildTable({
  table: 'printed_documents',
  columns: `
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  short_hash TEXT NOT NULL,
  ${CREATED}`,
  copy: ['id', 'kind', 'params', 'content_sha256', 'short_hash', 'created_at', 'created_by'],
  after: `CREATE INDEX printed_documents_short ON printed_documents (short_hash);
${EVIDENCE_APPEND_ONLY('printed_documents')}`,
})}
`,
};
