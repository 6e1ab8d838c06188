import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import { SLOT_MARKS_SQL } from '../../electron/backend/attendance/attendance';
import { databaseFile } from '../../electron/backend/paths';
import type { RollCall, SignatureInput } from '../../shared/schemas/attendance';
import { testBackend, type TestBackend } from '../helpers/backend';

// A tiny valid signature: one stroke and a 1×1 PNG.
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const signature: SignatureInput = { strokes: [[[1, 1, 0], [5, 8, 16]]], pngBase64: PNG_1x1 };

let b: TestBackend;
let call: RollCall;

async function pastSlotOfCuisine(): Promise<RollCall> {
  const sessions = await b.api['sessions.list']({});
  const cuisine = sessions.find((s) => s.label.includes('étoiles'))!;
  const page = await b.api['sessions.get']({ id: cuisine.id });
  // Past slots hold the demo's own attendance: take today's, still open.
  const slot = page.slots.find((s) => s.date >= '2026-11-23')!;
  return b.api['attendance.rollCall']({ slotId: slot.id });
}

function allPresent(rc: RollCall) {
  return rc.rows.map((r) => ({ enrolmentId: r.enrolmentId, kind: 'present', method: 'signature' as const, signature }));
}

beforeEach(async () => {
  b = await testBackend('2026-11-23T09:00:00Z');
  await b.api['demo.load']({});
  call = await pastSlotOfCuisine();
});
afterEach(async () => b.cleanup());

