// npm run cli -- <command>: runs electron/backend/cli.ts from its bundle (rebuilt first if any source is
// newer), in this same process so that arguments, exit code and output are the CLI's own.
import { pathToFileURL } from 'node:url';
import { ensureBundle } from './bundle.mjs';

let file;
try {
  ({ file } = await ensureBundle('electron/backend/cli.ts'));
} catch {
  process.exit(1); // esbuild has already printed the compile errors
}
await import(pathToFileURL(file).href);
