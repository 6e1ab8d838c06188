import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, type Backend } from '../../electron/backend/backend';
import type { Api, MethodName } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';

export interface TestBackend extends Backend {
  dataDir: string;
  /** Calls a method through the real dispatch (validation + permission) and throws on an error result. */
  api: Api;
  /** Current fake time; advance it with `clock.set`. */
  clock: { now: Date; set(iso: string): void };
  cleanup(): Promise<void>;
}

/**
 * A fresh backend on a real SQLite file in a temp folder, with time under the test's control. `template`: a data
 * folder copied first (a database filled once per file, e.g. the demo with a week recorded), so each test still
 * starts from its own copy.
 */
export async function testBackend(startAt = '2026-11-23T09:00:00Z', template?: string): Promise<TestBackend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sillon-test-'));
  if (template) cpSync(template, dataDir, { recursive: true });
  const clock = { now: new Date(startAt), set(iso: string) { clock.now = new Date(iso); } };
  const backend = await startBackend(dataDir, { now: () => clock.now });
  const api = new Proxy({} as Api, {
    get: (_t, method: string) => async (input?: unknown) => {
      const r = await backend.dispatch(method as MethodName, input);
      if (!r.ok) throw Object.assign(new Error(r.error.message), { api: r.error });
      return r.value;
    },
  });
  return {
    ...backend,
    dataDir,
    api,
    clock,
    cleanup: async () => {
      await backend.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The French refusal a call through `api` ends with (the test fails if the call succeeds). */
export async function refusalOf(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => (e as { api?: ApiError }).api,
  );
  if (!error) throw new Error('expected a refusal of the backend (an ApiError)');
  return error;
}
