import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, APP_URL, resolveAppPath, serveAppRequest } from '../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';

// A real folder laid out like dist/renderer, with a secret beside it (a sibling whose name starts like the
// root's, the classic prefix-check hole) and one above it.
let base: string;
let root: string;
const INDEX = '<!doctype html><title>Sillon</title>';
const SCRIPT = 'console.log("app");';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'sillon-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-abc.js'), SCRIPT);
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  mkdirSync(join(base, 'renderer-private'));
  writeFileSync(join(base, 'renderer-private', 'secret.txt'), 'secret');
  writeFileSync(join(base, 'secret.txt'), 'secret');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const text = (body: Uint8Array | string | null) => (body === null ? null : Buffer.from(body).toString('utf8'));

describe('the sillon:// scheme', () => {
  it('is registered standard and secure with the fetch API, and nothing that would weaken the page', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'sillon', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    expect(APP_URL).toBe('sillon://app/index.html');
  });

  it('serves the page and its assets with their type, the CSP header and nosniff', async () => {
    const page = await serveAppRequest(APP_URL, 'GET', root);
    expect(page.status).toBe(200);
    expect(text(page.body)).toBe(INDEX);
    expect(page.headers).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    });
    const script = await serveAppRequest('sillon://app/assets/index-abc.js', 'GET', root);
    expect([script.status, script.headers['content-type'], text(script.body)]).toEqual([200, 'text/javascript; charset=utf-8', SCRIPT]);
    const css = await serveAppRequest('sillon://app/assets/index-abc.css', 'GET', root);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await serveAppRequest('sillon://app/favicon.svg', 'GET', root);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
  });

  it('serves index.html for the bare origin, ignores the query and the hash route, and answers HEAD without a body', async () => {
    expect(text((await serveAppRequest('sillon://app/', 'GET', root)).body)).toBe(INDEX);
    expect(text((await serveAppRequest('sillon://app/index.html?v=2#/sessions/12', 'GET', root)).body)).toBe(INDEX);
    const head = await serveAppRequest(APP_URL, 'HEAD', root);
    expect([head.status, head.body, head.headers['content-security-policy']]).toEqual([200, null, CONTENT_SECURITY_POLICY]);
  });

  it('answers 404 for a missing file or a folder, still with the policy', async () => {
    const missing = await serveAppRequest('sillon://app/assets/nope.js', 'GET', root);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect((await serveAppRequest('sillon://app/assets', 'GET', root)).status).toBe(404);
  });

  it.each([
    ['an encoded ..', 'sillon://app/..%2fsecret.txt'],
    ['encoded dots and slash', 'sillon://app/%2e%2e%2fsecret.txt'],
    ['an encoded backslash', 'sillon://app/..%5csecret.txt'],
    ['a sibling folder sharing the prefix', 'sillon://app/..%2frenderer-private%2fsecret.txt'],
    ['a Windows drive', 'sillon://app/C:%5cWindows%5cwin.ini'],
    ['a NUL byte', 'sillon://app/index.html%00.js'],
  ])('refuses %s with 403 and never reads outside the folder', async (_what, url) => {
    const answer = await serveAppRequest(url, 'GET', root);
    expect(answer.status).toBe(403);
    expect(text(answer.body)).not.toBe('secret');
    expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('keeps plain dot segments and absolute paths inside the folder', async () => {
    // `..` and `%2e%2e` segments are folded by the URL parser (to /secret.txt, inside root); an absolute path
    // behind an encoded slash is looked up under root too. None of them reaches the secret above root.
    const absolute = `sillon://app/%2f${encodeURIComponent(join(base, 'secret.txt'))}`;
    for (const url of ['sillon://app/../secret.txt', 'sillon://app/%2e%2e/secret.txt', 'sillon://app/assets/../../secret.txt', absolute]) {
      const answer = await serveAppRequest(url, 'GET', root);
      expect(answer.status, url).toBe(404);
    }
    expect(resolveAppPath('sillon://app/assets/../index.html', root)).toEqual({ ok: true, file: join(root, 'index.html') });
  });

  it.each([
    ['another host', 'sillon://evil/index.html', 403],
    ['a port', 'sillon://app:8080/index.html', 403],
    ['credentials', 'sillon://user:pw@app/index.html', 403],
    ['another scheme', 'https://app/index.html', 403],
    ['file://', 'file:///etc/passwd', 403],
    ['a broken percent-encoding', 'sillon://app/%E0%A4%A', 400],
    ['no URL at all', 'index.html', 400],
  ])('refuses %s', async (_what, url, status) => {
    expect((await serveAppRequest(url, 'GET', root)).status).toBe(status);
  });

  it('is read-only: any method but GET and HEAD is refused', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const answer = await serveAppRequest(APP_URL, method, root);
      expect(answer.status, method).toBe(405);
    }
  });
});
