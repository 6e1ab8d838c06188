import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The data folder: `--data-dir`, else SILLON_DATA_DIR, else the OS user-data folder Electron would use
 * for an app named "Sillon". Nothing is written anywhere else.
 */
export function resolveDataDir(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): string {
  const i = argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (i >= 0) {
    const arg = argv[i]!;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
    if (value) return value;
  }
  if (env.SILLON_DATA_DIR) return env.SILLON_DATA_DIR;
  return defaultUserDataDir(env);
}

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Sillon');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Sillon');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Sillon');
  }
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'sillon.db');
}
