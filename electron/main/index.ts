import { app, BrowserWindow, ipcMain, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { asLocale } from '../../shared/messages';
import { gate, IPC_CHANNEL } from './ipc-gate';
import { ledgerKey, tokenKey } from './secrets';
import { isAllowedNavigation, windowOptions } from './security';

/**
 * The Electron main process, kept thin: one window, the IPC gate, and the backend in a utility process.
 * Everything it forwards has passed the gate (sender check + zod parse); the backend checks again.
 */
const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
const dataDir = dataDirArg ?? process.env.SILLON_DATA_DIR ?? app.getPath('userData');
const appUrl = pathToFileURL(join(__dirname, '..', 'dist', 'renderer', 'index.html')).toString();

let backend: UtilityProcess | undefined;
let nextId = 1;
const pending = new Map<number, (result: unknown) => void>();

function startBackend(): void {
  backend = utilityProcess.fork(join(__dirname, 'backend-host.cjs'), ['--data-dir', dataDir], { serviceName: 'sillon-backend' });
  // First message: the token key, unsealed here because only the main process may use safeStorage.
  backend.postMessage({ type: 'init', syncKey: tokenKey(dataDir), ledgerKey: ledgerKey(dataDir) });
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
  const win = new BrowserWindow(windowOptions(join(__dirname, 'preload.cjs')));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, appUrl)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(appUrl);
}

// One app per user session: a second launch hands over to the first (its window comes to the front) and
// quits. Another process on the same data folder (the CLI, the preview) is refused by the backend's lock file.
const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.quit();
app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win?.isMinimized()) win.restore();
  win?.focus();
});

app.enableSandbox();
app.whenReady().then(async () => {
  if (!firstInstance) return;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  startBackend();
  ipcMain.handle(IPC_CHANNEL, async (event, method: unknown, payload: unknown, language: unknown) => {
    const locale = asLocale(language);
    const checked = gate(event.senderFrame?.url ?? '', appUrl, method, payload, locale);
    if (!checked.ok) return checked;
    return call(checked.method, checked.payload, locale);
  });
  await createWindow();
});

app.on('window-all-closed', () => {
  backend?.kill();
  app.quit();
});
