import type { Ctx } from '../context';
import type { OutboxTable } from '../db/schema';

export type RecordType = OutboxTable['recordType'];

/**
 * Queues the current state of a record for the funders, as its next version. Call it inside the
 * transaction that changed the record, so the change and its queued copy land together or not at all.
 * The sync capability reads this table; nothing else does.
 */
export async function enqueue(ctx: Ctx, recordType: RecordType, recordId: string, payload: unknown): Promise<number> {
  if (!ctx.db.isTransaction) throw new Error('outbox.enqueue must run inside the transaction of the change');
  const last = await ctx.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('recordId', '=', recordId)
    .executeTakeFirst();
  const version = (last?.v ?? 0) + 1;
  await ctx.db
    .insertInto('outbox')
    .values({ recordType, recordId, version, payload: JSON.stringify(payload), createdAt: ctx.now().toISOString() })
    .execute();
  return version;
}
