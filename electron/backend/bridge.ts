import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { asLocale } from '../../shared/messages';
import type { Backend } from './backend';
import { toApiError } from './dispatch';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};
const MAX_BODY = 20 * 1024 * 1024;

/**
 * The dev bridge: serves the built renderer and the real backend over HTTP on 127.0.0.1, so the app runs
 * in a browser where Electron cannot be launched. Same contract, same validation: `POST /api/<method>`
 * with the JSON payload goes through the same dispatch as IPC. A preview and test tool, not a server product.
 */
export function startBridge(backend: Backend, options: { staticDir: string; port?: number }): Promise<{ server: Server; url: string }> {
  const root = resolve(options.staticDir);
  const server = createServer((req, res) => {
    handle(backend, root, req, res).catch((e: unknown) => {
      // Never SQLite's or Node's own text: the same French sentences as dispatch (a busy base says so).
      send(res, 500, { ok: false, error: toApiError(e) });
    });
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      ok({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

async function handle(backend: Backend, root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  // Only this machine's own names: a foreign name that resolves to 127.0.0.1 (DNS rebinding) would make a
  // hostile page "same-origin" with the bridge and let it read the answers.
  const host = req.headers.host ?? '';
  const port = req.socket.localPort;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Hôte refusé.' } });
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, { ok: false, error: { code: 'validation', message: 'Adresse invalide.' } });
  }
  if (path.startsWith('/api/')) {
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'validation', message: 'Méthode HTTP non permise : POST attendu.' } });
    // A page of another origin must not drive the backend: browsers send Origin on cross-site POSTs.
    const origin = req.headers.origin;
    if (origin && origin !== `http://${host}`) return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Origine refusée.' } });
    const body = await readBody(req);
    let payload: unknown;
    try {
      payload = body.length ? JSON.parse(body) : undefined;
    } catch {
      return send(res, 400, { ok: false, error: { code: 'validation', message: 'Corps de requête : JSON invalide.' } });
    }
    // The renderer names its language per call; answers (messages) come back in it. The session travels in an
    // HttpOnly cookie the page's scripts cannot read; without a signed-in session only the sign-in methods answer.
    const served = await backend.serve(sessionCookie(req), path.slice(5), payload, { locale: asLocale(req.headers['x-sillon-locale']), transport: 'preview' });
    const headers: Record<string, string> = {};
    if (served.token !== undefined) headers['set-cookie'] = served.token ? `${SESSION_COOKIE}=${served.token}; HttpOnly; SameSite=Strict; Path=/` : `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
    const status = !served.result.ok && served.result.error.code === 'unauthenticated' ? 401 : 200;
    return send(res, status, served.result, headers);
  }
  let file = normalize(join(root, path));
  // `root + sep`: a sibling folder whose name merely starts like root's (static-private) is outside.
  if (file !== root && !file.startsWith(root + sep)) return send(res, 403, { ok: false });
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end("Interface non construite : lancez d'abord « npm run build:renderer ».");
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        fail(new Error('Requête trop volumineuse.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** The preview's session cookie: a host-only, HttpOnly, SameSite=Strict cookie holding the session's token. */
export const SESSION_COOKIE = 'sillon_session';

function sessionCookie(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || null;
  }
  return null;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
