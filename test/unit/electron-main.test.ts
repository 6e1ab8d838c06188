import { describe, expect, it, vi, beforeAll } from 'vitest';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL } from '../../electron/main/app-protocol';
import { IPC_CHANNEL } from '../../electron/main/ipc-gate';
import { BLOCKED_REQUEST_URLS, windowOptions } from '../../electron/main/security';

/**
 * The Electron binary cannot run on the build machines, so the real main process (electron/main/index.ts)
 * runs here against a stand-in 'electron' module that records what it is asked to do. Each test then plays
 * Electron's part — a page navigating, a window.open, an IPC call from an iframe — and checks the answer.
 */
type Listener = (...args: never[]) => unknown;
type Details = { url: string; preventDefault: () => void };

const electron = vi.hoisted(() => {
  const rec = {
    ready: false,
    sandboxEnabledBeforeReady: false,
    schemes: [] as { schemes: unknown; whileReady: boolean }[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
    appListeners: new Map<string, (...args: never[]) => unknown>(),
    windows: [] as { options: { webPreferences: { preload: string } }; loaded: string[]; focused: number; listeners: Map<string, () => void> }[],
    ipcHandlers: new Map<string, (...args: never[]) => Promise<unknown>>(),
    permissionRequest: undefined as undefined | ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((wc: unknown, permission: string) => boolean),
    blocked: undefined as undefined | { urls: string[]; listener: (details: { url: string }, callback: (r: { cancel?: boolean }) => void) => void },
    openedExternally: [] as string[],
    backendMessages: [] as unknown[],
    backendListener: undefined as undefined | ((message: unknown) => void),
    singleInstanceLockAsked: false,
  };
  let readyResolve: () => void = () => {};
  const whenReadyPromise = new Promise<void>((resolve) => (readyResolve = resolve));

  class BrowserWindow {
    static all: BrowserWindow[] = [];
    webContents = { id: 7 };
    record: (typeof rec.windows)[number];
    constructor(options: (typeof rec.windows)[number]['options']) {
      this.record = { options, loaded: [], focused: 0, listeners: new Map() };
      rec.windows.push(this.record);
      BrowserWindow.all.push(this);
    }
    on(event: string, listener: () => void) {
      this.record.listeners.set(event, listener);
    }
    once(event: string, listener: () => void) {
      this.record.listeners.set(event, listener);
    }
    show() {}
    async loadURL(url: string) {
      this.record.loaded.push(url);
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.record.focused++;
    }
    static getAllWindows() {
      return BrowserWindow.all;
    }
  }

  const module = {
    app: {
      getPath: () => '/nonexistent/sillon-test-user-data',
      enableSandbox: () => {
        rec.sandboxEnabledBeforeReady = !rec.ready;
      },
      whenReady: () => whenReadyPromise,
      on: (event: string, listener: (...args: never[]) => unknown) => rec.appListeners.set(event, listener),
      requestSingleInstanceLock: () => {
        rec.singleInstanceLockAsked = true;
        return true;
      },
      quit: () => {},
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, listener: (...args: never[]) => Promise<unknown>) => rec.ipcHandlers.set(channel, listener) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => rec.schemes.push({ schemes, whileReady: rec.ready }),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => rec.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof rec.permissionRequest) => (rec.permissionRequest = h),
        setPermissionCheckHandler: (h: typeof rec.permissionCheck) => (rec.permissionCheck = h),
        webRequest: { onBeforeRequest: (filter: { urls: string[] }, listener: NonNullable<typeof rec.blocked>['listener']) => (rec.blocked = { urls: filter.urls, listener }) },
      },
    },
    shell: {
      openExternal: async (url: string) => {
        rec.openedExternally.push(url);
      },
    },
    utilityProcess: {
      fork: () => ({
        postMessage: (message: unknown) => rec.backendMessages.push(message),
        on(event: string, listener: (message: unknown) => void) {
          if (event === 'message') rec.backendListener = listener;
          return this;
        },
        kill: () => true,
      }),
    },
    safeStorage: { isEncryptionAvailable: () => false },
  };
  const becomeReady = () => {
    rec.ready = true;
    readyResolve();
  };
  return { rec, module, becomeReady };
});

vi.mock('electron', () => electron.module);

const { rec } = electron;

