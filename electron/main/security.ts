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
      experimentalFeatures: false,
      enableWebSQL: false,
      plugins: false,
      // A file dropped on the window must not replace the app (the navigation guard would refuse it too).
      navigateOnDragDrop: false,
      // Middle click opens links in a new window without going through window.open's handler.
      disableBlinkFeatures: 'Auxclick',
      // A page looping on alert() gets a checkbox to silence it.
      safeDialogs: true,
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
    // Custom schemes (sillon://…) have an opaque origin, "null", which every other opaque URL shares too.
    if (app.origin === 'null') return target.protocol === app.protocol && target.host === app.host && app.host !== '';
    return target.origin === app.origin;
  } catch {
    return false;
  }
}

/**
 * The only sites Sillon hands to the system browser (a link with target=_blank, window.open): official
 * sources a training body reads beside the app. Exact host names, https only; anything else is dropped.
 */
export const EXTERNAL_HOSTS: readonly string[] = Object.freeze([
  'www.legifrance.gouv.fr', // the Code du travail, decrees on training and apprenticeship
  'www.service-public.fr', // practical sheets; its older links redirect to the .gouv.fr name below
  'www.service-public.gouv.fr',
  'travail-emploi.gouv.fr', // the Labour ministry: Qualiopi, AFEST, apprenticeship rules
  'www.moncompteformation.gouv.fr', // CPF, the trainee's side
  'www.of.moncompteformation.gouv.fr', // EDOF, the training body's side of CPF
  'www.francetravail.fr', // jobseekers' training funding
  'www.francecompetences.fr', // RNCP / RS certifications, funding levels
  'www.cnil.fr', // personal data (trainees' NIR, signatures)
]);

/**
 * Whether `url` may be opened in the system browser: https, an exact host of EXTERNAL_HOSTS, no credentials
 * (`https://x@host` is a phishing trick) and no explicit port. The URL parser lowercases the host and turns
 * IDNs into punycode, so look-alikes and `host.evil.com` fail the exact comparison.
 */
export function isAllowedExternal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && EXTERNAL_HOSTS.includes(parsed.hostname);
}

/**
 * Requests the app's session cancels outright (`webRequest.onBeforeRequest` URL patterns): the page is served
 * by the sillon:// scheme and talks to the backend over IPC, so no request of the renderer ever needs the
 * network or the disk — a third wall behind the CSP and the navigation guard. The backend's sync runs in the
 * utility process on Node's own sockets, outside this session. data: and blob: (signature images) stay allowed.
 */
export const BLOCKED_REQUEST_URLS: readonly string[] = Object.freeze(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*', 'file:///*']);
