import type { Ctx } from '../context';
import { stmt } from '../db/statements';
import type { OutboxTable } from '../db/schema';

export type RecordType = OutboxTable['recordType'];

/** A record's latest queued version (the UNIQUE (record_id, version) index answers it). */
export const LATEST_VERSION_SQL = 'SELECT max(version) AS v FROM outbox WHERE record_id = ?';

/**
 * Queues the current state of a record for the funders, as its next version. Call it inside the
 * transaction that changed the record, so the change and its queued copy land together or not at all.
 * The sync capability reads this table; nothing else does.
 */
export async function enqueue(ctx: Ctx, recordType: RecordType, recordId: string, payload: unknown): Promise<number> {
  if (!ctx.db.isTransaction) throw new Error('outbox.enqueue must run inside the transaction of the change');
  // Prepared once per connection: attendance closes queue dozens of records per transaction.
  const last = stmt(ctx.raw, LATEST_VERSION_SQL).get(recordId) as { v: number | null };
  const version = (last.v ?? 0) + 1;
  stmt(ctx.raw, 'INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES (?, ?, ?, ?, ?)').run(
    recordType,
    recordId,
    version,
    JSON.stringify(payload),
    ctx.now().toISOString(),
  );
  return version;
}
