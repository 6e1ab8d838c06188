import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { openDatabase } from '../../electron/backend/db/open';
import { contentHash, entryHash, EVIDENCE_TABLES, GENESIS, type EvidenceType } from '../../electron/backend/evidence/hash';
import { readLedgerHead } from '../../electron/backend/evidence/head';
import { databaseFile } from '../../electron/backend/paths';
import { testBackend, type TestBackend } from '../helpers/backend';
import { queueMany, SIRET, syncBench } from '../helpers/sync';
import { recordDemoRollCall } from '../helpers/demo-rollcall';

/**
 * Issue #9, section 2: the ledger holds against whoever holds the data folder's database file. Each attack is
 * played by a second better-sqlite3 handle on the file (the attacker's), then checked through `ledger.verify`,
 * which runs on the backend's own connection, the one the ledger key is bound to.
 */


const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function demoBackend(): Promise<TestBackend> {
  const b = await testBackend('2026-11-23T09:00:00Z');
  cleanups.push(() => b.cleanup());
  await b.api['demo.load']({});
  return b;
}

/** The attacker's own handle on the file, with the append-only triggers dropped (they are guard rails, not locks). */
function attacker(b: { dataDir: string }): Database.Database {
  const db = new Database(databaseFile(b.dataDir));
  db.pragma('foreign_keys = OFF');
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%append_only%' OR name LIKE '%countersigned%')").all() as { name: string }[]) {
    db.exec(`DROP TRIGGER ${name}`);
  }
  return db;
}

const recordRollCall = recordDemoRollCall;

