/**
 * Schema 4 (migrations/0004_devices.ts): a populated schema-3 database migrated in place, then the new
 * rules at work — users and devices as foreign keys, tombstones instead of deletes, one attendance record
 * per (slot, enrolment) across devices, fundings behind the enrolment's funder.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { v7 as uuidv7, validate, version as uuidVersion } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { makeCtx } from '../../electron/backend/context';
import { openDatabase } from '../../electron/backend/db/open';
import { attendanceRecordId } from '../../electron/backend/attendance/records';
import { contentHash, entryHash, GENESIS, LEDGER_HEAD_SQL, type EvidenceType } from '../../electron/backend/evidence/hash';
import { verifyLedger } from '../../electron/backend/evidence/verify';

/** The chain as the evidence writer makes it, written out here for a schema-3 file (the writer targets the latest schema). */
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
import { databaseFile } from '../../electron/backend/paths';
import { saveTrainer } from '../../electron/backend/people/people';
import { migrations } from '../../migrations';
import { toApiError } from '../../electron/backend/dispatch';
import { testBackend, type TestBackend } from '../helpers/backend';

const dirs: string[] = [];
const backends: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (backends.length) await backends.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sillon-schema4-'));
  dirs.push(d);
  return d;
}
const all = (raw: Database.Database, sql: string, ...params: unknown[]) => raw.prepare(sql).all(...params) as Record<string, unknown>[];
const one = (raw: Database.Database, sql: string, ...params: unknown[]) => raw.prepare(sql).get(...params) as Record<string, unknown>;
const columns = (raw: Database.Database, table: string) => (raw.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
const isV7 = (id: unknown) => typeof id === 'string' && validate(id) && uuidVersion(id) === 7;
/** The millisecond time a UUIDv7 carries in its first 48 bits. */
const v7Ms = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

// ---- a schema-3 database with everything in it ------------------------------------------------------

const ids = {
  org: uuidv7(), place: uuidv7(), t1: uuidv7(), t2: uuidv7(), company: uuidv7(), traineeA: uuidv7(), traineeB: uuidv7(),
  action: uuidv7(), session: uuidv7(), s1: uuidv7(), s2: uuidv7(), ea: uuidv7(), eb: uuidv7(),
  stEa1: uuidv7(), stEa2: uuidv7(), stEb1: uuidv7(), doc: uuidv7(), sig: uuidv7(), m1: uuidv7(), m2: uuidv7(), m3: uuidv7(),
  closure: uuidv7(), submission: uuidv7(), log: uuidv7(), logRow: uuidv7(), printed: uuidv7(),
};
const AUDIT = { created_at: '2026-09-01T08:00:00.000Z', created_by: 'local', updated_at: '2026-09-01T08:00:00.000Z', updated_by: 'local' };
const EVIDENCE_TABLES = ['documents', 'signatures', 'attendance_marks', 'slot_closures', 'connection_logs', 'connection_log_rows', 'printed_documents', 'ledger'];

function insert(raw: Database.Database, table: string, row: Record<string, unknown>): void {
  const keys = Object.keys(row);
  raw.prepare(`INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(row);
}

/** Fills a schema-3 file the way the schema-3 services did, ledger included (raw SQL: today's services write schema 4). */
function populateSchema3(raw: Database.Database): void {
  raw.transaction(() => {
    insert(raw, 'organisation', { id: ids.org, name: 'Organisme Exemple', siret: '12345678200010', nda: null, qualiopi_valid_until: null, legal_representative: null, address: null, postcode: '67000', city: 'Strasbourg', email: null, phone: null, time_zone: 'Europe/Paris', ...AUDIT });
    insert(raw, 'places', { id: ids.place, name: 'Site Strasbourg', address: '1 rue Exemple', postcode: '67000', city: 'Strasbourg', qpv: 1, zrr: 0, holiday_zone: '67', ...AUDIT });
    insert(raw, 'trainers', { id: ids.t1, last_name: 'Martin', first_name: 'Paul', kind: 'internal', email: null, phone: null, siret: null, ...AUDIT });
    insert(raw, 'trainers', { id: ids.t2, last_name: 'Durand', first_name: 'Anne', kind: 'external', email: null, phone: null, siret: null, ...AUDIT });
    insert(raw, 'companies', { id: ids.company, name: 'Restaurant Exemple', siret: '12345678200028', address: null, postcode: null, city: null, headcount: 12, ...AUDIT });
    // One row written by another author (a tool that opened the backend as someone else).
    insert(raw, 'trainees', { id: ids.traineeA, last_name: 'Benali', first_name: 'Nadia', birth_date: '1992-03-14', nir: null, france_travail_id: null, email: null, phone: null, postcode: null, city: null, qpv_resident: 0, fictitious: 1, ...AUDIT, created_by: 'import-tool', updated_by: 'import-tool' });
    insert(raw, 'trainees', { id: ids.traineeB, last_name: 'Renaud', first_name: 'Julien', birth_date: '1988-07-02', nir: null, france_travail_id: 'FT123', email: null, phone: null, postcode: null, city: null, qpv_resident: 0, fictitious: 1, ...AUDIT });
    insert(raw, 'actions', { id: ids.action, title: 'CAP Cuisine', code: 'CAP-CUI', certification_code: 'RNCP37859', level: 3, nsf_code: '221', planned_minutes: 36000, modality: 'presentiel', nature: 'action-de-formation', ...AUDIT });
    insert(raw, 'sessions', { id: ids.session, action_id: ids.action, label: 'CAP Cuisine 2026', mode: 'cohort', capacity: 12, start_date: '2026-10-05', end_date: '2026-12-18', place_id: ids.place, ...AUDIT });
    // Trainers were last assigned on 2 October: the links will take that time.
    const slotAudit = { ...AUDIT, updated_at: '2026-10-02T10:15:30.250Z' };
    insert(raw, 'slots', { id: ids.s1, session_id: ids.session, date: '2026-10-05', half_day: 'am', start_time: '08:30', end_time: '12:00', minutes: 210, modality: 'presentiel', place_id: ids.place, cancelled: 0, ...slotAudit });
    insert(raw, 'slots', { id: ids.s2, session_id: ids.session, date: '2026-10-05', half_day: 'pm', start_time: '13:00', end_time: '16:30', minutes: 210, modality: 'presentiel', place_id: ids.place, cancelled: 0, ...slotAudit, updated_at: '2026-10-03T07:00:00.000Z' });
    insert(raw, 'slot_trainers', { slot_id: ids.s1, trainer_id: ids.t1 });
    insert(raw, 'slot_trainers', { slot_id: ids.s2, trainer_id: ids.t1 });
    insert(raw, 'slot_trainers', { slot_id: ids.s2, trainer_id: ids.t2 });
    insert(raw, 'enrolments', { id: ids.ea, session_id: ids.session, trainee_id: ids.traineeA, company_id: null, funder_code: 'REGION', file_number: 'GE-001', planned_start: '2026-10-05', planned_end: '2026-12-18', planned_minutes: 21000, ...AUDIT, created_at: '2026-09-02T09:00:00.000Z' });
    insert(raw, 'enrolments', { id: ids.eb, session_id: ids.session, trainee_id: ids.traineeB, company_id: ids.company, funder_code: 'OPCO', file_number: null, planned_start: '2026-10-05', planned_end: '2026-12-18', planned_minutes: 21000, ...AUDIT, created_at: '2026-09-03T09:00:00.000Z' });
    insert(raw, 'enrolment_statuses', { id: ids.stEa1, enrolment_id: ids.ea, status: 'planned', effective_date: '2026-10-05', reason: null, outcome: null, note: null, created_at: AUDIT.created_at, created_by: 'local' });
    insert(raw, 'enrolment_statuses', { id: ids.stEa2, enrolment_id: ids.ea, status: 'entered', effective_date: '2026-10-05', reason: null, outcome: null, note: null, created_at: AUDIT.created_at, created_by: 'local' });
    insert(raw, 'enrolment_statuses', { id: ids.stEb1, enrolment_id: ids.eb, status: 'planned', effective_date: '2026-10-05', reason: null, outcome: null, note: null, created_at: AUDIT.created_at, created_by: 'local' });

    const at = '2026-10-05T08:40:00.000Z';
    const evidence: { type: EvidenceType; row: Record<string, unknown> & { id: string } }[] = [];
    const put = (type: EvidenceType, table: string, row: Record<string, unknown> & { id: string }) => {
      insert(raw, table, row);
      evidence.push({ type, row });
    };
    put('document', 'documents', { id: ids.doc, name: 'certificat.pdf', mime: 'application/pdf', bytes: Buffer.from('%PDF-1.4 certificat'), sha256: 'a'.repeat(64), created_at: at, created_by: 'local' });
    put('signature', 'signatures', { id: ids.sig, signer_kind: 'trainee', signer_id: ids.ea, strokes: '[[[1,1,0],[5,8,16]]]', png: Buffer.from([137, 80, 78, 71]), sha256: 'b'.repeat(64), device_id: 'tablette-1', signed_at: at, created_at: at, created_by: 'local' });
    const mark = { late_minutes: 0, early_minutes: 0, remote_minutes: null, reason: null, document_id: null, signature_id: null, proxy_name: null, checked_by: null, signed_at: null, supersedes_id: null, correction_reason: null, submission_id: ids.submission, created_by: 'local' };
    put('attendance_mark', 'attendance_marks', { ...mark, id: ids.m1, record_id: ids.m1, slot_id: ids.s1, enrolment_id: ids.ea, kind: 'present', minutes: 210, method: 'signature', signature_id: ids.sig, device_id: 'tablette-1', signed_at: at, created_at: at });
    put('attendance_mark', 'attendance_marks', { ...mark, id: ids.m2, record_id: ids.m2, slot_id: ids.s1, enrolment_id: ids.eb, kind: 'unexcused', minutes: 0, method: 'none', device_id: 'tablette-1', created_at: at });
    put('slot_closure', 'slot_closures', { id: ids.closure, slot_id: ids.s1, trainer_id: ids.t1, signature_id: null, method: 'pin', closed_at: '2026-10-05T12:00:00.000Z', created_at: '2026-10-05T12:00:00.000Z', created_by: 'local' });
    put('attendance_mark', 'attendance_marks', { ...mark, id: ids.m3, record_id: ids.m2, slot_id: ids.s1, enrolment_id: ids.eb, kind: 'excused', minutes: 0, method: 'none', reason: 'Certificat médical', document_id: ids.doc, device_id: 'poste-accueil', supersedes_id: ids.m2, correction_reason: 'Justificatif reçu', submission_id: null, created_at: '2026-10-06T09:00:00.000Z' });
    put('connection_log', 'connection_logs', { id: ids.log, file_name: 'moodle.csv', sha256: 'c'.repeat(64), source: 'moodle', row_count: 1, created_at: at, created_by: 'local' });
    put('connection_log_row', 'connection_log_rows', { id: ids.logRow, log_id: ids.log, line: 2, login: 'j.renaud', enrolment_id: ids.eb, slot_id: ids.s2, started_at: '2026-10-05T11:00:00.000Z', ended_at: '2026-10-05T12:30:00.000Z', minutes: 90 });
    put('printed_document', 'printed_documents', { id: ids.printed, kind: 'attendance-sheet', params: '{}', content_sha256: 'd'.repeat(64), short_hash: 'dddddddddddd', created_at: at, created_by: 'local' });
    appendChain(raw, evidence, at);

    insert(raw, 'rollcall_submissions', { id: ids.submission, slot_id: ids.s1, result: '{"recorded":2}', created_at: at, created_by: 'local' });
    const queue = raw.prepare(`INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES ('attendance', ?, ?, '{}', ?)`);
    queue.run(ids.m1, 1, '2026-10-05T12:00:00.000Z');
    queue.run(ids.m2, 1, '2026-10-05T12:00:00.000Z');
    queue.run(ids.m2, 2, '2026-10-06T09:00:00.000Z');
    insert(raw, 'sync_settings', { key: 'device_id', value: 'backend-device' });
  })();
}

function snapshot(raw: Database.Database) {
  const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const counts = Object.fromEntries(tables.map((t) => [t, (one(raw, `SELECT count(*) AS n FROM ${t}`).n as number)]));
  const evidence = Object.fromEntries(EVIDENCE_TABLES.map((t) => [t, all(raw, `SELECT * FROM ${t} ORDER BY rowid`)]));
  return { tables, counts, evidence };
}

describe('migration 4 over a populated schema-3 database', () => {
  it('keeps every row and value, moves funders to fundings, keeps record ids, and the ledger still verifies', async () => {
    const dataDir = tempDir();
    const file = databaseFile(dataDir);
    mkdirSync(dirname(file), { recursive: true });
    const v3 = await openDatabase(file, { migrations: migrations.filter((m) => m.version <= 3) });
    populateSchema3(v3.raw);
    const before = snapshot(v3.raw);
    const places3 = all(v3.raw, 'SELECT * FROM places');
    expect(verifyLedger(v3.raw)).toMatchObject({ ok: true, entries: 9 });
    await v3.close();

    const v4 = await openDatabase(file, { migrations: migrations.filter((m) => m.version <= 4) }); // schema 4 exactly, later ones aside
    try {
      const raw = v4.raw;
      expect(raw.pragma('user_version', { simple: true })).toBe(4);
      expect(v4.backupPath).not.toBeNull();
      expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');

      // Counts and evidence: every old table keeps its rows; evidence keeps its very values.
      const after = snapshot(raw);
      for (const t of before.tables) expect([t, after.counts[t]]).toEqual([t, before.counts[t]]);
      expect(after.evidence).toEqual(before.evidence);
      expect(verifyLedger(raw)).toEqual({ entries: 9, ok: true, problems: [], first: null, notes: [] });
      for (const t of ['attendance_marks', 'signatures', 'documents']) expect(after.evidence[t]!.length).toBe(before.evidence[t]!.length);

      // New tables.
      expect(after.tables).toEqual(expect.arrayContaining(['users', 'devices', 'attendance_records', 'fundings']));
      expect(all(raw, 'SELECT id, name, login, active FROM users ORDER BY id')).toEqual([
        { id: 'import-tool', name: 'import-tool', login: null, active: 1 },
        { id: 'local', name: 'Utilisateur local', login: null, active: 1 },
      ]);
      expect(all(raw, 'SELECT id, kind, first_seen_at, last_seen_at FROM devices ORDER BY id')).toEqual([
        { id: 'backend-device', kind: 'backend', first_seen_at: expect.any(String), last_seen_at: expect.any(String) },
        { id: 'poste-accueil', kind: 'client', first_seen_at: '2026-10-06T09:00:00.000Z', last_seen_at: '2026-10-06T09:00:00.000Z' },
        { id: 'tablette-1', kind: 'client', first_seen_at: '2026-10-05T08:40:00.000Z', last_seen_at: '2026-10-05T08:40:00.000Z' },
      ]);
      // One record per (slot, enrolment), under the id funders already know: the first mark's.
      expect(all(raw, 'SELECT id, slot_id, enrolment_id, created_at FROM attendance_records ORDER BY created_at, enrolment_id')).toEqual(
        [
          { id: ids.m1, slot_id: ids.s1, enrolment_id: ids.ea, created_at: '2026-10-05T08:40:00.000Z' },
          { id: ids.m2, slot_id: ids.s1, enrolment_id: ids.eb, created_at: '2026-10-05T08:40:00.000Z' },
        ].sort((a, b) => a.enrolment_id.localeCompare(b.enrolment_id)),
      );

      // Fundings: one line per enrolment, the whole of it, from its old funder and file number.
      const fundings = all(raw, 'SELECT * FROM fundings ORDER BY enrolment_id');
      expect(fundings).toHaveLength(2);
      const byEnrolment = new Map(fundings.map((f) => [f.enrolment_id, f]));
      expect(byEnrolment.get(ids.ea)).toMatchObject({ funder_code: 'REGION', file_number: 'GE-001', programme: null, share_kind: 'remainder', share_value: null, position: 1, version: 1, deleted_at: null, created_at: '2026-09-02T09:00:00.000Z', created_by: 'local' });
      expect(byEnrolment.get(ids.eb)).toMatchObject({ funder_code: 'OPCO', file_number: null, share_kind: 'remainder', position: 1, created_at: '2026-09-03T09:00:00.000Z' });
      for (const f of fundings) expect(isV7(f.id)).toBe(true);
      expect(v7Ms(byEnrolment.get(ids.ea)!.id as string)).toBe(Date.parse('2026-09-02T09:00:00.000Z'));
      expect(new Set(fundings.map((f) => f.id)).size).toBe(2);
      expect(columns(raw, 'enrolments')).not.toContain('funder_code');
      expect(columns(raw, 'enrolments')).not.toContain('file_number');

      // Versions and tombstones; the old values are all there.
      expect(all(raw, 'SELECT * FROM places')).toEqual(places3.map((p) => ({ ...p, version: 1, deleted_at: null })));
      for (const t of ['places', 'trainers', 'companies', 'trainees', 'actions', 'sessions', 'slots', 'enrolments', 'fundings', 'slot_trainers']) {
        expect([t, columns(raw, t)]).toEqual([t, expect.arrayContaining(['version', 'deleted_at'])]);
      }
      // Links got their own UUIDv7, dated and signed by their slot's last change.
      const links = all(raw, 'SELECT st.*, s.updated_at AS slot_updated FROM slot_trainers st JOIN slots s ON s.id = st.slot_id');
      expect(links).toHaveLength(3);
      for (const l of links) {
        expect(isV7(l.id)).toBe(true);
        expect(v7Ms(l.id as string)).toBe(Date.parse(l.slot_updated as string));
        expect(l).toMatchObject({ version: 1, deleted_at: null, created_at: l.slot_updated, updated_by: 'local' });
      }
      expect(new Set(links.map((l) => l.id)).size).toBe(3);
      // Indexes and append-only triggers came back with the rebuilt tables.
      const names = (type: string) => (raw.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all(type) as { name: string }[]).map((r) => r.name);
      expect(names('index')).toEqual(expect.arrayContaining(['attendance_marks_slot', 'attendance_marks_supersedes', 'enrolments_trainee', 'slots_date', 'slot_trainers_trainer', 'trainees_name', 'printed_documents_short', 'enrolment_statuses_enrolment']));
      for (const t of [...EVIDENCE_TABLES, 'enrolment_statuses', 'attendance_records']) expect(names('trigger')).toEqual(expect.arrayContaining([`${t}_append_only_u`, `${t}_append_only_d`]));
      expect(() => raw.prepare('DELETE FROM signatures').run()).toThrow(/append-only/);
      expect(() => raw.prepare("UPDATE attendance_records SET slot_id = slot_id").run()).toThrow(/append-only/);
    } finally {
      await v4.close();
    }

    // The app on the migrated data: the contract still shows the funder; a correction versions the same record.
    const b = await startBackend(dataDir, { now: () => new Date('2026-10-07T10:00:00.000Z') });
    backends.push(b);
    const page = await b.dispatch('sessions.get', { id: ids.session });
    expect(page.ok).toBe(true);
    const enrolments = (page as { value: { enrolments: { id: string; funderCode: string; fileNumber: string | null }[]; slots: { id: string; trainerIds: string[] }[] } }).value;
    expect(enrolments.enrolments.map((e) => [e.id, e.funderCode, e.fileNumber]).sort()).toEqual([[ids.ea, 'REGION', 'GE-001'], [ids.eb, 'OPCO', null]].sort());
    expect(enrolments.slots.find((s) => s.id === ids.s2)!.trainerIds.sort()).toEqual([ids.t1, ids.t2].sort());
    const corrected = await b.dispatch('attendance.correct', { markId: ids.m3, kind: 'unexcused', method: 'none', correctionReason: 'Justificatif refusé' });
    expect(corrected).toMatchObject({ ok: true, value: { recordId: ids.m2, supersedesId: ids.m3 } });
    expect(all(b.raw, "SELECT record_id, version FROM outbox WHERE record_type = 'attendance' ORDER BY seq")).toEqual([
      { record_id: ids.m1, version: 1 },
      { record_id: ids.m2, version: 1 },
      { record_id: ids.m2, version: 2 },
      { record_id: ids.m2, version: 3 },
    ]);
    // 9 entries of schema 3, then the keyed upgrade (schema 9) covers 3 statuses, 1 roll-call submission, 2 slots and
    // the 6 attendance kinds, then the correction's mark: 9 + 3 + 1 + 2 + 6 + 1.
    expect(verifyLedger(b.raw)).toMatchObject({ ok: true, entries: 22 });
  });
});

// ---- the rules at work -------------------------------------------------------------------------------

const MON_AM = [{ weekday: 1, halfDay: 'am' as const, start: '08:30', end: '12:00' }];

/** A session of two Monday mornings with one enrolled trainee; `trainerIds` assigned to both slots. */
async function cohort(api: TestBackend['api'], trainerIds: string[], enrolmentId?: string) {
  const action = await api['actions.save']({ title: 'CAP Cuisine', plannedMinutes: 600 * 60, modality: 'presentiel' });
  const session = await api['sessions.save']({ actionId: action.id, label: 'Promo', mode: 'cohort', capacity: 10, startDate: '2026-11-23', endDate: '2026-12-04' });
  await api['slots.generate']({ sessionId: session.id, from: '2026-11-23', to: '2026-12-04', timetable: MON_AM, trainerIds });
  const trainee = await api['trainees.save']({ lastName: 'Benali', firstName: 'Nadia', birthDate: '1992-03-14', fictitious: true });
  const enrolment = await api['enrolments.create']({ ...(enrolmentId ? { id: enrolmentId } : {}), sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION', fileNumber: 'GE-001' });
  const page = await api['sessions.get']({ id: session.id });
  return { session, enrolment, slots: page.slots };
}

describe('tombstones instead of deletes', () => {
  it('slots.assign tombstones a removed trainer link and revives it later, same row, next version', async () => {
    const tb = await testBackend('2026-11-20T09:00:00Z');
    backends.push({ close: tb.cleanup });
    const t1 = await tb.api['trainers.save']({ lastName: 'Martin', firstName: 'Paul', kind: 'internal' });
    const t2 = await tb.api['trainers.save']({ lastName: 'Durand', firstName: 'Anne', kind: 'external' });
    const { slots } = await cohort(tb.api, [t1.id]);
    expect(slots).toHaveLength(2);
    const slotIds = slots.map((s) => s.id);
    const links = () => all(tb.raw, 'SELECT id, slot_id, trainer_id, version, deleted_at, updated_at FROM slot_trainers ORDER BY slot_id, trainer_id');
    const first = links();
    expect(first).toHaveLength(2);

    tb.clock.set('2026-11-21T10:00:00Z');
    await tb.api['slots.assign']({ slotIds, trainerIds: [t2.id] });
    const second = links();
    expect(second).toHaveLength(4); // nothing deleted: two tombstones and two new links
    for (const slotId of slotIds) {
      expect(second.find((l) => l.slot_id === slotId && l.trainer_id === t1.id)).toMatchObject({ version: 2, deleted_at: '2026-11-21T10:00:00.000Z', updated_at: '2026-11-21T10:00:00.000Z' });
      expect(second.find((l) => l.slot_id === slotId && l.trainer_id === t2.id)).toMatchObject({ version: 1, deleted_at: null });
    }
    expect((await tb.api['sessions.get']({ id: slots[0]!.sessionId })).slots.map((s) => s.trainerIds)).toEqual([[t2.id], [t2.id]]);
    expect((await tb.api['attendance.rollCall']({ slotId: slotIds[0]! })).slot.trainers.map((t) => t.id)).toEqual([t2.id]);

    tb.clock.set('2026-11-22T10:00:00Z');
    await tb.api['slots.assign']({ slotIds: [slotIds[0]!], trainerIds: [t1.id] });
    const third = links();
    expect(third).toHaveLength(4);
    const revived = third.find((l) => l.slot_id === slotIds[0] && l.trainer_id === t1.id)!;
    expect(revived).toMatchObject({ id: first.find((l) => l.slot_id === slotIds[0])!.id, version: 3, deleted_at: null });
    expect(third.find((l) => l.slot_id === slotIds[0] && l.trainer_id === t2.id)).toMatchObject({ version: 2, deleted_at: '2026-11-22T10:00:00.000Z' });
    // The other slot was not in the call: untouched.
    expect(third.filter((l) => l.slot_id === slotIds[1])).toEqual(second.filter((l) => l.slot_id === slotIds[1]));
    // Unassigning everyone tombstones the rest.
    await tb.api['slots.assign']({ slotIds: [slotIds[0]!], trainerIds: [] });
    expect(all(tb.raw, 'SELECT count(*) AS n FROM slot_trainers WHERE slot_id = ? AND deleted_at IS NULL', slotIds[0])).toEqual([{ n: 0 }]);
    expect(links()).toHaveLength(4);
    // The session page shows only live links.
    expect((await tb.api['sessions.get']({ id: slots[0]!.sessionId })).slots.map((s) => s.trainerIds)).toEqual([[], [t2.id]]);
  });

  it('an update bumps the version; a new enrolment writes its funding line', async () => {
    const tb = await testBackend();
    backends.push({ close: tb.cleanup });
    const t = await tb.api['trainers.save']({ lastName: 'Martin', firstName: 'Paul', kind: 'internal' });
    await tb.api['trainers.save']({ id: t.id, lastName: 'Martin', firstName: 'Pierre', kind: 'internal' });
    await tb.api['trainers.save']({ id: t.id, lastName: 'Martin', firstName: 'Pierre', kind: 'external' });
    expect(one(tb.raw, 'SELECT version, deleted_at FROM trainers WHERE id = ?', t.id)).toEqual({ version: 3, deleted_at: null });
    const { enrolment } = await cohort(tb.api, []);
    expect(enrolment).toMatchObject({ funderCode: 'REGION', fileNumber: 'GE-001' });
    const lines = all(tb.raw, 'SELECT id, funder_code, file_number, share_kind, share_value, position, version, created_by FROM fundings WHERE enrolment_id = ?', enrolment.id);
    expect(lines).toEqual([{ id: expect.any(String), funder_code: 'REGION', file_number: 'GE-001', share_kind: 'remainder', share_value: null, position: 1, version: 1, created_by: 'local' }]);
    expect(isV7(lines[0]!.id)).toBe(true);
    await tb.api['enrolments.setStatus']({ enrolmentId: enrolment.id, status: 'entered', effectiveDate: '2026-11-23' });
    expect(one(tb.raw, 'SELECT version FROM enrolments WHERE id = ?', enrolment.id)).toEqual({ version: 2 });
    const payload = JSON.parse(one(tb.raw, "SELECT payload FROM outbox WHERE record_type = 'enrolment' AND record_id = ?", enrolment.id).payload as string);
    expect(payload.funder).toEqual({ code: 'REGION', fileNumber: 'GE-001' });
  });
});

describe('foreign keys to users and devices', () => {
  it('refuses a row by an unknown user and evidence from an unknown device; a mark registers its device', async () => {
    const tb = await testBackend('2026-11-23T09:00:00Z');
    backends.push({ close: tb.cleanup });
    // A context whose user was never registered (startBackend registers its own).
    const ghost = makeCtx({ db: tb.ctx.db, dataDir: tb.dataDir, user: { id: 'fantome', name: 'Fantôme', permissions: new Set() } });
    const refused = await saveTrainer(ghost, { lastName: 'X', firstName: 'Y', kind: 'internal', email: null, phone: null, siret: null }).then(() => null, (e: unknown) => e);
    expect(String(refused)).toMatch(/FOREIGN KEY constraint failed/);
    expect(toApiError(refused)).toMatchObject({ code: 'validation', message: expect.stringMatching(/^Référence inconnue : un enregistrement lié/) });
    expect(all(tb.raw, 'SELECT count(*) AS n FROM trainers')).toEqual([{ n: 0 }]);
    expect(() =>
      tb.raw.prepare(`INSERT INTO signatures (id, signer_kind, signer_id, strokes, png, sha256, device_id, signed_at, created_at, created_by) VALUES (?, 'trainer', 'x', '[]', NULL, 'x', 'appareil-inconnu', 'x', 'x', 'local')`).run(uuidv7()),
    ).toThrow(/FOREIGN KEY/);

    // Through the service this installation's device id is made and registered first, then seen again later.
    const t1 = await tb.api['trainers.save']({ lastName: 'Martin', firstName: 'Paul', kind: 'internal' });
    const { slots, enrolment } = await cohort(tb.api, [t1.id]);
    await tb.api['attendance.record']({ slotId: slots[0]!.id, submissionId: uuidv7(), marks: [{ enrolmentId: enrolment.id, kind: 'unexcused', method: 'none' }] });
    const device = (one(tb.raw, "SELECT value FROM sync_settings WHERE key = 'device_id'") as { value: string }).value;
    expect(one(tb.raw, 'SELECT device_id FROM attendance_marks')).toEqual({ device_id: device });
    expect(one(tb.raw, 'SELECT kind, first_seen_at, last_seen_at FROM devices WHERE id = ?', device)).toEqual({ kind: 'backend', first_seen_at: '2026-11-23T09:00:00.000Z', last_seen_at: '2026-11-23T09:00:00.000Z' });
    tb.clock.set('2026-11-23T11:30:00Z');
    await tb.api['attendance.close']({ slotId: slots[0]!.id, trainerId: t1.id, method: 'paper' });
    expect(one(tb.raw, 'SELECT first_seen_at, last_seen_at FROM devices WHERE id = ?', device)).toEqual({ first_seen_at: '2026-11-23T09:00:00.000Z', last_seen_at: '2026-11-23T11:30:00.000Z' });
    expect(tb.raw.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('one attendance record per (slot, enrolment) across devices', () => {
  it('two installations marking the same trainee on the same slot queue versions of one record id', async () => {
    // Two data folders = two devices, holding the same session (same ids, as sync will make them hold).
    // Setup ids come from a shared sequence; from the roll call on, each device draws its own.
    const makeIds = () => {
      let n = 0;
      const state = { shared: true };
      const newId = () => (state.shared ? `01900000-0000-7000-8000-${String(++n).padStart(12, '0')}` : uuidv7());
      return { newId, state };
    };
    const devices = [makeIds(), makeIds()];
    const installs: Backend[] = [];
    for (const d of devices) {
      const b = await startBackend(tempDir(), { newId: d.newId, now: () => new Date('2026-11-23T09:00:00Z') });
      backends.push(b);
      installs.push(b);
    }
    const call = async (b: Backend, method: string, input: unknown) => {
      const r = await b.dispatch(method, input);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as never;
    };
    const setups: { slotId: string; enrolmentId: string; trainerId: string }[] = [];
    for (const b of installs) {
      const trainer: { id: string } = await call(b, 'trainers.save', { lastName: 'Martin', firstName: 'Paul', kind: 'internal' });
      const action: { id: string } = await call(b, 'actions.save', { title: 'CAP Cuisine', plannedMinutes: 36000, modality: 'presentiel' });
      const session: { id: string } = await call(b, 'sessions.save', { actionId: action.id, label: 'Promo', mode: 'cohort', capacity: 10, startDate: '2026-11-23', endDate: '2026-11-27' });
      await call(b, 'slots.generate', { sessionId: session.id, from: '2026-11-23', to: '2026-11-27', timetable: MON_AM, trainerIds: [trainer.id] });
      const trainee: { id: string } = await call(b, 'trainees.save', { lastName: 'Benali', firstName: 'Nadia', birthDate: '1992-03-14', fictitious: true });
      const enrolment: { id: string } = await call(b, 'enrolments.create', { sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION' });
      const page: { slots: { id: string }[] } = await call(b, 'sessions.get', { id: session.id });
      setups.push({ slotId: page.slots[0]!.id, enrolmentId: enrolment.id, trainerId: trainer.id });
    }
    expect(setups[1]).toEqual(setups[0]);
    for (const d of devices) d.state.shared = false;

    const { slotId, enrolmentId, trainerId } = setups[0]!;
    const kinds = ['present', 'unexcused'];
    for (const [i, b] of installs.entries()) {
      const mark = kinds[i] === 'present' ? { enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur' } : { enrolmentId, kind: 'unexcused', method: 'none' };
      await call(b, 'attendance.record', { slotId, submissionId: uuidv7(), marks: [mark], close: { trainerId, method: 'paper' } });
    }
    const queued = installs.map((b) => all(b.raw, "SELECT record_id, version FROM outbox WHERE record_type = 'attendance'"));
    const expected = attendanceRecordId(slotId, enrolmentId);
    expect(queued).toEqual([[{ record_id: expected, version: 1 }], [{ record_id: expected, version: 1 }]]);
    expect(validate(expected) && uuidVersion(expected)).toBe(5);
    // Different marks (each device drew its own ids), one record.
    const marks = installs.map((b) => one(b.raw, 'SELECT id, record_id, device_id FROM attendance_marks'));
    expect(marks[0]!.id).not.toBe(marks[1]!.id);
    // Each installation's own device id (evidence/devices.ts), not one the screen chose.
    const deviceOf = (b: Backend) => (one(b.raw, "SELECT value FROM sync_settings WHERE key = 'device_id'") as { value: string }).value;
    expect(marks.map((m) => [m.record_id, m.device_id])).toEqual(installs.map((b) => [expected, deviceOf(b)]));
    expect(deviceOf(installs[0]!)).not.toBe(deviceOf(installs[1]!));
  });
});
