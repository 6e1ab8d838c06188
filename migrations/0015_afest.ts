import { appendOnly, rebuildTable } from './helpers';
import type { Migration } from './index';

/**
 * Issue #11, AFEST (*action de formation en situation de travail*, Code du travail D.6313-3-2).
 *
 * - `tutors`: company employees who tutor learners on the shop floor (not trainers of the training body).
 * - `afests`: the set-up of one AFEST for an enrolment: the partner company, the designated tutor (designation
 *   and acceptance dates, training received), the facilitator (the *tiers*, a trainer of the training body),
 *   the analysis of the work activity (dated), the convention reference, the assessment plan and the planned
 *   hours (the AFEST's and the whole pathway's, for programmes with a minimum AFEST share). Mutable, tracked
 *   in the ledger (evidence/track.ts): each state is hashed, so back-dating a designation leaves a trace.
 * - `afest_competences`: the target competences, optionally tied to a certification block.
 * - `afest_rules`: per programme, the AFEST rules that are data (minimum AFEST share of the pathway, whether
 *   reflective sequences must be run by a facilitator other than the tutor). Tracked too.
 * - `afest_sequences` and `afest_evaluations`: evidence, append-only, in the ledger. A correction is a new row
 *   that `supersedes_id` the previous one (with its reason); `withdrawn` = 1 withdraws a sequence logged by
 *   mistake. `record_id` is the funder record every version belongs to (the first version's id).
 * - `signatures` accept tutors as signers (the table is rebuilt with its rows; its content hashes are unchanged).
 */
const VERSIONED = `version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0), deleted_at TEXT`;
const AUDIT = `created_at TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users (id),
  updated_at TEXT NOT NULL, updated_by TEXT NOT NULL REFERENCES users (id)`;
const CREATED = `created_at TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users (id)`;
const DATE = (c: string) => `CHECK (${c} IS NULL OR ${c} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const TIME = (c: string) => `CHECK (${c} IS NULL OR ${c} GLOB '[0-2][0-9]:[0-5][0-9]')`;

export const afest: Migration = {
  version: 15,
  name: 'afest',
  sql: `
CREATE TABLE tutors (
  id TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES companies (id),
  last_name TEXT NOT NULL CHECK (length(last_name) > 0),
  first_name TEXT NOT NULL CHECK (length(first_name) > 0),
  job_title TEXT,
  email TEXT,
  phone TEXT,
  -- Training received as a tutor (title, body, date), experience: D.6313-3-2 asks for a trainer *able* to tutor.
  tutor_training TEXT,
  ${VERSIONED},
  ${AUDIT}
) STRICT;
CREATE INDEX tutors_company ON tutors (company_id);

CREATE TABLE afest_rules (
  programme_id TEXT PRIMARY KEY REFERENCES programmes (id),
  -- Minimum share of the pathway's hours the AFEST must make (Nouvelle-Aquitaine: 70); NULL = no minimum.
  min_share_percent INTEGER CHECK (min_share_percent IS NULL OR min_share_percent BETWEEN 1 AND 100),
  -- 1: reflective sequences are run by the facilitator, never by the tutor (the « tiers » of the experiments).
  facilitator_distinct INTEGER NOT NULL DEFAULT 1 CHECK (facilitator_distinct IN (0, 1)),
  note TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users (id)
) STRICT;

CREATE TABLE afests (
  id TEXT PRIMARY KEY,
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  programme_id TEXT REFERENCES programmes (id),
  title TEXT NOT NULL CHECK (length(title) > 0),
  company_id TEXT REFERENCES companies (id),
  tutor_id TEXT REFERENCES tutors (id),
  tutor_designated_on TEXT ${DATE('tutor_designated_on')},
  tutor_accepted_on TEXT ${DATE('tutor_accepted_on')},
  facilitator_id TEXT REFERENCES trainers (id),
  convention_ref TEXT,
  analysis_date TEXT ${DATE('analysis_date')},
  work_situations TEXT,
  tasks TEXT,
  critical_points TEXT,
  adaptations TEXT,
  safety_points TEXT,
  assessment_plan TEXT,
  planned_minutes INTEGER CHECK (planned_minutes IS NULL OR planned_minutes >= 0),
  pathway_minutes INTEGER CHECK (pathway_minutes IS NULL OR pathway_minutes >= 0),
  start_date TEXT ${DATE('start_date')},
  end_date TEXT ${DATE('end_date')},
  ${VERSIONED},
  ${AUDIT}
) STRICT;
CREATE INDEX afests_enrolment ON afests (enrolment_id);
CREATE INDEX afests_tutor ON afests (tutor_id);