const count = (db: Database.Database, sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;
const verify = (b: TestBackend) => b.api['ledger.verify']({});
type Report = Awaited<ReturnType<typeof verify>>;
/** `ledger.verify` through the dispatch of a backend opened here (not a TestBackend). */
async function verifyVia(b: Backend): Promise<Report> {
  const r = await b.dispatch('ledger.verify', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Report;
}
const problemsOf = async (b: TestBackend) => (await verify(b)).problems.map((p) => p.problem);
const headFile = (b: { dataDir: string }) => join(b.dataDir, 'ledger.head');
const readHead = (b: { dataDir: string }) => JSON.parse(readFileSync(headFile(b), 'utf8')) as { count: number; mac: string; at: string; keyId: string; tag: string };

describe('the keyed ledger', () => {
  it('seals every entry, keeps its head outside the database, and verifies', async () => {
    const b = await demoBackend();
    const report = await verify(b);
    expect(report).toMatchObject({ ok: true, problems: [] });
    const entries = count(b.raw, 'SELECT count(*) AS n FROM ledger');
    expect(report.entries).toBe(entries);
    expect(count(b.raw, 'SELECT count(*) AS n FROM ledger WHERE mac IS NULL')).toBe(0);
    // The head file follows the chain after every commit, and readLedgerHead (documents, sync) gives the same.
    const head = readHead(b);
    expect(head.count).toBe(entries);
    expect(readLedgerHead({ get: (sql: string) => b.raw.prepare(sql).get() as never })).toEqual({ count: entries, mac: head.mac });
    // The key file: 32 bytes, owner-only.
    const key = join(b.dataDir, 'ledger.key');
    expect(Buffer.from(readFileSync(key, 'utf8'), 'base64')).toHaveLength(32);
    expect((await import('node:fs')).statSync(key).mode & 0o777).toBe(0o600);
  });

  it('catches a chain recomputed without the key (row changed, content hash and every later hash rewritten)', async () => {
    const b = await demoBackend();
    const db = attacker(b);
    const target = db.prepare("SELECT seq, record_id FROM ledger WHERE record_type = 'attendance_mark' ORDER BY seq LIMIT 1").get() as { seq: number; record_id: string };
    db.prepare('UPDATE attendance_marks SET minutes = minutes + 60 WHERE id = ?').run(target.record_id);
    // The attacker knows the hash formats (they are in the source): the whole unkeyed chain is consistent again.
    const entries = db.prepare('SELECT seq, record_type, record_id, content_hash, created_at FROM ledger WHERE seq >= ? ORDER BY seq').all(target.seq) as {
      seq: number; record_type: string; record_id: string; content_hash: string; created_at: string;
    }[];
    let prev = (db.prepare('SELECT hash FROM ledger WHERE seq = ?').get(target.seq - 1) as { hash: string } | undefined)?.hash ?? GENESIS;
    const update = db.prepare('UPDATE ledger SET content_hash = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    db.transaction(() => {
      for (const e of entries) {
        const content = e.seq === target.seq ? contentHash(db.prepare('SELECT * FROM attendance_marks WHERE id = ?').get(e.record_id) as Record<string, unknown>) : e.content_hash;
        const hash = entryHash(prev, e.seq, e.record_type, e.record_id, content, e.created_at);
        update.run(content, prev, hash, e.seq);
        prev = hash;
      }
    })();
    db.close();
    const report = await verify(b);
    expect(report.ok).toBe(false);
    // Only the seals give it away: hashes and contents agree again.
    expect(report.problems.map((p) => p.problem)).not.toContain('chain-broken');
    expect(report.problems.map((p) => p.problem)).not.toContain('content-changed');
    expect(report.problems[0]).toMatchObject({ seq: target.seq, problem: 'seal-broken' });
    expect(report.problems[0]!.message).toMatch(/sans sa clé/);
  });

  it('catches the last entries cut together with their rows', async () => {
    const b = await demoBackend();
    await recordRollCall(b);
    const before = readHead(b).count;
    const db = attacker(b);
    // The roll call's entries (its submission, marks and signatures) and their rows go: the chain left is whole.
    const last = db.prepare('SELECT seq, record_type, record_id FROM ledger WHERE seq > ? ORDER BY seq').all(before - 5) as { seq: number; record_type: EvidenceType; record_id: string }[];
    expect(last.map((e) => e.record_type)).toContain('rollcall_submission');
    db.transaction(() => {
      for (const e of last) {
        db.prepare(`DELETE FROM ${EVIDENCE_TABLES[e.record_type]} WHERE id = ?`).run(e.record_id);
        db.prepare('DELETE FROM ledger WHERE seq = ?').run(e.seq);
      }
    })();
    db.close();
    const report = await verify(b);
    expect(report.ok).toBe(false);
    expect(report.entries).toBe(before - 5);
    expect(report.problems.map((p) => p.problem)).toEqual(['entries-cut']);
    expect(report.problems[0]!.message).toBe(
      `Le registre compte ${(before - 5).toLocaleString('fr-FR')} entrées alors que son en-tête en atteste ${before.toLocaleString('fr-FR')} (le 2026-11-23) : les dernières entrées ont été supprimées.`,
    );
    // A later write does not move the head over the cut: the evidence of it stays.
    await b.api['attendance.saveKind']({ code: 'training-off-site', label: 'Formation hors site', category: 'present', active: true, sort: 9 });
    expect(readHead(b).count).toBe(before);
    expect(await problemsOf(b)).toContain('entries-cut');
  });

  it('no longer says "Registre intact : 0 entrées" once the ledger and the evidence are emptied', async () => {
    const b = await demoBackend();
    const db = attacker(b);
    db.transaction(() => {
      db.exec('DELETE FROM ledger');
      for (const table of Object.values(EVIDENCE_TABLES)) db.exec(`DELETE FROM ${table}`);
    })();
    db.close();
    const report = await verify(b);
    expect(report.entries).toBe(0);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ seq: 1, problem: 'entries-cut' });
    // The slots and attendance kinds still in the file have lost their entries too.
    expect(report.problems.map((p) => p.problem)).toContain('record-inserted');
  });

  it('refuses a head file deleted, forged or made under another key', async () => {
    const b = await demoBackend();
    const good = readFileSync(headFile(b), 'utf8');

    unlinkSync(headFile(b));
    let report = await verify(b);
    expect(report.problems.map((p) => p.problem)).toEqual(['head-missing']);
    expect(report.problems[0]!.message).toMatch(/ledger\.head.*a disparu/);

    // Forged: a smaller count with the seal of that entry, but no key to tag it.
    const head = JSON.parse(good) as { count: number; mac: string };
    const earlier = b.raw.prepare('SELECT seq, mac FROM ledger WHERE seq = ?').get(head.count - 3) as { seq: number; mac: string };
    writeFileSync(headFile(b), JSON.stringify({ ...JSON.parse(good), count: earlier.seq, mac: earlier.mac }));
    report = await verify(b);
    expect(report.problems.map((p) => p.problem)).toEqual(['head-invalid']);
    expect(report.problems[0]!.message).toMatch(/fichier modifié ou fabriqué/);

    writeFileSync(headFile(b), JSON.stringify({ ...JSON.parse(good), keyId: '0123456789abcdef' }));
    expect(await problemsOf(b)).toEqual(['head-foreign']);

    writeFileSync(headFile(b), good);
    expect((await verify(b)).ok).toBe(true);
  });

  it('an older head (a crash between a commit and its head write, or a copy put back) verifies and catches up', async () => {
    const b = await demoBackend();
    const old = readFileSync(headFile(b), 'utf8');
    const oldCount = (JSON.parse(old) as { count: number }).count;
    const call = await recordRollCall(b);
    const entries = count(b.raw, 'SELECT count(*) AS n FROM ledger');
    // One signature and one mark per row, and the submission.
    expect(entries - oldCount).toBe(2 * call.rows.length + 1);
    writeFileSync(headFile(b), old);
    const report = await verify(b);
    expect(report.ok).toBe(true);
    expect(report.notes).toContain(`${2 * call.rows.length + 1} entrées postérieures à l'en-tête du registre, aux sceaux vérifiés (l'en-tête sera mis à jour).`);
    // The next commit (here: reopening, as after the crash) moves the head on.
    await b.close();
    const again = await startBackend(b.dataDir, { now: () => new Date('2026-11-23T10:00:00Z') });
    cleanups.push(() => again.close());
    expect(readHead(b).count).toBe(entries);
  });

  it('an older head put back over a chain rewritten after it: the seals give it away', async () => {
    const b = await demoBackend();
    const old = readFileSync(headFile(b), 'utf8');
    const oldCount = (JSON.parse(old) as { count: number }).count;
    await recordRollCall(b);
    writeFileSync(headFile(b), old);
    const db = attacker(b);
    db.prepare('UPDATE ledger SET mac = ? WHERE seq = ?').run('f'.repeat(64), oldCount + 2);
    db.close();
    const report = await verify(b);
    expect(report.problems.map((p) => [p.problem, p.seq])).toEqual([['seal-broken', oldCount + 2], ['seal-broken', oldCount + 3]]);
  });
});

