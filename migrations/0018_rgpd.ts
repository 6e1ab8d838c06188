import { appendOnly } from './helpers';
import type { Migration } from './index';

/**
 * Issue #12, RGPD: erasure that respects the funders' retention (shared/domain/retention.ts, electron/backend/rgpd/).
 *
 * - `programmes.eu_cofunded`: whether a programme (*dispositif*) is co-funded by the EU (FSE+). No such flag
 *   existed; it lengthens the retention of the supporting pieces to 10 years.
 * - `rgpd_erasures`: one per trainee who asked for erasure (art. 17): when, by whom, why, the retention plan then,
 *   the first day the purge may anonymise what remains (`purge_from`, which only ever moves later) and when it did.
 *   Never deleted.
 * - `evidence_redactions` (evidence, in the ledger): once the retention is over, the purge blanks the personal
 *   content of evidence rows (a signature's image, an attached piece, a certificate's PDF, a reason of absence, a
 *   connection login, an audit line naming the person, a frozen claim's line label). Each blanking is recorded
 *   first, with the row's content hash before (the one its ledger entry holds, or the previous redaction's after)
 *   and after: `ledger.verify` (evidence/verify.ts) accepts a row whose content differs from its entry only along
 *   such a recorded chain, and the recording is itself chained and sealed, so no one can blank a row unseen.
 * - The append-only triggers of those tables (and the frozen claim lines') let exactly that through: an UPDATE that
 *   changes only the redacted columns, to their blank values where they have one, of a row that has a recorded
 *   redaction. Any other change is still refused. **Important**: a later migration adding a column to one of these
 *   tables must list it here again (a new trigger), or the column could change under a redaction.
 * - An erased trainee cannot get contact data, a NIR, sensitive fields, a PIN or a new enrolment again, and once
 *   anonymised keeps that name and birth date.
 */

const REDACTION = (type: string, id = 'OLD.id') => `EXISTS (SELECT 1 FROM evidence_redactions r WHERE r.record_type = '${type}' AND r.record_id = ${id})`;
const SAME = (columns: readonly string[]) => columns.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ');

/** An evidence table's update trigger that lets a recorded redaction through, and nothing else. */
function redactable(table: string, type: string, kept: readonly string[], blank: string, message = `${table} is evidence: append-only, corrections supersede`): string {
  return `
DROP TRIGGER IF EXISTS ${table}_append_only_u;
CREATE TRIGGER ${table}_append_only_u BEFORE UPDATE ON ${table}
  WHEN NOT (${REDACTION(type)} AND ${SAME(kept)} AND ${blank})
  BEGIN SELECT RAISE(ABORT, '${message}'); END;`;
}

const CLAIM_LINE_KEPT = ['id', 'claim_id', 'position', 'enrolment_id', 'session_id', 'contract_id', 'funding_id', 'programme_id', 'rule_id', 'unit', 'cost_type', 'quantity_e4', 'unit_price_cents', 'amount_cents', 'minutes', 'realised_minutes', 'detail'];
const MARK_KEPT = ['id', 'record_id', 'slot_id', 'enrolment_id', 'kind', 'late_minutes', 'early_minutes', 'remote_minutes', 'minutes', 'document_id', 'method', 'signature_id', 'proxy_name', 'checked_by', 'device_id', 'signed_at', 'supersedes_id', 'correction_reason', 'submission_id', 'created_at', 'created_by', 'device_signed_at'];

const ERASED = `EXISTS (SELECT 1 FROM rgpd_erasures e WHERE e.trainee_id = NEW.id)`;
const PURGED = `EXISTS (SELECT 1 FROM rgpd_erasures e WHERE e.trainee_id = NEW.id AND e.purged_at IS NOT NULL)`;

