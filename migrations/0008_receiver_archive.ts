import type { Migration } from './index';

/**
 * Issue #8 (item 9): a sync receiver created by mistake can be archived while nothing was ever sent to it
 * (electron/backend/sync/receivers.ts checks). `archived_at` set: the routing trigger no longer queues new
 * records for it and the engine skips it; restoring clears it and routes what was queued meanwhile.
 */
export const receiverArchive: Migration = {
  version: 8,
  name: 'receiver-archive',
  sql: `
ALTER TABLE sync_receivers ADD COLUMN archived_at TEXT;

DROP TRIGGER outbox_route;
CREATE TRIGGER outbox_route AFTER INSERT ON outbox BEGIN
  INSERT INTO sync_items (receiver_id, seq, record_type, record_id, version, state, updated_at)
  SELECT r.id, NEW.seq, NEW.record_type, NEW.record_id, NEW.version, 'pending', NEW.created_at
  FROM sync_receivers r
  WHERE r.archived_at IS NULL AND EXISTS (SELECT 1 FROM json_each(r.record_types) WHERE value = NEW.record_type);
END;
`,
};