describe('what the ledger covers', () => {
  it("catches a slot's times changed by SQL, and a trainer removed from it", async () => {
    const b = await demoBackend();
    const db = attacker(b);
    const slot = db.prepare("SELECT id, start_time FROM slots WHERE deleted_at IS NULL AND cancelled = 0 ORDER BY date, half_day LIMIT 1").get() as { id: string; start_time: string };
    db.prepare("UPDATE slots SET start_time = '07:00', minutes = minutes + 90 WHERE id = ?").run(slot.id);
    const other = db.prepare('SELECT slot_id FROM slot_trainers WHERE deleted_at IS NULL AND slot_id <> ? LIMIT 1').get(slot.id) as { slot_id: string };
    db.prepare('DELETE FROM slot_trainers WHERE slot_id = ?').run(other.slot_id);
    db.close();
    const report = await verify(b);
    const changed = report.problems.filter((p) => p.problem === 'content-changed').map((p) => [p.recordType, p.recordId]);
    expect(changed.sort()).toEqual([['row:slot', slot.id], ['row:slot', other.slot_id]].sort());
    expect(report.problems.find((p) => p.recordId === slot.id)!.message).toMatch(/^Créneau .* modifié hors de l'application/);
  });

  it("catches an attendance kind's category changed", async () => {
    const b = await demoBackend();
    const db = attacker(b);
    db.prepare("UPDATE attendance_kinds SET category = 'present' WHERE code = 'unexcused'").run();
    db.close();
    expect((await verify(b)).problems.map((p) => [p.problem, p.recordType, p.recordId])).toEqual([['content-changed', 'row:attendance_kind', 'unexcused']]);
  });

  it('catches an enrolment status row changed, and a roll-call submission removed', async () => {
    const b = await demoBackend();
    await recordRollCall(b);
    const db = attacker(b);
    const status = db.prepare("SELECT id FROM enrolment_statuses WHERE status = 'entered' LIMIT 1").get() as { id: string };
    db.prepare("UPDATE enrolment_statuses SET effective_date = '2026-01-05' WHERE id = ?").run(status.id);
    const submission = db.prepare('SELECT id FROM rollcall_submissions LIMIT 1').get() as { id: string };
    db.prepare('DELETE FROM rollcall_submissions WHERE id = ?').run(submission.id);
    db.close();
    const problems = (await verify(b)).problems.map((p) => [p.problem, p.recordType, p.recordId]);
    expect(problems).toContainEqual(['content-changed', 'enrolment_status', status.id]);
    expect(problems).toContainEqual(['record-removed', 'rollcall_submission', submission.id]);
    expect(problems).toHaveLength(2);
  });

  it('the write paths record what they change: trainers assigned to slots, an attendance kind saved', async () => {
    const b = await demoBackend();
    const sessions = await b.api['sessions.list']({});
    const page = await b.api['sessions.get']({ id: sessions[0]!.id });
    const slotIds = page.slots.filter((s) => !s.countersigned).slice(0, 3).map((s) => s.id);
    const before = count(b.raw, "SELECT count(*) AS n FROM ledger WHERE record_type = 'row:slot'");
    await b.api['slots.assign']({ slotIds, trainerIds: [] });
    // Each of the 3 slots loses its trainers: one new entry each.
    expect(count(b.raw, "SELECT count(*) AS n FROM ledger WHERE record_type = 'row:slot'")).toBe(before + 3);
    await b.api['attendance.saveKind']({ code: 'training-off-site', label: 'Formation hors site', category: 'present', active: true, sort: 9 });
    expect(count(b.raw, "SELECT count(*) AS n FROM ledger WHERE record_type = 'row:attendance_kind' AND record_id = 'training-off-site'")).toBe(1);
    expect((await verify(b)).ok).toBe(true);
  });
});

describe('a database older than the key', () => {
  /** A schema-8 file with two evidence rows chained the unkeyed way, as schema-8 Sillon wrote them. */
  async function schema8(tamper: boolean): Promise<string> {
    const dataDir = mkdtempSync(join(tmpdir(), 'sillon-ledger8-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const file = databaseFile(dataDir);
    mkdirSync(dirname(file), { recursive: true });
    const v8 = await openDatabase(file, { migrations: migrations.filter((m) => m.version <= 8) });
    const raw = v8.raw;
    const at = '2026-10-05T08:40:00.000Z';
    const rows: { type: EvidenceType; table: string; row: Record<string, unknown> & { id: string } }[] = [
      { type: 'document', table: 'documents', row: { id: uuidv7(), name: 'certificat.pdf', mime: 'application/pdf', bytes: Buffer.from('%PDF-1.4'), sha256: 'a'.repeat(64), created_at: at, created_by: 'local' } },
      { type: 'printed_document', table: 'printed_documents', row: { id: uuidv7(), kind: 'attendance-sheet', params: '{}', content_sha256: 'd'.repeat(64), short_hash: 'dddddddddddd', created_at: at, created_by: 'local' } },
      { type: 'printed_document', table: 'printed_documents', row: { id: uuidv7(), kind: 'attendance-sheet', params: '{"w":2}', content_sha256: 'e'.repeat(64), short_hash: 'eeeeeeeeeeee', created_at: at, created_by: 'local' } },
    ];
    raw.transaction(() => {
      let prev = GENESIS;
      rows.forEach(({ type, table, row }, i) => {
        const keys = Object.keys(row);
        raw.prepare(`INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(row);
        const content = contentHash(row);
        const hash = entryHash(prev, i + 1, type, row.id, content, at);
        raw.prepare('INSERT INTO ledger (seq, record_type, record_id, content_hash, prev_hash, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(i + 1, type, row.id, content, prev, hash, at);
        prev = hash;
      });
    })();
    if (tamper) {
      // Before the upgrade, someone edited entry 2's record_id: the unkeyed chain breaks there.
      raw.exec('DROP TRIGGER ledger_append_only_u');
      raw.prepare("UPDATE ledger SET created_at = '2026-10-05T08:41:00.000Z' WHERE seq = 2").run();
    }
    await v8.close();
    return dataDir;
  }

  it('upgrades once: seals the old entries, covers the 6 attendance kinds, writes the head, and verifies', async () => {
    const dataDir = await schema8(false);
    const b: Backend = await startBackend(dataDir, { now: () => new Date('2026-11-23T09:00:00Z') });
    cleanups.push(() => b.close());
    const report = b.dispatch('ledger.verify', {});
    // 3 old entries, then the 6 attendance kinds of migration 2 (no slot, status or submission in this file).
    await expect(report).resolves.toEqual({
      ok: true,
      value: { entries: 9, ok: true, problems: [], notes: ['3 entrées antérieures à la clé du registre scellées le 2026-11-23, la chaîne non scellée étant intacte jusque-là.'] },
    });
    expect(b.raw.prepare('SELECT keyed_at, sealed_entries, unsealed_from, coverage FROM ledger_keying').all()).toEqual([{ keyed_at: '2026-11-23T09:00:00.000Z', sealed_entries: 3, unsealed_from: null, coverage: 1 }]);
    expect(readHead({ dataDir }).count).toBe(9);
    // Only a MAC may be set on an entry that has none: the trigger still refuses every other change.
    expect(() => b.raw.prepare("UPDATE ledger SET created_at = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => b.raw.prepare("UPDATE ledger SET mac = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
  });

  it('leaves entries unsealed from a break found at the upgrade, and keeps saying so', async () => {
    const dataDir = await schema8(true);
    const b: Backend = await startBackend(dataDir, { now: () => new Date('2026-11-23T09:00:00Z') });
    cleanups.push(() => b.close());
    expect(b.raw.prepare('SELECT sealed_entries, unsealed_from FROM ledger_keying').get()).toEqual({ sealed_entries: 1, unsealed_from: 2 });
    const r = await verifyVia(b);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.problem, p.seq])).toEqual([['chain-broken', 2], ['unsealed', 2]]);
    expect(r.problems[1]!.message).toBe("2 entrées sans sceau à partir de l'entrée 2 : la chaîne était déjà rompue quand le registre a reçu sa clé (2026-11-23).");
  });

  it('does not seal again a folder whose ledger was keyed before (head file present, keying row removed)', async () => {
    const b = await demoBackend();
    await b.close();
    const db = attacker(b);
    db.exec('DELETE FROM ledger_keying');
    db.close();
    const again = await startBackend(b.dataDir, { now: () => new Date('2026-11-23T10:00:00Z') });
    cleanups.push(() => again.close());
    expect((await verifyVia(again)).problems.map((p) => p.problem)).toEqual(['unsealed']);
    expect(existsSync(join(b.dataDir, 'ledger.head'))).toBe(true);
  });
});

describe('the head sent to funders (sender.ledgerHead)', () => {
  it('every batch carries the ledger head as it was when the batch was built; the receiver stores it', async () => {
    const bench = await syncBench();
    cleanups.push(() => bench.close());
    const head = () => readLedgerHead({ get: (sql: string) => bench.tb.raw.prepare(sql).get() as never });
    await queueMany(bench.tb.ctx, 2);
    const first = head();
    expect((await bench.drain()).map((o) => o.kind)).toEqual(['sent', 'idle']);
    // The ledger moves on (an attendance kind saved: one tracked entry), then a second batch goes.
    await bench.tb.api['attendance.saveKind']({ code: 'training-off-site', label: 'Formation hors site', category: 'present', active: true, sort: 9 });
    const second = head();
    expect(second.count).toBe(first.count + 1);
    expect(second.mac).not.toBe(first.mac);
    await queueMany(bench.tb.ctx, 1);
    await bench.drain();
    const batches = bench.batches();
    expect(batches.map((x) => (JSON.parse(x.body) as { sender: { ledgerHead: unknown } }).sender.ledgerHead)).toEqual([first, second]);
    expect(bench.receiver.ledgerHeads(SIRET)).toEqual([
      { batchId: batches[0]!.id, ...first },
      { batchId: batches[1]!.id, ...second },
    ]);
    // The keyed seal, the one the head file outside the database holds too.
    expect(readHead(bench.tb).mac).toBe(second.mac);
  });
});

describe("a folder whose key the app keeps (safeStorage)", () => {
  it('the CLI without that key reads and verifies the unkeyed chain, and refuses every evidence write in French', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sillon-appkey-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    // The app: its main process hands the key over; the folder holds it only sealed (here an opaque stand-in).
    const appKey = Buffer.alloc(32, 7);
    const app: Backend = await startBackend(dataDir, { now: () => new Date('2026-11-23T09:00:00Z'), ledgerKey: appKey, lock: false });
    const load = await app.dispatch('demo.load', {});
    expect(load.ok).toBe(true);
    await app.close();
    writeFileSync(join(dataDir, 'ledger.key.sealed'), 'sealed by safeStorage');
    expect(existsSync(join(dataDir, 'ledger.key'))).toBe(false);

    const cli: Backend = await startBackend(dataDir, { now: () => new Date('2026-11-23T10:00:00Z'), lock: false });
    cleanups.push(() => cli.close());
    const answer = await cli.dispatch('ledger.verify', {});
    const report = (answer.ok ? answer.value : null) as { ok: boolean; notes: string[] } | null;
    expect(report?.ok).toBe(true);
    expect(report?.notes.some((n) => n.startsWith('Sceaux non vérifiés'))).toBe(true);
    const write = await cli.dispatch('attendance.saveKind', { code: 'hors-site', label: 'Formation hors site', category: 'present', active: true, sort: 9 });
    expect(write.ok).toBe(false);
    expect(!write.ok && write.error.message).toMatch(/scellé par l'application Sillon.*rien n'a été enregistré/);
    // No plain key was made behind the app's back.
    expect(existsSync(join(dataDir, 'ledger.key'))).toBe(false);
  });
});
