import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './shared/security';

/** Stands in renderer/index.html for the policy, so the meta sits where the page says and carries its comments. */
export const CSP_PLACEHOLDER = '__SILLON_CSP__';

/**
 * Writes the app's CSP into index.html's `<meta http-equiv>`: a second layer behind the header that the
 * sillon:// scheme and the bridge send, from the same directives (shared/security.ts), minus the header-only
 * ones browsers ignore in a meta (frame-ancestors). A page without the placeholder fails the build.
 */
export function cspMeta(): Plugin {
  return {
    name: 'sillon-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`renderer/index.html: the CSP meta (content="${CSP_PLACEHOLDER}") is missing.`);
        // The dev server (`npx vite`) injects an inline React Refresh preamble the policy would block: no meta there.
        if (ctx.server) return html.replace(new RegExp(`^.*${CSP_PLACEHOLDER}.*\\n`, 'm'), '');
        return html.replace(CSP_PLACEHOLDER, CONTENT_SECURITY_POLICY_META.replaceAll('&', '&amp;').replaceAll('"', '&quot;'));
      },
    },
  };
}

// The renderer: built to dist/renderer with relative URLs, served by Electron's sillon:// scheme and by the bridge.
// `npm run preview` serves the same build through the dev bridge; `npx vite` proxies /api to it.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMeta()],
  // The holiday calendar needs France's time zones, not moment-timezone's whole world (scripts/moment-timezone-fr.mjs).
  resolve: { alias: [{ find: /^moment-timezone$/, replacement: fileURLToPath(new URL('./scripts/moment-timezone-fr.mjs', import.meta.url)) }] },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline module-preload polyfill: the CSP is script-src 'self'.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:5174' },
  },
});
