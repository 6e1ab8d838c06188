import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, windowOptions } from '../../electron/main/security';
import { gate } from '../../electron/main/ipc-gate';

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

  it('refuses a foreign page when the app is served from a custom scheme (opaque origins)', () => {
    const customApp = 'app://sillon/index.html';
    expect(isAllowedNavigation('app://sillon/sessions', customApp)).toBe(true);
    expect(isAllowedNavigation('evil://attacker/index.html', customApp)).toBe(false);
    expect(isAllowedNavigation('app://attacker/index.html', customApp)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', customApp)).toBe(false);
  });

  it('refuses unparsable URLs', () => {
    expect(isAllowedNavigation('not a url', httpApp)).toBe(false);
    expect(isAllowedNavigation(httpApp, 'not a url')).toBe(false);
  });
});

describe('IPC gate', () => {
  const appUrl = 'file:///opt/Sillon/dist/renderer/index.html';

  it('forwards a contract call from the app page with its parsed payload', () => {
    const r = gate(appUrl, appUrl, 'trainees.list', undefined);
    expect(r).toEqual({ ok: true, method: 'trainees.list', payload: { limit: 10_000, offset: 0 } });
  });

  it('refuses a call from another page', () => {
    const r = gate('https://example.com/', appUrl, 'actions.list', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
  });

  it('refuses an unknown method and a malformed payload', () => {
    const unknown = gate(appUrl, appUrl, 'db.dropAll', {});
    expect(!unknown.ok && unknown.error.code).toBe('unknown_method');
    const bad = gate(appUrl, appUrl, 'actions.get', { id: 12 });
    expect(!bad.ok && bad.error.code).toBe('validation');
  });
});
