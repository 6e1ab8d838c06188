import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer: built to dist/renderer with relative URLs, because Electron loads it from file://.
// `npm run preview` serves the same build through the dev bridge; `npx vite` proxies /api to it.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
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
