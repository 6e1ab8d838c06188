import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { LOCK_FILE } from '../../electron/backend/db/instance-lock';
import { databaseFile } from '../../electron/backend/paths';

/**
 * Issue #8 item 5: another process writing must make Sillon wait, not fail at once with "database is
 * locked"; past the wait, the French sentence says Sillon is open elsewhere; and a second Sillon on one data
 * folder is refused up front, in French.
 */
const ROOT = resolve(__dirname, '..', '..');
let dir: string;
const open: Backend[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sillon-lock-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const b of open.splice(0)) await b.close();
  rmSync(dir, { recursive: true, force: true });
});

async function backend(options: Parameters<typeof startBackend>[1] = {}): Promise<Backend> {
  const b = await startBackend(dir, options);
  open.push(b);
  return b;
}

/**
 * Another process (plain better-sqlite3, as any tool could) takes the write lock with BEGIN IMMEDIATE, writes
 * a funder, says "held", then commits after `holdMs` (or never, until killed).
 */
function holdWriteLock(holdMs: number | null): { child: ChildProcess; held: Promise<void>; exited: Promise<number | null> } {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(databaseFile(dir))});
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO funders (code, name, kind) VALUES ('AUTRE_PROCESSUS', 'Écrit par l''autre processus', 'autre')").run();
    process.stdout.write('held\\n');
    ${holdMs === null ? 'setInterval(() => {}, 1000);' : `setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0); }, ${holdMs});`}
  `;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const held = new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) ok();
    });
    child.once('exit', (code) => fail(new Error(`holder exited ${code} before taking the lock`)));
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return { child, held, exited };
}

/** A write that reads first in its transaction (the demo checks the base is empty): what failed at once before. */
const WRITE = 'demo.load';

describe('another process holds the write lock', () => {
  it('a write waits for it, then succeeds once it is released', async () => {
    const b = await backend({ lock: false });
    const holder = holdWriteLock(1500);
    await holder.held;
    const r = await b.dispatch(WRITE, {});
    expect(r.ok ? null : r.error.message).toBeNull();
    // It ran after the other process committed: the other's row is there.
    const funder = b.raw.prepare("SELECT name FROM funders WHERE code = 'AUTRE_PROCESSUS'").get() as { name: string } | undefined;
    expect(funder?.name).toBe("Écrit par l'autre processus");
    expect(await holder.exited).toBe(0);
  });

  it('held past the wait, the write is refused in French saying Sillon is open elsewhere, and nothing is saved', async () => {
    const b = await backend({ lock: false, busyTimeoutMs: 300 });
    const holder = holdWriteLock(null);
    await holder.held;
    const r = await b.dispatch(WRITE, {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(/^Sillon est déjà ouvert ailleurs/);
    expect(r.error.message).not.toMatch(/locked|Erreur interne/);
    holder.child.kill('SIGKILL');
    await holder.exited;
    const counts = await b.dispatch('system.counts', {});
    expect(counts.ok && (counts.value as { sessions: number }).sessions).toBe(0);
  });
});

describe('one Sillon per data folder', () => {
  it('a second backend on the same folder is told in French who holds it; once closed, the folder opens again', async () => {
    const first = await backend({ lock: 'app' });
    await expect(startBackend(dir, { lock: 'cli' })).rejects.toThrow(
      new RegExp(`^Sillon est déjà ouvert sur ce dossier de données \\(l'application Sillon, processus ${process.pid}\\)`),
    );
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await first.close();
    open.splice(open.indexOf(first), 1);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await backend({ lock: 'cli' });
  });

  it('a backend in another process is told in French too', async () => {
    const script = `
      import { startBackend } from ${JSON.stringify(pathToFileURL(join(ROOT, 'electron/backend/backend.ts')).href)};
      try { await startBackend(${JSON.stringify(dir)}, { lock: 'cli' }); process.stdout.write('opened\\n'); process.exit(0); }
      catch (e) { process.stdout.write(e.message + '\\n'); process.exit(5); }
    `;
    writeFileSync(join(dir, 'second.mts'), script);
    await backend({ lock: 'preview' });
    const out = await new Promise<{ code: number | null; text: string }>((ok) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'second.mts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      let text = '';
      child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
      child.once('exit', (code) => ok({ code, text }));
    });
    expect(out.code).toBe(5);
    expect(out.text).toMatch(new RegExp(`^Sillon est déjà ouvert sur ce dossier de données \\(l'aperçu navigateur de Sillon, processus ${process.pid}\\)`));
  });

  it('a lock left by a process that no longer runs is taken over', async () => {
    // A pid that cannot be running: the lock of a crashed Sillon.
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = dead.pid!;
    await new Promise((ok) => dead.once('exit', ok));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: (await import('node:os')).hostname(), holder: 'app', since: '2026-11-23T08:00:00.000Z' }));
    const b = await backend({ lock: 'app' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(b.raw.open).toBe(true);
  });

  it('a half-written lock (crash between create and write) is taken over', async () => {
    writeFileSync(join(dir, LOCK_FILE), '{"pid":');
    await backend({ lock: 'app' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  });
});
