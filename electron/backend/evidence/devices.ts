import type { Raw } from '../db/raw';

/**
 * Registers the device a piece of evidence comes from (every `device_id` points at `devices`): a new id
 * is added, a known one has its last-seen time moved on. Call it in the transaction, before the insert.
 */
export function registerDevice(raw: Raw, deviceId: string, at: string, kind: 'client' | 'backend' = 'client'): void {
  raw.run(
    `INSERT INTO devices (id, kind, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at WHERE excluded.last_seen_at > devices.last_seen_at`,
    deviceId,
    kind,
    at,
    at,
  );
}
