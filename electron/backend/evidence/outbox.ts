import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import type { RecordType } from '../db/schema';

export type { RecordType };

/** A record's latest queued version (the UNIQUE (record_id, version) index answers it). */
export const LATEST_VERSION_SQL = 'SELECT max(version) AS v FROM outbox WHERE record_id = ?';
const INSERT = 'INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES (?, ?, ?, ?, ?)';

/**
 * Queues the current state of a record for the funders, as its next version, on a connection already held
 * (the evidence writer's path: attendance closes queue dozens of records per transaction).
 */
export function enqueueIn(raw: Raw, recordType: RecordType, recordId: string, payload: unknown, at: string): number {
  if (!raw.inTransaction) throw new Error('outbox.enqueue must run inside the transaction of the change');
  const last = raw.get<{ v: number | null }>(LATEST_VERSION_SQL, recordId)!;
  const version = (last.v ?? 0) + 1;
  raw.run(INSERT, recordType, recordId, version, JSON.stringify(payload), at);
  return version;
}

/**
 * Queues the current state of a record for the funders, as its next version. Call it inside the
 * transaction that changed the record, so the change and its queued copy land together or not at all.
 * The sync capability reads this table; nothing else does. Evidence goes through the evidence writer.
 */
export async function enqueue(ctx: Ctx, recordType: RecordType, recordId: string, payload: unknown): Promise<number> {
  if (!ctx.db.isTransaction) throw new Error('outbox.enqueue must run inside the transaction of the change');
  return withRaw(ctx.db, (raw) => enqueueIn(raw, recordType, recordId, payload, ctx.now().toISOString()));
}
