/**
 * Crash test: a child process syncs 10 000 records (some with several versions) to the reference receiver
 * and is killed with SIGKILL at random moments, many times, while the receiver injects faults and local
 * edits keep coming between runs. At the end the receiver holds every record exactly once, at its latest
 * version and content, and the outbox agrees. Bounded: rounds stop after a time budget.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { inTransaction } from '../../electron/backend/context';
import { enqueue } from '../../electron/backend/evidence/outbox';
import { startReceiver, type Fault, type Receiver } from '../receiver/server';
import { attendancePayload, SIRET } from '../helpers/sync';
import { testBackend, type TestBackend } from '../helpers/backend';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RECORDS = 10_000;
const ROUNDS = 30;
/** Rounds stop after this much wall time (the final run always happens): the test stays bounded. */
const BUDGET_MS = 30_000;

/** Deterministic randomness: the seed is printed, so a failure can be replayed. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let tb: TestBackend;
let receiver: Receiver;
let receiverId: string;
const ids: string[] = [];

beforeAll(async () => {
  tb = await testBackend();
  receiver = await startReceiver();
  await tb.api['organisation.save']({ name: 'Organisme (crash test)', siret: SIRET });
  const token = receiver.issueToken(SIRET);
  receiverId = (await tb.api['sync.saveReceiver']({ name: 'Région', url: receiver.url, token })).id;
  // Seeded straight into the outbox (the routing trigger queues them for the receiver): fast set-up.
  const insert = tb.raw.prepare('INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES (?, ?, ?, ?, ?)');
  tb.raw.transaction(() => {
    for (let i = 0; i < RECORDS; i++) {
      const id = uuidv7();
      ids.push(id);
      insert.run('attendance', id, 1, JSON.stringify(attendancePayload(i % 200)), '2026-11-23T09:00:00.000Z');
      if (i % 10 === 0) insert.run('attendance', id, 2, JSON.stringify(attendancePayload((i % 200) + 1)), '2026-11-23T09:00:00.000Z');
    }
  })();
  await tb.close();
});

afterAll(async () => {
  await receiver?.close();
  await tb?.cleanup();
});

interface Run {
  child: ChildProcess;
  lines: string[];
  done: boolean;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/sync/crash-child.ts', tb.dataDir, receiverId], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const run = { done: false };
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const ready = new Promise<void>((ok) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      lines.push(l);
      if (l === 'ready') ok();
    });
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.on('exit', (code, signal) => {
      run.done = true;
      if (code !== null && code !== 0) process.stderr.write(`crash-child exited ${code}: ${stderr}\n`);
      ok({ code, signal });
    }),
  );
  return Object.assign(run, { child, lines, ready, exited });
}

/** Local edits made while the app is down: new versions of some records, a few new records. */
async function edit(random: () => number): Promise<void> {
  const b: Backend = await startBackend(tb.dataDir);
  try {
    await inTransaction(b.ctx, async (tx) => {
      const n = 200 + Math.floor(random() * 1_300);
      for (let i = 0; i < n; i++) await enqueue(tx, 'attendance', ids[Math.floor(random() * ids.length)]!, attendancePayload(Math.floor(random() * 210)));
      for (let i = 0; i < 20; i++) {
        const id = uuidv7();
        ids.push(id);
        await enqueue(tx, 'attendance', id, attendancePayload(42));
      }
    });
  } finally {
    await b.close();
  }
}

const FAULTS: (Fault | null)[] = [
  null,
  { kind: 'slow', ms: 150, when: 'after' },
  { kind: 'slow', ms: 150, when: 'before' },
  { kind: 'drop', when: 'after' },
  { kind: 'drop', when: 'before' },
  { kind: 'status', status: 503, retryAfter: 0 },
  { kind: 'status', status: 500 },
];

