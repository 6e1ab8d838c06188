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

/** Where this installation's device id is kept (schema 3 put it there for the sync engine; existing files keep it). */
export const DEVICE_ID_SETTING = 'device_id';

/**
 * This installation's device id: the one identity on every evidence row it writes (marks, signatures,
 * closures, connection logs), on roll-call drafts and in every sync batch (`sender.deviceId`). The backend
 * owns it: made here once (a UUID from `newId`), kept in `sync_settings`, registered in `devices` as the
 * backend, its last-seen time moved on at each use. Nothing the renderer sends chooses it. Call it inside
 * the transaction of the write that uses it.
 */
export function thisDevice(raw: Raw, at: string, newId: () => string): string {
  const saved = raw.get<{ value: string }>('SELECT value FROM sync_settings WHERE key = ?', DEVICE_ID_SETTING);
  const id = saved?.value ?? newId();
  if (!saved) raw.run('INSERT INTO sync_settings (key, value) VALUES (?, ?)', DEVICE_ID_SETTING, id);
  registerDevice(raw, id, at, 'backend');
  return id;
}

/** This installation's device id if it has one yet (read only: `system.info`). */
export function knownDevice(raw: Raw): string | null {
  return raw.get<{ value: string }>('SELECT value FROM sync_settings WHERE key = ?', DEVICE_ID_SETTING)?.value ?? null;
}
