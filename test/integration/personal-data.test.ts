import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../electron/backend/backend';
import type { User } from '../../electron/backend/context';
import { databaseFile } from '../../electron/backend/paths';
import { FieldCipher } from '../../electron/backend/privacy/field-cipher';
import { bodyForWire } from '../../electron/backend/privacy/payload';
import { migrations } from '../../migrations';
import type { MethodName } from '../../shared/contract';
import type { TraineeSensitive } from '../../shared/domain/sensitive';
import type { Permission } from '../../shared/permissions';
import { startReceiver, type Receiver } from '../receiver/server';
import { testBackend, type TestBackend, refusalOf } from '../helpers/backend';

/*
 * Issue #12: personal data sealed at rest, shown only to who needs it. Expected values are worked out by hand:
 * the NIRs are the checked examples of test/unit/nir.test.ts, the masks follow « sex, year, •• •• ••• •••, key ».
 */

/** Nadia Benali's NIR (shared/domain/nir.ts example), born in May 1969: 2 69 05 49 588 157 80. */
const NIR = '269054958815780';
/** The demo's Julien Renaud (electron/backend/demo/demo.ts). */
const DEMO_NIR = '179044935500771';
const SIRET = '99900100100018';
const spaced = (nir: string) => `${nir.slice(0, 1)} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)} ${nir.slice(7, 10)} ${nir.slice(10, 13)} ${nir.slice(13)}`;

const SENSITIVE: TraineeSensitive = {
  rqth: true,
  rqthUntil: '2028-06-30',
  accommodations: 'Poste de travail surélevé, pauses toutes les heures',
  benefits: ['rsa', 'other'],
  benefitsOther: 'Prime d’activité',
  justiceFollowUp: 'spip',
  justiceNote: 'Rendez-vous SPIP le premier lundi du mois',
};
const SICK = 'Arrêt maladie : hospitalisation pour une opération';
const DRAFT_REASON = 'Consultation en hôpital psychiatrique';

const open: { close(): Promise<void> }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

async function backend(startAt = '2026-11-23T09:00:00Z'): Promise<TestBackend> {
  const tb = await testBackend(startAt);
  open.push({ close: tb.cleanup });
  return tb;
}

/** A second connection to the same folder as `user` (no folder lock: the test's own backend holds it). */
async function as(tb: TestBackend, permissions: readonly Permission[], id = 'auditrice'): Promise<Backend> {
  const user: User = { id, name: 'Auditrice', permissions: new Set(permissions) };
  const b = await startBackend(tb.dataDir, { user, now: () => tb.clock.now, lock: false });
  open.unshift({ close: () => b.close() });
  return b;
}

const failure = refusalOf;

async function call(b: Backend, method: MethodName, payload: unknown) {
  return b.dispatch(method, payload);
}

/** Every file of the data folder, recursively (database, -wal, -shm, keys, exports, head file…). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Which of `needles` appear, in clear, in which files of the folder (`skip`: relative paths left out). */
function clearIn(dir: string, needles: readonly string[], skip: (rel: string) => boolean = () => false): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const rel = relative(dir, file);
    if (skip(rel)) continue;
    const bytes = readFileSync(file);
    for (const n of needles) if (bytes.includes(Buffer.from(n, 'utf8'))) found.push(`${rel}: ${n}`);
  }
  return found;
}