export const rgpd: Migration = {
  version: 18,
  name: 'rgpd',
  sql: `
ALTER TABLE programmes ADD COLUMN eu_cofunded INTEGER NOT NULL DEFAULT 0 CHECK (eu_cofunded IN (0, 1));

CREATE TABLE rgpd_erasures (
  id TEXT PRIMARY KEY,
  trainee_id TEXT NOT NULL UNIQUE REFERENCES trainees (id),
  -- The n of « Personne effacée n », the name the trainee keeps once anonymised.
  number INTEGER NOT NULL UNIQUE CHECK (number > 0),
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  requested_at TEXT NOT NULL,
  requested_by TEXT NOT NULL REFERENCES users (id),
  -- The first day the purge may anonymise what remains (YYYY-MM-DD): the day after the last retention date.
  purge_from TEXT NOT NULL CHECK (purge_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  -- The retention plan at the erasure (shared/domain/retention.ts RetentionPlan), JSON.
  plan TEXT NOT NULL CHECK (json_valid(plan)),
  purged_at TEXT,
  purged_by TEXT REFERENCES users (id)
) STRICT;
CREATE TRIGGER rgpd_erasures_never_deleted BEFORE DELETE ON rgpd_erasures
  BEGIN SELECT RAISE(ABORT, 'rgpd_erasures: an erasure is never deleted'); END;
CREATE TRIGGER rgpd_erasures_u BEFORE UPDATE ON rgpd_erasures
  WHEN NEW.id IS NOT OLD.id OR NEW.trainee_id IS NOT OLD.trainee_id OR NEW.number IS NOT OLD.number OR NEW.reason IS NOT OLD.reason
    OR NEW.requested_at IS NOT OLD.requested_at OR NEW.requested_by IS NOT OLD.requested_by OR NEW.purge_from < OLD.purge_from
    OR (OLD.purged_at IS NOT NULL AND (NEW.purged_at IS NOT OLD.purged_at OR NEW.purged_by IS NOT OLD.purged_by OR NEW.purge_from IS NOT OLD.purge_from))
  BEGIN SELECT RAISE(ABORT, 'rgpd_erasures: only the purge date (later) and the purge itself (once) are recorded on an erasure'); END;

CREATE TABLE evidence_redactions (
  id TEXT PRIMARY KEY,
  erasure_id TEXT NOT NULL REFERENCES rgpd_erasures (id),
  -- An evidence type of evidence/hash.ts EVIDENCE_TABLES, or 'claim' for a frozen claim's lines.
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  -- JSON array of the columns blanked.
  columns TEXT NOT NULL CHECK (json_valid(columns) AND json_type(columns) = 'array'),
  before_hash TEXT NOT NULL CHECK (length(before_hash) = 64),
  after_hash TEXT NOT NULL CHECK (length(after_hash) = 64),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX evidence_redactions_record ON evidence_redactions (record_type, record_id, created_at);
CREATE INDEX evidence_redactions_erasure ON evidence_redactions (erasure_id);
${appendOnly('evidence_redactions')}

${redactable('signatures', 'signature', ['id', 'signer_kind', 'signer_id', 'sha256', 'device_id', 'signed_at', 'created_at', 'created_by', 'device_signed_at'], "NEW.strokes = '[]' AND NEW.png IS NULL")}
${redactable('attendance_marks', 'attendance_mark', MARK_KEPT, 'NEW.reason IS NULL')}
${redactable('documents', 'document', ['id', 'mime', 'sha256', 'created_at', 'created_by'], 'length(NEW.bytes) = 0')}
${redactable('connection_log_rows', 'connection_log_row', ['id', 'log_id', 'line', 'enrolment_id', 'slot_id', 'started_at', 'ended_at', 'minutes'], 'NEW.login IS NOT NULL')}
${redactable('claim_documents', 'claim_document', ['id', 'claim_id', 'kind', 'enrolment_id', 'print_id', 'mime', 'sha256', 'created_at', 'created_by'], 'length(NEW.bytes) = 0', 'claim_documents: a frozen document never changes')}
${redactable('audit_events', 'audit_event', ['id', 'at', 'user_id', 'login', 'action', 'outcome', 'subject_type', 'subject_id', 'method'], 'NEW.summary IS NOT NULL')}

DROP TRIGGER IF EXISTS claim_lines_frozen_u;
CREATE TRIGGER claim_lines_frozen_u BEFORE UPDATE ON claim_lines WHEN (SELECT status FROM claims WHERE id = OLD.claim_id) <> 'draft'
  AND NOT (${REDACTION('claim', 'OLD.claim_id')} AND ${SAME(CLAIM_LINE_KEPT)})
  BEGIN SELECT RAISE(ABORT, 'claim_lines: a validated claim is frozen'); END;

CREATE TRIGGER trainees_erased_u BEFORE UPDATE ON trainees
  WHEN ${ERASED} AND (NEW.email IS NOT NULL OR NEW.phone IS NOT NULL OR NEW.postcode IS NOT NULL OR NEW.city IS NOT NULL OR NEW.nir IS NOT NULL
    OR NEW.nir_index IS NOT NULL OR NEW.sensitive IS NOT NULL OR NEW.france_travail_id IS NOT NULL
    OR (${PURGED} AND (NEW.last_name IS NOT OLD.last_name OR NEW.first_name IS NOT OLD.first_name OR NEW.birth_date IS NOT OLD.birth_date)))
  BEGIN SELECT RAISE(ABORT, 'trainees: erased under RGPD, personal data is not recorded again'); END;
CREATE TRIGGER enrolments_erased_i BEFORE INSERT ON enrolments
  WHEN EXISTS (SELECT 1 FROM rgpd_erasures e WHERE e.trainee_id = NEW.trainee_id)
  BEGIN SELECT RAISE(ABORT, 'enrolments: trainee erased under RGPD, no new enrolment'); END;
CREATE TRIGGER person_pins_erased_i BEFORE INSERT ON person_pins
  WHEN NEW.person_kind = 'trainee' AND EXISTS (SELECT 1 FROM rgpd_erasures e WHERE e.trainee_id = NEW.person_id)
  BEGIN SELECT RAISE(ABORT, 'person_pins: trainee erased under RGPD, no PIN'); END;
`,
};
