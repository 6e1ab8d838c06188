/**
 * Sync test bench: a backend on a real SQLite file (fake clock) wired to the reference receiver over
 * loopback HTTP, with helpers to queue records, drive the engine and look at both sides.
 */
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { inTransaction, type Ctx } from '../../electron/backend/context';
import { enqueue } from '../../electron/backend/evidence/outbox';
import type { RetryPolicy } from '../../electron/backend/sync/backoff';
import type { StepOutcome } from '../../electron/backend/sync/engine';
import type { ItemState, RecordType } from '../../electron/backend/sync/schema';
import { startReceiver, type Receiver, type ReceiverOptions, type RequestLog } from '../receiver/server';
import { testBackend, type TestBackend } from './backend';

export const SIRET = '99900100100018';

/** Fast, deterministic retries: jitter fixed at 0.5, so delays are exactly computable. */
export const TEST_POLICY: RetryPolicy = Object.freeze({ baseMs: 1_000, capMs: 60_000, maxAttempts: 6, timeoutMs: 2_000, offlineMs: 5_000 });

export function attendancePayload(minutes = 180, extra: Record<string, unknown> = {}) {
  return {
    enrolmentId: uuidv7(),
    slot: { date: '2026-11-20', start: '08:30', end: '12:00', modality: 'presentiel' },
    status: 'present',
    minutes,
    evidence: { method: 'signature', sha256: 'ab'.repeat(32) },
    closedAt: '2026-11-20T12:05:00Z',
    ...extra,
  };
}

export async function saveOrganisation(tb: TestBackend): Promise<void> {
  await tb.api['organisation.save']({ name: 'Les Ateliers du Sillon (fictif)', siret: SIRET, nda: '44670000067' });
}

/** Queues one version of a record, in a transaction as a service would. */
export async function queue(ctx: Ctx, recordId: string, payload: unknown, type: RecordType = 'attendance'): Promise<number> {
  return inTransaction(ctx, (tx) => enqueue(tx, type, recordId, payload));
}

/** Queues `n` fresh valid attendance records; returns their ids. */
export async function queueMany(ctx: Ctx, n: number): Promise<string[]> {
  return inTransaction(ctx, async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = uuidv7();
      await enqueue(tx, 'attendance', id, attendancePayload(30 + (i % 150)));
      ids.push(id);
    }
    return ids;
  });
}

export interface ItemView {
  seq: number;
  recordId: string;
  version: number;
  state: ItemState;
  result: string | null;
  attempts: number;
  batchId: string | null;
  receiverRef: string | null;
  errors: string | null;
  nextAttemptAt: string | null;
  coveredBy: number | null;
}

export interface SyncBench {
  tb: TestBackend;
  receiver: Receiver;
  receiverId: string;
  token: string;
  items(): ItemView[];
  batches(): { id: string; state: string; attempts: number; body: string; parentId: string | null; nextAttemptAt: string | null; recordCount: number }[];
  /** Steps until idle or blocked, jumping the fake clock over every wait. */
  drain(maxSteps?: number): Promise<StepOutcome[]>;
  /** Advances the fake clock by ms. */
  tick(ms: number): void;
  /** POSTs to the receiver as another client would (to prepare its state). */
  postDirect(records: { recordId: string; version: number; type: string; payload: unknown }[]): Promise<Response>;
  posts(): RequestLog[];
  close(): Promise<void>;
}

export async function syncBench(o: { receiver?: ReceiverOptions; policy?: Partial<RetryPolicy>; organisation?: boolean } = {}): Promise<SyncBench> {
  const tb = await testBackend();
  const receiver = await startReceiver({ seedCatalogues: true, ...o.receiver });
  if (o.organisation !== false) await saveOrganisation(tb);
  const token = receiver.issueToken(SIRET);
  tb.sync.configure({ random: () => 0.5, policy: { ...TEST_POLICY, ...o.policy } });
  const saved = await tb.api['sync.saveReceiver']({ name: 'Région Grand Est (test)', url: receiver.url, token });
  const bench: SyncBench = {
    tb,
    receiver,
    receiverId: saved.id,
    token,
    items: () =>
      tb.raw
        .prepare(
          `SELECT seq, record_id AS recordId, version, state, result, attempts, batch_id AS batchId, receiver_ref AS receiverRef, errors,
                  next_attempt_at AS nextAttemptAt, covered_by AS coveredBy
           FROM sync_items WHERE receiver_id = ? ORDER BY seq`,
        )
        .all(saved.id) as ItemView[],
    batches: () =>
      tb.raw
        .prepare(
          `SELECT id, state, attempts, body, parent_id AS parentId, next_attempt_at AS nextAttemptAt, record_count AS recordCount
           FROM sync_batches WHERE receiver_id = ? ORDER BY rowid`,
        )
        .all(saved.id) as ReturnType<SyncBench['batches']>,
    async drain(maxSteps = 200) {
      const outs: StepOutcome[] = [];
      for (let i = 0; i < maxSteps; i++) {
        const out = await tb.sync.step(saved.id);
        outs.push(out);
        if (out.kind === 'idle' || out.kind === 'blocked' || out.kind === 'error') return outs;
        if (out.kind === 'wait' || out.kind === 'offline') tb.clock.set(new Date(Math.max(out.until.getTime(), tb.clock.now.getTime())).toISOString());
      }
      throw new Error(`drain: still busy after ${maxSteps} steps: ${JSON.stringify(outs.slice(-3))}`);
    },
    tick(ms) {
      tb.clock.set(new Date(tb.clock.now.getTime() + ms).toISOString());
    },
    postDirect(records) {
      const batchId = uuidv7();
      const body = JSON.stringify({ batchId, sentAt: '2026-11-23T08:00:00Z', sender: { siret: SIRET, nda: null, software: 'other/1', deviceId: 'other' }, records });
      return fetch(`${receiver.url}/v1/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': batchId, 'content-type': 'application/json' },
        body,
      });
    },
    posts: () => receiver.log.filter((l) => l.method === 'POST' && l.path === '/v1/batches'),
    async close() {
      await tb.cleanup();
      await receiver.close();
    },
  };
  return bench;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
