/**
 * Every row of the exchange protocol's tables (shared/design/exchange-protocol.md), client against the
 * reference receiver over loopback HTTP, real SQLite files, fake clock. Delays are checked as computed
 * values of the fake clock, never against the wall clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { backoffMs } from '../../electron/backend/sync/backoff';
import { attendancePayload, queue, queueMany, sha256, syncBench, TEST_POLICY, type SyncBench } from '../helpers/sync';
import { SIRET } from '../helpers/sync';

let bench: SyncBench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

/** All POSTs of one batch carried the same id and the very same bytes. */
function expectSameBatchResent(b: SyncBench, times: number) {
  const posts = b.posts();
  expect(posts).toHaveLength(times);
  expect(new Set(posts.map((p) => p.batchId)).size).toBe(1);
  expect(new Set(posts.map((p) => p.bodySha256)).size).toBe(1);
  const [batch] = b.batches();
  expect(posts[0]!.bodySha256).toBe(sha256(batch!.body));
}

describe('per-record status', () => {
  it('accepted → acked, receiverRef kept', async () => {
    bench = await syncBench();
    const ids = await queueMany(bench.tb.ctx, 3);
    const outs = await bench.drain();
    expect(outs.map((o) => o.kind)).toEqual(['sent', 'idle']);
    const items = bench.items();
    expect(items.map((i) => [i.state, i.result])).toEqual(Array(3).fill(['acked', 'accepted']));
    const stored = bench.receiver.current(SIRET);
    for (const it of items) expect(it.receiverRef).toBe(stored.get(it.recordId)!.receiverRef);
    expect([...stored.keys()].sort()).toEqual([...ids].sort());
    expect(bench.batches()[0]!.state).toBe('acked');
  });

  it('duplicate → acked with the reference the receiver gave first', async () => {
    bench = await syncBench();
    const id = uuidv7();
    const payload = attendancePayload(120);
    await queue(bench.tb.ctx, id, payload);
    const first = (await (await bench.postDirect([{ recordId: id, version: 1, type: 'attendance', payload }])).json()) as { results: { receiverRef: string }[] };
    await bench.drain();
    const [item] = bench.items();
    expect(item).toMatchObject({ state: 'acked', result: 'duplicate', receiverRef: first.results[0]!.receiverRef });
    expect(bench.receiver.storedVersions(SIRET)).toBe(1);
  });

  it('superseded → acked, nothing to do', async () => {
    bench = await syncBench();
    const id = uuidv7();
    await queue(bench.tb.ctx, id, attendancePayload(100));
    await bench.postDirect([{ recordId: id, version: 2, type: 'attendance', payload: attendancePayload(110) }]);
    await bench.drain();
    expect(bench.items()[0]).toMatchObject({ state: 'acked', result: 'superseded' });
    expect(bench.receiver.current(SIRET).get(id)!.version).toBe(2);
  });

  it('rejected → rejected with the reasons, never resent as is; the fix (a new version) goes through', async () => {
    bench = await syncBench();
    const id = uuidv7();
    await queue(bench.tb.ctx, id, attendancePayload(300)); // 300 minutes in a 210-minute slot
    await bench.drain();
    const [item] = bench.items();
    expect(item!.state).toBe('rejected');
    expect(JSON.parse(item!.errors!)).toEqual([{ path: 'payload.minutes', code: 'out_of_range', message: '300 minutes déclarées pour un créneau de 210 minutes.' }]);
    const toFix = await bench.tb.api['sync.records']({ receiverId: bench.receiverId, state: 'rejected' });
    expect(toFix.total).toBe(1);
    expect(toFix.rows[0]!.errors[0]!.message).toContain('210 minutes');

    // Running again sends nothing: a rejected version is never resent as is.
    expect((await bench.drain()).map((o) => o.kind)).toEqual(['idle']);
    expect(bench.posts()).toHaveLength(1);

    await queue(bench.tb.ctx, id, attendancePayload(200));
    await bench.drain();
    expect(bench.items().map((i) => [i.version, i.state])).toEqual([[1, 'rejected'], [2, 'acked']]);
    expect(bench.receiver.current(SIRET).get(id)!.version).toBe(2);
    expect((await bench.tb.api['sync.records']({ receiverId: bench.receiverId, state: 'rejected' })).total).toBe(0);
    const [status] = await bench.tb.api['sync.status']();
    expect(status!.toFix.rejected).toBe(0);
    expect(status!.counts.rejected).toBe(1);
  });

  it('same recordId and version with other content → rejected version_conflict', async () => {
    bench = await syncBench();
    const id = uuidv7();
    await bench.postDirect([{ recordId: id, version: 1, type: 'attendance', payload: attendancePayload(60) }]);
    await queue(bench.tb.ctx, id, attendancePayload(90));
    await bench.drain();
    const [item] = bench.items();
    expect(item!.state).toBe('rejected');
    expect(JSON.parse(item!.errors!)[0].code).toBe('version_conflict');
  });
});

