import { app, BrowserWindow, ipcMain, protocol, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { asLocale } from '../../shared/messages';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, serveAppRequest } from './app-protocol';
import { gate, ipcSender, IPC_CHANNEL } from './ipc-gate';
import { dataKey, ledgerKey, tokenKey } from './secrets';
import { BLOCKED_REQUEST_URLS, isAllowedExternal, isAllowedNavigation, windowOptions } from './security';

/**
 * The Electron main process, kept thin: one window on the sillon:// scheme, app-wide guards, the IPC gate,
 * and the backend in a utility process. Everything it forwards has passed the gate (sender check + zod
 * parse); the backend checks again. The rules themselves live in 'electron'-free modules, tested in Node.
 */
const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
const dataDir = dataDirArg ?? process.env.SILLON_DATA_DIR ?? app.getPath('userData');
const rendererRoot = join(__dirname, '..', 'dist', 'renderer');

let backend: UtilityProcess | undefined;
let mainWindow: BrowserWindow | undefined;
let nextId = 1;
const pending = new Map<number, (result: unknown) => void>();

function startBackend(): void {
  backend = utilityProcess.fork(join(__dirname, 'backend-host.cjs'), ['--data-dir', dataDir], { serviceName: 'sillon-backend' });
  // First message: the token key, unsealed here because only the main process may use safeStorage.
  backend.postMessage({ type: 'init', syncKey: tokenKey(dataDir), ledgerKey: ledgerKey(dataDir), dataKey: dataKey(dataDir) });
  backend.on('message', (msg: { id: number; result: unknown }) => {
    pending.get(msg.id)?.(msg.result);
    pending.delete(msg.id);
  });
  backend.on('exit', (code) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'internal', message: `Le moteur de Sillon s'est arrêté (code ${code}).` } });
    pending.clear();
  });
}

function call(method: string, payload: unknown, locale: string): Promise<unknown> {
  return new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    backend!.postMessage({ id, method, payload, locale });
  });
}

async function createWindow(): Promise<void> {
  // The options come from windowOptions() (security.ts), which the scanner cannot follow into; their values
  // (contextIsolation, sandbox, disableBlinkFeatures: 'Auxclick') are asserted by test/unit/security.test.ts, and
  // that this window gets exactly them by test/unit/electron-main.test.ts.
  const win = new BrowserWindow(windowOptions(join(__dirname, 'preload.cjs'))); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK -- set in windowOptions(), asserted by a unit test
  mainWindow = win;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_URL);
}

// Must run before 'ready': the scheme's privileges are fixed when Chromium starts.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

// One app per user session: two instances on one database would run two sync engines. A second launch hands
// over to the first (its window comes to the front) and quits. Another process on the same data folder (the
// CLI, the preview) is refused by the backend's lock file.
const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.quit();
app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

// Every web contents, present and future (windows, devtools, anything a page could open): navigation only
// within the app, no new windows, no webviews. Links to allow-listed official sites open in the browser.
app.on('web-contents-created', (_event, contents) => {
  const stayInApp = (details: { url: string; preventDefault(): void }) => {
    if (!isAllowedNavigation(details.url, APP_URL)) details.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK -- only https URLs of EXTERNAL_HOSTS get here (isAllowedExternal, unit-tested)
    return { action: 'deny' };
  });
});

app.whenReady().then(async () => {
  if (!firstInstance) return;
  // The renderer, with the CSP header on every answer; nothing outside dist/renderer is reachable.
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await serveAppRequest(request.url, request.method, rendererRoot);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
  const ses = session.defaultSession;
  // No permission (camera, notifications, clipboard read, geolocation…) is ever needed: refuse both the
  // request and the silent check that some APIs do first.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // No remote content: the page needs neither the network nor the disk.
  ses.webRequest.onBeforeRequest({ urls: [...BLOCKED_REQUEST_URLS] }, (_details, callback) => callback({ cancel: true }));
  startBackend();
  ipcMain.handle(IPC_CHANNEL, async (event, method: unknown, payload: unknown, language: unknown) => {
    const locale = asLocale(language);
    const checked = gate(ipcSender(event, mainWindow?.webContents.id), APP_URL, method, payload, locale);
    if (!checked.ok) return checked;
    return call(checked.method, checked.payload, locale);
  });
  await createWindow();
});

app.on('window-all-closed', () => {
  backend?.kill();
  app.quit();
});
