import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKeySecretStore, KeySecretStore } from '../../electron/backend/sync/secret-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('KeySecretStore (the key the app unseals with safeStorage)', () => {
  it('seals and opens, and refuses what another key sealed', () => {
    const store = new KeySecretStore(randomBytes(32));
    const sealed = store.seal('jeton-secret');
    expect(sealed).not.toContain('jeton-secret');
    expect(store.open(sealed)).toBe('jeton-secret');
    expect(() => new KeySecretStore(randomBytes(32)).open(sealed)).toThrow();
    expect(() => new KeySecretStore(randomBytes(16))).toThrow(/32 octets/);
  });

  it('still opens tokens sealed earlier by the CLI key file, and seals new ones under its own key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sillon-secrets-'));
    dirs.push(dir);
    const file = new FileKeySecretStore(join(dir, 'sync.key'));
    const old = file.seal('jeton-cli');
    const app = new KeySecretStore(randomBytes(32), file);
    expect(app.open(old)).toBe('jeton-cli');
    expect(() => file.open(app.seal('jeton-app'))).toThrow();
  });
});
