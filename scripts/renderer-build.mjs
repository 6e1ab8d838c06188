// Whether dist/renderer is the build of today's sources, so `npm run preview` only runs `vite build`
// (ten seconds or more) when something the renderer is made of changed since the last one.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What the renderer bundle is made of: its sources, the shared code it imports, the build settings, the installed packages. */
export const RENDERER_INPUTS = ['renderer', 'shared', 'vite.config.ts', 'tsconfig.json', 'package.json', 'node_modules/.package-lock.json'];

/** Written next to (not inside) dist/renderer, which vite empties at each build. */
const stampOf = (root) => join(root, 'dist', 'renderer-build.json');

/** The newest modification time under `path` (a file or a folder walked recursively); Infinity if missing. */
export function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return Infinity;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A folder's own time changes when an entry is added, removed or renamed.
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function rendererBuildIsFresh(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampOf(root), 'utf8'));
    statSync(join(root, 'dist', 'renderer', 'index.html'));
  } catch {
    return false;
  }
  // Compared with the moment the build started: a file saved during the build may not be in it.
  return RENDERER_INPUTS.every((p) => newestMtime(join(root, p)) < stamp.startedAt);
}

export function markRendererBuilt(startedAt, root = ROOT) {
  writeFileSync(stampOf(root), JSON.stringify({ startedAt }));
}
