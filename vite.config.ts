import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: built to dist/renderer with relative URLs, because Electron loads it from file://.
// `npm run preview` serves the same build through the dev bridge; `npx vite` proxies /api to it.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
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
