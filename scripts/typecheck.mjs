// npm run typecheck: `tsc -p` on every tsconfig*.json at the root, two at a time. The root tsconfig.json
// checks everything (tests, bench, scripts) with DOM and Node together; each tsconfig.<layer>.json checks one
// layer with only the globals that layer may have (shared/: ECMAScript alone). Found by name, so a new layer
// config is checked without editing this file. Exits 1 if any config fails.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const configs = readdirSync('.').filter((f) => /^tsconfig(\..+)?\.json$/.test(f)).sort();

function check(config) {
  return new Promise((resolve) => {
    const started = performance.now();
    execFile(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${error ? 'FAIL' : 'ok  '} tsc -p ${config} (${seconds} s)\n${stdout}${stderr}`);
      resolve(!error);
    });
  });
}

const queue = [...configs];
const results = [];
const worker = async () => {
  for (let config = queue.shift(); config; config = queue.shift()) results.push(await check(config));
};
await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker));
process.exit(results.every(Boolean) ? 0 : 1);
