/**
 * `sync` against a receiver that cannot be reached or misbehaves (issue #8, items 3 and 4): the run ends,
 * with its own exit code, and says what became of the records. The unreachable case runs the real CLI in a
 * child process; the others drive `syncCommand` in process against the reference receiver with fast retries.
 * No time is asserted: the test timeouts only guard against a run that would never end.
 */
import { runCli } from '../helpers/cli';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { startBackend } from '../../electron/backend/backend';
import { SYNC_EXIT, syncCommand } from '../../electron/backend/sync/cli-sync';
import { startReceiver } from '../receiver/server';
import { attendancePayload, queue, queueMany, SIRET, syncBench, type SyncBench } from '../helpers/sync';


const cli = (...args: string[]) => runCli(args);

describe('sync with the receiver unreachable (child process)', () => {
  let tmp: string | undefined;
  afterEach(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  it.each([
    ['connection refused', async () => {
      // A port that was just free: nothing listens there any more.
      const r = await startReceiver({ seedCatalogues: false });
      const url = r.url;
      await r.close();
      return url;
    }],
    ['unknown host', async () => 'http://recepteur.sillon.invalid'],
  ])('%s: a few probes, then exit 6; nothing sent, the records wait ("en attente"); the next sync probes again', async (_label, address) => {
    tmp = mkdtempSync(join(tmpdir(), 'sillon-sync-unreachable-'));
    const b = await startBackend(tmp);
    await b.dispatch('organisation.save', { name: 'Organisme (CLI)', siret: SIRET });
    await queueMany(b.ctx, 3);
    await b.close();
    const url = await address();

    const first = await cli('sync', '--url', url, '--token', 'jeton', '--data-dir', tmp);
    expect(first.code).toBe(6);
    expect(first.stderr).toMatch(/injoignable/);
    expect(first.stderr).toContain('Abandon après 3 essais sans réponse');
    expect(first.stderr).toContain('3 enregistrement(s) en attente, 0 en cours');

    const status = await cli('sync', 'status', '--data-dir', tmp);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/en attente : 3\n\s+en cours : 0\n\s+acquittés : 0\n/);

    // Across runs the wait is kept, but a new `sync` is a person asking: it probes at once, and says so.
    const again = await cli('sync', '--url', url, '--data-dir', tmp);
    expect(again.code).toBe(6);
    expect(again.stderr.match(/injoignable/g)?.length).toBeGreaterThanOrEqual(3);

    const check = await startBackend(tmp);
    try {
      const rows = check.raw.prepare('SELECT state, sent_at AS sentAt FROM sync_batches').all();
      expect(rows).toEqual([{ state: 'in_flight', sentAt: null }]);
      const items = check.raw.prepare('SELECT state, attempts FROM sync_items').all();
      expect(items).toEqual(Array(3).fill({ state: 'in_flight', attempts: 0 }));
    } finally {
      await check.close();
    }
  }, 100_000);
});

describe('sync against a faulty receiver (in process, fast retries)', () => {
  let bench: SyncBench | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await bench?.close();
    bench = undefined;
  });

  async function run(b: SyncBench): Promise<{ code: number; stderr: string; stdout: string }> {
    let stderr = '';
    let stdout = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    try {
      await syncCommand(b.tb, [], { url: b.receiver.url, token: b.token });
      return { code: 0, stderr, stdout };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { code: e.exitCode ?? 1, stderr: `${stderr}${e.message}\n`, stdout };
    } finally {
      vi.restoreAllMocks();
    }
  }

  it('413 on every batch: retried, then dead — never refused; exit 5', async () => {
    bench = await syncBench({ policy: { baseMs: 10, capMs: 50, maxAttempts: 3 } });
    await queueMany(bench.tb.ctx, 3);
    bench.receiver.faults.add({ kind: 'status', status: 413 }, { times: 1_000 });
    const out = await run(bench);
    expect(out.code).toBe(SYNC_EXIT.dead);
    expect(out.stderr).toContain('3 enregistrement(s) abandonné(s) pendant cet envoi');
    expect(out.stdout).toContain('Synchronisation terminée : 0 acquitté(s), 0 refusé(s), 3 abandonné(s).');
    expect(bench.items().map((i) => i.state)).toEqual(['dead', 'dead', 'dead']);
  }, 60_000);

  it('records refused by the receiver: exit 7; a later run with nothing new refused: exit 0', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 2);
    await queue(bench.tb.ctx, '0192f3c1-0000-7000-8000-00000000dead', attendancePayload(999));
    const out = await run(bench);
    expect(out.code).toBe(SYNC_EXIT.refused);
    expect(out.stderr).toContain('1 enregistrement(s) refusé(s) par le destinataire pendant cet envoi');
    await queueMany(bench.tb.ctx, 1);
    expect((await run(bench)).code).toBe(SYNC_EXIT.ok);
  }, 60_000);

  it('no answer at all (timeouts): a few probes, then exit 6, nothing lost', async () => {
    bench = await syncBench({ policy: { timeoutMs: 200 } });
    await queueMany(bench.tb.ctx, 2);
    bench.receiver.faults.add({ kind: 'slow', ms: 1_000, when: 'before' }, { times: 1_000 });
    const out = await run(bench);
    expect(out.code).toBe(SYNC_EXIT.unreachable);
    expect(out.stderr).toContain('Abandon après 3 essais sans réponse');
    expect(bench.items().map((i) => i.state)).toEqual(['in_flight', 'in_flight']);
  }, 60_000);
});
