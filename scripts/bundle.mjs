// Node entry points (the CLI, the preview's backend) run from an esbuild bundle instead of tsx: tsx
// compiles every TypeScript file at each start, seconds before the first line runs. The bundle is rebuilt
// whenever one of its inputs (listed by esbuild's metafile, so moved or new files are followed) is newer
// than the last build, so nobody ever runs a stale one.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'dist-node');

/**
 * Files outside the metafile's own-source inputs that change what esbuild produces: the build settings
 * (this file), the compiler options, the package's dependencies, and npm's record of what is installed
 * (rewritten by every install, so one file stands for the thousands of bundled package files).
 */
const SETTINGS = [fileURLToPath(import.meta.url), 'tsconfig.json', 'package.json', 'node_modules/.package-lock.json'];

/**
 * Kept outside the bundle: better-sqlite3 loads a native addon; exceljs is large and only loaded (by a
 * dynamic import) when a funder's spreadsheet is written.
 */
const EXTERNAL = ['better-sqlite3', 'exceljs'];

/** moment-timezone with France's time zones only (see moment-timezone-fr.mjs); for every esbuild bundle. */
export const frenchTimezonesOnly = {
  name: 'moment-timezone-fr',
  setup(build) {
    build.onResolve({ filter: /^moment-timezone$/ }, () => ({ path: fileURLToPath(new URL('./moment-timezone-fr.mjs', import.meta.url)) }));
  },
};

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Infinity; // a vanished input (moved, deleted) forces a rebuild
  }
};

function isFresh(stampFile, outFile, cwd) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    statSync(outFile);
  } catch {
    return false;
  }
  // Compared with the moment the build started, not when it ended: a file saved during a build may
  // not be in it.
  return stamp.inputs.every((f) => mtime(resolve(cwd, f)) < stamp.startedAt);
}

/**
 * Builds `entry` (a TypeScript file) into `<outDir>/<name>.mjs` unless the last build is still fresh.
 * @returns {Promise<{ file: string, rebuilt: boolean }>}
 */
export async function ensureBundle(entry, { name = basename(entry).replace(/\.[cm]?tsx?$/, ''), outDir = OUT_DIR, cwd = ROOT } = {}) {
  const outFile = join(outDir, `${name}.mjs`);
  const stampFile = join(outDir, `${name}.inputs.json`);
  if (isFresh(stampFile, outFile, cwd)) return { file: outFile, rebuilt: false };

  const startedAt = Date.now();
  const { build } = await import('esbuild'); // loading esbuild alone costs a fifth of a second
  const result = await build({
    entryPoints: [resolve(cwd, entry)],
    absWorkingDir: cwd,
    outfile: outFile,
    bundle: true,
    external: EXTERNAL,
    plugins: [frenchTimezonesOnly],
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // One minified file parses several times faster than the same code spread over node_modules.
    minify: true,
    keepNames: true,
    metafile: true,
    write: false,
    logLevel: 'error',
    // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
    banner: { js: "import { createRequire as __sillonRequire } from 'node:module'; const require = __sillonRequire(import.meta.url);" },
  });
  const inputs = [...Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/')), ...SETTINGS.map((f) => relative(cwd, resolve(ROOT, f)))];
  mkdirSync(outDir, { recursive: true });
  // Written to a temporary name then renamed: several processes (parallel tests) may build at once, and
  // none may load a half-written file. The stamp goes last, so it never vouches for an older bundle.
  const tmp = `.${process.pid}.tmp`;
  for (const f of result.outputFiles) {
    writeFileSync(f.path + tmp, f.contents);
    renameSync(f.path + tmp, f.path);
  }
  writeFileSync(stampFile + tmp, JSON.stringify({ startedAt, entry, inputs }, null, 1));
  renameSync(stampFile + tmp, stampFile);
  return { file: outFile, rebuilt: true };
}