CREATE TABLE afest_competences (
  id TEXT PRIMARY KEY,
  afest_id TEXT NOT NULL REFERENCES afests (id),
  position INTEGER NOT NULL,
  label TEXT NOT NULL CHECK (length(label) > 0),
  block_code TEXT,
  ${VERSIONED},
  ${AUDIT}
) STRICT;
CREATE INDEX afest_competences_afest ON afest_competences (afest_id);

CREATE TABLE afest_sequences (
  id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  afest_id TEXT NOT NULL REFERENCES afests (id),
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  kind TEXT NOT NULL CHECK (kind IN ('work-situation', 'reflective')),
  date TEXT NOT NULL ${DATE('date')},
  start_time TEXT NOT NULL ${TIME('start_time')},
  end_time TEXT NOT NULL ${TIME('end_time')},
  minutes INTEGER NOT NULL CHECK (minutes > 0),
  led_by TEXT NOT NULL CHECK (led_by IN ('tutor', 'facilitator')),
  leader_id TEXT NOT NULL,
  workstation TEXT,
  tasks TEXT,
  intended_learning TEXT,
  observations TEXT,
  out_of_production INTEGER NOT NULL DEFAULT 0 CHECK (out_of_production IN (0, 1)),
  -- JSON arrays: the record ids of the work situations a reflective sequence looks back on, the target
  -- competences worked on.
  reviewed_ids TEXT NOT NULL DEFAULT '[]',
  competence_ids TEXT NOT NULL DEFAULT '[]',
  gap_expected TEXT,
  gap_done TEXT,
  gap_acquired TEXT,
  verbalised TEXT,
  next_steps TEXT,
  learner_signature_id TEXT REFERENCES signatures (id),
  leader_signature_id TEXT REFERENCES signatures (id),
  device_id TEXT NOT NULL REFERENCES devices (id),
  withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
  supersedes_id TEXT REFERENCES afest_sequences (id),
  reason TEXT,
  ${CREATED},
  CHECK (supersedes_id IS NULL OR length(reason) > 0),
  CHECK (start_time < end_time)
) STRICT;
CREATE INDEX afest_sequences_afest ON afest_sequences (afest_id);
CREATE INDEX afest_sequences_enrolment ON afest_sequences (enrolment_id, date);
-- A version is superseded once: two corrections of one version would fork the record.
CREATE UNIQUE INDEX afest_sequences_supersedes ON afest_sequences (supersedes_id) WHERE supersedes_id IS NOT NULL;

CREATE TABLE afest_evaluations (
  id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  afest_id TEXT NOT NULL REFERENCES afests (id),
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  kind TEXT NOT NULL CHECK (kind IN ('intermediate', 'final')),
  date TEXT NOT NULL ${DATE('date')},
  start_time TEXT ${TIME('start_time')},
  end_time TEXT ${TIME('end_time')},
  minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
  evaluator_kind TEXT NOT NULL CHECK (evaluator_kind IN ('tutor', 'facilitator')),
  evaluator_id TEXT NOT NULL,
  method TEXT,
  comment TEXT,
  -- JSON: [{ competenceId, level: acquired | in-progress | not-acquired, comment }], and the document ids attached.
  results TEXT NOT NULL,
  attachments TEXT NOT NULL DEFAULT '[]',
  learner_signature_id TEXT REFERENCES signatures (id),
  evaluator_signature_id TEXT REFERENCES signatures (id),
  device_id TEXT NOT NULL REFERENCES devices (id),
  withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
  supersedes_id TEXT REFERENCES afest_evaluations (id),
  reason TEXT,
  ${CREATED},
  CHECK (supersedes_id IS NULL OR length(reason) > 0),
  CHECK ((start_time IS NULL) = (end_time IS NULL)),
  CHECK (start_time IS NULL OR start_time < end_time)
) STRICT;
CREATE INDEX afest_evaluations_afest ON afest_evaluations (afest_id);
CREATE UNIQUE INDEX afest_evaluations_supersedes ON afest_evaluations (supersedes_id) WHERE supersedes_id IS NOT NULL;

${appendOnly('afest_sequences')}
${appendOnly('afest_evaluations')}

${rebuildTable({
  table: 'signatures',
  columns: `
  id TEXT PRIMARY KEY,
  signer_kind TEXT NOT NULL CHECK (signer_kind IN ('trainee', 'trainer', 'tutor')),
  signer_id TEXT NOT NULL,
  -- The strokes as vectors (JSON [[x,y,t],…] per stroke) and as an image (PNG).
  strokes TEXT NOT NULL,
  png BLOB,
  sha256 TEXT NOT NULL,
  device_id TEXT NOT NULL REFERENCES devices (id),
  signed_at TEXT NOT NULL,
  ${CREATED},
  device_signed_at TEXT`,
  copy: ['id', 'signer_kind', 'signer_id', 'strokes', 'png', 'sha256', 'device_id', 'signed_at', 'created_at', 'created_by', 'device_signed_at'],
  after: appendOnly('signatures'),
})}
`,
};
