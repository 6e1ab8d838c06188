import type { Migration } from './index';

/**
 * Issue #9 (§1): the backend vouches for the evidence.
 * - Signature and closing times are the backend's clock (`signed_at`, `closed_at`); what the capturing screen
 *   read on its own clock is kept beside them (`device_signed_at`, `device_closed_at`), NULL where no device
 *   reading was sent (and on every row written before).
 * - One device identity, the installation's (electron/backend/evidence/devices.ts): closures and connection
 *   logs now name it too (`device_id`, NULL on rows written before).
 *
 * **Important**: these are evidence tables, hashed over their columns. Columns added here are listed in
 * evidence/hash.ts `LATE_COLUMNS`: left out of a row's content hash while NULL, so every row written before
 * hashes as it did and every ledger still verifies. ADD COLUMN rewrites no row and fires no trigger.
 */
export const clockDevice: Migration = {
  version: 10,
  name: 'clock-device',
  sql: `
ALTER TABLE signatures ADD COLUMN device_signed_at TEXT;
ALTER TABLE attendance_marks ADD COLUMN device_signed_at TEXT;
ALTER TABLE slot_closures ADD COLUMN device_id TEXT REFERENCES devices (id);
ALTER TABLE slot_closures ADD COLUMN device_closed_at TEXT;
ALTER TABLE connection_logs ADD COLUMN device_id TEXT REFERENCES devices (id);
`,
};
