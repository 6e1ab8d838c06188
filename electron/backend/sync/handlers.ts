/** The sync capability's fragment of the handler table. */
import type { syncContract } from '../../../shared/contract/sync';
import type { HandlersOf } from '../handler';
import { exportFileBatch, markFileBatch } from './file-batches';
import { getReceiver, listReceivers, pauseReceiver, resumeReceiver, saveReceiver, toView } from './receivers';
import { syncOf } from './registry';
import { exportDead, listBatches, syncRecords, syncStatus } from './status';

export const syncHandlers: HandlersOf<typeof syncContract> = {
  'sync.receivers': async (ctx) => (await listReceivers(ctx)).map(toView),
  'sync.saveReceiver': async (ctx, input) => {
    const saved = toView(await saveReceiver(ctx, syncOf(ctx).secrets, input));
    syncOf(ctx).notifyChange();
    return saved;
  },
  'sync.status': (ctx) => syncStatus(ctx, syncOf(ctx)),
  'sync.records': (ctx, input) => syncRecords(ctx, input),
  /** Starts a run and answers at once; the page follows it through `sync.status`. */
  'sync.now': async (ctx, input) => {
    if (input.receiverId) await getReceiver(ctx, input.receiverId);
    syncOf(ctx)
      .syncNow(input.receiverId)
      .catch((e: unknown) => process.stderr.write(`[sync] ${e instanceof Error ? e.message : String(e)}\n`));
    return { started: true };
  },
  /** The shell or the page saw the network come back: lift the "unreachable" waits and send. */
  'sync.online': async (ctx) => {
    syncOf(ctx)
      .notifyOnline()
      .catch((e: unknown) => process.stderr.write(`[sync] ${e instanceof Error ? e.message : String(e)}\n`));
    return { started: true };
  },
  'sync.pause': async (ctx, { receiverId }) => toView(await pauseReceiver(ctx, receiverId)),
  'sync.resume': async (ctx, { receiverId, run }) => {
    const r = toView(await resumeReceiver(ctx, receiverId));
    if (run) void syncOf(ctx).run(receiverId); // never rejects: the loop reports its own failures
    return r;
  },
  'sync.step': async (ctx, { receiverId, now }) => {
    await getReceiver(ctx, receiverId);
    const out = await syncOf(ctx).step(receiverId, { now });
    return out.kind === 'wait' || out.kind === 'offline' ? { ...out, until: out.until.toISOString() } : out;
  },
  'sync.exportDead': (ctx, { receiverId }) => exportDead(ctx, receiverId),
  'sync.batches': (ctx, { receiverId, limit }) => listBatches(ctx, receiverId, limit),
  'sync.exportFile': async (ctx, { receiverId, format }) => {
    const f = await exportFileBatch(ctx, receiverId, format);
    return { batchId: f.batchId, fileName: f.fileName, mime: f.mime, contentBase64: f.bytes.toString('base64'), records: f.records };
  },
  'sync.markFile': (ctx, input) => markFileBatch(ctx, input),
};