/** A small cohort of its own: an action, a session of three weeks with morning slots, one trainee enrolled and entered. */
async function cohort(tb: TestBackend, traineeId: string) {
  const action = await tb.api['actions.save']({ title: 'Remise à niveau', plannedMinutes: 600, modality: 'presentiel' });
  const session = await tb.api['sessions.save']({ actionId: action.id, label: 'Groupe données', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-27' });
  const timetable = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' }));
  await tb.api['slots.generate']({ sessionId: session.id, from: '2026-11-09', to: '2026-11-27', timetable });
  const enrolment = await tb.api['enrolments.create']({ sessionId: session.id, traineeId, funderCode: 'REGION', fileNumber: 'GE-2026-042' });
  await tb.api['enrolments.setStatus']({ enrolmentId: enrolment.id, status: 'entered', effectiveDate: '2026-11-09' });
  const slots = (await tb.api['sessions.get']({ id: session.id })).slots;
  return { session, enrolment, slot: (date: string) => slots.find((s) => s.date === date)! };
}

function saveNadia(tb: TestBackend) {
  return tb.api['trainees.save']({ lastName: 'Benali', firstName: 'Nadia', birthDate: '1969-05-14', nir: spaced(NIR), sensitive: SENSITIVE });
}

describe('personal data at rest', () => {
  it('leaves no NIR, sensitive field or reason of absence in clear in any file of the data folder', async () => {
    const tb = await backend();
    await tb.api['demo.load']({});
    const receiver: Receiver = await startReceiver();
    open.push({ close: () => receiver.close() });
    const http = await tb.api['sync.saveReceiver']({ name: 'Région (API)', url: receiver.url, token: receiver.issueToken(SIRET), recordTypes: ['enrolment'] });
    const file = await tb.api['sync.saveReceiver']({ name: 'Département (extranet)', kind: 'file', recordTypes: ['enrolment'] });

    const nadia = await saveNadia(tb);
    const { enrolment, slot } = await cohort(tb, nadia.id);
    // A reason of absence recorded (sealed), and one still typed in a roll call's draft.
    const monday = slot('2026-11-16');
    await tb.api['attendance.record']({ slotId: monday.id, submissionId: uuidv7(), marks: [{ enrolmentId: enrolment.id, kind: 'excused', method: 'none', reason: SICK }] });
    const tuesday = slot('2026-11-17');
    const draft = { kind: 'excused', lateMinutes: '', earlyMinutes: '', remoteMinutes: '', reason: DRAFT_REASON, document: null, method: 'signature' as const, signature: null, signedAt: null, scan: null, checkedBy: '', proxyName: '' };
    await tb.api['attendance.saveDraft']({ slotId: tuesday.id, enrolmentId: enrolment.id, draft });

    // The funders get the NIR: over HTTP, and in the file handed to the user.
    tb.sync.configure({ random: () => 0.5 });
    for (let i = 0; i < 5 && (await tb.sync.step(http.id)).kind !== 'idle'; i++);
    const received = receiver.current(SIRET).get(enrolment.id);
    expect((JSON.parse(received!.payload) as { trainee: { nir: string } }).trainee.nir).toBe(NIR);
    const csv = await tb.api['sync.exportFile']({ receiverId: file.id, format: 'csv' });
    expect(Buffer.from(csv.contentBase64, 'base64').toString('utf8')).toContain(NIR);
    expect(readdirSync(join(tb.dataDir, 'exports'))).toEqual([`${csv.fileName}.sealed`]);
    // A claim validated: its frozen documents are stored as blobs.
    const ready = (await tb.api['claims.list']({ status: 'draft' })).claims[0];
    expect(ready).toBeDefined();
    await tb.api['claims.validate']({ id: ready!.id });

    // What the app reads back is whole.
    expect((await tb.api['trainees.get']({ id: nadia.id })).sensitive).toEqual(SENSITIVE);
    const roll = await tb.api['attendance.rollCall']({ slotId: monday.id });
    expect(roll.rows.find((r) => r.enrolmentId === enrolment.id)!.mark!.reason).toBe(SICK);
    expect((await tb.api['attendance.drafts']({ slotId: tuesday.id }))[0]!.draft.reason).toBe(DRAFT_REASON);

    const needles = [NIR, spaced(NIR), DEMO_NIR, spaced(DEMO_NIR), SENSITIVE.accommodations!, SENSITIVE.justiceNote!, SENSITIVE.benefitsOther!, SICK, DRAFT_REASON, 'Rendez-vous France Travail'];
    expect(existsSync(join(tb.dataDir, 'data.key'))).toBe(true);
    expect(clearIn(tb.dataDir, needles)).toEqual([]);
    tb.raw.pragma('wal_checkpoint(TRUNCATE)');
    expect(clearIn(tb.dataDir, needles)).toEqual([]);
    await tb.close();
    expect(clearIn(tb.dataDir, needles)).toEqual([]);
  });

  it('binds each sealed value to its place: a NIR copied onto another trainee does not open there', async () => {
    const tb = await backend();
    const nadia = await saveNadia(tb);
    const other = await tb.api['trainees.save']({ lastName: 'Martin', firstName: 'Léa', birthDate: '1990-05-01' });
    tb.raw.prepare('UPDATE trainees SET nir = (SELECT nir FROM trainees WHERE id = ?) WHERE id = ?').run(nadia.id, other.id);
    const e = await failure(tb.api['trainees.revealNir']({ id: other.id }));
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/^Donnée chiffrée illisible \(trainees\.nir, enregistrement /);
    expect(e.message).not.toContain(NIR);
    expect((await failure(tb.api['trainees.get']({ id: other.id }))).message).toMatch(/Donnée chiffrée illisible/);
    // The original row still opens.
    expect((await tb.api['trainees.revealNir']({ id: nadia.id })).nir).toBe(NIR);

    // The same holds for the cipher itself: another row, another column, another key.
    const key = randomBytes(32);
    const cipher = new FieldCipher(key);
    const sealed = cipher.seal(NIR, { table: 'trainees', column: 'nir', rowId: 'a' });
    expect(cipher.open(sealed, { table: 'trainees', column: 'nir', rowId: 'a' })).toBe(NIR);
    expect(sealed).toMatch(/^enc:v1:[A-Za-z0-9+/]+=*$/);
    expect(cipher.seal(NIR, { table: 'trainees', column: 'nir', rowId: 'a' })).not.toBe(sealed); // a fresh IV each time
    expect(() => cipher.open(sealed, { table: 'trainees', column: 'nir', rowId: 'b' })).toThrow(/illisible/);
    expect(() => cipher.open(sealed, { table: 'trainees', column: 'sensitive', rowId: 'a' })).toThrow(/illisible/);
    expect(() => new FieldCipher(randomBytes(32)).open(sealed, { table: 'trainees', column: 'nir', rowId: 'a' })).toThrow(/illisible/);
    // The blind index: equal NIRs, equal index; another key, another index.
    expect(cipher.blindIndex('nir', NIR)).toBe(new FieldCipher(key).blindIndex('nir', NIR));
    expect(cipher.blindIndex('nir', NIR)).not.toBe(cipher.blindIndex('nir', DEMO_NIR));
    expect(cipher.blindIndex('nir', NIR)).not.toBe(new FieldCipher(randomBytes(32)).blindIndex('nir', NIR));
  });

  it('refuses the same NIR twice through its blind index, and the database refuses a clear NIR', async () => {
    const tb = await backend();
    await saveNadia(tb);
    const e = await failure(tb.api['trainees.save']({ lastName: 'Martin', firstName: 'Léa', birthDate: '1990-05-01', nir: NIR }));
    expect(e).toMatchObject({ code: 'conflict', message: 'NIR déjà enregistré pour BENALI Nadia : un NIR identifie une seule personne.' });
    const index = tb.raw.prepare('SELECT nir_index FROM trainees WHERE last_name = ?').get('Benali') as { nir_index: string };
    expect(index.nir_index).toMatch(/^[0-9a-f]{64}$/);
    expect(() => tb.raw.prepare("UPDATE trainees SET nir = ? WHERE last_name = 'Benali'").run(NIR)).toThrow(/stored sealed/);
  });
});

describe('who sees personal data', () => {
  it('gives the NIR and the sensitive fields only to a user who may read them; others get a flag', async () => {
    const tb = await backend();
    const nadia = await saveNadia(tb);
    // Whoever may: masked in reads, the sensitive fields in the record, not in the list.
    expect(nadia).toMatchObject({ nir: null, nirOnFile: true, nirMasked: '2 69 •• •• ••• ••• 80', sensitive: SENSITIVE });
    const listed = (await tb.api['trainees.list']({})).rows[0]!;
    expect(listed).toMatchObject({ nir: null, nirOnFile: true, nirMasked: '2 69 •• •• ••• ••• 80' });
    expect(listed).not.toHaveProperty('sensitive');

    const auditor = await as(tb, ['people.read', 'people.write', 'attendance.read']);
    const got = await call(auditor, 'trainees.get', { id: nadia.id });
    expect(got).toMatchObject({ ok: true, value: { id: nadia.id, nir: null, nirOnFile: true, nirMasked: null, sensitive: null } });
    const list = await call(auditor, 'trainees.list', {});
    expect(list).toMatchObject({ ok: true, value: { rows: [{ nir: null, nirOnFile: true, nirMasked: null }] } });
    expect(await call(auditor, 'trainees.revealNir', { id: nadia.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Saving what their form shows (no NIR, no sensitive field) keeps them; a value is refused.
    const saved = await call(auditor, 'trainees.save', { id: nadia.id, lastName: 'Benali', firstName: 'Nadia-Inès', birthDate: '1969-05-14', nir: null, sensitive: null });
    expect(saved).toMatchObject({ ok: true, value: { firstName: 'Nadia-Inès', nirOnFile: true, sensitive: null } });
    expect(await call(auditor, 'trainees.save', { id: nadia.id, lastName: 'Benali', firstName: 'Nadia', birthDate: '1969-05-14', nir: DEMO_NIR })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', issues: [{ path: 'nir' }] },
    });
    expect((await tb.api['trainees.revealNir']({ id: nadia.id })).nir).toBe(NIR);
    expect((await tb.api['trainees.get']({ id: nadia.id })).sensitive).toEqual(SENSITIVE);

    // Whoever may: a field left out is kept, null erases it.
    await tb.api['trainees.save']({ id: nadia.id, lastName: 'Benali', firstName: 'Nadia', birthDate: '1969-05-14' });
    expect((await tb.api['trainees.get']({ id: nadia.id })).sensitive).toEqual(SENSITIVE);
    const erased = await tb.api['trainees.save']({ id: nadia.id, lastName: 'Benali', firstName: 'Nadia', birthDate: '1969-05-14', nir: null, sensitive: null });
    expect(erased).toMatchObject({ nirOnFile: false, nirMasked: null, sensitive: null });
    expect(tb.raw.prepare('SELECT nir, nir_index, sensitive FROM trainees WHERE id = ?').get(nadia.id)).toEqual({ nir: null, nir_index: null, sensitive: null });
  });

  it('checks the sensitive fields with French sentences naming the field', async () => {
    const tb = await backend();
    const e = await failure(tb.api['trainees.save']({ lastName: 'Benali', firstName: 'Nadia', birthDate: '1969-05-14', sensitive: { rqth: false, rqthUntil: '2028-06-30', benefits: ['other'], justiceNote: 'Note' } }));
    expect(e.code).toBe('validation');
    expect(e.issues).toEqual([
      { path: 'sensitive.rqthUntil', message: 'Fin de la RQTH : cochez d’abord « RQTH reconnue ».' },
      { path: 'sensitive.benefitsOther', message: 'Autre prestation : précisez laquelle.' },
      { path: 'sensitive.justiceNote', message: 'Suivi judiciaire : indiquez d’abord le service (SPIP ou PJJ).' },
    ]);
  });

  it('writes every display of a NIR to the audit log, in the ledger', async () => {
    const tb = await backend();
    const nadia = await saveNadia(tb);
    const views = () => tb.raw.prepare("SELECT user_id, action, outcome, subject_type, subject_id, summary, method FROM audit_events WHERE action = 'nir.viewed'").all();
    expect(views()).toEqual([]);
    await tb.api['trainees.get']({ id: nadia.id });
    await tb.api['trainees.list']({});
    expect(views()).toEqual([]); // masked reads show nothing to log
    expect(await tb.api['trainees.revealNir']({ id: nadia.id })).toEqual({ nir: NIR });
    expect(await tb.api['trainees.revealNir']({ id: nadia.id })).toEqual({ nir: NIR });
    const entry = { user_id: 'local', action: 'nir.viewed', outcome: 'success', subject_type: 'trainee', subject_id: nadia.id, summary: 'NIR affiché : BENALI Nadia.', method: 'trainees.revealNir' };
    expect(views()).toEqual([entry, entry]);
    const ledger = tb.raw.prepare("SELECT count(*) AS n FROM ledger WHERE record_type = 'audit_event'").get() as { n: number };
    expect(ledger.n).toBe(2);
    expect((await tb.api['ledger.verify']({})).ok).toBe(true);
  });

  it('shows reasons of absence to those who take roll calls, not to an auditor', async () => {
    const tb = await backend();
    const nadia = await saveNadia(tb);
    const { enrolment, slot } = await cohort(tb, nadia.id);
    await tb.api['attendance.record']({ slotId: slot('2026-11-16').id, submissionId: uuidv7(), marks: [{ enrolmentId: enrolment.id, kind: 'excused', method: 'none', reason: SICK }] });
    const stored = tb.raw.prepare('SELECT id, reason FROM attendance_marks').get() as { id: string; reason: string };
    expect(stored.reason).toMatch(/^enc:v1:/);
    const auditor = await as(tb, ['attendance.read']);
    const seen = await call(auditor, 'attendance.rollCall', { slotId: slot('2026-11-16').id });
    expect(seen).toMatchObject({ ok: true, value: { rows: [{ mark: { kind: 'excused', reason: null } }] } });
    const history = await tb.api['attendance.history']({ slotId: slot('2026-11-16').id, enrolmentId: enrolment.id });
    expect(history.map((m) => m.reason)).toEqual([SICK]);
    // Hashed into the ledger as stored: the ledger verifies.
    expect((await tb.api['ledger.verify']({})).ok).toBe(true);
  });
});

describe('the records queued for the funders', () => {
  it('queues the NIR sealed and sends the batch with it opened, the same bytes as before sealing', async () => {
    const tb = await backend();
    const nadia = await saveNadia(tb);
    const { enrolment } = await cohort(tb, nadia.id);
    const row = tb.raw.prepare("SELECT payload FROM outbox WHERE record_type = 'enrolment' AND record_id = ?").get(enrolment.id) as { payload: string };
    const payload = JSON.parse(row.payload) as { trainee: { nir: string; lastName: string } };
    expect(payload.trainee.lastName).toBe('Benali');
    expect(payload.trainee.nir).toMatch(/^enc:v1:/);
    // On the wire: the NIR in place of its seal, every other byte as stored.
    const body = `{"batchId":"b","records":[{"recordId":${JSON.stringify(enrolment.id)},"version":1,"type":"enrolment","payload":${row.payload}}]}`;
    const cipher = new FieldCipher(Buffer.from(readFileSync(join(tb.dataDir, 'data.key'), 'utf8'), 'base64'));
    expect(bodyForWire(cipher, body)).toBe(body.replace(JSON.stringify(payload.trainee.nir), JSON.stringify(NIR)));
    // Sealed for this record only: the same text under another record's id does not open.
    const moved = body.replace(JSON.stringify(enrolment.id), JSON.stringify(uuidv7()));
    expect(() => bodyForWire(cipher, moved)).toThrow(/illisible/);
  });
});

describe('the start-up sealing of a database written before schema 17', () => {
  it('seals the clear NIRs in place, in the trainees, the queue and the batches, and the ledger still verifies', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sillon-personal-'));
    dirs.push(dataDir);
    const clock = { now: new Date('2026-11-23T09:00:00Z') };
    // Schema 16, with evidence in the ledger: a cohort whose trainee was written in clear (raw SQL, as before).
    const old = await startBackend(dataDir, { now: () => clock.now, migrations: migrations.filter((m) => m.version <= 16) });
    const api = async (method: MethodName, payload: unknown) => {
      const r = await old.dispatch(method, payload);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as never;
    };
    const traineeId = uuidv7();
    const stamp = clock.now.toISOString();
    old.raw
      .prepare(`INSERT INTO trainees (id, last_name, first_name, birth_date, nir, qpv_resident, fictitious, search_key, created_at, created_by, updated_at, updated_by)
        VALUES (?, 'Benali', 'Nadia', '1969-05-14', ?, 0, 1, 'benali nadia', ?, 'local', ?, 'local')`)
      .run(traineeId, NIR, stamp, stamp);
    await api('organisation.save', { name: 'Organisme (fictif)', siret: SIRET, nda: '44670000067' });
    const action = await api('actions.save', { title: 'Remise à niveau', plannedMinutes: 600, modality: 'presentiel' });
    const session = await api('sessions.save', { actionId: (action as { id: string }).id, label: 'Groupe', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-27' });
    const sessionId = (session as { id: string }).id;
    await api('slots.generate', { sessionId, from: '2026-11-09', to: '2026-11-13', timetable: [{ weekday: 1, halfDay: 'am', start: '09:00', end: '12:00' }] });
    const enrolment = (await api('enrolments.create', { sessionId, traineeId, funderCode: 'REGION', fileNumber: 'GE-1' })) as { id: string };
    await api('enrolments.setStatus', { enrolmentId: enrolment.id, status: 'entered', effectiveDate: '2026-11-09' });
    const receiver = await startReceiver();
    open.push({ close: () => receiver.close() });
    const saved = (await api('sync.saveReceiver', { name: 'Région', url: receiver.url, token: receiver.issueToken(SIRET), recordTypes: ['enrolment'] })) as { id: string };
    // As an older version queued it: the NIR in clear in the payload, then in a batch built (not sent yet).
    const clearPayload = JSON.stringify({ enrolmentId: enrolment.id, trainee: { lastName: 'Benali', firstName: 'Nadia', birthDate: '1969-05-14', nir: NIR }, status: 'entered' });
    old.raw.prepare("INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES ('enrolment', ?, 2, ?, ?)").run(enrolment.id, clearPayload, stamp);
    const clearBody = `{"batchId":"01900000-0000-7000-8000-00000000b001","sentAt":"${stamp}","sender":{"siret":"${SIRET}"},"records":[{"recordId":"${enrolment.id}","version":2,"type":"enrolment","payload":${clearPayload}}]}`;
    old.raw
      .prepare("INSERT INTO sync_batches (id, receiver_id, body, record_count, body_bytes, state, attempts, created_at) VALUES ('01900000-0000-7000-8000-00000000b001', ?, ?, 1, ?, 'acked', 1, ?)")
      .run(saved.id, clearBody, Buffer.byteLength(clearBody), stamp);
    // An export copy an older version kept in clear.
    const exportsDir = join(dataDir, 'exports');
    mkdirSync(exportsDir);
    writeFileSync(join(exportsDir, 'sillon-region-2026-11-20.csv'), `recordId;trainee.nir\n${enrolment.id};${NIR}\n`);
    expect(((await old.dispatch('ledger.verify', {})) as { value: { ok: boolean } }).value.ok).toBe(true);
    await old.close();

    // The first start with schema 17 and the key.
    const now = await startBackend(dataDir, { now: () => clock.now });
    open.push({ close: () => now.close() });
    const trainee = now.raw.prepare('SELECT nir, nir_index FROM trainees WHERE id = ?').get(traineeId) as { nir: string; nir_index: string };
    expect(trainee.nir).toMatch(/^enc:v1:/);
    expect(trainee.nir_index).toMatch(/^[0-9a-f]{64}$/);
    expect(await now.dispatch('trainees.revealNir', { id: traineeId })).toEqual({ ok: true, value: { nir: NIR } });
    const report = await now.dispatch('ledger.verify', {});
    expect(report).toMatchObject({ ok: true, value: { ok: true, problems: [] } });
    // The payload and the batch: sealed, and giving back the very bytes they had on the wire.
    const cipher = new FieldCipher(Buffer.from(readFileSync(join(dataDir, 'data.key'), 'utf8'), 'base64'));
    const payload = (now.raw.prepare('SELECT payload FROM outbox WHERE record_id = ? AND version = 2').get(enrolment.id) as { payload: string }).payload;
    expect(payload).not.toContain(NIR);
    const body = (now.raw.prepare("SELECT body FROM sync_batches WHERE id = '01900000-0000-7000-8000-00000000b001'").get() as { body: string }).body;
    expect(body).not.toContain(NIR);
    expect(bodyForWire(cipher, body)).toBe(clearBody);
    // The NIR of the duplicate check is found through the index the step wrote.
    const dup = await now.dispatch('trainees.save', { lastName: 'Martin', firstName: 'Léa', birthDate: '1990-05-01', nir: NIR });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(readdirSync(exportsDir)).toEqual(['sillon-region-2026-11-20.csv.sealed']);
    // Nothing in clear but in the backup taken before migrating (the user's restore point, left alone).
    now.raw.pragma('wal_checkpoint(TRUNCATE)');
    expect(readdirSync(join(dataDir, 'backups')).length).toBe(1);
    expect(clearIn(dataDir, [NIR, spaced(NIR)], (rel) => rel.startsWith('backups'))).toEqual([]);
    // The search does find a clear NIR in a database file: in that backup.
    expect(clearIn(dataDir, [NIR], (rel) => !rel.startsWith('backups'))).toHaveLength(1);
    // Started again: nothing left to seal, nothing changes.
    await now.close();
    open.pop();
    const before = new Database(databaseFile(dataDir), { readonly: true });
    const snapshot = before.prepare('SELECT nir FROM trainees').all();
    before.close();
    const again = await startBackend(dataDir, { now: () => clock.now });
    open.push({ close: () => again.close() });
    expect(again.raw.prepare('SELECT nir FROM trainees').all()).toEqual(snapshot);
  });
});