describe('roll call', () => {
  it('shows every expected trainee, records marks and closes the slot', async () => {
    expect(call.rows.length).toBeGreaterThanOrEqual(11);
    expect(call.closure).toBeNull();
    const marks = allPresent(call);
    marks[0] = { enrolmentId: call.rows[0]!.enrolmentId, kind: 'late', method: 'signature', signature, ...{ lateMinutes: 20 } } as never;
    marks[1] = { enrolmentId: call.rows[1]!.enrolmentId, kind: 'unexcused', method: 'none' } as never;
    const r = await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks });
    expect(r).toEqual({ recorded: marks.length, replayed: false, closure: null });
    const trainerId = call.slot.trainers[0]!.id;
    const queued = () => (b.raw.prepare("SELECT count(*) AS n FROM outbox WHERE record_type = 'attendance'").get() as { n: number }).n;
    const before = queued();
    const closed = await b.api['attendance.close']({ slotId: call.slot.id, trainerId, method: 'signature', signature });
    expect(closed.marks).toBe(marks.length);
    const after = await b.api['attendance.rollCall']({ slotId: call.slot.id });
    expect(after.closure?.trainerId).toBe(trainerId);
    expect(after.rows[0]!.mark?.minutes).toBe(call.slot.minutes - 20);
    expect(after.rows[1]!.mark?.minutes).toBe(0);
    expect(queued() - before).toBe(marks.length);
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('records nothing twice for a double submission', async () => {
    const input = { slotId: call.slot.id, submissionId: uuidv7(), marks: allPresent(call) };
    await b.api['attendance.record'](input);
    const again = await b.api['attendance.record'](input);
    expect(again.replayed).toBe(true);
    const n = b.raw.prepare('SELECT count(*) AS n FROM attendance_marks WHERE slot_id = ?').get(call.slot.id) as { n: number };
    expect(n.n).toBe(call.rows.length);
  });

  it('records and closes in one transaction when the trainer countersigns on the spot', async () => {
    const trainerId = call.slot.trainers[0]!.id;
    const r = await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: allPresent(call), close: { trainerId, method: 'signature', signature } });
    expect(r.closure?.marks).toBe(call.rows.length);
    expect((await b.api['attendance.rollCall']({ slotId: call.slot.id })).closure?.trainerId).toBe(trainerId);
    // A countersignature refused (here: an unknown trainer) rolls the marks back too.
    const other = (await b.api['sessions.get']({ id: call.slot.sessionId })).slots.find((s) => s.date > call.slot.date)!;
    const next = await b.api['attendance.rollCall']({ slotId: other.id });
    const before = (b.raw.prepare('SELECT count(*) AS n FROM attendance_marks').get() as { n: number }).n;
    await expect(
      b.api['attendance.record']({ slotId: other.id, submissionId: uuidv7(), marks: allPresent(next), close: { trainerId: uuidv7(), method: 'paper' } }),
    ).rejects.toThrow(/Formateur introuvable/);
    expect((b.raw.prepare('SELECT count(*) AS n FROM attendance_marks').get() as { n: number }).n).toBe(before);
  });

  it('queues each mark with the hash of its evidence: signature, scanned sheet, or the mark itself in the ledger', async () => {
    const trainerId = call.slot.trainers[0]!.id;
    const rows = call.rows;
    // One trainee marked by an earlier submission (its mark is read back at closing), the rest on closing.
    await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: [{ enrolmentId: rows[4]!.enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur' }] });
    const doc = await b.api['attendance.uploadDocument']({ name: 'feuille.png', mime: 'image/png', base64: PNG_1x1 });
    const marks = rows.filter((_, k) => k !== 4).map((r) => ({ enrolmentId: r.enrolmentId, kind: 'present', method: 'proxy' as const, proxyName: 'Tuteur' }));
    marks[0] = { enrolmentId: rows[0]!.enrolmentId, kind: 'present', method: 'signature', signature } as never;
    marks[1] = { enrolmentId: rows[1]!.enrolmentId, kind: 'present', method: 'paper', documentId: doc.id, checkedBy: 'Claire Vidal' } as never;
    marks[2] = { enrolmentId: rows[2]!.enrolmentId, kind: 'unexcused', method: 'none' } as never;
    await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks, close: { trainerId, method: 'paper' } });

    const queued = b.raw
      .prepare(
        `SELECT o.payload, m.method, s.sha256 AS signature_sha, d.sha256 AS document_sha, l.content_hash
         FROM outbox o JOIN attendance_marks m ON m.record_id = o.record_id
         LEFT JOIN signatures s ON s.id = m.signature_id LEFT JOIN documents d ON d.id = m.document_id
         JOIN ledger l ON l.record_type = 'attendance_mark' AND l.record_id = m.id
         WHERE m.slot_id = ?`,
      )
      .all(call.slot.id) as { payload: string; method: string; signature_sha: string | null; document_sha: string | null; content_hash: string }[];
    expect(queued).toHaveLength(rows.length);
    const evidence = (method: string) => queued.filter((q) => q.method === method).map((q) => ({ sent: (JSON.parse(q.payload) as { evidence: { sha256: string } }).evidence.sha256, q }));
    const signatureSha = createHash('sha256').update(Buffer.concat([Buffer.from(JSON.stringify(signature.strokes)), Buffer.from(PNG_1x1, 'base64')])).digest('hex');
    expect(evidence('signature').map((e) => [e.sent, e.q.signature_sha])).toEqual([[signatureSha, signatureSha]]);
    expect(evidence('paper').map((e) => e.sent)).toEqual([doc.sha256]);
    expect(evidence('none').map((e) => e.sent)).toEqual([evidence('none')[0]!.q.content_hash]);
    const pins = evidence('proxy');
    expect(pins).toHaveLength(rows.length - 3);
    for (const p of pins) expect(p.sent).toBe(p.q.content_hash);
  });

  it('refuses closing twice, and closing with trainees missing', async () => {
    const trainerId = call.slot.trainers[0]!.id;
    await expect(b.api['attendance.close']({ slotId: call.slot.id, trainerId, method: 'paper' })).rejects.toThrow(/sans statut/);
    await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: allPresent(call) });
    await b.api['attendance.close']({ slotId: call.slot.id, trainerId, method: 'paper' });
    await expect(b.api['attendance.close']({ slotId: call.slot.id, trainerId, method: 'paper' })).rejects.toThrow(/déjà été clos/);
    await expect(b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: allPresent(call) })).rejects.toThrow(/correction/);
  });

  it('names the field of a bad mark and writes nothing', async () => {
    const marks = allPresent(call);
    marks[2] = { enrolmentId: call.rows[2]!.enrolmentId, kind: 'late', method: 'signature', signature } as never;
    const evidenceRows = () => (b.raw.prepare('SELECT (SELECT count(*) FROM attendance_marks) + (SELECT count(*) FROM signatures) + (SELECT count(*) FROM ledger) AS n').get() as { n: number }).n;
    const before = evidenceRows();
    const err = await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks }).catch((e: { api: unknown }) => e.api);
    expect(err).toMatchObject({ code: 'validation', issues: [{ path: 'marks.2.lateMinutes' }] });
    expect(evidenceRows()).toBe(before);
  });
});