it('survives SIGKILL at random moments: every record exactly once at its latest version, and the outbox agrees', { timeout: 180_000 }, async () => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
  process.stderr.write(`sync crash test seed: ${seed} (CRASH_SEED=${seed} to replay)\n`);
  const random = mulberry32(seed);
  const started = Date.now();
  let kills = 0;
  let finishedAlone = 0;
  for (let round = 0; round < ROUNDS && Date.now() - started < BUDGET_MS; round++) {
    receiver.faults.clear();
    for (let f = 0; f < 3; f++) {
      const fault = FAULTS[Math.floor(random() * FAULTS.length)];
      if (fault) receiver.faults.add(fault, { times: 1 + Math.floor(random() * 3) });
    }
    const run = startChild();
    await Promise.race([run.ready, run.exited]);
    // A random moment: after 0–4 steps of the child, then 0–150 ms more (mid-request, mid-commit, between).
    const steps = Math.floor(random() * 5);
    const delay = Math.floor(random() * 150);
    const moment = (async () => {
      while (!run.done && run.lines.length < steps + 1) await new Promise((ok) => setTimeout(ok, 2));
      await new Promise((ok) => setTimeout(ok, delay));
      return null;
    })();
    const outcome = await Promise.race([run.exited, moment]);
    if (outcome === null) {
      run.child.kill('SIGKILL');
      const { code, signal } = await run.exited;
      // Killed, or it had just finished on its own: anything else is a failure of the child.
      if (signal === 'SIGKILL') kills++;
      else expect({ code, signal }).toEqual({ code: 0, signal: null });
    } else {
      expect(outcome.code).toBe(0);
      finishedAlone++;
    }
    if (random() < 0.7) await edit(random);
  }
  receiver.faults.clear();
  const last = startChild();
  expect((await last.exited).code).toBe(0);
  expect(last.lines.at(-1)).toBe('done');
  process.stderr.write(`sync crash test: ${kills} kills, ${finishedAlone} runs finished alone, ${receiver.log.length} requests\n`);
  expect(kills).toBeGreaterThanOrEqual(5);

  const b = await startBackend(tb.dataDir);
  try {
    const raw = b.raw;
    const states = raw.prepare('SELECT state, count(*) AS n FROM sync_items GROUP BY state').all() as { state: string; n: number }[];
    expect(states.map((s) => s.state)).toEqual(['acked']);
    expect((raw.prepare(`SELECT count(*) AS n FROM sync_batches WHERE state = 'in_flight'`).get() as { n: number }).n).toBe(0);
    const latest = raw
      .prepare(
        `SELECT o.record_id AS recordId, o.version, o.payload, i.receiver_ref AS receiverRef, i.result
         FROM outbox o JOIN sync_items i ON i.seq = o.seq
         WHERE o.version = (SELECT max(version) FROM outbox x WHERE x.record_id = o.record_id)`,
      )
      .all() as { recordId: string; version: number; payload: string; receiverRef: string | null; result: string }[];
    const stored = receiver.current(SIRET);
    expect(latest).toHaveLength(new Set(ids).size);
    expect(stored.size).toBe(latest.length);
    for (const l of latest) {
      const s = stored.get(l.recordId);
      expect(s?.version).toBe(l.version);
      expect(JSON.parse(s!.payload)).toEqual(JSON.parse(l.payload));
      // accepted or duplicate: the reference the receiver gave that very version, kept locally.
      expect(['accepted', 'duplicate']).toContain(l.result);
      expect(l.receiverRef).toBe(s!.receiverRef);
    }
    // Nothing doubled: each version stored at most once (primary key), never more versions than made.
    const made = (raw.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    expect(receiver.storedVersions(SIRET)).toBeLessThanOrEqual(made);
    const dup = receiver.db.prepare('SELECT count(*) AS n FROM (SELECT receiver_ref FROM versions GROUP BY receiver_ref HAVING count(*) > 1)').get() as { n: number };
    expect(dup.n).toBe(0);
  } finally {
    await b.close();
  }
});
