// Bundles the Electron main process, the preload and the backend host into dist-electron/ (CommonJS).
import { build } from 'esbuild';
import { frenchTimezonesOnly } from './bundle.mjs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
await Promise.all([
  build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'dist-electron/main.cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist-electron/preload.cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/backend/host.ts'], outfile: 'dist-electron/backend-host.cjs', external: ['better-sqlite3'], plugins: [frenchTimezonesOnly] }),
]);
