/**
 * Property: for any sequence of local edits, receiver faults, kills (the process dies mid-request: its
 * memory is dropped and the database reopened) and restarts, once the faults stop and the queue drains,
 * nothing is lost, nothing is doubled, and the receiver holds every record at its latest local version.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { inTransaction } from '../../electron/backend/context';
import { enqueue } from '../../electron/backend/evidence/outbox';
import { startReceiver, type Fault } from '../receiver/server';
import { attendancePayload, SIRET, TEST_POLICY } from '../helpers/sync';

type Op =
  | { op: 'edit'; record: number; minutes: number }
  | { op: 'fault'; fault: Fault; times: number }
  | { op: 'limit'; maxRecords: number }
  | { op: 'step'; n: number }
  | { op: 'kill'; when: 'before' | 'after' }
  | { op: 'restart' };

const RECORDS = 6;

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: 'drop', when: 'before' }),
  fc.constant<Fault>({ kind: 'drop', when: 'after' }),
  fc.constant<Fault>({ kind: 'status', status: 500 }),
  fc.constant<Fault>({ kind: 'status', status: 503, retryAfter: 2 }),
  fc.constant<Fault>({ kind: 'status', status: 429 }),
  fc.constant<Fault>({ kind: 'slow', ms: 250, when: 'after' }),
  fc.constant<Fault>({ kind: 'garbage' }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('edit' as const), record: fc.nat(RECORDS - 1), minutes: fc.nat(210) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fault' as const), fault: faultArb, times: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('limit' as const), maxRecords: fc.integer({ min: 2, max: 500 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('step' as const), n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('kill' as const), when: fc.constantFrom('before' as const, 'after' as const) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
);

/** A `fetch` that can play dead: it never answers (before sending, or after the receiver got it all). */
function killableFetch() {
  const state = { mode: null as null | 'before' | 'after', hung: false };
  const impl: typeof fetch = async (input, init) => {
    const mode = state.mode;
    if (mode === 'before') {
      state.hung = true;
      return new Promise<Response>(() => {});
    }
    if (mode === 'after') {
      try {
        const res = await fetch(input, init);
        await res.arrayBuffer();
      } catch {
        // the receiver may drop the connection itself: the request was still sent
      }
      state.hung = true;
      return new Promise<Response>(() => {});
    }
    return fetch(input, init);
  };
  return { state, impl };
}

async function runScenario(ops: Op[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sillon-prop-'));
  const receiver = await startReceiver();
  const clock = { now: new Date('2026-11-23T09:00:00Z') };
  const killable = killableFetch();
  const open = async (): Promise<Backend> => {
    const b = await startBackend(dataDir, { now: () => clock.now });
    b.sync.configure({ fetch: killable.impl, random: () => 0.5, policy: { ...TEST_POLICY, timeoutMs: 150, maxAttempts: 1_000 } });
    return b;
  };
  let backend = await open();
  const ids = Array.from({ length: RECORDS }, () => uuidv7());
  const made = new Map<string, number>();
  try {
    await backend.dispatch('organisation.save', { name: 'Organisme (propriété)', siret: SIRET });
    const token = receiver.issueToken(SIRET);
    const saved = await backend.dispatch('sync.saveReceiver', { name: 'Région', url: receiver.url, token });
    if (!saved.ok) throw new Error(saved.error.message);
    const receiverId = (saved.value as { id: string }).id;

    const step = async () => {
      const out = await backend.sync.step(receiverId);
      if (out.kind === 'wait' || out.kind === 'offline') clock.now = new Date(Math.max(out.until.getTime(), clock.now.getTime()));
      if (out.kind === 'error' || out.kind === 'blocked') throw new Error(`unexpected ${out.kind}: ${JSON.stringify(out)}`);
      return out;
    };

    for (const o of ops) {
      switch (o.op) {
        case 'edit': {
          const id = ids[o.record]!;
          await inTransaction(backend.ctx, (tx) => enqueue(tx, 'attendance', id, attendancePayload(o.minutes)));
          made.set(id, (made.get(id) ?? 0) + 1);
          break;
        }
        case 'fault':
          receiver.faults.add(o.fault, { times: o.times });
          break;
        case 'limit':
          receiver.faults.limits.maxRecords = o.maxRecords;
          break;
        case 'step':
          for (let i = 0; i < o.n; i++) await step();
          break;
        case 'kill': {
          killable.state.mode = o.when;
          killable.state.hung = false;
          let settled = false;
          void backend.sync.step(receiverId).then(
            () => (settled = true),
            () => (settled = true),
          );
          for (let i = 0; i < 400 && !killable.state.hung && !settled; i++) await new Promise((ok) => setTimeout(ok, 5));
          killable.state.mode = null;
          // The process is gone: no outcome recorded, memory dropped. The files are all that remain.
          await backend.close();
          backend = await open();
          break;
        }
        case 'restart':
          await backend.close();
          backend = await open();
          break;
      }
    }

    // Faults stop; the app starts again and drains its queue.
    receiver.faults.clear();
    receiver.faults.limits.maxRecords = 500;
    await backend.close();
    backend = await open();
    for (let i = 0; ; i++) {
      if (i > 200) throw new Error('queue never drained');
      if ((await step()).kind === 'idle') break;
    }

    const raw = backend.raw;
    // Nothing lost locally: every edit is in the outbox, every queued version settled as acked.
    for (const [id, n] of made) {
      expect((raw.prepare('SELECT max(version) AS v FROM outbox WHERE record_id = ?').get(id) as { v: number }).v).toBe(n);
    }
    const states = raw.prepare('SELECT DISTINCT state FROM sync_items').all() as { state: string }[];
    expect(states.map((s) => s.state).filter((s) => s !== 'acked')).toEqual([]);
    // Final versions equal, same content, same reference on both sides.
    const stored = receiver.current(SIRET);
    expect(stored.size).toBe(made.size);
    for (const [id, n] of made) {
      const local = raw
        .prepare('SELECT o.payload, i.receiver_ref AS ref FROM outbox o JOIN sync_items i ON i.seq = o.seq WHERE o.record_id = ? AND o.version = ?')
        .get(id, n) as { payload: string; ref: string | null };
      const remote = stored.get(id)!;
      expect(remote.version).toBe(n);
      expect(JSON.parse(remote.payload)).toEqual(JSON.parse(local.payload));
      expect(local.ref).toBe(remote.receiverRef);
    }
    // Nothing doubled: never more versions stored than made, each reference given once.
    const total = [...made.values()].reduce((a, b) => a + b, 0);
    expect(receiver.storedVersions(SIRET)).toBeLessThanOrEqual(total);
    const dup = receiver.db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM versions GROUP BY receiver_ref HAVING count(*) > 1)').get() as { n: number };
    expect(dup.n).toBe(0);
  } finally {
    await backend.close();
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('sync under random edits, faults, kills and restarts', () => {
  it('converges: nothing lost, nothing doubled, final versions equal', { timeout: 170_000 }, async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), runScenario), {
      numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 60),
      ...(process.env.SYNC_PROPERTY_SEED ? { seed: Number(process.env.SYNC_PROPERTY_SEED) } : {}),
    });
  });
});
