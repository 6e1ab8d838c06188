import { join } from 'node:path';
import { asLocale } from '../../shared/messages';
import type { Backend } from './backend';
import { currentOf, openRestorable } from './backup/restorable';
import { toApiError } from './dispatch';
import { resolveDataDir } from './paths';
import { FileKeySecretStore, KeySecretStore } from './sync/secret-store';

/**
 * Entry of the backend utility process in the app: messages `{ id, method, payload }` from the main
 * process (already through the IPC gate) go through the same dispatch as the CLI and the bridge.
 */
type Message = { type: 'init'; syncKey: string | null; ledgerKey?: string | null; dataKey?: string | null } | { id: number; method: string; payload: unknown; locale?: string };
interface ParentPort {
  on(event: 'message', listener: (e: { data: Message }) => void): void;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort: ParentPort }).parentPort;
let ready: Promise<Backend> | undefined;
/**
 * The window's session token: kept here, in the backend process, and never sent to the page. One window per app
 * (the single-instance lock), so one session; a sign-in replaces it, a sign-out forgets it.
 */
let sessionToken: string | null = null;

/**
 * The first message carries the token key, the evidence ledger's key and the data key the main process unsealed
 * with safeStorage (null: none, the backend then uses the key files of the data folder).
 */
async function start(syncKey: string | null, ledgerKey: string | null = null, dataKey: string | null = null): Promise<Backend> {
  const dataDir = resolveDataDir();
  const fileStore = new FileKeySecretStore(join(dataDir, 'sync.key'));
  const secrets = syncKey ? new KeySecretStore(Buffer.from(syncKey, 'base64'), fileStore) : fileStore;
  // Daily backups while the app runs; the restore screen replaces the base in place (backup/restorable.ts).
  // Sync triggers: start-up now, then the timer, local changes and "sync now" (see sync/engine.ts).
  const restorable = await openRestorable(
    dataDir,
    {
      sync: { secrets },
      ...(ledgerKey ? { ledgerKey: Buffer.from(ledgerKey, 'base64') } : {}),
      ...(dataKey ? { dataKey: Buffer.from(dataKey, 'base64') } : {}),
    },
    (b) => b.sync.start(),
  );
  return currentOf(restorable);
}

port.on('message', ({ data }) => {
  if ('type' in data) {
    ready ??= start(data.syncKey, data.ledgerKey ?? null, data.dataKey ?? null);
    return;
  }
  ready ??= start(null);
  // A backend that could not start (another Sillon holds the data folder, a newer schema…) answers every call
  // with its French reason instead of leaving the window waiting.
  void ready
    .then(async (backend) => {
      const served = await backend.serve(sessionToken, data.method, data.payload, { locale: asLocale(data.locale), transport: 'app' });
      if (served.token !== undefined) sessionToken = served.token;
      return served.result;
    })
    .catch((e: unknown) => ({ ok: false as const, error: toApiError(e) }))
    .then((result) => port.postMessage({ id: data.id, result }));
});
