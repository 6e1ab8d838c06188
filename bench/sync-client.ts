/**
 * Client side of the `sync` benchmark, run in its own process so its peak RSS is the client's alone.
 *   tsx bench/sync-client.ts sync <dataDir> <receiverId>          — the real engine drains the queue
 *   tsx bench/sync-client.ts baseline <dataDir> <url> <token>     — the same records, 500 per POST, no bookkeeping
 * Prints one JSON line: { seconds, peakRssMb, batches }.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { startBackend } from '../electron/backend/backend';
import { databaseFile } from '../electron/backend/paths';

const [mode, dataDir, a, b] = process.argv.slice(2);

async function runSync(): Promise<{ seconds: number; batches: number }> {
  const backend = await startBackend(dataDir!);
  const t0 = performance.now();
  let batches = 0;
  for (;;) {
    const out = await backend.sync.step(a!);
    if (out.kind === 'sent') batches++;
    else if (out.kind === 'idle') break;
    else throw new Error(`sync stopped: ${JSON.stringify(out)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const left = backend.raw.prepare(`SELECT count(*) AS n FROM sync_items WHERE state <> 'acked'`).get() as { n: number };
  if (left.n !== 0) throw new Error(`${left.n} records not acked`);
  await backend.close();
  return { seconds, batches };
}

async function runBaseline(): Promise<{ seconds: number; batches: number }> {
  const db = new Database(databaseFile(dataDir!), { readonly: true });
  const org = db.prepare('SELECT siret, nda FROM organisation LIMIT 1').get() as { siret: string; nda: string | null };
  const rows = db.prepare('SELECT record_id AS recordId, version, record_type AS type, payload FROM outbox ORDER BY seq');
  const t0 = performance.now();
  let batches = 0;
  let records: string[] = [];
  const send = async () => {
    const batchId = randomUUID();
    const head = JSON.stringify({ batchId, sentAt: new Date().toISOString(), sender: { siret: org.siret, nda: org.nda, software: 'baseline', deviceId: 'baseline' } });
    const res = await fetch(`${a}/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b}`, 'idempotency-key': batchId, 'content-type': 'application/json' },
      body: `${head.slice(0, -1)},"records":[${records.join(',')}]}`,
    });
    if (res.status !== 200) throw new Error(`baseline: HTTP ${res.status}`);
    await res.json();
    batches++;
    records = [];
  };
  // Read everything first (iterate() holds the statement): the same rows the engine reads, no writes.
  const all = rows.all() as { recordId: string; version: number; type: string; payload: string }[];
  for (const r of all) {
    records.push(`{"recordId":${JSON.stringify(r.recordId)},"version":${r.version},"type":${JSON.stringify(r.type)},"payload":${r.payload}}`);
    if (records.length === 500) await send();
  }
  if (records.length > 0) await send();
  db.close();
  return { seconds: (performance.now() - t0) / 1000, batches };
}

const result = mode === 'sync' ? await runSync() : await runBaseline();
// VmHWM is this process's own peak: getrusage's maxRSS carries over the parent's peak through fork + exec
// on Linux, so after the bigger benchmarks it would report the runner's memory, not the client's.
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const peakRssMb = hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...result, peakRssMb })}\n`);
