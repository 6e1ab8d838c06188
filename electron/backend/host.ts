import { join } from 'node:path';
import { asLocale } from '../../shared/messages';
import { startBackend, type Backend } from './backend';
import { toApiError } from './dispatch';
import { resolveDataDir } from './paths';
import { FileKeySecretStore, KeySecretStore } from './sync/secret-store';

/**
 * Entry of the backend utility process in the app: messages `{ id, method, payload }` from the main
 * process (already through the IPC gate) go through the same dispatch as the CLI and the bridge.
 */
type Message = { type: 'init'; syncKey: string | null; ledgerKey?: string | null } | { id: number; method: string; payload: unknown; locale?: string };
interface ParentPort {
  on(event: 'message', listener: (e: { data: Message }) => void): void;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort: ParentPort }).parentPort;
let ready: Promise<Backend> | undefined;

/**
 * The first message carries the token key and the evidence ledger's key the main process unsealed with
 * safeStorage (null: none, the backend then uses the key files of the data folder).
 */
async function start(syncKey: string | null, ledgerKey: string | null = null): Promise<Backend> {
  const dataDir = resolveDataDir();
  const fileStore = new FileKeySecretStore(join(dataDir, 'sync.key'));
  const secrets = syncKey ? new KeySecretStore(Buffer.from(syncKey, 'base64'), fileStore) : fileStore;
  const backend = await startBackend(dataDir, { sync: { secrets }, ...(ledgerKey ? { ledgerKey: Buffer.from(ledgerKey, 'base64') } : {}) });
  // Sync triggers: start-up now, then the timer, local changes and "sync now" (see sync/engine.ts).
  backend.sync.start();
  return backend;
}

port.on('message', ({ data }) => {
  if ('type' in data) {
    ready ??= start(data.syncKey, data.ledgerKey ?? null);
    return;
  }
  ready ??= start(null);
  // A backend that could not start (another Sillon holds the data folder, a newer schema…) answers every call
  // with its French reason instead of leaving the window waiting.
  void ready
    .then((backend) => backend.dispatch(data.method, data.payload, { locale: asLocale(data.locale) }))
    .catch((e: unknown) => ({ ok: false as const, error: toApiError(e) }))
    .then((result) => port.postMessage({ id: data.id, result }));
});
