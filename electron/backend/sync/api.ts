/** The sync capability as the handler table sees it: (ctx, input) → output, one per contract method. */
import type { z } from 'zod';
import type { syncMarkFileInput, syncReceiverInput, syncRecordsInput } from '../../../shared/schemas/sync';
import type { Ctx } from '../context';
import { exportFileBatch, markFileBatch, type FileFormat } from './file-batches';
import { getReceiver, listReceivers, pauseReceiver, resumeReceiver, saveReceiver, toView } from './receivers';
import { syncOf } from './registry';
import { exportDead, listBatches, syncRecords, syncStatus } from './status';

export const syncApi = {
  receivers: async (ctx: Ctx) => (await listReceivers(ctx)).map(toView),
  saveReceiver: async (ctx: Ctx, input: z.output<typeof syncReceiverInput>) => {
    const saved = toView(await saveReceiver(ctx, syncOf(ctx).secrets, input));
    syncOf(ctx).notifyChange();
    return saved;
  },
  status: (ctx: Ctx) => syncStatus(ctx, syncOf(ctx)),
  records: (ctx: Ctx, input: z.output<typeof syncRecordsInput>) => syncRecords(ctx, input),
  /** Starts a run and answers at once; the page follows it through `sync.status`. */
  now: async (ctx: Ctx, input: { receiverId?: string | undefined }) => {
    if (input.receiverId) await getReceiver(ctx, input.receiverId);
    syncOf(ctx)
      .syncNow(input.receiverId)
      .catch((e: unknown) => process.stderr.write(`[sync] ${e instanceof Error ? e.message : String(e)}\n`));
    return { started: true };
  },
  /** The shell or the page saw the network come back: lift the "unreachable" waits and send. */
  online: async (ctx: Ctx) => {
    syncOf(ctx)
      .notifyOnline()
      .catch((e: unknown) => process.stderr.write(`[sync] ${e instanceof Error ? e.message : String(e)}\n`));
    return { started: true };
  },
  pause: async (ctx: Ctx, { receiverId }: { receiverId: string }) => toView(await pauseReceiver(ctx, receiverId)),
  resume: async (ctx: Ctx, { receiverId }: { receiverId: string }) => {
    const r = toView(await resumeReceiver(ctx, receiverId));
    void syncOf(ctx).run(receiverId); // never rejects: the loop reports its own failures
    return r;
  },
  exportDead: (ctx: Ctx, { receiverId }: { receiverId: string }) => exportDead(ctx, receiverId),
  batches: (ctx: Ctx, { receiverId, limit }: { receiverId: string; limit: number }) => listBatches(ctx, receiverId, limit),
  exportFile: async (ctx: Ctx, { receiverId, format }: { receiverId: string; format: FileFormat }) => {
    const f = await exportFileBatch(ctx, receiverId, format);
    return { batchId: f.batchId, fileName: f.fileName, mime: f.mime, contentBase64: f.bytes.toString('base64'), records: f.records };
  },
  markFile: (ctx: Ctx, input: z.output<typeof syncMarkFileInput>) => markFileBatch(ctx, input),
};