/** Plays a web contents Electron creates, and collects the guards the main process hangs on it. */
function newContents() {
  const on = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (event: string, listener: Listener) => on.set(event, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  (rec.appListeners.get('web-contents-created') as (event: unknown, contents: unknown) => void)({}, contents);
  const navigate = (event: string, url: string) => {
    const details: Details = { url, preventDefault: vi.fn() };
    (on.get(event) as (d: Details) => void)(details);
    return vi.mocked(details.preventDefault).mock.calls.length > 0 ? 'refused' : 'allowed';
  };
  return { on, navigate, open: (url: string) => openHandler!({ url }) };
}

beforeAll(async () => {
  await import('../../electron/main/index');
  electron.becomeReady();
  await vi.waitFor(() => expect(rec.windows[0]?.loaded).toEqual([APP_URL]));
});

describe('the main process (electron/main/index.ts) against a stand-in Electron', () => {
  it('builds its one window from windowOptions() and loads the app through the sillon:// scheme', () => {
    expect(rec.windows).toHaveLength(1);
    const { options } = rec.windows[0]!;
    expect(options.webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(options).toEqual(windowOptions(options.webPreferences.preload));
    expect(options).toMatchObject({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false } });
    expect(rec.windows[0]!.loaded).toEqual(['sillon://app/index.html']);
  });

  it('registers the privileged scheme before the app is ready, and serves it once ready', () => {
    expect(rec.schemes).toEqual([{ schemes: [APP_SCHEME_PRIVILEGES], whileReady: false }]);
    expect([...rec.protocolHandlers.keys()]).toEqual([APP_SCHEME]);
    expect(rec.sandboxEnabledBeforeReady).toBe(true);
    expect(rec.singleInstanceLockAsked).toBe(true);
  });

  it('answers the scheme with the CSP and nosniff headers, and refuses a path out of the renderer folder', async () => {
    const handler = rec.protocolHandlers.get(APP_SCHEME)!;
    // An encoded slash hides `..` from the URL parser; decoded, it would climb out of dist/renderer.
    const escape = await handler(new Request('sillon://app/..%2f..%2fpackage.json'));
    expect(escape.status).toBe(403);
    expect(escape.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
    expect(escape.headers.get('x-content-type-options')).toBe('nosniff');
    const foreign = await handler(new Request('sillon://elsewhere/index.html'));
    expect(foreign.status).toBe(403);
    const write = await handler(new Request('sillon://app/index.html', { method: 'POST', body: 'x' }));
    expect(write.status).toBe(405);
  });

  it('keeps every web contents on the app: navigation, frames and redirects elsewhere are refused', () => {
    const contents = newContents();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(contents.navigate(event, 'https://evil.example/'), event).toBe('refused');
      expect(contents.navigate(event, 'file:///etc/passwd'), event).toBe('refused');
      expect(contents.navigate(event, 'sillon://other/index.html'), event).toBe('refused');
      expect(contents.navigate(event, `${APP_URL}#/sessions/12`), event).toBe('allowed');
    }
  });

  it('refuses webviews and new windows; only allow-listed https links reach the system browser', () => {
    const contents = newContents();
    const attach = { preventDefault: vi.fn() };
    (contents.on.get('will-attach-webview') as (e: typeof attach) => void)(attach);
    expect(attach.preventDefault).toHaveBeenCalled();

    const before = rec.openedExternally.length;
    const legifrance = 'https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006072050/LEGISCTA000006145388/';
    for (const url of [legifrance, 'https://evil.example/', 'http://www.cnil.fr/', 'javascript:alert(1)', 'https://evil.example@www.cnil.fr/', APP_URL]) {
      expect(contents.open(url), url).toEqual({ action: 'deny' });
    }
    expect(rec.openedExternally.slice(before)).toEqual([legifrance]);
  });

  it('denies every permission request and check, and cancels every network or file request of the session', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      rec.permissionRequest!({}, permission, (granted) => answers.push(granted));
      answers.push(rec.permissionCheck!(null, permission));
    }
    expect(answers).toEqual(Array(10).fill(false));
    expect(rec.blocked!.urls).toEqual([...BLOCKED_REQUEST_URLS]);
    const outcome: { cancel?: boolean }[] = [];
    rec.blocked!.listener({ url: 'https://tracker.example/pixel.gif' }, (r) => outcome.push(r));
    expect(outcome).toEqual([{ cancel: true }]);
  });

  it("forwards a call from the app window's top frame to the backend, and refuses one from an iframe", async () => {
    const handle = rec.ipcHandlers.get(IPC_CHANNEL)! as (event: unknown, method: unknown, payload: unknown, language: unknown) => Promise<unknown>;
    const fromIframe = await handle({ sender: { id: 7 }, senderFrame: { url: APP_URL, parent: {} } }, 'trainees.list', {}, 'fr');
    expect(fromIframe).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const fromOtherWindow = await handle({ sender: { id: 8 }, senderFrame: { url: APP_URL, parent: null } }, 'trainees.list', {}, 'fr');
    expect(fromOtherWindow).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const sentBefore = rec.backendMessages.length;

    const answer = handle({ sender: { id: 7 }, senderFrame: { url: `${APP_URL}#/trainees`, parent: null } }, 'trainees.list', { search: 'Mar' }, 'fr');
    await vi.waitFor(() => expect(rec.backendMessages.length).toBe(sentBefore + 1));
    const sent = rec.backendMessages.at(-1) as { id: number; method: string; payload: unknown; locale: string };
    expect(sent).toMatchObject({ method: 'trainees.list', payload: { search: 'Mar', limit: 10_000, offset: 0 }, locale: 'fr' });
    rec.backendListener!({ id: sent.id, result: { ok: true, data: [] } });
    await expect(answer).resolves.toEqual({ ok: true, data: [] });
  });

  it('brings the existing window forward when a second instance starts', () => {
    const focused = rec.windows[0]!.focused;
    (rec.appListeners.get('second-instance') as () => void)();
    expect(rec.windows[0]!.focused).toBe(focused + 1);
  });
});
