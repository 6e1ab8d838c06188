/**
 * Security settings of the app window, kept free of any 'electron' import so a plain-Node test can
 * assert them (the Electron binary cannot run on the build machines).
 */
export { CONTENT_SECURITY_POLICY } from '../../shared/security';

/** The BrowserWindow options; `preload` is the absolute path of the bundled preload script. */
export function windowOptions(preload: string) {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Sillon',
    backgroundColor: '#ffffff',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  } as const;
}

/** Only the app's own pages may load; everything else (links, redirects) is refused. */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
    // Custom schemes (app://…) have an opaque origin, "null", which every other opaque URL shares too.
    if (app.origin === 'null') return target.protocol === app.protocol && target.host === app.host && app.host !== '';
    return target.origin === app.origin;
  } catch {
    return false;
  }
}
