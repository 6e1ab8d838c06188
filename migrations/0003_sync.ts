import type { Migration } from './index';

/**
 * Sync to funder systems (see shared/design/exchange-protocol.md): receivers, the per-receiver state of
 * every outbox record, the batches as sent (body saved before the first send, reused on every retry) and
 * the reference catalogues pulled from receivers.
 *
 * Routing is a trigger on `outbox`: a record queued by a service lands in each receiver's queue in the
 * very transaction of the change, so no record can be committed locally and miss its receivers.
 */
export const sync: Migration = {
  version: 3,
  name: 'sync',
  sql: `
CREATE TABLE sync_receivers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('http', 'file')),
  url TEXT,
  -- The bearer token, sealed by the SecretStore (Electron safeStorage in the app, a key file elsewhere).
  -- Never returned to the renderer.
  token_sealed TEXT,
  -- JSON array of the record types routed to this receiver.
  record_types TEXT NOT NULL CHECK (json_valid(record_types) AND json_type(record_types) = 'array'),
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  -- user: paused by hand; auth: 401/403, a new token is needed; protocol: 400/409, a client bug to report.
  paused_kind TEXT CHECK (paused_kind IN ('user', 'auth', 'protocol')),
  paused_reason TEXT,
  paused_at TEXT,
  last_success_at TEXT,
  last_attempt_at TEXT,
  last_error TEXT,
  offline_since TEXT,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  CHECK (kind <> 'http' OR url IS NOT NULL),
  CHECK (paused = 1 OR paused_kind IS NULL)
) STRICT;
CREATE UNIQUE INDEX sync_receivers_url ON sync_receivers (url) WHERE url IS NOT NULL;

CREATE TABLE sync_batches (
  -- The batchId of the protocol (UUIDv7) and its Idempotency-Key.
  id TEXT PRIMARY KEY,
  receiver_id TEXT NOT NULL REFERENCES sync_receivers (id),
  -- The exact bytes posted; saved before the first send so every retry is the same batch.
  body TEXT NOT NULL,
  record_count INTEGER NOT NULL CHECK (record_count > 0),
  body_bytes INTEGER NOT NULL,
  -- in_flight: saved, maybe sent, outcome not applied yet; acked: results applied; split: 413, replaced by
  -- two halves; failed: 400/409, abandoned (its records went back to pending); dead: too many attempts.
  state TEXT NOT NULL CHECK (state IN ('in_flight', 'acked', 'split', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error TEXT,
  response TEXT,
  parent_id TEXT REFERENCES sync_batches (id),
  -- File connector: the file written, and whether the user has uploaded it yet.
  file_name TEXT,
  file_status TEXT CHECK (file_status IN ('exported', 'uploaded')),
  created_at TEXT NOT NULL,
  sent_at TEXT,
  acked_at TEXT
) STRICT;
-- The unresolved batches of a receiver, oldest first (rowid order).
CREATE INDEX sync_batches_open ON sync_batches (receiver_id, state);

CREATE TABLE sync_items (
  receiver_id TEXT NOT NULL REFERENCES sync_receivers (id),
  seq INTEGER NOT NULL REFERENCES outbox (seq),
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight', 'acked', 'rejected', 'dead')),
  batch_id TEXT REFERENCES sync_batches (id),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error TEXT,
  -- The receiver's per-record status, or 'covered' when a later version carried this one's fate.
  result TEXT CHECK (result IN ('accepted', 'duplicate', 'superseded', 'rejected', 'covered', 'too_large', 'manual')),
  covered_by INTEGER,
  receiver_ref TEXT,
  -- JSON [{path, code, message}] from the receiver.
  errors TEXT,
  updated_at TEXT NOT NULL,
  acked_at TEXT,
  PRIMARY KEY (receiver_id, seq)
) STRICT, WITHOUT ROWID;
-- The due-items query (pending, oldest first) and the counts per state; covering, so a receiver with a
-- million acked records still finds its few pending ones without touching the table.
CREATE INDEX sync_items_due ON sync_items (receiver_id, state, seq, record_id, version, record_type);
-- Versions of one record: the latest pending one supersedes older ones in a batch.
CREATE INDEX sync_items_record ON sync_items (receiver_id, record_id, version, state);
CREATE INDEX sync_items_batch ON sync_items (batch_id) WHERE batch_id IS NOT NULL;

CREATE TRIGGER outbox_route AFTER INSERT ON outbox BEGIN
  INSERT INTO sync_items (receiver_id, seq, record_type, record_id, version, state, updated_at)
  SELECT r.id, NEW.seq, NEW.record_type, NEW.record_id, NEW.version, 'pending', NEW.created_at
  FROM sync_receivers r
  WHERE EXISTS (SELECT 1 FROM json_each(r.record_types) WHERE value = NEW.record_type);
END;
CREATE TRIGGER sync_items_never_deleted BEFORE DELETE ON sync_items
  BEGIN SELECT RAISE(ABORT, 'sync_items are never deleted: a record leaves the queue only as acked, rejected or dead'); END;

-- Reference data a receiver publishes (programmes, funders, zones, holidays), kept raw.
CREATE TABLE reference_catalogues (
  receiver_id TEXT NOT NULL REFERENCES sync_receivers (id),
  catalogue TEXT NOT NULL,
  items TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(items)),
  cursor TEXT,
  etag TEXT,
  fetched_at TEXT,
  last_error TEXT,
  PRIMARY KEY (receiver_id, catalogue)
) STRICT;

CREATE TABLE sync_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`,
};
