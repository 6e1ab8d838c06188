import { appendOnly } from './helpers';
import type { Migration } from './index';

/**
 * Issue #9 (§1, last bullet): slots after countersignature, and cancelling a slot through the app.
 * - `slot_corrections`: evidence (append-only, in the ledger) of a change to a countersigned slot's date-free
 *   facts (its times, place and trainers) with the values before (`previous`) and after (`corrected`), as JSON, the reason, who and when.
 *   The change itself is applied to `slots` / `slot_trainers` in the same transaction (sessions/slots.ts).
 * - A countersigned slot (one with a `slot_closures` row) refuses any change of its times, place, date,
 *   half-day or cancellation, and any change of its trainers, unless a correction of that slot stamped at
 *   the same instant exists: whatever path writes (an import, an assignment, a future screen), only a
 *   recorded correction gets through.
 * - `slots.cancel_reason`, `cancelled_at`, `cancelled_by`: why, when and by whom a slot was cancelled in the app
 *   (NULL for slots cancelled by an import or never cancelled).
 */
export const slotCorrections: Migration = {
  version: 12,
  name: 'slot-corrections',
  sql: `
CREATE TABLE slot_corrections (
  id TEXT PRIMARY KEY,
  slot_id TEXT NOT NULL REFERENCES slots (id),
  previous TEXT NOT NULL CHECK (json_valid(previous)),
  corrected TEXT NOT NULL CHECK (json_valid(corrected)),
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX slot_corrections_slot ON slot_corrections (slot_id, created_at);
${appendOnly('slot_corrections')}

ALTER TABLE slots ADD COLUMN cancel_reason TEXT;
ALTER TABLE slots ADD COLUMN cancelled_at TEXT;
ALTER TABLE slots ADD COLUMN cancelled_by TEXT REFERENCES users (id);

CREATE TRIGGER slots_countersigned_u BEFORE UPDATE OF date, half_day, start_time, end_time, minutes, place_id, cancelled ON slots
  WHEN EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id = NEW.id)
   AND (NEW.date IS NOT OLD.date OR NEW.half_day IS NOT OLD.half_day OR NEW.start_time IS NOT OLD.start_time OR NEW.end_time IS NOT OLD.end_time
        OR NEW.minutes IS NOT OLD.minutes OR NEW.place_id IS NOT OLD.place_id OR NEW.cancelled IS NOT OLD.cancelled)
   AND NOT EXISTS (SELECT 1 FROM slot_corrections k WHERE k.slot_id = NEW.id AND k.created_at = NEW.updated_at)
  BEGIN SELECT RAISE(ABORT, 'countersigned slot: changes only through a slot correction'); END;
CREATE TRIGGER slot_trainers_countersigned_i BEFORE INSERT ON slot_trainers
  WHEN EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id = NEW.slot_id)
   AND NOT EXISTS (SELECT 1 FROM slot_corrections k WHERE k.slot_id = NEW.slot_id AND k.created_at = NEW.updated_at)
  BEGIN SELECT RAISE(ABORT, 'countersigned slot: changes only through a slot correction'); END;
CREATE TRIGGER slot_trainers_countersigned_u BEFORE UPDATE OF slot_id, trainer_id, deleted_at ON slot_trainers
  WHEN EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id IN (OLD.slot_id, NEW.slot_id))
   AND (NEW.slot_id IS NOT OLD.slot_id OR NEW.trainer_id IS NOT OLD.trainer_id OR NEW.deleted_at IS NOT OLD.deleted_at)
   AND NOT EXISTS (SELECT 1 FROM slot_corrections k WHERE k.slot_id = NEW.slot_id AND k.created_at = NEW.updated_at)
  BEGIN SELECT RAISE(ABORT, 'countersigned slot: changes only through a slot correction'); END;
`,
};
