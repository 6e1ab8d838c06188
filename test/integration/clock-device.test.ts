/**
 * Issue #9 §1, first half: the backend's clock and one device identity.
 * - Signature and closing times are the backend's clock; the screen's own reading is kept beside them.
 * - The installation's one device id is on every evidence row and in every sync batch; no input chooses it.
 * - Columns added to evidence tables leave old rows' hashes unchanged: an old ledger still verifies.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend } from '../../electron/backend/backend';
import { openDatabase } from '../../electron/backend/db/open';
import { contentHash, entryHash, GENESIS, LEDGER_HEAD_SQL, type EvidenceType } from '../../electron/backend/evidence/hash';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import { databaseFile } from '../../electron/backend/paths';
import { migrations } from '../../migrations';
import { deviceClockOffsetMinutes, deviceClockStrays } from '../../shared/domain/device-clock';
import type { SignatureInput } from '../../shared/schemas/attendance';
import { testBackend, type TestBackend } from '../helpers/backend';
import { syncBench, type SyncBench } from '../helpers/sync';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const signature: SignatureInput = { strokes: [[[1, 1, 0], [5, 8, 16]]], pngBase64: PNG_1x1 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const one = <T = Record<string, unknown>>(raw: Database.Database, sql: string, ...params: unknown[]) => raw.prepare(sql).get(...params) as T;
const all = <T = Record<string, unknown>>(raw: Database.Database, sql: string, ...params: unknown[]) => raw.prepare(sql).all(...params) as T[];
const deviceOf = (raw: Database.Database) => one<{ value: string } | undefined>(raw, "SELECT value FROM sync_settings WHERE key = 'device_id'")?.value;

/** A session on Monday 23 November 2026 (Paris), 09:00–12:00, one trainer, two trainees entered. */
async function world(api: TestBackend['api']) {
  const trainer = await api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
  const action = await api['actions.save']({ title: 'Bureautique', plannedMinutes: 600, modality: 'presentiel' });
  const session = await api['sessions.save']({ actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 5, startDate: '2026-11-23', endDate: '2026-11-27' });
  await api['slots.generate']({ sessionId: session.id, from: '2026-11-23', to: '2026-11-27', timetable: [1, 2].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' })), trainerIds: [trainer.id] });
  const enrolments: string[] = [];
  for (const [last, first] of [['Martin', 'Sophie'], ['Benali', 'Nadia']] as const) {
    const trainee = await api['trainees.save']({ lastName: last, firstName: first, birthDate: '1990-01-01' });
    const e = await api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION', plannedMinutes: 600 });
    await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-23' });
    enrolments.push(e.id);
  }
  const slots = (await api['sessions.get']({ id: session.id })).slots.map((s) => s.id);
  return { trainerId: trainer.id, enrolments, slots };
}

describe('times come from the backend’s clock, the device’s reading kept beside', () => {
  it('a roll call from a screen whose clock is 3 hours behind stores the backend’s time, and the screen’s beside it', async () => {
    const b = await testBackend('2026-11-23T09:10:00Z');
    cleanups.push(() => b.cleanup());
    const w = await world(b.api);
    const wrong = '2026-11-23T06:10:00.000Z'; // the tablet's clock: 3 hours behind
    await b.api['attendance.record']({
      slotId: w.slots[0]!, submissionId: uuidv7(),
      marks: [
        { enrolmentId: w.enrolments[0]!, kind: 'present', method: 'signature', signature, signedAt: wrong },
        { enrolmentId: w.enrolments[1]!, kind: 'unexcused', method: 'none', signedAt: wrong },
      ],
    });
    const mark = one(b.raw, 'SELECT signed_at, device_signed_at, signature_id FROM attendance_marks WHERE enrolment_id = ?', w.enrolments[0]);
    expect(mark).toMatchObject({ signed_at: '2026-11-23T09:10:00.000Z', device_signed_at: wrong });
    expect(one(b.raw, 'SELECT signed_at, device_signed_at FROM signatures WHERE id = ?', mark.signature_id)).toEqual({ signed_at: '2026-11-23T09:10:00.000Z', device_signed_at: wrong });
    // An absence has no capture: neither time.
    expect(one(b.raw, 'SELECT signed_at, device_signed_at FROM attendance_marks WHERE enrolment_id = ?', w.enrolments[1])).toEqual({ signed_at: null, device_signed_at: null });

    // The history gives both, and the shared rule flags the 180 minutes apart.
    const [history] = await b.api['attendance.history']({ slotId: w.slots[0]!, enrolmentId: w.enrolments[0]! });
    expect(history).toMatchObject({ signedAt: '2026-11-23T09:10:00.000Z', deviceSignedAt: wrong });
    expect(deviceClockOffsetMinutes(history!.signedAt, history!.deviceSignedAt)).toBe(-180);
    expect(deviceClockStrays(history!.signedAt, history!.deviceSignedAt)).toBe(true);

    // Closing: the backend's time, the screen's reading beside it (on the closure and the trainer's signature).
    b.clock.set('2026-11-23T11:55:00Z');
    const closed = await b.api['attendance.close']({ slotId: w.slots[0]!, trainerId: w.trainerId, method: 'signature', signature, closedAt: '2026-11-23T08:55:00.000Z' });
    expect(closed.closedAt).toBe('2026-11-23T11:55:00.000Z');
    const closure = one(b.raw, 'SELECT closed_at, device_closed_at, signature_id, device_id FROM slot_closures WHERE slot_id = ?', w.slots[0]);
    expect(closure).toMatchObject({ closed_at: '2026-11-23T11:55:00.000Z', device_closed_at: '2026-11-23T08:55:00.000Z', device_id: deviceOf(b.raw) });
    expect(one(b.raw, 'SELECT signed_at, device_signed_at FROM signatures WHERE id = ?', closure.signature_id)).toEqual({ signed_at: '2026-11-23T11:55:00.000Z', device_signed_at: '2026-11-23T08:55:00.000Z' });
    expect((await b.api['attendance.rollCall']({ slotId: w.slots[0]! })).closure).toMatchObject({ closedAt: '2026-11-23T11:55:00.000Z', deviceClosedAt: '2026-11-23T08:55:00.000Z' });
    // What the funders receive is the backend's time too.
    const payload = JSON.parse(one<{ payload: string }>(b.raw, "SELECT payload FROM outbox WHERE record_type = 'attendance' ORDER BY seq LIMIT 1").payload) as { closedAt: string };
    expect(payload.closedAt).toBe('2026-11-23T11:55:00.000Z');
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('a correction with a new signature is signed now (backend), one that keeps the signature keeps both times', async () => {
    const b = await testBackend('2026-11-23T09:05:00Z');
    cleanups.push(() => b.cleanup());
    const w = await world(b.api);
    await b.api['attendance.record']({
      slotId: w.slots[0]!, submissionId: uuidv7(),
      marks: w.enrolments.map((enrolmentId) => ({ enrolmentId, kind: 'late', lateMinutes: 20, method: 'signature' as const, signature, signedAt: '2026-11-23T09:04:30.000Z' })),
      close: { trainerId: w.trainerId, method: 'paper' },
    });
    const rows = (await b.api['attendance.rollCall']({ slotId: w.slots[0]! })).rows;
    b.clock.set('2026-11-24T10:00:00Z');
    // A typo in the minutes: the original signature stands, with its two times.
    const kept = await b.api['attendance.correct']({ markId: rows[0]!.mark!.id, kind: 'late', lateMinutes: 10, method: 'signature', correctionReason: 'Faute de frappe', signedAt: '2026-11-24T09:00:00.000Z' });
    expect(kept).toMatchObject({ signedAt: '2026-11-23T09:05:00.000Z', deviceSignedAt: '2026-11-23T09:04:30.000Z' });
    // A new signature drawn for the correction: signed now, on the backend's clock.
    const fresh = await b.api['attendance.correct']({ markId: rows[1]!.mark!.id, kind: 'present', method: 'signature', signature, correctionReason: 'Arrivée à l’heure', signedAt: '2026-11-24T09:59:00.000Z' });
    expect(fresh).toMatchObject({ signedAt: '2026-11-24T10:00:00.000Z', deviceSignedAt: '2026-11-24T09:59:00.000Z' });
    expect(deviceClockStrays(fresh.signedAt, fresh.deviceSignedAt)).toBe(false);
    expect(verifyLedger(b.raw).ok).toBe(true);
  });
});

describe('one device identity, owned by the backend', () => {
  it('an input that still sends a deviceId cannot choose the device', async () => {
    const b = await testBackend('2026-11-23T09:05:00Z');
    cleanups.push(() => b.cleanup());
    const w = await world(b.api);
    const sent = (method: string, input: Record<string, unknown>) => b.dispatch(method as never, { ...input, deviceId: 'poste-pirate' });
    expect((await sent('attendance.saveDraft', { slotId: w.slots[0]!, enrolmentId: w.enrolments[0]!, draft: { kind: 'present', lateMinutes: '', earlyMinutes: '', remoteMinutes: '', reason: '', document: null, method: 'pin', signature: null, signedAt: null, scan: null, checkedBy: '', proxyName: '' } })).ok).toBe(true);
    expect((await sent('attendance.record', { slotId: w.slots[0]!, submissionId: uuidv7(), marks: w.enrolments.map((enrolmentId) => ({ enrolmentId, kind: 'present', method: 'signature', signature })) })).ok).toBe(true);
    const mark = one<{ id: string }>(b.raw, 'SELECT id FROM attendance_marks ORDER BY rowid LIMIT 1');
    expect((await sent('attendance.correct', { markId: mark.id, kind: 'late', lateMinutes: 5, method: 'signature', correctionReason: 'Retard oublié' })).ok).toBe(true);
    expect((await sent('attendance.close', { slotId: w.slots[0]!, trainerId: w.trainerId, method: 'signature', signature })).ok).toBe(true);

    const device = deviceOf(b.raw)!;
    expect(device).toMatch(/^[0-9a-f-]{36}$/);
    const used = [
      ...all<{ device_id: string }>(b.raw, 'SELECT device_id FROM attendance_marks'),
      ...all<{ device_id: string }>(b.raw, 'SELECT device_id FROM signatures'),
      ...all<{ device_id: string }>(b.raw, 'SELECT device_id FROM slot_closures'),
    ].map((r) => r.device_id);
    // 2 marks + 1 correction, 2 trainee signatures + 1 trainer signature, 1 closure.
    expect(used).toEqual(Array(7).fill(device));
    expect(all(b.raw, 'SELECT id, kind FROM devices')).toEqual([{ id: device, kind: 'backend' }]);
    expect(await b.api['system.info']()).toMatchObject({ deviceId: device });
  });

  it('a connection log names the installation’s device', async () => {
    const b = await testBackend('2026-11-23T13:00:00Z');
    cleanups.push(() => b.cleanup());
    await world(b.api);
    const csv = 'identifiant;debut;fin\nMartin Sophie;2026-11-23 09:00;2026-11-23 11:00\n';
    const r = await b.dispatch('attendance.importLog', { fileName: 'lms.csv', source: 'LMS', csv, deviceId: 'poste-pirate' });
    if (!r.ok) return expect.fail(`import refused: ${r.error.message}`);
    expect(one(b.raw, 'SELECT device_id FROM connection_logs')).toEqual({ device_id: deviceOf(b.raw) });
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('a mark’s device_id is the sync batch’s sender.deviceId (reference receiver)', async () => {
    const bench: SyncBench = await syncBench();
    cleanups.push(() => bench.close());
    const w = await world(bench.tb.api);
    await bench.tb.api['attendance.record']({
      slotId: w.slots[0]!, submissionId: uuidv7(),
      marks: w.enrolments.map((enrolmentId) => ({ enrolmentId, kind: 'present', method: 'signature' as const, signature })),
      close: { trainerId: w.trainerId, method: 'paper' },
    });
    await bench.drain();
    const batches = bench.batches();
    expect(batches.length).toBeGreaterThan(0);
    const senders = new Set(batches.map((x) => (JSON.parse(x.body) as { sender: { deviceId: string } }).sender.deviceId));
    const marks = new Set(all<{ device_id: string }>(bench.tb.raw, 'SELECT device_id FROM attendance_marks').map((r) => r.device_id));
    expect([...senders]).toEqual([deviceOf(bench.tb.raw)]);
    expect([...marks]).toEqual([...senders]);
    // The receiver got the attendance records under that sender.
    expect(bench.items().filter((i) => i.state === 'acked').length).toBeGreaterThanOrEqual(2);
  });
});

describe('columns added to evidence tables leave old rows’ hashes as they were', () => {
  /** The chain as the evidence writer made it before schema 10, written out here for a schema-8 file. */
  function appendChain(raw: Database.Database, entries: readonly { type: EvidenceType; row: Record<string, unknown> & { id: string } }[], at: string): void {
    const head = raw.prepare(LEDGER_HEAD_SQL).get() as { seq: number; hash: string } | undefined;
    let seq = head?.seq ?? 0;
    let prev = head?.hash ?? GENESIS;
    for (const { type, row } of entries) {
      seq++;
      const content = contentHash(row);
      const hash = entryHash(prev, seq, type, row.id, content, at);
      raw.prepare('INSERT INTO ledger (seq, record_type, record_id, content_hash, prev_hash, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(seq, type, row.id, content, prev, hash, at);
      prev = hash;
    }
  }

  function insert(raw: Database.Database, table: string, row: Record<string, unknown>): void {
    const keys = Object.keys(row);
    raw.prepare(`INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(row);
  }

  it('an old database (schema 8) with marks, a signature and a closure migrates, and its ledger still verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sillon-clock-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const old = await openDatabase(databaseFile(dir), { migrations: migrations.filter((m) => m.version <= 8) });
    const raw = old.raw;
    expect(raw.pragma('user_version', { simple: true })).toBe(8);
    const at = '2026-11-16T09:05:00.000Z';
    const audit = { created_at: at, created_by: 'local', updated_at: at, updated_by: 'local' };
    const ids = { org: uuidv7(), trainer: uuidv7(), action: uuidv7(), session: uuidv7(), slot: uuidv7(), trainee: uuidv7(), enrolment: uuidv7(), record: uuidv7() };
    insert(raw, 'organisation', { id: ids.org, name: 'Les Ateliers du Sillon (fictif)', siret: '99900100100018', ...audit });
    insert(raw, 'trainers', { id: ids.trainer, last_name: 'Klein', first_name: 'Martine', kind: 'internal', ...audit });
    insert(raw, 'actions', { id: ids.action, title: 'Bureautique', planned_minutes: 600, modality: 'presentiel', nature: 'action-de-formation', ...audit });
    insert(raw, 'sessions', { id: ids.session, action_id: ids.action, label: 'Groupe 1', mode: 'cohort', capacity: 5, start_date: '2026-11-16', end_date: '2026-11-20', ...audit });
    insert(raw, 'slots', { id: ids.slot, session_id: ids.session, date: '2026-11-16', half_day: 'am', start_time: '09:00', end_time: '12:00', minutes: 180, modality: 'presentiel', ...audit });
    insert(raw, 'trainees', { id: ids.trainee, last_name: 'Martin', first_name: 'Sophie', birth_date: '1990-01-01', ...audit });
    insert(raw, 'enrolments', { id: ids.enrolment, session_id: ids.session, trainee_id: ids.trainee, planned_start: '2026-11-16', planned_end: '2026-11-20', planned_minutes: 600, ...audit });
    insert(raw, 'devices', { id: 'tablette-1', kind: 'client', first_seen_at: at, last_seen_at: at });
    insert(raw, 'attendance_records', { id: ids.record, slot_id: ids.slot, enrolment_id: ids.enrolment, created_at: at, created_by: 'local' });
    // The evidence as schema 8 wrote it: no device readings, closures without a device.
    const sig = { id: uuidv7(), signer_kind: 'trainee', signer_id: ids.enrolment, strokes: '[[[1,1,0]]]', png: Buffer.from(PNG_1x1, 'base64'), sha256: 'ab'.repeat(32), device_id: 'tablette-1', signed_at: '2026-11-16T09:04:00.000Z', created_at: at, created_by: 'local' };
    const mark = {
      id: uuidv7(), record_id: ids.record, slot_id: ids.slot, enrolment_id: ids.enrolment, kind: 'present', late_minutes: 0, early_minutes: 0, remote_minutes: null, minutes: 180,
      reason: null, document_id: null, method: 'signature', signature_id: sig.id, proxy_name: null, checked_by: null, device_id: 'tablette-1', signed_at: '2026-11-16T09:04:00.000Z',
      supersedes_id: null, correction_reason: null, submission_id: uuidv7(), created_at: at, created_by: 'local',
    };
    const closure = { id: uuidv7(), slot_id: ids.slot, trainer_id: ids.trainer, signature_id: null, method: 'pin', closed_at: '2026-11-16T12:05:00.000Z', created_at: '2026-11-16T12:05:00.000Z', created_by: 'local' };
    insert(raw, 'signatures', sig);
    insert(raw, 'attendance_marks', mark);
    insert(raw, 'slot_closures', closure);
    appendChain(raw, [{ type: 'signature', row: sig }, { type: 'attendance_mark', row: mark }, { type: 'slot_closure', row: closure }], at);
    expect(verifyLedger(raw)).toMatchObject({ ok: true });
    await old.close();

    // Opened by this version: migrated to the latest schema, the old rows gain NULL columns and still verify.
    const b = await startBackend(dir, { now: () => new Date('2026-11-24T09:05:00Z') });
    cleanups.push(() => b.close());
    expect(one(b.raw, 'SELECT device_signed_at FROM attendance_marks WHERE id = ?', mark.id)).toEqual({ device_signed_at: null });
    expect(one(b.raw, 'SELECT device_id, device_closed_at FROM slot_closures WHERE id = ?', closure.id)).toEqual({ device_id: null, device_closed_at: null });
    const report = verifyLedger(b.raw);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    // New evidence on the migrated file hashes its new columns, and the whole chain still verifies.
    const r = await b.dispatch('attendance.correct', { markId: mark.id, kind: 'late', lateMinutes: 10, method: 'signature', signature, correctionReason: 'Retard', signedAt: '2026-11-24T09:04:00.000Z' });
    expect(r.ok).toBe(true);
    expect(one(b.raw, 'SELECT signed_at, device_signed_at FROM attendance_marks WHERE supersedes_id = ?', mark.id)).toEqual({ signed_at: '2026-11-24T09:05:00.000Z', device_signed_at: '2026-11-24T09:04:00.000Z' });
    expect(verifyLedger(b.raw).ok).toBe(true);
    // Had the new columns been hashed while NULL, the old rows would read as changed: the chain proves they are not.
    const entry = one<{ content_hash: string }>(b.raw, "SELECT content_hash FROM ledger WHERE record_type = 'attendance_mark' AND record_id = ?", mark.id);
    const stored = one<Record<string, unknown>>(b.raw, 'SELECT * FROM attendance_marks WHERE id = ?', mark.id);
    expect(Object.keys(stored)).toContain('device_signed_at');
    expect(contentHash(stored)).toBe(entry.content_hash);
  });
});
