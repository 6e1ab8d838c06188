import { z } from 'zod';
import { id } from '../schemas/common';
import { syncBatchRow, syncStepOutcome, syncFile, syncMarkFileInput, syncReceiver, syncReceiverInput, syncReceiverStatus, syncRecordRow, syncRecordsInput } from '../schemas/sync';
import { mutation, none, query } from './define';

/** Sync to funder systems (shared/design/exchange-protocol.md). Tokens are write-only. */
export const syncContract = {
  'sync.receivers': query('sync.read', none, z.array(syncReceiver)),
  'sync.saveReceiver': mutation('sync.write', syncReceiverInput, syncReceiver),
  'sync.status': query('sync.read', none, z.array(syncReceiverStatus)),
  'sync.records': query('sync.read', syncRecordsInput, z.object({ total: z.number().int(), rows: z.array(syncRecordRow) })),
  'sync.now': mutation('sync.write', z.object({ receiverId: id.optional() }).default({}), z.object({ started: z.boolean() })),
  'sync.online': mutation('sync.write', none, z.object({ started: z.boolean() })),
  'sync.pause': mutation('sync.write', z.object({ receiverId: id }), syncReceiver),
  /** `run: false` resumes without starting a background run (the CLI drives the queue itself with `sync.step`). */
  'sync.resume': mutation('sync.write', z.object({ receiverId: id, run: z.boolean().default(true) }), syncReceiver),
  /**
   * One step of the queue, synchronously: the CLI's loop. The app lets the engine's own loop run instead.
   * `now`: send now, whatever retry time the batch was given (a person asked).
   */
  'sync.step': mutation('sync.write', z.object({ receiverId: id, now: z.boolean().default(false) }), syncStepOutcome),
  'sync.exportDead': query('data.export', z.object({ receiverId: id }), syncFile),
  'sync.batches': query('sync.read', z.object({ receiverId: id, limit: z.number().int().min(1).max(500).default(50) }), z.array(syncBatchRow)),
  'sync.exportFile': mutation('sync.write', z.object({ receiverId: id, format: z.enum(['csv', 'xlsx']).default('csv') }), syncFile.extend({ batchId: id })),
  'sync.markFile': mutation('sync.write', syncMarkFileInput, z.object({ batchId: id, state: z.enum(['in_flight', 'acked']) })),
} as const;
