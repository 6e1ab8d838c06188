import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openRestorable, currentOf, type RestorableBackend } from '../../electron/backend/backup/restorable';
import type { ApiResult } from '../../shared/errors';

/**
 * The restore screen's path in a running host (the app's backend process, the preview): an administrator restores a
 * backup through `backups.restore`; the backend closes, the backup replaces the base (the current one kept aside),
 * the backend opens again, and the very next call reads the restored data. Logged in the audit log.
 */
let dir: string;
let host: RestorableBackend | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

it('restores a backup in place: the next call reads it, the replaced base is kept, the ledger verifies', async () => {
  dir = mkdtempSync(join(tmpdir(), 'sillon-restore-'));
  let clock = new Date('2026-11-23T09:00:00Z');
  host = await openRestorable(dir, { lock: 'app', now: () => clock });
  const backend = currentOf(host);
  let token: string | null = null;
  const call = async (method: string, payload: unknown = {}) => {
    const served = await backend.serve(token, method, payload, { transport: 'preview' });
    if (served.token !== undefined) token = served.token;
    return served.result;
  };
  value(await call('auth.setup', { login: 'cvasseur', name: 'Claire Vasseur', email: null, password: 'Atelier-2026!' }));
  value(await call('organisation.save', { name: 'Les Ateliers', siret: '99900100100018' }));
  const backup = value<{ file: string }>(await call('backups.take'));

  clock = new Date('2026-11-23T09:10:00Z');
  value(await call('organisation.save', { name: 'Nom changé après la sauvegarde', siret: '99900100100018' }));
  expect(value<{ name: string }>(await call('organisation.get')).name).toBe('Nom changé après la sauvegarde');

  const outcome = value<{ restored: string; keptAside: string }>(await call('backups.restore', { file: backup.file }));
  expect(outcome.restored).toBe(backup.file);
  expect(existsSync(join(dir, 'backups', outcome.keptAside))).toBe(true);
  // The same session goes on (it existed when the backup was taken), on the restored data.
  expect(value<{ name: string }>(await call('organisation.get')).name).toBe('Les Ateliers');
  expect(value<{ ok: boolean }>(await call('ledger.verify'))).toMatchObject({ ok: true });
  const log = value<{ events: { action: string; summary: string }[] }>(await call('audit.list', {}));
  expect(log.events[0]).toMatchObject({ action: 'backup.restored' });
  expect(log.events[0]!.summary).toContain(`Sauvegarde ${backup.file} restaurée par Claire Vasseur`);
});