describe('batch-level answers', () => {
  it('200: the results are applied in one transaction (all or nothing)', async () => {
    bench = await syncBench();
    const ids = await queueMany(bench.tb.ctx, 5);
    bench.tb.raw.exec(`CREATE TEMP TRIGGER boom BEFORE UPDATE OF state ON sync_items WHEN NEW.record_id = '${ids[3]}' AND NEW.state = 'acked'
      BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    await expect(bench.tb.sync.step(bench.receiverId)).rejects.toThrow(/boom/);
    expect(bench.items().every((i) => i.state === 'in_flight')).toBe(true);
    expect(bench.batches()[0]!.state).toBe('in_flight');
    bench.tb.raw.exec('DROP TRIGGER boom');
    await bench.drain();
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
    // The retry was the same batch; the receiver replayed its stored response.
    expectSameBatchResent(bench, 2);
    expect(bench.posts().map((p) => p.outcome)).toEqual(['processed', 'replay']);
    expect(bench.receiver.storedVersions(SIRET)).toBe(5);
  });

  it('200 replay: response lost after the receiver stored the batch → same batch again → stored response', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 4);
    bench.receiver.faults.add({ kind: 'drop', when: 'after' });
    const outs = await bench.drain();
    expect(outs.map((o) => o.kind)).toEqual(['wait', 'sent', 'idle']);
    expectSameBatchResent(bench, 2);
    expect(bench.posts().map((p) => p.outcome)).toEqual(['processed+fault:drop-after', 'replay']);
    expect(bench.items().map((i) => i.result)).toEqual(Array(4).fill('accepted'));
    expect(bench.receiver.storedVersions(SIRET)).toBe(4);
  });

  it('409 idempotency_conflict: a client bug → the queue stops and says so', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 2);
    bench.receiver.faults.add({ kind: 'drop', when: 'after' });
    await bench.tb.sync.step(bench.receiverId);
    // Simulate the bug: the saved body changes between two sends of the same batch.
    bench.tb.raw.prepare(`UPDATE sync_batches SET body = replace(body, '"status":"present"', '"status":"late"')`).run();
    bench.tick(60_000);
    const out = await bench.tb.sync.step(bench.receiverId);
    expect(out.kind).toBe('blocked');
    const [receiver] = await bench.tb.api['sync.receivers']();
    expect(receiver).toMatchObject({ paused: true, pausedKind: 'protocol' });
    expect(receiver!.pausedReason).toContain('conflit');
    expect(bench.batches()[0]!.state).toBe('failed');
    expect(bench.items().every((i) => i.state === 'pending')).toBe(true);
    expect((await bench.drain()).map((o) => o.kind)).toEqual(['blocked']);

    // After the fix, resuming sends the records again under a new batch id; the receiver knows them.
    await bench.tb.api['sync.resume']({ receiverId: bench.receiverId });
    await bench.drain();
    expect(bench.items().map((i) => [i.state, i.result])).toEqual([['acked', 'duplicate'], ['acked', 'duplicate']]);
    expect(new Set(bench.posts().map((p) => p.batchId)).size).toBe(2);
  });

  it.each([
    ['an envelope the receiver finds invalid', 'tamper'],
    ['a 400 answer', 'status'],
  ])('400 (%s): nothing stored, the queue stops and says so', async (_label, how) => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 2);
    if (how === 'status') {
      bench.receiver.faults.add({ kind: 'status', status: 400, body: { code: 'invalid_batch', message: 'Lot invalide.' } });
    } else {
      bench.receiver.faults.add({ kind: 'status', status: 500 });
      await bench.tb.sync.step(bench.receiverId);
      bench.tb.raw.prepare(`UPDATE sync_batches SET body = replace(body, '"records":[', '"records":[],"x":[')`).run();
      bench.tick(60_000);
    }
    const outs = await bench.drain();
    expect(outs.at(-1)!.kind).toBe('blocked');
    expect(bench.posts().at(-1)!.status).toBe(400);
    expect(bench.receiver.storedVersions(SIRET)).toBe(0);
    const [r] = await bench.tb.api['sync.receivers']();
    expect(r!.pausedKind).toBe('protocol');
    expect(r!.pausedReason).toMatch(/refuse le lot .* invalide/);
    expect(bench.items().every((i) => i.state === 'pending')).toBe(true);
  });

  it.each([
    [401, 'expired token', 'absent ou expiré'],
    [403, 'token of another training body', 'pour cet organisme'],
  ])('%i (%s): the receiver is paused until someone signs in again', async (status, _label, words) => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 2);
    if (status === 401) bench.receiver.expireToken(bench.token);
    const other = bench.receiver.issueToken('73282932000074');
    if (status === 403) await bench.tb.api['sync.saveReceiver']({ id: bench.receiverId, name: 'Région', url: bench.receiver.url, token: other });
    const out = await bench.tb.sync.step(bench.receiverId);
    expect(out.kind).toBe('blocked');
    expect(bench.posts().at(-1)!.status).toBe(status);
    const [r] = await bench.tb.api['sync.receivers']();
    expect(r).toMatchObject({ paused: true, pausedKind: 'auth' });
    expect(r!.pausedReason).toContain(words);
    expect(bench.batches()[0]).toMatchObject({ state: 'in_flight', attempts: 0 });
    expect((await bench.tb.sync.step(bench.receiverId)).kind).toBe('blocked');

    // Signing in again (a new token) resumes the queue.
    const fresh = bench.receiver.issueToken(SIRET);
    const resumed = await bench.tb.api['sync.saveReceiver']({ id: bench.receiverId, name: 'Région', url: bench.receiver.url, token: fresh });
    expect(resumed).toMatchObject({ paused: false, pausedKind: null });
    await bench.drain();
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
    // The batch that was refused is the one that went through: same id, same body.
    expect(new Set(bench.posts().map((p) => p.batchId)).size).toBe(1);
  });

  it('413: the batch is split into halves under new batch ids, until they fit', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 5);
    bench.receiver.faults.limits.maxRecords = 2;
    await bench.drain();
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
    const batches = bench.batches();
    const root = batches[0]!;
    expect(root).toMatchObject({ state: 'split', recordCount: 5, parentId: null });
    const halves = batches.filter((b) => b.parentId === root.id);
    expect(halves.map((b) => b.recordCount)).toEqual([3, 2]);
    expect(batches.filter((b) => b.state === 'acked').every((b) => b.recordCount <= 2)).toBe(true);
    expect(new Set(batches.map((b) => b.id)).size).toBe(batches.length);
    for (const b of batches) expect(JSON.parse(b.body).batchId).toBe(b.id);
    expect(bench.receiver.storedVersions(SIRET)).toBe(5);
  });

  it('413 on a one-record batch well under the limits: the receiver\'s fault → the same batch again, then dead, never rejected', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 1);
    bench.receiver.faults.limits.maxRecords = 0; // the receiver answers 413 to every batch
    const outs = await bench.drain();
    // maxAttempts = 6: five waits, then dead; never split (one record cannot shrink).
    expect(outs.map((o) => o.kind)).toEqual(['wait', 'wait', 'wait', 'wait', 'wait', 'dead', 'idle']);
    expect(outs[0]!.kind === 'wait' && outs[0]!.cause).toBe('fault');
    const [item] = bench.items();
    expect(item).toMatchObject({ state: 'dead', result: null, attempts: 6 });
    expect(bench.batches().map((b) => [b.state, b.recordCount])).toEqual([['dead', 1]]);
    expectSameBatchResent(bench, 6);
    const [status] = await bench.tb.api['sync.status']();
    expect(status!.counts).toMatchObject({ rejected: 0, dead: 1 });
  });

  it('413 on every batch: split down to single records, each a receiver fault → retried, then dead with the rest of its batch, none rejected', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 5);
    bench.receiver.faults.add({ kind: 'status', status: 413, body: { code: 'too_large', message: 'Trop volumineux.' } }, { times: 1_000 });
    const outs = await bench.drain();
    expect(outs.at(-1)!.kind).toBe('idle');
    // Oldest open batch first: 5 → 3 + 2; 3 → 2 + 1; 2 → 1 + 1; 2 → 1 + 1 (four splits), then the first
    // single record (of the 3) is sent 6 times and dies, and the four single batches split from the same
    // root and never sent die with it.
    expect(outs.filter((o) => o.kind === 'split')).toHaveLength(4);
    expect(outs.filter((o) => o.kind === 'dead').map((o) => o.kind === 'dead' && o.records)).toEqual([5]);
    expect(bench.items().map((i) => [i.state, i.result])).toEqual(Array(5).fill(['dead', null]));
    expect(bench.posts()).toHaveLength(4 + 6);
    expect(bench.receiver.storedVersions(SIRET)).toBe(0);
    const file = await bench.tb.api['sync.exportDead']({ receiverId: bench.receiverId });
    expect(file.records).toBe(5);
  });

  it('a lost answer then a split: the records the receiver already stored end acked (its stored response), never refused', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 4);
    const tooLarge = { kind: 'status', status: 413, body: { code: 'too_large', message: 'Trop volumineux.' } } as const;
    bench.receiver.faults.add(tooLarge); // 4 records → split 2 + 2
    bench.receiver.faults.add({ kind: 'drop', when: 'after' }); // first half stored, its answer lost
    bench.receiver.faults.add(tooLarge, { times: 3 }); // the first half again → 413; then the second half and one of its halves
    const outs = await bench.drain();
    expect(outs.at(-1)!.kind).toBe('idle');
    expect(bench.items().map((i) => i.state)).toEqual(Array(4).fill('acked'));
    expect(bench.items().map((i) => i.result)).toEqual(Array(4).fill('accepted'));
    // The first half was settled from its stored response (GET /v1/batches/{id}), not split again.
    const gets = bench.receiver.log.filter((l) => l.method === 'GET' && l.path.startsWith('/v1/batches/'));
    expect(gets.map((g) => g.status)).toContain(200);
    expect(outs.some((o) => o.kind === 'sent' && o.recovered)).toBe(true);
    expect(bench.receiver.storedVersions(SIRET)).toBe(4);
  });

  it('a record too large for any batch is rejected before sending', async () => {
    bench = await syncBench();
    await queue(bench.tb.ctx, uuidv7(), attendancePayload(60, { note: 'x'.repeat(2 * 1024 * 1024) }));
    await queueMany(bench.tb.ctx, 1);
    await bench.drain();
    expect(bench.items().map((i) => [i.state, i.result])).toEqual([['rejected', 'too_large'], ['acked', 'accepted']]);
    expect(bench.posts().every((p) => p.records === 1)).toBe(true);
  });

  it.each([
    [429, '7', 7_000],
    [503, '3', 3_000],
    [503, 'HTTP-date', 30_000],
  ])('%i with Retry-After %s: the same batch again after that delay, not counted as an attempt', async (status, retryAfter, ms) => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 3);
    const t0 = bench.tb.clock.now.getTime();
    const header = retryAfter === 'HTTP-date' ? new Date(t0 + ms).toUTCString() : retryAfter;
    bench.receiver.faults.add({ kind: 'status', status, retryAfter: header });
    const out = await bench.tb.sync.step(bench.receiverId);
    expect(out.kind).toBe('wait');
    expect(out.kind === 'wait' && out.until.getTime() - t0).toBe(ms);
    expect(bench.batches()[0]).toMatchObject({ attempts: 0, nextAttemptAt: new Date(t0 + ms).toISOString() });
    bench.tick(ms - 1);
    expect((await bench.tb.sync.step(bench.receiverId)).kind).toBe('wait');
    expect(bench.posts()).toHaveLength(1);
    bench.tick(1);
    await bench.drain();
    expectSameBatchResent(bench, 2);
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
  });

  it.each([
    ['500', { kind: 'status', status: 500 }],
    ['502', { kind: 'status', status: 502 }],
    ['503 without Retry-After', { kind: 'status', status: 503 }],
    ['connection lost before storing', { kind: 'drop', when: 'before' }],
    ['connection lost after storing', { kind: 'drop', when: 'after' }],
    ['timeout (slow answer after storing)', { kind: 'slow', ms: 1_500, when: 'after' }],
    ['unreadable 200', { kind: 'garbage' }],
  ] as const)('%s: unknown outcome → the same batch, same body, after a backoff', async (_label, fault) => {
    bench = await syncBench({ policy: { timeoutMs: 300 } });
    await queueMany(bench.tb.ctx, 3);
    bench.receiver.faults.add(fault);
    const t0 = bench.tb.clock.now.getTime();
    const out = await bench.tb.sync.step(bench.receiverId);
    expect(out.kind).toBe('wait');
    expect(out.kind === 'wait' && out.until.getTime() - t0).toBe(backoffMs(1, TEST_POLICY, () => 0.5));
    await bench.drain();
    expectSameBatchResent(bench, 2);
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
    expect(bench.receiver.storedVersions(SIRET)).toBe(3);
  });

  it('backoff grows exponentially with jitter, capped; after maxAttempts the records are dead, kept and exportable', async () => {
    const jitters = [0, 1, 0.25, 0.75, 0.5, 0.5];
    bench = await syncBench({ policy: { baseMs: 1_000, capMs: 4_000, maxAttempts: 6 } });
    let j = 0;
    bench.tb.sync.configure({ random: () => jitters[j++ % jitters.length]! });
    const ids = await queueMany(bench.tb.ctx, 2);
    bench.receiver.faults.add({ kind: 'status', status: 500 }, { times: 100 });
    const delays: number[] = [];
    for (;;) {
      const before = bench.tb.clock.now.getTime();
      const out = await bench.tb.sync.step(bench.receiverId);
      if (out.kind !== 'wait') {
        expect(out.kind).toBe('dead');
        break;
      }
      delays.push(out.until.getTime() - before);
      bench.tb.clock.set(out.until.toISOString());
    }
    // exp = min(4000, 1000·2^(n−1)); delay = exp/2 + jitter·exp/2
    expect(delays).toEqual([500, 2_000, 2_500, 3_500, 3_000]);
    expect(bench.batches()[0]).toMatchObject({ state: 'dead', attempts: 6 });
    expect(bench.items().map((i) => [i.state, i.attempts])).toEqual([['dead', 6], ['dead', 6]]);
    expect((await bench.drain()).map((o) => o.kind)).toEqual(['idle']);

    const file = await bench.tb.api['sync.exportDead']({ receiverId: bench.receiverId });
    const csv = Buffer.from(file.contentBase64, 'base64').toString('utf8');
    expect(file.records).toBe(2);
    for (const id of ids) expect(csv).toContain(id);
    expect(csv).toContain('Abandon après 6 tentatives');
    expect(() => bench!.tb.raw.prepare('DELETE FROM sync_items').run()).toThrow(/never deleted/);
    const [status] = await bench.tb.api['sync.status']();
    expect(status!.toFix.dead).toBe(2);
  });
});

describe('after a crash', () => {
  async function reopen(b: SyncBench) {
    // A new process: same files, fresh memory (no knowledge of what was posted before).
    await b.tb.close();
    const { startBackend } = await import('../../electron/backend/backend');
    const again = await startBackend(b.tb.dataDir, { now: () => b.tb.clock.now });
    again.sync.configure({ random: () => 0.5, policy: TEST_POLICY });
    return again;
  }

  it.each([
    ['received by the receiver', 'after'],
    ['never received', 'before'],
  ] as const)('an in_flight batch %s: GET /v1/batches/{id} first, then resend only if needed', async (_label, when) => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 3);
    // The process dies during the request: before it leaves, or after the receiver stored it.
    const hang = () => new Promise<Response>(() => {});
    bench.tb.sync.configure({ fetch: async (input, init) => (when === 'after' ? (await fetch(input, init), hang()) : hang()) });
    void bench.tb.sync.step(bench.receiverId);
    await vi.waitFor(() => expect(bench!.batches()[0]?.state).toBe('in_flight'));
    if (when === 'after') await vi.waitFor(() => expect(bench!.posts()).toHaveLength(1));
    const again = await reopen(bench);
    try {
      const out = await again.sync.step(bench.receiverId);
      expect(out.kind).toBe('sent');
      expect(out.kind === 'sent' && out.recovered).toBe(when === 'after');
      const gets = bench.receiver.log.filter((l) => l.method === 'GET' && l.path.startsWith('/v1/batches/'));
      expect(gets.map((g) => g.status)).toEqual([when === 'after' ? 200 : 404]);
      // Stored: recovered from the stored response, no second POST. Never received: sent once, now.
      expect(bench.posts()).toHaveLength(1);
      const states = again.raw.prepare('SELECT state FROM sync_items').all() as { state: string }[];
      expect(states.every((s) => s.state === 'acked')).toBe(true);
      expect(bench.receiver.storedVersions(SIRET)).toBe(3);
    } finally {
      await again.close();
    }
  });
});

describe('offline and back online', () => {
  it('a receiver that cannot be reached costs no attempt; "back online" sends at once', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 2);
    const port = bench.receiver.port;
    const token = bench.token;
    await bench.receiver.close();
    const out = await bench.tb.sync.step(bench.receiverId);
    expect(out.kind).toBe('offline');
    expect(bench.batches()[0]).toMatchObject({ attempts: 0, state: 'in_flight' });
    const [status] = await bench.tb.api['sync.status']();
    expect(status!.offlineSince).not.toBeNull();
    expect(status!.lastError).toMatch(/injoignable/);
    // Nothing left: the records wait ("en attente"), none is "en cours", and the batch is not marked sent.
    expect(status!.counts).toMatchObject({ pending: 2, inFlight: 0 });
    expect(bench.tb.raw.prepare('SELECT sent_at AS sentAt FROM sync_batches').get()).toEqual({ sentAt: null });
    const waiting = await bench.tb.api['sync.records']({ receiverId: bench.receiverId, state: 'pending' });
    expect(waiting.rows.map((r) => r.state)).toEqual(['pending', 'pending']);
    expect((await bench.tb.api['sync.records']({ receiverId: bench.receiverId, state: 'in_flight' })).total).toBe(0);
    // Probing again, still unreachable: the same saved batch, still not sent.
    bench.tick(TEST_POLICY.offlineMs);
    expect((await bench.tb.sync.step(bench.receiverId)).kind).toBe('offline');
    expect(bench.batches()).toHaveLength(1);
    expect((await bench.tb.api['sync.status']())[0]!.counts).toMatchObject({ pending: 2, inFlight: 0 });

    const { startReceiver } = await import('../receiver/server');
    bench.receiver = await startReceiver({ port });
    bench.receiver.issueToken(SIRET, { token });
    await bench.tb.sync.notifyOnline();
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
    const [after] = await bench.tb.api['sync.status']();
    expect(after!.offlineSince).toBeNull();
    expect(after!.receiver.lastSuccessAt).toBe(bench.tb.clock.now.toISOString());
  });
});
