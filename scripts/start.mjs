// npm start: builds and launches the Electron app; where Electron's binary is missing, says so and
// points to the browser preview.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  electronBinary = require('electron'); // the package exports the binary's path
} catch {
  electronBinary = null;
}
if (typeof electronBinary !== 'string' || !existsSync(electronBinary)) {
  console.error("Le binaire d'Electron n'est pas installé sur cette machine : lancez « npm run preview » pour ouvrir Sillon dans un navigateur (mêmes données, même moteur).");
  process.exit(1);
}
for (const step of [['vite', 'build', '--logLevel', 'warn'], ['node', 'scripts/build-electron.mjs']]) {
  const [cmd, ...args] = step;
  const r = cmd === 'node' ? spawnSync('node', args, { stdio: 'inherit' }) : spawnSync('npx', [cmd, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const run = spawnSync(electronBinary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 0);
