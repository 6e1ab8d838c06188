import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

/**
 * The packaging configuration's Electron fuses, read from electron-builder.yml as electron-builder reads it,
 * and the whole file checked against electron-builder's own schema (a misspelt fuse would be dropped silently
 * otherwise: the binary would ship with the default).
 */
const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & { electronFuses: Record<string, boolean> };

describe('electron-builder.yml', () => {
  it.each([
    ['runAsNode', false],
    ['enableNodeOptionsEnvironmentVariable', false],
    ['enableNodeCliInspectArguments', false],
    ['enableEmbeddedAsarIntegrityValidation', true],
    ['onlyLoadAppFromAsar', true],
    ['enableCookieEncryption', true],
    ['grantFileProtocolExtraPrivileges', false],
    ['loadBrowserProcessSpecificV8Snapshot', false],
  ])('sets the fuse %s to %s', (fuse, value) => {
    expect(config.electronFuses[fuse]).toBe(value);
  });

  it('sets no fuse beyond those, and packs the app into an asar (what the integrity fuse checks)', () => {
    expect(Object.keys(config.electronFuses)).toHaveLength(8);
    expect(config.asar).toBe(true);
  });

  it("passes electron-builder's own configuration schema", async () => {
    // app-builder-lib is electron-builder's core; its validator is the one `electron-builder` runs first.
    const require = createRequire(import.meta.url);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
    };
    const quiet = { isEnabled: false, add: () => {} };
    await expect(validateConfiguration(config, quiet)).resolves.toBeUndefined();
    // And it would catch a misspelt fuse.
    await expect(validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }, quiet)).rejects.toThrow(/electronFuses/);
  });
});
