import type { Ctx } from '../context';
import { stmt } from '../db/statements';

/**
 * Registers the device a piece of evidence comes from (every `device_id` points at `devices`): a new id
 * is added, a known one has its last-seen time moved on. Call it in the transaction, before the insert.
 */
export function registerDevice(ctx: Pick<Ctx, 'raw'>, deviceId: string, at: string, kind: 'client' | 'backend' = 'client'): void {
  stmt(
    ctx.raw,
    `INSERT INTO devices (id, kind, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at WHERE excluded.last_seen_at > devices.last_seen_at`,
  ).run(deviceId, kind, at, at);
}
