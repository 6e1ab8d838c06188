import type { Migration } from './index';

/**
 * Issue #12, personal data sealed at rest (electron/backend/privacy/).
 *
 * - `trainees.nir` now holds the NIR sealed (`enc:v1:…`, AES-256-GCM under the data key, bound to the row), and
 *   `nir_index` its blind index (HMAC under a key derived from the data key): the duplicate check looks it up
 *   through `trainees_nir_index` instead of comparing clear NIRs.
 * - `trainees.sensitive`: the trainee's sensitive fields (disability / RQTH, benefits, justice follow-up) as ONE
 *   sealed JSON value. One column rather than a side table: they are read and written together, by the trainee's
 *   form only, never searched nor joined, and a side row would be one more thing to keep in step (archive, sync
 *   version) for no query that needs it.
 * - From now on the database itself refuses a clear NIR or clear sensitive fields (triggers below).
 *
 * A migration cannot see the data key (it stays outside the database): the NIRs already stored in clear are
 * sealed at the first start with the key, in one transaction (privacy/startup.ts `sealClearFields`).
 */
export const sealedFields: Migration = {
  version: 17,
  name: 'sealed_fields',
  sql: `
ALTER TABLE trainees ADD COLUMN nir_index TEXT;
ALTER TABLE trainees ADD COLUMN sensitive TEXT;
CREATE INDEX trainees_nir_index ON trainees (nir_index) WHERE nir_index IS NOT NULL;

CREATE TRIGGER trainees_sealed_i BEFORE INSERT ON trainees
  WHEN (NEW.nir IS NOT NULL AND NEW.nir NOT LIKE 'enc:v1:%') OR (NEW.sensitive IS NOT NULL AND NEW.sensitive NOT LIKE 'enc:v1:%')
  BEGIN SELECT RAISE(ABORT, 'trainees: the NIR and the sensitive fields are stored sealed'); END;
CREATE TRIGGER trainees_sealed_u BEFORE UPDATE OF nir, sensitive ON trainees
  WHEN (NEW.nir IS NOT NULL AND NEW.nir NOT LIKE 'enc:v1:%') OR (NEW.sensitive IS NOT NULL AND NEW.sensitive NOT LIKE 'enc:v1:%')
  BEGIN SELECT RAISE(ABORT, 'trainees: the NIR and the sensitive fields are stored sealed'); END;
`,
};
