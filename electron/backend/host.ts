import { startBackend } from './backend';
import { resolveDataDir } from './paths';

/**
 * Entry of the backend utility process in the app: messages `{ id, method, payload }` from the main
 * process (already through the IPC gate) go through the same dispatch as the CLI and the bridge.
 */
interface ParentPort {
  on(event: 'message', listener: (e: { data: { id: number; method: string; payload: unknown } }) => void): void;
  postMessage(message: unknown): void;
}

async function main(): Promise<void> {
  const port = (process as unknown as { parentPort: ParentPort }).parentPort;
  const backend = await startBackend(resolveDataDir());
  // Sync triggers: start-up now, then the timer, local changes and "sync now" (see sync/engine.ts).
  backend.sync.start();
  port.on('message', ({ data }) => {
    void backend.dispatch(data.method, data.payload).then((result) => port.postMessage({ id: data.id, result }));
  });
}

void main();
