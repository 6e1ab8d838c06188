import { appendOnly } from './helpers';
import type { Migration } from './index';

/**
 * Issue #9 (section 2): a ledger that holds against the holder of the file.
 * - `ledger.mac`: each entry's HMAC-SHA256, under a key kept outside the database (evidence/key.ts), over the
 *   previous entry's MAC and the entry's hash (whose format is unchanged, so old ledgers still verify).
 *   Entries written before this step get their MAC once, on the first open with a key, only if the unkeyed
 *   chain verifies up to them (evidence/seal.ts): the append-only trigger lets a MAC be set on an entry that
 *   has none, and nothing else.
 * - Tracked rows: mutable tables whose change alters hours (slots and their trainers, attendance kinds) get
 *   entries of record type `row:<kind>`, one per state, so one row may have several entries: the unique
 *   index on (record_type, record_id) now holds for evidence only.
 * - `rollcall_submissions` becomes evidence (append-only, one entry per row), like `enrolment_statuses`.
 * - `ledger_keying`: the one row written by that first keyed open (when, what it sealed, the coverage level).
 */
export const keyedLedger: Migration = {
  version: 9,
  name: 'keyed-ledger',
  sql: `
ALTER TABLE ledger ADD COLUMN mac TEXT;

DROP TRIGGER IF EXISTS ledger_append_only_u;
CREATE TRIGGER ledger_append_only_u BEFORE UPDATE ON ledger
  WHEN NOT (OLD.mac IS NULL AND NEW.mac IS NOT NULL AND NEW.seq = OLD.seq AND NEW.record_type = OLD.record_type
    AND NEW.record_id = OLD.record_id AND NEW.content_hash = OLD.content_hash AND NEW.prev_hash = OLD.prev_hash
    AND NEW.hash = OLD.hash AND NEW.created_at = OLD.created_at)
  BEGIN SELECT RAISE(ABORT, 'ledger is evidence: append-only, corrections supersede'); END;

DROP INDEX ledger_record;
CREATE UNIQUE INDEX ledger_record ON ledger (record_type, record_id) WHERE record_type NOT LIKE 'row:%';
CREATE INDEX ledger_record_seq ON ledger (record_type, record_id, seq);

${appendOnly('rollcall_submissions')}

CREATE TABLE ledger_keying (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  keyed_at TEXT NOT NULL,
  -- Entries written before the key that received their MAC then (the unkeyed chain held up to them).
  sealed_entries INTEGER NOT NULL CHECK (sealed_entries >= 0),
  -- The first entry left without a MAC because the unkeyed chain was already broken there (NULL: none).
  unsealed_from INTEGER,
  -- Which tables the ledger covers (evidence/seal.ts COVERAGE): a later level backfills what it adds.
  coverage INTEGER NOT NULL CHECK (coverage > 0)
) STRICT;
`,
};
