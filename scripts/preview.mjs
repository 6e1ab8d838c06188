// npm run preview: builds the renderer (unless dist/ is already the build of today's sources), then serves
// it with the real backend on 127.0.0.1. The backend runs from its bundle, rebuilt if stale (bundle.mjs).
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ensureBundle } from './bundle.mjs';
import { markRendererBuilt, rendererBuildIsFresh } from './renderer-build.mjs';

if (rendererBuildIsFresh()) {
  process.stdout.write('Interface déjà construite et à jour (dist/renderer) : pas de nouvelle construction.\n');
} else {
  const startedAt = Date.now();
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  markRendererBuilt(startedAt);
}
let file;
try {
  ({ file } = await ensureBundle('electron/backend/preview.ts'));
} catch {
  process.exit(1); // esbuild has already printed the compile errors
}
await import(pathToFileURL(file).href);
