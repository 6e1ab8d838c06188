import { readFileSync } from 'node:fs';
import type { IndexHtmlTransformContext, IndexHtmlTransformHook, Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { BLOCKED_REQUEST_URLS, CONTENT_SECURITY_POLICY, EXTERNAL_HOSTS, isAllowedExternal, isAllowedNavigation, windowOptions } from '../../electron/main/security';
import { gate } from '../../electron/main/ipc-gate';
import { APP_URL } from '../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY_META } from '../../shared/security';
import viteConfig, { cspMeta, CSP_PLACEHOLDER } from '../../vite.config';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [name, ...values] = d.split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('window options', () => {
  const options = windowOptions('/app/preload.cjs');
  const web = options.webPreferences;

  it('isolates and sandboxes the renderer', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses insecure content and webviews', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
  });

  it('turns off what the app never uses: experimental features, WebSQL, plugins, drag-and-drop navigation, middle-click windows', () => {
    expect(web.experimentalFeatures).toBe(false);
    expect(web.enableWebSQL).toBe(false);
    expect(web.plugins).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web.disableBlinkFeatures).toBe('Auxclick');
    expect(web).not.toHaveProperty('enableBlinkFeatures');
    expect(web).not.toHaveProperty('partition');
  });

  it('uses the given preload script', () => {
    expect(web.preload).toBe('/app/preload.cjs');
  });
});

describe('Content-Security-Policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  it("allows scripts from 'self' only, never eval or inline", () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('default-src')).toEqual(["'self'"]);
  });

  it('forbids plugins, framing, base rewriting and remote connections', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('names no remote host anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
  });

  it('has a meta variant with the same directives but frame-ancestors, which browsers ignore in a meta', () => {
    const meta = directives(CONTENT_SECURITY_POLICY_META);
    expect(meta.has('frame-ancestors')).toBe(false);
    const header = directives(CONTENT_SECURITY_POLICY);
    header.delete('frame-ancestors');
    expect(meta).toEqual(header);
  });
});

describe('the CSP meta of index.html (vite.config.ts)', () => {
  const source = readFileSync('renderer/index.html', 'utf8');
  const hook = cspMeta().transformIndexHtml as { order: string; handler: IndexHtmlTransformHook };
  const transform = (html: string, ctx: Partial<IndexHtmlTransformContext>) => hook.handler.call({} as never, html, { path: '/index.html', filename: 'renderer/index.html', ...ctx } as IndexHtmlTransformContext);
  const decode = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

  it('is part of the build configuration', () => {
    const names = (viteConfig as { plugins: (Plugin | Plugin[])[] }).plugins.flat().map((p) => p.name);
    expect(names).toContain('sillon-csp-meta');
  });

  it("fills the page's placeholder with the meta policy, before any script or stylesheet", async () => {
    const html = (await transform(source, {})) as string;
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
    expect(metas).toHaveLength(1);
    expect(decode(metas[0]![1]!)).toBe(CONTENT_SECURITY_POLICY_META);
    expect(html).not.toContain(CSP_PLACEHOLDER);
    const at = html.indexOf('http-equiv="Content-Security-Policy"');
    for (const tag of ['<script', '<link', '<style']) {
      const first = html.indexOf(tag);
      if (first >= 0) expect(at, tag).toBeLessThan(first);
    }
    // The charset must stay within the first 1024 bytes.
    expect(html.indexOf('<meta charset="utf-8"')).toBeLessThan(1024);
  });

  it('leaves the meta out of the dev server, whose inline React Refresh preamble it would block', async () => {
    const html = (await transform(source, { server: {} as IndexHtmlTransformContext['server'] })) as string;
    expect(html).not.toContain('Content-Security-Policy"');
    expect(html).not.toContain(CSP_PLACEHOLDER);
  });

  it('fails the build of a page that lost its placeholder', () => {
    expect(() => transform('<!doctype html><head></head>', {})).toThrow(/CSP meta/);
  });
});

