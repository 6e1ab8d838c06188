/** migrations/0003_sync.ts on its own: applied over a version-2 database that already queued records. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../electron/backend/db/open';
import { migrations } from '../../migrations';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds the sync tables without touching the outbox; the routing trigger queues new records for each receiver of their type', async () => {
  dir = mkdtempSync(join(tmpdir(), 'sillon-sync-migration-'));
  const file = join(dir, 'sillon.db');
  const sync = migrations.find((m) => m.name === 'sync')!;
  expect(sync.version).toBe(3);
  const before = migrations.filter((m) => m.version < sync.version);
  const v2 = await openDatabase(file, { migrations: before });
  v2.raw.prepare(`INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES ('attendance', 'r1', 1, '{}', 'x')`).run();
  await v2.close();

  const v3 = await openDatabase(file, { migrations: [...before, sync] });
  try {
    expect(v3.raw.pragma('user_version', { simple: true })).toBe(3);
    expect(v3.backupPath).not.toBeNull();
    const tables = (v3.raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%sync%' OR name = 'reference_catalogues' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['reference_catalogues', 'sync_batches', 'sync_items', 'sync_receivers', 'sync_settings']);
    expect((v3.raw.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(1);

    const receiver = v3.raw.prepare(`INSERT INTO sync_receivers (id, name, kind, url, record_types, created_at, created_by, updated_at, updated_by) VALUES (?, ?, 'http', ?, ?, 'x', 'x', 'x', 'x')`);
    receiver.run('a', 'Attendance only', 'http://a', '["attendance"]');
    receiver.run('b', 'Enrolments only', 'http://b', '["enrolment"]');
    v3.raw.prepare(`INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES ('attendance', 'r2', 1, '{}', 'x')`).run();
    v3.raw.prepare(`INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES ('enrolment', 'e1', 1, '{}', 'x')`).run();
    const routed = v3.raw.prepare('SELECT receiver_id AS r, record_id AS id, state FROM sync_items ORDER BY receiver_id, seq').all();
    expect(routed).toEqual([
      { r: 'a', id: 'r2', state: 'pending' },
      { r: 'b', id: 'e1', state: 'pending' },
    ]);
    expect(() => v3.raw.prepare(`INSERT INTO sync_receivers (id, name, kind, record_types, created_at, created_by, updated_at, updated_by) VALUES ('c', 'x', 'http', '[]', 'x', 'x', 'x', 'x')`).run()).toThrow(/CHECK/);
    expect(() => v3.raw.prepare(`UPDATE sync_items SET state = 'lost'`).run()).toThrow(/CHECK/);
  } finally {
    await v3.close();
  }
});
