import { appendOnly } from './helpers';
import type { Migration } from './index';

/** The backbone: training body, places, people, actions, sessions, slots, enrolments, outbox. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE organisation (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  siret TEXT NOT NULL CHECK (length(siret) = 14),
  nda TEXT,
  qualiopi_valid_until TEXT,
  legal_representative TEXT,
  address TEXT, postcode TEXT, city TEXT, email TEXT, phone TEXT,
  time_zone TEXT NOT NULL DEFAULT 'Europe/Paris',
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE places (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT, postcode TEXT NOT NULL, city TEXT NOT NULL,
  qpv INTEGER NOT NULL DEFAULT 0 CHECK (qpv IN (0, 1)),
  zrr INTEGER NOT NULL DEFAULT 0 CHECK (zrr IN (0, 1)),
  holiday_zone TEXT NOT NULL DEFAULT 'metropole',
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE trainers (
  id TEXT PRIMARY KEY,
  last_name TEXT NOT NULL, first_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('internal', 'external')),
  email TEXT, phone TEXT, siret TEXT,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE companies (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  siret TEXT NOT NULL UNIQUE CHECK (length(siret) = 14),
  address TEXT, postcode TEXT, city TEXT, headcount INTEGER,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE trainees (
  id TEXT PRIMARY KEY,
  last_name TEXT NOT NULL, first_name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  -- Sensitive: shown only with people.sensitive.read; encryption at rest comes with the people capability.
  nir TEXT,
  france_travail_id TEXT,
  email TEXT, phone TEXT, postcode TEXT, city TEXT,
  qpv_resident INTEGER NOT NULL DEFAULT 0 CHECK (qpv_resident IN (0, 1)),
  fictitious INTEGER NOT NULL DEFAULT 0 CHECK (fictitious IN (0, 1)),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX trainees_name ON trainees (last_name, first_name);

CREATE TABLE funders (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL
) STRICT;
INSERT INTO funders (code, name, kind) VALUES
  ('OPCO', 'OPCO (opérateur de compétences)', 'opco'),
  ('REGION', 'Conseil régional', 'region'),
  ('FRANCE_TRAVAIL', 'France Travail', 'france-travail'),
  ('CPF', 'Mon Compte Formation (CPF / EDOF)', 'cpf'),
  ('ETAT', 'État (PIC, Pacte régional)', 'etat'),
  ('DEPARTEMENT', 'Conseil départemental', 'collectivite'),
  ('EMPLOYEUR', 'Employeur (plan de développement des compétences)', 'employeur'),
  ('PARTICULIER', 'Particulier (autofinancement)', 'particulier'),
  ('AUTRE', 'Autre financeur', 'autre');

CREATE TABLE actions (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  code TEXT,
  certification_code TEXT,
  level INTEGER CHECK (level BETWEEN 1 AND 8),
  nsf_code TEXT,
  planned_minutes INTEGER NOT NULL CHECK (planned_minutes > 0),
  modality TEXT NOT NULL CHECK (modality IN ('presentiel', 'distanciel', 'mixte', 'afest')),
  nature TEXT NOT NULL CHECK (nature IN ('action-de-formation', 'bilan-de-competences', 'vae', 'apprentissage')),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  action_id TEXT NOT NULL REFERENCES actions (id),
  label TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('cohort', 'rolling')),
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL CHECK (end_date >= start_date),
  place_id TEXT REFERENCES places (id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_action ON sessions (action_id);

CREATE TABLE slots (
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
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  UNIQUE (session_id, date, half_day)
) STRICT;
CREATE INDEX slots_date ON slots (date);

CREATE TABLE slot_trainers (
  slot_id TEXT NOT NULL REFERENCES slots (id),
  trainer_id TEXT NOT NULL REFERENCES trainers (id),
  PRIMARY KEY (slot_id, trainer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX slot_trainers_trainer ON slot_trainers (trainer_id);

CREATE TABLE enrolments (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id),
  trainee_id TEXT NOT NULL REFERENCES trainees (id),
  company_id TEXT REFERENCES companies (id),
  funder_code TEXT NOT NULL REFERENCES funders (code),
  file_number TEXT,
  planned_start TEXT NOT NULL,
  planned_end TEXT NOT NULL CHECK (planned_end >= planned_start),
  planned_minutes INTEGER NOT NULL CHECK (planned_minutes >= 0),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  UNIQUE (session_id, trainee_id)
) STRICT;
CREATE INDEX enrolments_trainee ON enrolments (trainee_id);

-- Dated status history, append-only: the current status is the latest by effective date.
CREATE TABLE enrolment_statuses (
  id TEXT PRIMARY KEY,
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  status TEXT NOT NULL CHECK (status IN ('planned', 'entered', 'suspended', 'exited')),
  effective_date TEXT NOT NULL,
  reason TEXT,
  outcome TEXT,
  note TEXT,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL,
  CHECK (status <> 'exited' OR reason IS NOT NULL)
) STRICT;
CREATE INDEX enrolment_statuses_enrolment ON enrolment_statuses (enrolment_id, effective_date, id);
${appendOnly('enrolment_statuses', 'enrolment_statuses is append-only')}

-- Records that must reach a funder, queued in the same transaction as the change that made them.
-- The sync capability adds batches and states; here each record's versions are kept in order.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  record_type TEXT NOT NULL CHECK (record_type IN ('enrolment', 'attendance', 'afest-sequence', 'claim')),
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (record_id, version)
) STRICT;
`,
};
