import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge } from '../../electron/backend/bridge';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { testBackend, type TestBackend } from '../helpers/backend';

let tb: TestBackend;
let server: Server;
let url: string;
let port: number;
let outside: string;
const INDEX = '<!doctype html><html lang="fr"><head><title>Sillon</title></head><body><div id="root"></div><script type="module" src="/assets/app.js"></script></body></html>';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can set Host and Origin as a hostile page would. */
function http(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((done, fail) => {
    // Signed in as the administrator unless the test sends its own cookie (or none: `cookie: ''`).
    const headers = { 'content-type': 'application/json', cookie: session, ...options.headers };
    if (!headers.cookie) delete (headers as Partial<typeof headers>).cookie;
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
const post = (method: string, payload?: unknown, headers: Record<string, string> = {}) =>
  http('POST', `/api/${method}`, { body: payload === undefined ? '' : JSON.stringify(payload), headers });
const json = (r: Reply) => JSON.parse(r.body) as { ok: boolean; value?: unknown; error?: { code: string; message: string; issues?: { path: string }[] } };

beforeAll(async () => {
  tb = await testBackend();
  const staticDir = join(tb.dataDir, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX);
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("sillon");');
  // A sibling folder whose name starts like the static folder's: it must stay out of reach.
  outside = `${staticDir}-private`;
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'NIR 179044935500771');
  ({ server, url } = await startBridge(tb, { staticDir }));
  port = (server.address() as AddressInfo).port;
  const setup = await post('auth.setup', ADMIN, { cookie: '' });
  session = cookieOf(setup);
});

const ADMIN = { login: 'cvasseur', name: 'Claire Vasseur', email: null, password: 'Atelier-2026!' };
let session = '';
/** The `name=value` of the session cookie a reply sets (empty when it clears it). */
function cookieOf(r: Reply): string {
  const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('sillon_session='));
  if (!set) throw new Error(`no session cookie in ${r.status} ${r.body}`);
  return set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!;
}
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await tb.cleanup();
});

