/**
 * Child process of the crash test (test/integration/sync-crash.test.ts): opens the data folder and syncs
 * its one receiver until the queue is empty, printing one line per step. The parent kills it with SIGKILL
 * at random moments and starts it again. Usage: tsx test/sync/crash-child.ts <dataDir> <receiverId>
 *
 * It opens the database and the sync engine only (not the whole handler table), so it starts fast.
 */
import { makeCtx } from '../../electron/backend/context';
import { openDatabase } from '../../electron/backend/db/open';
import { databaseFile } from '../../electron/backend/paths';
import { SyncEngine } from '../../electron/backend/sync/engine';

const [dataDir, receiverId] = process.argv.slice(2);
if (!dataDir || !receiverId) {
  process.stderr.write('usage: crash-child <dataDir> <receiverId>\n');
  process.exit(2);
}
const opened = await openDatabase(databaseFile(dataDir));
const ctx = makeCtx({ db: opened.db, dataDir });
const engine = new SyncEngine(ctx, { policy: { baseMs: 20, capMs: 200, maxAttempts: 1_000_000, timeoutMs: 5_000, offlineMs: 50 } });
process.stdout.write('ready\n');
for (;;) {
  const out = await engine.step(receiverId);
  process.stdout.write(`${out.kind}${out.kind === 'sent' ? ` ${out.records}${out.recovered ? ' recovered' : ''}` : ''}\n`);
  if (out.kind === 'idle') break;
  if (out.kind === 'blocked' || out.kind === 'error') {
    process.stderr.write(`${JSON.stringify(out)}\n`);
    process.exit(3);
  }
  if (out.kind === 'wait' || out.kind === 'offline') await new Promise((ok) => setTimeout(ok, Math.max(0, out.until.getTime() - Date.now())));
}
await opened.close();
process.stdout.write('done\n');
