import { rebuildTable } from './helpers';
import type { Migration } from './index';

/**
 * Issue #8 (items 10 and 20):
 * - An enrolment's planned minutes follow its slots: `enrolments.planned_minutes` becomes the *agreed*
 *   duration, NULL when none was agreed, and the planned minutes are then derived from the session's slots in
 *   the enrolment's dates (sessions/planned.ts). The value was computed once at enrolment, so enrolling before
 *   generating the slots left 0: those rows, and those still equal to what the slots give, become NULL; a
 *   figure that differs from the slots was typed in on purpose and stays.
 * - `funder_documents`: what each funder wants printed on its documents (logo, required mentions such as the
 *   FSE+ co-funding notice), keyed by funder code until funders get their own capability.
 */

const SLOT_MINUTES = `(SELECT coalesce(sum(s.minutes), 0) FROM slots s WHERE s.session_id = enrolments.session_id AND s.cancelled = 0
    AND s.deleted_at IS NULL AND s.date BETWEEN enrolments.planned_start AND enrolments.planned_end)`;

export const plannedMinutes: Migration = {
  version: 7,
  name: 'planned-minutes',
  sql: `
${rebuildTable({
  table: 'enrolments',
  columns: `
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id),
  trainee_id TEXT NOT NULL REFERENCES trainees (id),
  company_id TEXT REFERENCES companies (id),
  planned_start TEXT NOT NULL,
  planned_end TEXT NOT NULL CHECK (planned_end >= planned_start),
  -- The agreed duration in minutes; NULL: the minutes of the session's slots within planned_start..planned_end.
  planned_minutes INTEGER CHECK (planned_minutes >= 0),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0), deleted_at TEXT,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL REFERENCES users (id),
  updated_at TEXT NOT NULL, updated_by TEXT NOT NULL REFERENCES users (id),
  UNIQUE (session_id, trainee_id)`,
  copy: [
    'id', 'session_id', 'trainee_id', 'company_id', 'planned_start', 'planned_end',
    ['planned_minutes', `CASE WHEN planned_minutes = 0 OR planned_minutes = ${SLOT_MINUTES} THEN NULL ELSE planned_minutes END`],
    'version', 'deleted_at', 'created_at', 'created_by', 'updated_at', 'updated_by',
  ],
  after: 'CREATE INDEX enrolments_trainee ON enrolments (trainee_id);',
})}

CREATE TABLE funder_documents (
  funder_code TEXT PRIMARY KEY,
  -- Printed under the funder's name on its documents: co-funding notices, programme references.
  mentions TEXT,
  logo BLOB,
  logo_mime TEXT CHECK (logo_mime IN ('image/png', 'image/jpeg')),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users (id),
  CHECK ((logo IS NULL) = (logo_mime IS NULL))
) STRICT;
`,
};