describe('bridge: the session', () => {
  it('answers nothing but the sign-in methods without a session, and keeps the token in an HttpOnly cookie', async () => {
    const anonymous = await post('actions.list', {}, { cookie: '' });
    expect(anonymous.status).toBe(401);
    expect(json(anonymous)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(json(await post('auth.status', {}, { cookie: '' }))).toMatchObject({ ok: true, value: { signedIn: false, setupNeeded: false } });

    const signIn = await post('auth.signIn', { login: ADMIN.login, password: ADMIN.password }, { cookie: '' });
    expect(signIn.status).toBe(200);
    const set = ([] as string[]).concat(signIn.headers['set-cookie'] ?? [])[0]!;
    expect(set).toMatch(/^sillon_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    // The page gets the account, never the token.
    expect(signIn.body).not.toContain(set.split(';')[0]!.split('=')[1]!);
    expect(json(signIn)).toMatchObject({ ok: true, value: { status: { signedIn: true, account: { login: ADMIN.login } } } });
    const mine = cookieOf(signIn);
    expect(json(await post('actions.list', {}, { cookie: mine }))).toMatchObject({ ok: true });

    // An altered cookie opens nothing and is cleared.
    const altered = await post('actions.list', {}, { cookie: `${mine.slice(0, -2)}xx` });
    expect(altered.status).toBe(401);
    expect(([] as string[]).concat(altered.headers['set-cookie'] ?? [])[0]).toMatch(/^sillon_session=; .*Max-Age=0/);

    // Signing out ends that session only; the cookie is cleared and no longer works.
    const out = await post('auth.signOut', {}, { cookie: mine });
    expect(cookieOf(out)).toBe('');
    expect((await post('actions.list', {}, { cookie: mine })).status).toBe(401);
    expect((await post('actions.list', {})).status).toBe(200);
  });
});

describe('bridge: the API', () => {
  it('POST /api/actions.list returns ok with the value', async () => {
    const r = await post('actions.list', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(json(r)).toEqual({ ok: true, value: [] });
    // An empty body is an absent payload.
    expect(json(await post('actions.list'))).toEqual({ ok: true, value: [] });
  });

  it('goes through the real dispatch: a save is read back', async () => {
    const saved = json(await post('actions.save', { title: 'CAP Cuisine', plannedMinutes: 600, modality: 'presentiel' }));
    expect(saved.ok).toBe(true);
    const list = json(await post('actions.list', {}));
    expect(list.value).toEqual([saved.value]);
  });

  it('a malformed payload returns ok:false with code validation naming the field', async () => {
    const before = (tb.raw.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    const r = await post('sessions.save', { label: 'X', mode: 'cohort', capacity: 'douze', startDate: '2026-11-02', endDate: '2026-11-27' });
    expect(r.status).toBe(200);
    const body = json(r);
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('validation');
    expect(body.error?.message).toMatch(/^Saisie invalide — /);
    expect(body.error?.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['actionId', 'capacity']));
    expect((tb.raw.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n).toBe(before);
  });

  it('a body that is not JSON is refused with 400', async () => {
    const r = await http('POST', '/api/actions.list', { body: '{nope' });
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ ok: false, error: { code: 'validation', message: 'Corps de requête : JSON invalide.' } });
  });

  it('an unknown method answers unknown_method; GET on the API answers 405', async () => {
    expect(json(await post('db.dropAll', {}))).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const get = await http('GET', '/api/actions.list');
    expect(get.status).toBe(405);
    expect(json(get)).toMatchObject({ ok: false });
  });

  it('a POST with a foreign Origin is refused 403 and runs nothing', async () => {
    const r = await post('organisation.save', { name: 'Pirate', siret: '73282932000074' }, { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(json(r)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(json(await post('organisation.get', {})).value).toBeNull();
  });

  it('a POST from the page itself (same Origin) is accepted', async () => {
    const r = await post('actions.list', {}, { origin: `http://127.0.0.1:${port}` });
    expect(r.status).toBe(200);
    expect(json(r).ok).toBe(true);
  });

  it('refuses a page whose name resolves to 127.0.0.1 (DNS rebinding: Host and Origin agree but are foreign)', async () => {
    const r = await post('trainees.list', {}, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` });
    expect(r.status).toBe(403);
    expect(json(r)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const noOrigin = await post('trainees.list', {}, { host: `evil.example:${port}` });
    expect(noOrigin.status).toBe(403);
    // localhost is the same machine and stays allowed.
    expect((await post('actions.list', {}, { host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
  });
});

describe('bridge: the static files', () => {
  it('GET / serves index.html with the CSP header', async () => {
    const r = await http('GET', '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe(INDEX);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves assets with their type and unknown paths as the app (client-side routes)', async () => {
    const js = await http('GET', '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("sillon");');
    const route = await http('GET', '/sessions/0190');
    expect(route.status).toBe(200);
    expect(route.body).toBe(INDEX);
    expect(route.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('never serves a file outside the static folder', async () => {
    const name = basename(outside);
    for (const path of [`/..%2F${name}%2Fsecret.txt`, `/%2E%2E/${name}/secret.txt`, `/../${name}/secret.txt`, '/..%2F..%2F..%2Fetc%2Fpasswd']) {
      const r = await http('GET', path);
      expect(r.body, path).not.toContain('179044935500771');
      expect(r.body, path).not.toMatch(/root:/);
      expect([200, 403], path).toContain(r.status);
    }
  });

  it('answers 400 to a malformed escape instead of failing', async () => {
    const r = await http('GET', '/%E0%A4%A');
    expect(r.status).toBe(400);
    expect((await http('GET', '/')).status).toBe(200);
  });
});

describe('bridge: the network', () => {
  it('listens on 127.0.0.1 only', async () => {
    const address = server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(address.family).toBe('IPv4');
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    // Every other address of this machine refuses the connection.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    for (const host of others) {
      const reached = await new Promise<boolean>((done) => {
        const socket = connect({ host, port, timeout: 2000 });
        socket.once('connect', () => {
          socket.destroy();
          done(true);
        });
        socket.once('error', () => done(false));
        socket.once('timeout', () => {
          socket.destroy();
          done(false);
        });
      });
      expect(reached, host).toBe(false);
    }
  });
});