describe('corrections', () => {
  it('supersede the old mark, keep the history and queue a new version', async () => {
    await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: allPresent(call) });
    await b.api['attendance.close']({ slotId: call.slot.id, trainerId: call.slot.trainers[0]!.id, method: 'paper' });
    const rc = await b.api['attendance.rollCall']({ slotId: call.slot.id });
    const first = rc.rows[0]!;
    b.clock.set('2026-11-24T10:00:00Z');
    const corrected = await b.api['attendance.correct']({ markId: first.mark!.id, kind: 'excused', method: 'none', reason: 'Arrêt maladie', correctionReason: 'Certificat médical reçu' });
    expect(corrected.supersedesId).toBe(first.mark!.id);
    expect(corrected.minutes).toBe(0);
    const history = await b.api['attendance.history']({ slotId: call.slot.id, enrolmentId: first.enrolmentId });
    expect(history.map((m) => m.kind)).toEqual(['present', 'excused']);
    expect(history[1]!.correctionReason).toBe('Certificat médical reçu');
    await expect(b.api['attendance.correct']({ markId: first.mark!.id, kind: 'present', method: 'pin', correctionReason: 'x' })).rejects.toThrow(/déjà été corrigée/);
    const versions = b.raw.prepare('SELECT version FROM outbox WHERE record_id = ? ORDER BY version').all(first.mark!.recordId) as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(verifyLedger(b.raw).ok).toBe(true);
  });
});

describe('ledger', () => {
  async function closedSlot() {
    await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: allPresent(call) });
    await b.api['attendance.close']({ slotId: call.slot.id, trainerId: call.slot.trainers[0]!.id, method: 'paper' });
  }

  /** Edits the SQLite file behind the app's back, as a tamperer would: triggers dropped first. */
  function tamper(sql: string) {
    const db = new Database(databaseFile(b.dataDir));
    db.exec("DROP TRIGGER attendance_marks_append_only_u; DROP TRIGGER attendance_marks_append_only_d; DROP TRIGGER ledger_append_only_u; DROP TRIGGER ledger_append_only_d;");
    db.exec(sql);
    db.close();
  }

  it('refuses an UPDATE of evidence through SQL', async () => {
    await closedSlot();
    expect(() => b.raw.exec('UPDATE attendance_marks SET minutes = 999')).toThrow(/append-only/);
    expect(() => b.raw.exec('DELETE FROM ledger')).toThrow(/append-only/);
  });

  it.each([
    ['a changed mark', 'UPDATE attendance_marks SET minutes = minutes + 60 WHERE rowid = 3', 'content-changed'],
    ['a removed mark', 'DELETE FROM attendance_marks WHERE rowid = 2', 'record-removed'],
    ['an inserted mark', "INSERT INTO attendance_marks SELECT '01900000-0000-7000-8000-000000000001', record_id, slot_id, enrolment_id, kind, late_minutes, early_minutes, remote_minutes, minutes, reason, document_id, method, signature_id, proxy_name, checked_by, device_id, signed_at, NULL, NULL, NULL, created_at, created_by, device_signed_at FROM attendance_marks WHERE rowid = 1", 'record-inserted'],
    ['a removed ledger entry', 'DELETE FROM ledger WHERE seq = 5', 'entry-missing'],
    ['a rewritten ledger entry', "UPDATE ledger SET content_hash = 'x' WHERE seq = 4", 'chain-broken'],
  ])('detects %s', async (_what, sql, problem) => {
    await closedSlot();
    expect(verifyLedger(b.raw).ok).toBe(true);
    await b.close();
    tamper(sql);
    const db = new Database(databaseFile(b.dataDir), { readonly: true });
    const report = verifyLedger(db);
    db.close();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.problem)).toContain(problem);
    expect(report.first?.message).toMatch(/[a-z]/);
    const dir = b.dataDir;
    b = { ...b, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  });
});

describe('roll-call query', () => {
  it('uses the slot index', () => {
    const plan = b.raw.prepare(`EXPLAIN QUERY PLAN ${SLOT_MARKS_SQL}`).all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX attendance_marks_slot/);
  });
});