describe('isAllowedExternal', () => {
  it('lets https links to the allow-listed official sites through', () => {
    expect(isAllowedExternal('https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037385659')).toBe(true);
    expect(isAllowedExternal('https://www.of.moncompteformation.gouv.fr/espace-prive/html/')).toBe(true);
    expect(isAllowedExternal('https://travail-emploi.gouv.fr/formation-professionnelle')).toBe(true);
    expect(isAllowedExternal('https://www.cnil.fr/fr/rgpd-de-quoi-parle-t-on?x=1#top')).toBe(true);
  });

  it('compares hosts as the URL parser writes them: case and the default port do not matter', () => {
    expect(isAllowedExternal('https://WWW.LEGIFRANCE.GOUV.FR/')).toBe(true);
    expect(isAllowedExternal('https://www.cnil.fr:443/')).toBe(true);
  });

  it.each([
    ['credentials before the host', 'https://evil.com@www.legifrance.gouv.fr/'],
    ['the allowed host as user name', 'https://www.legifrance.gouv.fr@evil.com/'],
    ['a suffix trick', 'https://www.legifrance.gouv.fr.evil.com/'],
    ['a prefix trick', 'https://evil-www.legifrance.gouv.fr/'],
    ['a subdomain of an allowed host', 'https://evil.www.cnil.fr/'],
    ['a parent of an allowed host', 'https://gouv.fr/'],
    ['a trailing dot', 'https://www.cnil.fr./'],
    ['a look-alike in Unicode', 'https://www.сnil.fr/'],
    ['plain http', 'http://www.legifrance.gouv.fr/'],
    ['another port', 'https://www.legifrance.gouv.fr:8443/'],
    ['javascript:', 'javascript:alert(document.domain)'],
    ['file:', 'file:///C:/Windows/System32/calc.exe'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a protocol-relative link', '//www.legifrance.gouv.fr/'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['the app itself', 'sillon://app/index.html'],
    ['no URL at all', 'www.legifrance.gouv.fr'],
  ])('refuses %s', (_what, url) => {
    expect(isAllowedExternal(url)).toBe(false);
  });

  it('keeps its list short: exact host names only, no wildcard', () => {
    expect(EXTERNAL_HOSTS.length).toBeLessThanOrEqual(10);
    for (const host of EXTERNAL_HOSTS) expect(host).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(Object.isFrozen(EXTERNAL_HOSTS)).toBe(true);
  });
});

describe('requests the session cancels', () => {
  it('covers every network scheme and file://, and leaves the app scheme, data: and blob: alone', () => {
    const schemes = BLOCKED_REQUEST_URLS.map((p) => p.split('://')[0]);
    expect(schemes.sort()).toEqual(['file', 'ftp', 'http', 'https', 'ws', 'wss']);
    expect(BLOCKED_REQUEST_URLS.join(' ')).not.toMatch(/sillon|data:|blob:/);
  });
});

describe('isAllowedNavigation', () => {
  const fileApp = 'file:///opt/Sillon/resources/app/dist/renderer/index.html';
  const httpApp = 'http://127.0.0.1:5174/';

  it('lets the app page itself (and its hash routes) load', () => {
    expect(isAllowedNavigation(fileApp, fileApp)).toBe(true);
    expect(isAllowedNavigation(`${fileApp}#/sessions/1`, fileApp)).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:5174/sessions', httpApp)).toBe(true);
  });

  it('refuses other origins', () => {
    expect(isAllowedNavigation('https://example.com/', httpApp)).toBe(false);
    expect(isAllowedNavigation('http://127.0.0.1:5175/', httpApp)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5174/', httpApp)).toBe(false);
    expect(isAllowedNavigation('https://127.0.0.1:5174/', httpApp)).toBe(false);
    expect(isAllowedNavigation('https://example.com/', fileApp)).toBe(false);
  });

  it('refuses other local files and odd schemes', () => {
    expect(isAllowedNavigation('file:///etc/passwd', fileApp)).toBe(false);
    expect(isAllowedNavigation('file:///opt/Sillon/resources/app/dist/renderer/other.html', fileApp)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', httpApp)).toBe(false);
    expect(isAllowedNavigation('data:text/html,<script>alert(1)</script>', httpApp)).toBe(false);
  });

  it("keeps to the app's own sillon:// host (custom schemes have opaque origins, compared by scheme and host)", () => {
    expect(isAllowedNavigation(`${APP_URL}#/sessions/1`, APP_URL)).toBe(true);
    expect(isAllowedNavigation('sillon://app/other.html', APP_URL)).toBe(true);
    expect(isAllowedNavigation('evil://app/index.html', APP_URL)).toBe(false);
    expect(isAllowedNavigation('sillon://attacker/index.html', APP_URL)).toBe(false);
    expect(isAllowedNavigation('sillon:///index.html', APP_URL)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', APP_URL)).toBe(false);
    expect(isAllowedNavigation('file:///opt/Sillon/resources/app.asar/dist/renderer/index.html', APP_URL)).toBe(false);
  });

  it('refuses unparsable URLs', () => {
    expect(isAllowedNavigation('not a url', httpApp)).toBe(false);
    expect(isAllowedNavigation(httpApp, 'not a url')).toBe(false);
  });
});

describe('IPC gate', () => {
  const appUrl = 'file:///opt/Sillon/dist/renderer/index.html';

  const top = (url: string) => ({ url, topFrameOfAppWindow: true });

  it('forwards a contract call from the app page with its parsed payload', () => {
    const r = gate(top(appUrl), appUrl, 'trainees.list', undefined);
    expect(r).toEqual({ ok: true, method: 'trainees.list', payload: { limit: 10_000, offset: 0 } });
  });

  it('refuses a call from another page', () => {
    const r = gate(top('https://example.com/'), appUrl, 'actions.list', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
  });

  it('refuses an unknown method and a malformed payload', () => {
    const unknown = gate(top(appUrl), appUrl, 'db.dropAll', {});
    expect(!unknown.ok && unknown.error.code).toBe('unknown_method');
    const bad = gate(top(appUrl), appUrl, 'actions.get', { id: 12 });
    expect(!bad.ok && bad.error.code).toBe('validation');
  });
});
