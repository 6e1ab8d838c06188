/**
 * The HTTP connector of the exchange protocol (shared/design/exchange-protocol.md): posts a saved batch body
 * as is, asks for a batch's stored response, reads reference catalogues — and sorts every answer into the
 * protocol's cases. No database here: the engine decides what each case does to the queue.
 */
import { parseRetryAfter } from '../backoff';

export interface HttpDeps {
  fetch: typeof fetch;
  timeoutMs: number;
  now(): Date;
  /** Aborts the request when the engine stops (the app quits). */
  signal?: AbortSignal | undefined;
}

export type HttpOutcome =
  /** 200 with a JSON body. */
  | { kind: 'ok'; body: unknown; etag: string | null }
  | { kind: 'not_found'; message: string }
  | { kind: 'not_modified' }
  /** 401 / 403: the token is missing, expired or for another training body. */
  | { kind: 'auth'; status: number; message: string }
  | { kind: 'too_large'; message: string }
  /** 429 / 503: busy, come back after `retryAfterMs` (null: no usable Retry-After). */
  | { kind: 'busy'; status: number; retryAfterMs: number | null; message: string }
  /**
   * 5xx, timeout, connection lost, unreadable 200: the batch may or may not have been stored. `answered`:
   * the receiver did answer (an HTTP status), as opposed to no answer at all (timeout, connection lost).
   */
  | { kind: 'unknown'; message: string; answered: boolean }
  /** Nothing was delivered (no route, connection refused): the receiver never saw the request. */
  | { kind: 'offline'; message: string }
  /** 400, 409 and other 4xx: the receiver refuses the request itself; resending it cannot help. */
  | { kind: 'refused'; status: number; code: string | null; message: string };

/** Codes of errors raised before a single byte reached the receiver. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);

export function endpoint(baseUrl: string, path: string): string {
  return new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

/** POST /v1/batches with the exact saved body; the batch id is the Idempotency-Key. */
export function postBatch(deps: HttpDeps, baseUrl: string, token: string, batchId: string, body: string): Promise<HttpOutcome> {
  return call(deps, endpoint(baseUrl, 'v1/batches'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': batchId, 'content-type': 'application/json' },
    body,
  });
}

/** GET /v1/batches/{id}: the stored response (ok), or not_found when the batch never arrived. */
export function getBatch(deps: HttpDeps, baseUrl: string, token: string, batchId: string): Promise<HttpOutcome> {
  return call(deps, endpoint(baseUrl, `v1/batches/${encodeURIComponent(batchId)}`), {
    method: 'GET',
    headers: { authorization: `Bearer ${token}` },
  });
}

/** GET /v1/reference/{catalogue}?since=… with If-None-Match. */
export function getReference(
  deps: HttpDeps,
  baseUrl: string,
  token: string,
  catalogue: string,
  since: string | null,
  etag: string | null,
): Promise<HttpOutcome> {
  const url = new URL(endpoint(baseUrl, `v1/reference/${encodeURIComponent(catalogue)}`));
  if (since !== null) url.searchParams.set('since', since);
  return call(deps, url.toString(), {
    method: 'GET',
    headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) },
  });
}

async function call(deps: HttpDeps, url: string, init: RequestInit): Promise<HttpOutcome> {
  let res: Response;
  let text: string;
  try {
    const timeout = AbortSignal.timeout(deps.timeoutMs);
    res = await deps.fetch(url, { ...init, signal: deps.signal ? AbortSignal.any([timeout, deps.signal]) : timeout });
    text = await res.text();
  } catch (e) {
    return networkFailure(e, deps.timeoutMs);
  }
  const status = res.status;
  if (status === 200) {
    try {
      return { kind: 'ok', body: JSON.parse(text), etag: res.headers.get('etag') };
    } catch {
      return { kind: 'unknown', message: 'Réponse illisible du destinataire (HTTP 200, JSON invalide).', answered: true };
    }
  }
  if (status === 304) return { kind: 'not_modified' };
  const err = errorBody(text);
  const said = err.message ? ` : ${err.message}` : '';
  if (status === 401 || status === 403) {
    return {
      kind: 'auth',
      status,
      message:
        status === 401
          ? `Le destinataire refuse le jeton d'accès (absent ou expiré)${said}. Reconnectez-vous : saisissez un nouveau jeton dans la fiche du destinataire ; les envois reprendront.`
          : `Le destinataire refuse ce jeton pour cet organisme (SIRET)${said}. Saisissez le jeton délivré à cet organisme dans la fiche du destinataire ; les envois reprendront.`,
    };
  }
  if (status === 404) return { kind: 'not_found', message: `Introuvable chez le destinataire${said}.` };
  if (status === 413) return { kind: 'too_large', message: `Lot trop volumineux pour le destinataire${said}.` };
  if (status === 429 || status === 503) {
    return { kind: 'busy', status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), deps.now()), message: `Destinataire occupé (HTTP ${status})${said}.` };
  }
  if (status >= 500) return { kind: 'unknown', message: `Erreur du destinataire (HTTP ${status})${said}.`, answered: true };
  if (status >= 400) return { kind: 'refused', status, code: err.code, message: `HTTP ${status}${err.code ? ` ${err.code}` : ''}${said}` };
  // 1xx/2xx other than 200, 3xx: not part of the protocol; the outcome of a POST is unknown.
  return { kind: 'unknown', message: `Réponse inattendue du destinataire (HTTP ${status}).`, answered: true };
}

function errorBody(text: string): { code: string | null; message: string | null } {
  try {
    const j = JSON.parse(text) as { code?: unknown; message?: unknown; error?: unknown };
    const code = typeof j.code === 'string' ? j.code : typeof j.error === 'string' ? j.error : null;
    return { code, message: typeof j.message === 'string' ? j.message : null };
  } catch {
    return { code: null, message: text.trim() ? text.trim().slice(0, 200) : null };
  }
}

function networkFailure(e: unknown, timeoutMs: number): HttpOutcome {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return { kind: 'unknown', message: `Le destinataire ne répond pas (délai de ${Math.round(timeoutMs / 1000)} s dépassé).`, answered: false };
  }
  const code = err.cause?.code ?? err.cause?.errors?.find((x) => x.code)?.code;
  if (code && NOT_DELIVERED.has(code)) return { kind: 'offline', message: `Destinataire injoignable (${code}) : hors ligne ou adresse erronée.` };
  const detail = err.cause?.message ?? err.message ?? String(e);
  return { kind: 'unknown', message: `Connexion interrompue avec le destinataire (${code ?? detail}).`, answered: false };
}
