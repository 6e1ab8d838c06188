import { parseArgs } from 'node:util';
import { currentOf, openRestorable } from './backup/restorable';
import { startBridge } from './bridge';
import { resolveDataDir } from './paths';

/** Entry of `npm run preview`: the real backend + built renderer on 127.0.0.1 (see bridge.ts). */
const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, demo: { type: 'boolean' } }, allowPositionals: true });
const dataDir = values['data-dir'] ?? resolveDataDir([], process.env);
// Daily backups while it runs; the restore screen replaces the base in place (backup/restorable.ts).
const restorable = await openRestorable(dataDir, { lock: 'preview' }, (b) => b.sync.start());
const backend = currentOf(restorable);
if (values.demo) {
  const r = await backend.dispatch('demo.load', {});
  if (!r.ok) process.stderr.write(`${r.error.message}\n`);
}
const { url } = await startBridge(backend, { staticDir: 'dist/renderer', port: Number(values.port ?? 5174) });
process.stdout.write(`Sillon (aperçu navigateur) : ${url}  — données : ${dataDir}\nCtrl+C pour arrêter.\n`);
const stop = () => void restorable.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
