import { METHOD_NAMES, type Api, type MethodInput, type MethodName, type MethodOutput } from '../../shared/contract';
import type { ApiError, ApiResult } from '../../shared/errors';

/** What the Electron preload exposes: the same methods, each answering an {@link ApiResult}. */
export type RawApi = { [M in MethodName]: (input?: MethodInput<M>) => Promise<ApiResult<MethodOutput<M>>> };

declare global {
  interface Window {
    api?: RawApi;
  }
}

/** An `ok: false` answer of the backend, thrown so forms can map `issues` back to their fields. */
export class ApiCallError extends Error {
  readonly error: ApiError;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.error = error;
  }
  get code() {
    return this.error.code;
  }
  get issues() {
    return this.error.issues ?? [];
  }
}

/** Any thrown value as an ApiError, so the UI always has one French sentence to show. */
export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiCallError) return e.error;
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `Erreur inattendue : ${message}` };
}

/** Browser preview and tests: the dev bridge serves the same contract as `POST /api/<method>`. */
async function httpCall(method: MethodName, input: unknown): Promise<ApiResult<unknown>> {
  let res: Response;
  try {
    res = await fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      // The page's language (<html lang>, kept by i18n): the backend answers its messages in it.
      headers: { 'content-type': 'application/json', 'x-sillon-locale': document.documentElement.lang || 'fr' },
      body: input === undefined ? '' : JSON.stringify(input),
    });
  } catch {
    return { ok: false, error: { code: 'internal', message: 'Le service local ne répond pas : vérifiez que Sillon est bien lancé.' } };
  }
  try {
    return (await res.json()) as ApiResult<unknown>;
  } catch {
    return { ok: false, error: { code: 'internal', message: `Réponse illisible du service local (HTTP ${res.status}).` } };
  }
}

/** Why a call was refused for the session itself rather than for what it asked. */
export type SessionLoss = 'unauthenticated' | 'locked';
type SessionListener = (reason: SessionLoss) => void;
const sessionListeners = new Set<SessionListener>();

/**
 * Tells `listener` whenever any call comes back `unauthenticated` (signed out, the account disabled or its session
 * ended elsewhere) or `locked` (the backend locked the idle session): the sign-in gate (lib/auth.tsx) then reads
 * `auth.status` again, so the next call after a session ends lands on the sign-in page. Returns the unsubscribe.
 */
export function onSessionLoss(listener: SessionListener): () => void {
  sessionListeners.add(listener);
  return () => {
    sessionListeners.delete(listener);
  };
}

function makeClient(raw: ((method: MethodName, input: unknown) => Promise<ApiResult<unknown>>)): Api {
  const client: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const method of METHOD_NAMES) {
    client[method] = async (input?: unknown) => {
      const result = await raw(method, input);
      if (!result.ok) {
        const code = result.error.code;
        if (code === 'unauthenticated' || code === 'locked') sessionListeners.forEach((l) => l(code));
        throw new ApiCallError(result.error);
      }
      return result.value;
    };
  }
  return Object.freeze(client) as unknown as Api;
}

/**
 * The typed client of the whole app. In Electron the preload's `window.api` (IPC); elsewhere the dev
 * bridge over HTTP. Either way an `ok: false` answer becomes an {@link ApiCallError}.
 */
export const api: Api = makeClient((method, input) => {
  const ipc = typeof window !== 'undefined' ? window.api : undefined;
  if (ipc) return (ipc[method] as (i?: unknown) => Promise<ApiResult<unknown>>)(input);
  return httpCall(method, input);
});
