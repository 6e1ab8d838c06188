/**
 * `sync`: 100 000 attendance records through the real sync engine — due-items query, batches of 500 saved
 * before sending, POST to the reference receiver over loopback HTTP, per-record acks applied in one
 * transaction per batch — against a bare loop that POSTs the same records in batches of 500 with no
 * bookkeeping at all. Each client runs in its own process (bench/sync-client.ts) so `peak_rss_mb` is the
 * client's alone; each talks to its own fresh receiver in this process, so both make it do the same work.
 * Goals: ≤ 15 s and ≤ 300 MB for the engine.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import { startBackend } from '../electron/backend/backend';
import { startReceiver } from '../test/receiver/server';
import { benchLine, call, note, scaled, tempDir, type Bench } from './lib';

const NAME = 'sync';
const SIRET = '99900100100018';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ClientResult {
  seconds: number;
  peakRssMb: number;
  batches: number;
}

function client(args: string[]): Promise<ClientResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sync-client.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok(JSON.parse(out.trim().split('\n').at(-1)!) as ClientResult) : fail(new Error(`sync-client ${args[0]} exited ${code}`))));
  });
}

function attendance(i: number) {
  return {
    enrolmentId: uuidv7(),
    slot: { date: '2026-11-20', start: i % 2 ? '13:30' : '08:30', end: i % 2 ? '17:00' : '12:00', modality: 'presentiel' },
    status: 'present',
    minutes: 60 + (i % 150),
    evidence: { method: 'signature', sha256: 'ab'.repeat(32) },
    closedAt: '2026-11-20T12:05:00Z',
  };
}

async function run(): Promise<string> {
  const n = scaled(100_000, 500);
  const tmp = tempDir(NAME);
  const receivers = [await startReceiver({ dbFile: join(tmp.dir, 'receiver-baseline.db') }), await startReceiver({ dbFile: join(tmp.dir, 'receiver-sync.db') })];
  try {
    const [forBaseline, forSync] = receivers as [(typeof receivers)[0], (typeof receivers)[0]];
    const token = forSync.issueToken(SIRET, { token: 'bench-token' });
    forBaseline.issueToken(SIRET, { token });

    // Set-up, outside any clock: organisation, receiver, n records queued in the outbox.
    const backend = await startBackend(tmp.dir);
    await call(backend, 'organisation.save', { name: 'Organisme (bench)', siret: SIRET, nda: '44670000067' });
    const receiver = await call(backend, 'sync.saveReceiver', { name: 'Région', url: forSync.url, token });
    const insert = backend.raw.prepare('INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES (?, ?, 1, ?, ?)');
    backend.raw.transaction(() => {
      for (let i = 0; i < n; i++) insert.run('attendance', uuidv7(), JSON.stringify(attendance(i)), '2026-11-23T09:00:00.000Z');
    })();
    await backend.close();
    note(NAME, `${n} records queued`);

    const baseline = await client(['baseline', tmp.dir, forBaseline.url, token]);
    note(NAME, `baseline: ${baseline.seconds.toFixed(2)} s, ${baseline.batches} POSTs, peak RSS ${baseline.peakRssMb.toFixed(0)} MB`);
    const sync = await client(['sync', tmp.dir, receiver.id]);
    note(NAME, `engine: ${sync.seconds.toFixed(2)} s, ${sync.batches} batches, peak RSS ${sync.peakRssMb.toFixed(0)} MB`);
    if (forSync.current(SIRET).size !== n || forBaseline.current(SIRET).size !== n) throw new Error('not every record reached the receiver');
    return benchLine(NAME, sync.seconds / baseline.seconds, {
      seconds: sync.seconds,
      peak_rss_mb: Math.round(sync.peakRssMb),
      baseline_seconds: baseline.seconds,
    });
  } finally {
    for (const r of receivers) await r.close();
    tmp.cleanup();
  }
}

export const syncBench: Bench = {
  name: NAME,
  description: '100 000 records to the loopback reference receiver: engine vs bare POST loop (batches of 500), client peak RSS',
  run,
};
