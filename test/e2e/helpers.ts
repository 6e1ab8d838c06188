import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { SESSION_COOKIE, startBridge } from '../../electron/backend/bridge';
import type { MethodName, MethodOutput } from '../../shared/contract';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const STATIC_DIR = join(ROOT, 'dist/renderer');
export const ARTIFACTS = join(ROOT, 'test-results/e2e');

/** The suite expects `npx vite build` beforehand; builds once itself when dist/renderer is missing. */
export function ensureRendererBuilt(): void {
  if (existsSync(join(STATIC_DIR, 'index.html'))) return;
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}

/**
 * Chromium for the e2e suite. Every context it opens starts signed in as the administrator of `signInTo` — by
 * default the app this test file started last (startApp) — so a test that opens its own context (a tablet beside
 * the desktop) needs no sign-in of its own; `{ signInTo: null }` for contexts that start signed out.
 * (`browser.newPage()` opens a context of its own and is not covered: use `newContext()`.)
 */
export async function launchChromium(options: { signInTo?: Running | null } = {}): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const app = options.signInTo === undefined ? lastStarted : options.signInTo;
  if (app?.admin) {
    const plain = browser.newContext.bind(browser);
    browser.newContext = async (contextOptions?: BrowserContextOptions) => {
      const context = await plain(contextOptions);
      await signInContext(context, app);
      return context;
    };
  }
  return browser;
}

/** The administrator startApp() creates in every fresh database, so the screens open signed in (issue #12). */
export const E2E_ADMIN = { login: 'e2e-admin', name: 'Admin E2E', password: 'Essai-E2E-2026!' } as const;

export interface Running {
  backend: Backend;
  url: string;
  dataDir: string;
  /** The administrator created at start, or null (`startApp({ setup: false })`: the first run is still to come). */
  admin: { login: string; password: string } | null;
  /** Calls the backend directly (not through the UI) and throws on a refusal: for checking what was saved. */
  call<M extends MethodName>(method: M, input?: unknown): Promise<MethodOutput<M>>;
  stop(): Promise<void>;
}

/** The app startApp() made last: the one whose administrator launchChromium()'s contexts sign in as. */
let lastStarted: Running | null = null;

/**
 * A real backend on a fresh SQLite file in a temp folder, behind the dev bridge serving dist/renderer, with the
 * administrator {@link E2E_ADMIN} created in it (in-process, as the first run would) unless `setup: false`.
 * `call` goes in-process as the backend's own identity: fixtures need no session.
 */
export async function startApp(options: { now?: () => Date; setup?: boolean } = {}): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sillon-e2e-'));
  const backend = await startBackend(dataDir, options.now ? { now: options.now } : {});
  const { server, url } = await startBridge(backend, { staticDir: STATIC_DIR });
  let admin: Running['admin'] = null;
  if (options.setup ?? true) {
    const r = await backend.dispatch('auth.setup', { login: E2E_ADMIN.login, name: E2E_ADMIN.name, email: null, password: E2E_ADMIN.password });
    if (!r.ok) throw new Error(`auth.setup: ${r.error.message}`);
    admin = { login: E2E_ADMIN.login, password: E2E_ADMIN.password };
  }
  const running: Running = {
    backend,
    url,
    dataDir,
    admin,
    async call(method, input) {
      const r = await backend.dispatch(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as never;
    },
    async stop() {
      if (lastStarted === running) lastStarted = null;
      await new Promise<void>((ok) => (server as Server).close(() => ok()));
      await backend.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  lastStarted = running;
  return running;
}

/**
 * Signs `context` in as `credentials` (the app's administrator by default): a sign-in through the backend as the
 * preview's bridge carries it, its session token set as the bridge's cookie (HttpOnly, SameSite=Strict, host-only on
 * 127.0.0.1, as the bridge sets it). A fresh session per context, opened on the backend's clock at this moment.
 */
export async function signInContext(context: BrowserContext, app: Running, credentials: { login: string; password: string } | null = app.admin): Promise<void> {
  if (!credentials) throw new Error('signInContext: this app has no account yet (startApp({ setup: false })).');
  const served = await app.backend.serve(null, 'auth.signIn', { login: credentials.login, password: credentials.password }, { transport: 'preview' });
  if (!served.result.ok || !served.token) throw new Error(`auth.signIn (${credentials.login}): ${served.result.ok ? 'no token' : served.result.error.message}`);
  await context.addCookies([{ name: SESSION_COOKIE, value: served.token, url: app.url, httpOnly: true, sameSite: 'Strict' }]);
}

/** Fails the test on any uncaught error or console error of the page: a blank screen must not pass. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Waits until no region of the main landmark says it is busy (data loaded, saves finished). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.querySelector('main');
    if (!main) return false;
    // The layout names the route it rendered (data-route): after a change of address, the new page, not the old.
    const route = main.getAttribute('data-route');
    const wanted = location.hash.replace(/^#/, '').split('?')[0] || '/';
    if (route !== null && route !== wanted) return false;
    return document.querySelector('main [aria-busy="true"]') === null;
  });
}

/**
 * Opens a page from the main menu and waits for it: the route changes after the click (the link becomes the
 * current page in the same render as the new page), then its data loads. `settled` alone could still see the
 * page being left.
 */
export async function openFromMenu(page: Page, label: string): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: label, exact: true });
  await link.click();
  await link.and(page.locator('[aria-current="page"]')).waitFor();
  await settled(page);
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** axe-core on the current page (WCAG 2.1 A/AA rules); returns the serious and critical findings. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export interface AppScreen {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far: a suite ends by expecting none. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Chromium on the app: a French desktop window (options override), 10 s default timeouts, page errors
 * watched, the home page open. `clock` pins the browser's time (the backend's is set by startApp). Signed in as
 * the app's administrator (a session cookie set before the page loads), unless `signedIn: false`: the page then
 * opens on the first-run or the sign-in page, for tests that sign in through the screens.
 */
export async function openScreen(app: Running, options: BrowserContextOptions & { clock?: number; settle?: boolean; signedIn?: boolean } = {}): Promise<AppScreen> {
  const { clock, settle = true, signedIn = app.admin !== null, ...contextOptions } = options;
  const browser = await launchChromium({ signInTo: null });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR', ...contextOptions });
  if (signedIn) await signInContext(context, app);
  if (clock !== undefined) await context.clock.install({ time: clock });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(app.url);
  if (settle) await settled(page);
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      await browser.close();
    },
  };
}
