import { appendOnly, rebuildTable } from './helpers';
import type { Migration } from './index';

/**
 * Issue #10, funding and claims.
 *
 * - `funders` gain what a claim and the BPF need: the payer category (BPF frame C, `C-1` … `C-11`), an
 *   address for the invoice, and whether they are still in use. Agefiph joins the generic funders.
 * - `programmes` (*dispositifs*: PRF lot, #Avenir, Parcours TPME, apprenticeship…) belong to a funder;
 *   `programme_rules` are their dated rule packs (JSON validated by `shared/schemas/funding.ts`),
 *   append-only: changing a version writes a new row that `replaces_id` it, so the history stays and a claim
 *   validated under a version keeps pointing at it.
 * - `fundings` are rebuilt: a line belongs to an enrolment **or** a whole session, names a programme, a cost
 *   type, a purchase order and may carry its own negotiated rate.
 * - `apprenticeship_contracts`: apprentice (through the enrolment), employer, diploma, RNCP, dates, OPCO,
 *   yearly coût contrat (NPEC), training site, the programme of the Region's majorations, and rupture.
 * - `claims`, `claim_lines`, `claim_events` (the dated workflow, append-only), `claim_documents` (the frozen
 *   PDFs and bundle with their SHA-256, append-only) and `invoice_sequence` (the gap-free invoice counter).
 *   A line's quantity is a decimal kept as an integer × 10 000 (`quantity_e4`: 412,5 h → 4 125 000, a 25 %
 *   share → 2 500), so amounts are exact: `amount_cents` = `quantity_e4` × `unit_price_cents` / 10 000 rounded
 *   half-up. Once a claim leaves `draft`, triggers refuse any change to its lines and to the columns that were frozen.
 */
const VERSIONED = `version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0), deleted_at TEXT`;
const AUDIT = `created_at TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users (id),
  updated_at TEXT NOT NULL, updated_by TEXT NOT NULL REFERENCES users (id)`;
const CREATED = `created_at TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users (id)`;
const COST_TYPES = `('pedagogique', 'remuneration', 'aide', 'accompagnement', 'ingenierie')`;
const STATUSES = `('draft', 'validated', 'submitted', 'accepted', 'partly-accepted', 'rejected', 'paid')`;

