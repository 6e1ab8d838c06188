import type { Migration } from './index';

/**
 * Drafts of a roll call in progress (issue #8, item 1): each status and drawn signature is kept as it is
 * taken, so a reload, a crash or a flat battery loses nothing. A draft is **not** evidence: it is neither
 * in the ledger nor in the outbox, it can be changed or dropped, and it is consumed when the roll call is
 * recorded (« Enregistrer l'émargement ») or the slot closed. One row per (slot, enrolment).
 */
export const rollcallDrafts: Migration = {
  version: 5,
  name: 'rollcall-drafts',
  sql: `
CREATE TABLE rollcall_drafts (
  slot_id TEXT NOT NULL REFERENCES slots (id),
  enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
  -- The row as the screen holds it (strings as typed, the drawn signature's strokes and image): JSON.
  draft TEXT NOT NULL CHECK (json_valid(draft)),
  device_id TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (slot_id, enrolment_id)
) STRICT;
`,
};