export const funding: Migration = {
  version: 14,
  name: 'funding',
  sql: `
ALTER TABLE funders ADD COLUMN payer_category TEXT;
ALTER TABLE funders ADD COLUMN siret TEXT;
ALTER TABLE funders ADD COLUMN address TEXT;
ALTER TABLE funders ADD COLUMN postcode TEXT;
ALTER TABLE funders ADD COLUMN city TEXT;
ALTER TABLE funders ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
UPDATE funders SET payer_category = CASE kind
  WHEN 'opco' THEN 'C-2h' WHEN 'region' THEN 'C-6' WHEN 'france-travail' THEN 'C-7' WHEN 'cpf' THEN 'C-2e'
  WHEN 'etat' THEN 'C-5' WHEN 'collectivite' THEN 'C-8' WHEN 'employeur' THEN 'C-1' WHEN 'particulier' THEN 'C-9'
  ELSE 'C-11' END;
INSERT INTO funders (code, name, kind, payer_category) VALUES ('AGEFIPH', 'Agefiph', 'agefiph', 'C-8');

CREATE TABLE programmes (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
  funder_code TEXT NOT NULL REFERENCES funders (code),
  name TEXT NOT NULL,
  region TEXT,
  source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'reference')),
  ${VERSIONED},
  ${AUDIT}
) STRICT;
CREATE INDEX programmes_funder ON programmes (funder_code);

CREATE TABLE programme_rules (
  id TEXT PRIMARY KEY,
  programme_id TEXT NOT NULL REFERENCES programmes (id),
  valid_from TEXT NOT NULL,
  valid_to TEXT CHECK (valid_to IS NULL OR valid_to >= valid_from),
  rule TEXT NOT NULL CHECK (json_valid(rule)),
  note TEXT,
  replaces_id TEXT REFERENCES programme_rules (id),
  ${CREATED}
) STRICT;
CREATE INDEX programme_rules_programme ON programme_rules (programme_id, valid_from);
CREATE UNIQUE INDEX programme_rules_replaced ON programme_rules (replaces_id) WHERE replaces_id IS NOT NULL;
${appendOnly('programme_rules', 'programme_rules: a rule version is never changed, a new version replaces it')}

${rebuildTable({
  table: 'fundings',
  columns: `
  id TEXT PRIMARY KEY,
  enrolment_id TEXT REFERENCES enrolments (id),
  session_id TEXT REFERENCES sessions (id),
  funder_code TEXT NOT NULL REFERENCES funders (code),
  programme_id TEXT REFERENCES programmes (id),
  programme TEXT,
  file_number TEXT,
  purchase_order TEXT,
  cost_type TEXT NOT NULL DEFAULT 'pedagogique' CHECK (cost_type IN ${COST_TYPES}),
  share_kind TEXT NOT NULL CHECK (share_kind IN ('percent', 'minutes', 'remainder')),
  share_value INTEGER,
  rate_cents INTEGER CHECK (rate_cents IS NULL OR rate_cents >= 0),
  position INTEGER NOT NULL CHECK (position > 0),
  ${VERSIONED},
  ${AUDIT},
  CHECK ((enrolment_id IS NULL) <> (session_id IS NULL)),
  CHECK ((share_kind = 'remainder' AND share_value IS NULL)
      OR (share_kind = 'percent' AND share_value BETWEEN 1 AND 10000)
      OR (share_kind = 'minutes' AND share_value >= 0))`,
  copy: ['id', 'enrolment_id', 'funder_code', 'programme', 'file_number', 'share_kind', 'share_value', 'position', 'version', 'deleted_at', 'created_at', 'created_by', 'updated_at', 'updated_by'],
  after: `
CREATE UNIQUE INDEX fundings_position ON fundings (enrolment_id, position) WHERE deleted_at IS NULL AND enrolment_id IS NOT NULL;
CREATE UNIQUE INDEX fundings_session_position ON fundings (session_id, position) WHERE deleted_at IS NULL AND session_id IS NOT NULL;
CREATE INDEX fundings_enrolment ON fundings (enrolment_id);
CREATE INDEX fundings_session ON fundings (session_id);
CREATE INDEX fundings_funder ON fundings (funder_code, programme_id);`,
})}

CREATE TABLE apprenticeship_contracts (
  id TEXT PRIMARY KEY,
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  employer_id TEXT NOT NULL REFERENCES companies (id),
  contract_number TEXT,
  diploma TEXT NOT NULL,
  rncp_code TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL CHECK (end_date >= start_date),
  funder_code TEXT NOT NULL REFERENCES funders (code),
  programme_id TEXT REFERENCES programmes (id),
  npec_cents INTEGER NOT NULL CHECK (npec_cents >= 0),
  majoration_programme_id TEXT REFERENCES programmes (id),
  place_id TEXT REFERENCES places (id),
  rupture_date TEXT CHECK (rupture_date IS NULL OR rupture_date >= start_date),
  rupture_reason TEXT,
  ${VERSIONED},
  ${AUDIT}
) STRICT;
CREATE INDEX apprenticeship_contracts_enrolment ON apprenticeship_contracts (enrolment_id);
CREATE INDEX apprenticeship_contracts_funder ON apprenticeship_contracts (funder_code);

CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  funder_code TEXT NOT NULL REFERENCES funders (code),
  programme_id TEXT REFERENCES programmes (id),
  purchase_order TEXT,
  contract_id TEXT REFERENCES apprenticeship_contracts (id),
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL CHECK (period_to >= period_from),
  kind TEXT NOT NULL DEFAULT 'claim' CHECK (kind IN ('claim', 'regularisation')),
  regularises_id TEXT REFERENCES claims (id),
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ${STATUSES}),
  total_cents INTEGER NOT NULL,
  accepted_cents INTEGER,
  paid_cents INTEGER,
  inputs_sha256 TEXT NOT NULL CHECK (length(inputs_sha256) = 64),
  preflight TEXT NOT NULL DEFAULT '{"blockers":[],"warnings":[]}' CHECK (json_valid(preflight)),
  built_at TEXT NOT NULL,
  validated_at TEXT,
  validated_by TEXT REFERENCES users (id),
  frozen_sha256 TEXT CHECK (frozen_sha256 IS NULL OR length(frozen_sha256) = 64),
  invoice_number TEXT UNIQUE,
  ${VERSIONED},
  ${AUDIT},
  CHECK ((kind = 'regularisation') = (regularises_id IS NOT NULL)),
  CHECK (status = 'draft' OR (validated_at IS NOT NULL AND frozen_sha256 IS NOT NULL))
) STRICT;
CREATE INDEX claims_funder ON claims (funder_code, period_from);
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_regularises ON claims (regularises_id);
CREATE TRIGGER claims_frozen BEFORE UPDATE ON claims WHEN OLD.status <> 'draft' AND (
    NEW.funder_code IS NOT OLD.funder_code OR NEW.programme_id IS NOT OLD.programme_id OR NEW.purchase_order IS NOT OLD.purchase_order
 OR NEW.contract_id IS NOT OLD.contract_id OR NEW.period_from IS NOT OLD.period_from OR NEW.period_to IS NOT OLD.period_to
 OR NEW.kind IS NOT OLD.kind OR NEW.regularises_id IS NOT OLD.regularises_id OR NEW.total_cents IS NOT OLD.total_cents
 OR NEW.inputs_sha256 IS NOT OLD.inputs_sha256 OR NEW.preflight IS NOT OLD.preflight OR NEW.built_at IS NOT OLD.built_at
 OR NEW.validated_at IS NOT OLD.validated_at OR NEW.validated_by IS NOT OLD.validated_by OR NEW.frozen_sha256 IS NOT OLD.frozen_sha256
 OR NEW.invoice_number IS NOT OLD.invoice_number OR NEW.deleted_at IS NOT NULL OR NEW.status = 'draft')
  BEGIN SELECT RAISE(ABORT, 'claims: a validated claim is frozen'); END;
CREATE TRIGGER claims_never_deleted BEFORE DELETE ON claims WHEN OLD.status <> 'draft'
  BEGIN SELECT RAISE(ABORT, 'claims: a validated claim is frozen'); END;

CREATE TABLE claim_lines (
  id TEXT PRIMARY KEY,
  claim_id TEXT NOT NULL REFERENCES claims (id),
  position INTEGER NOT NULL CHECK (position > 0),
  enrolment_id TEXT REFERENCES enrolments (id),
  session_id TEXT REFERENCES sessions (id),
  contract_id TEXT REFERENCES apprenticeship_contracts (id),
  funding_id TEXT REFERENCES fundings (id),
  programme_id TEXT REFERENCES programmes (id),
  rule_id TEXT REFERENCES programme_rules (id),
  unit TEXT NOT NULL,
  cost_type TEXT NOT NULL CHECK (cost_type IN ${COST_TYPES}),
  label TEXT NOT NULL,
  quantity_e4 INTEGER NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL,
  minutes INTEGER,
  realised_minutes INTEGER,
  detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  UNIQUE (claim_id, position)
) STRICT;
CREATE INDEX claim_lines_enrolment ON claim_lines (enrolment_id);
CREATE INDEX claim_lines_contract ON claim_lines (contract_id);
CREATE TRIGGER claim_lines_frozen_i BEFORE INSERT ON claim_lines WHEN (SELECT status FROM claims WHERE id = NEW.claim_id) <> 'draft'
  BEGIN SELECT RAISE(ABORT, 'claim_lines: a validated claim is frozen'); END;
CREATE TRIGGER claim_lines_frozen_u BEFORE UPDATE ON claim_lines WHEN (SELECT status FROM claims WHERE id = OLD.claim_id) <> 'draft'
  BEGIN SELECT RAISE(ABORT, 'claim_lines: a validated claim is frozen'); END;
CREATE TRIGGER claim_lines_frozen_d BEFORE DELETE ON claim_lines WHEN (SELECT status FROM claims WHERE id = OLD.claim_id) <> 'draft'
  BEGIN SELECT RAISE(ABORT, 'claim_lines: a validated claim is frozen'); END;

CREATE TABLE claim_events (
  id TEXT PRIMARY KEY,
  claim_id TEXT NOT NULL REFERENCES claims (id),
  status TEXT NOT NULL CHECK (status IN ${STATUSES}),
  at TEXT NOT NULL,
  amount_cents INTEGER,
  note TEXT,
  ${CREATED}
) STRICT;
CREATE INDEX claim_events_claim ON claim_events (claim_id, at);
${appendOnly('claim_events', 'claim_events: the workflow history is append-only')}

CREATE TABLE claim_documents (
  id TEXT PRIMARY KEY,
  claim_id TEXT NOT NULL REFERENCES claims (id),
  kind TEXT NOT NULL CHECK (kind IN ('certificat', 'invoice', 'statement', 'bundle')),
  enrolment_id TEXT REFERENCES enrolments (id),
  print_id TEXT REFERENCES printed_documents (id),
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  bytes BLOB NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  ${CREATED},
  UNIQUE (claim_id, name)
) STRICT;
${appendOnly('claim_documents', 'claim_documents: a frozen document never changes')}

CREATE TABLE invoice_sequence (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  prefix TEXT NOT NULL DEFAULT 'F',
  last_number INTEGER NOT NULL DEFAULT 0 CHECK (last_number >= 0),
  vat_mention TEXT NOT NULL DEFAULT 'TVA non applicable, art. 261-4-4° a du CGI (formation professionnelle continue).'
) STRICT;
INSERT INTO invoice_sequence (id) VALUES (1);
CREATE TRIGGER invoice_sequence_gap_free BEFORE UPDATE OF last_number ON invoice_sequence
  WHEN NEW.last_number <> OLD.last_number + 1
  BEGIN SELECT RAISE(ABORT, 'invoice_sequence: invoice numbers follow each other without a gap'); END;
CREATE TRIGGER invoice_sequence_never_deleted BEFORE DELETE ON invoice_sequence
  BEGIN SELECT RAISE(ABORT, 'invoice_sequence is never deleted'); END;
`,
};
