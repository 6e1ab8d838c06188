/**
 * `attendance-marks`: 100 000 attendance marks through the real service — per slot, one
 * `dispatch('attendance.record')` of the whole 30-trainee roll call with the trainer's countersignature
 * (zod validation, checks, signatures, marks, ledger entries, closure, its ledger entry, one outbox row per
 * mark and the submission record, all in one transaction) — against raw better-sqlite3 prepared INSERTs of
 * exactly the same rows, one transaction per slot: the `full` baseline.
 *
 * The full baseline writes, per slot and in the service's order: 15 trainee signatures, 30 marks, 46 ledger
 * entries (signature, mark, … then the closure) with their hash chain and their seals, the closure (on this
 * installation's device), 30 outbox rows (version 1, the protocol's `attendance` payload), the submission record
 * and its ledger entry (schema 9: submissions are evidence), then — after the commit, as the service does — the
 * ledger head file (`ledger.head`: count, last seal, time, tagged under the key, written to a temporary file,
 * fsynced, renamed). The outbox trigger routes each outbox row to the one receiver both databases hold (a paused
 * file receiver, so nothing is sent), hence 30 sync_items.
 * Its values are computed by hand — content hashes with the columns already in sorted order (late columns left
 * out while NULL, as hash.ts does), the chain head and its seal kept in memory, each seal an HMAC-SHA256 under the
 * database's own ledger key (read from its data folder before the clock, as the service has it bound to its
 * handle) over the previous seal and the entry's hash, the payload's evidence hash taken from the row just
 * hashed — and, after the run, the whole baseline ledger is checked by `verifyLedger` with its key, seals and
 * head file included, as the service's is: the two write the same evidence format.
 * At the end both databases must hold the same number of rows in every table, and per column the same
 * number of non-NULL values and the same total length (ids, stamps and hashes differ in value, never in
 * length): the bench fails loudly otherwise.
 *
 * A third database, `marks-only`, gets only what the roll call is about (the signatures and the marks, as a
 * naive "just insert the marks" writer would): `marks_only_ratio` is the service against it.
 *
 * What the baselines get before their clock starts is what the service gets as input (or draws itself):
 * ids, the stamp, the marks as submitted, the signature bytes, the slot's date and times. Everything derived
 * (signature and content hashes, chain, minutes, payloads) is computed inside the timed part, with no read
 * from the database. Half the trainees sign on screen (a small 1×1-PNG signature), the other half by proxy
 * (a tutor signs for them: a PIN mark now checks the trainee's scrypt-hashed PIN, a deliberately slow step no
 * raw INSERT has an equivalent of, so the bench leaves PIN capture out); one in fifteen is late; the trainer
 * closes on paper. The service and the full baseline are both opened by `startBackend` (ledger key bound,
 * keyed upgrade done) in their own temp folders, the marks-only database by `openDatabase` (same schema, WAL,
 * synchronous=FULL, foreign keys on); all three are seeded with the same cohorts (sessions of 200 slots × 30
 * trainees; in the two keyed ones the enrolment statuses go through the evidence writer and the slots are
 * tracked, as schema 9 covers them) and the same receiver.
 *
 * Rounds of 50 slots: in each round every side writes the same 50 slots of its own database, in an order
 * that rotates through the six permutations, so a change of disk or machine load weighs on all sides alike.
 * `ratio` is the median over rounds of service time / full-baseline time (`marks_only_ratio` likewise);
 * the per-slot figures are medians of the rounds' times divided by 50.
 */
import type Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { startBackend, type Backend } from '../electron/backend/backend';
import { LOCAL_USER } from '../electron/backend/context';
import { openDatabase, type OpenedDatabase } from '../electron/backend/db/open';
import { withRaw } from '../electron/backend/db/raw';
import { sha256 } from '../electron/backend/evidence/hash';
import { LEDGER_HEAD_FILE } from '../electron/backend/evidence/head-file';
import { trackIn } from '../electron/backend/evidence/track';
import { verifyLedger } from '../electron/backend/evidence/verify';
import { writeEvidenceIn, type EvidenceEntry } from '../electron/backend/evidence/writer';
import { databaseFile } from '../electron/backend/paths';
import type { MarkInput } from '../shared/schemas/attendance';
import { SIGNATURE, SLOT_MINUTES, seedCohorts, TRAINEES_PER_SESSION, uuid7Factory, type CohortSlot } from './attendance-fixtures';
import { BENCH_USER, STAMP } from './fixtures';
import { benchLine, call, note, now, percentile, scaled, tempDir, type Bench } from './lib';

const NAME = 'attendance-marks';
const SLOTS_PER_SESSION = 200;
/** The marks-only baseline's device (the other two sides use their installation's, a UUID the backend owns). */
const DEVICE = 'tablette-1';
/** Who signs for the trainees marked by proxy. */
const PROXY = 'Tuteur en entreprise';
/** Slots per round. */
const ROUND = 50;
const RECEIVER_ID = '01900000-0000-7000-8000-000000000001';
const USER = LOCAL_USER.id;

interface Work {
  sessionCount: number;
  /** The slots to mark, in order, with their session's enrolments. */
  slots: (CohortSlot & { enrolmentIds: string[] })[];
}

/** The roll call of one slot: even trainees sign, odd ones are signed for by proxy, one in fifteen is 10 min late. */
function markPlan(k: number): { kind: 'present' | 'late'; late: number; method: 'signature' | 'proxy' } {
  const late = k % 15 === 7;
  return { kind: late ? 'late' : 'present', late: late ? 10 : 0, method: k % 2 === 0 ? 'signature' : 'proxy' };
}

/**
 * Seeds the cohorts covering `marks` marks (30 per slot, 200 slots per session) and one paused file receiver
 * taking attendance records; the same in every database. Given a backend (the keyed databases), the enrolment
 * statuses go through the evidence writer and the slots are tracked, in the seeding transaction's wake, so
 * both ledgers cover the seeded rows as schema 9 requires; the marks-only database gets them as plain rows.
 */
async function seedWork(raw: Database.Database, marks: number, backend?: Backend): Promise<Work> {
  const slotCount = Math.ceil(marks / TRAINEES_PER_SESSION);
  const sessionCount = Math.ceil(slotCount / SLOTS_PER_SESSION);
  const statuses: EvidenceEntry[] = [];
  const cohorts = seedCohorts(raw, sessionCount, SLOTS_PER_SESSION, 20, backend ? (row) => statuses.push({ type: 'enrolment_status', row }) : undefined);
  if (backend) {
    await withRaw(backend.ctx.db, (r) =>
      r.transaction(() => {
        writeEvidenceIn(r, statuses, { at: STAMP });
        trackIn(r, 'slot', cohorts.slots.map((s) => s.id), STAMP);
      }),
    );
  }
  raw
    .prepare(
      `INSERT INTO sync_receivers (id, name, kind, url, token_sealed, record_types, paused, paused_kind, paused_reason, paused_at, created_at, created_by, updated_at, updated_by)
       VALUES (?, 'OPCO (export fichier)', 'file', NULL, NULL, '["attendance"]', 1, 'user', 'Banc d''essai', ?, ?, ?, ?, ?)`,
    )
    .run(RECEIVER_ID, STAMP, STAMP, BENCH_USER, STAMP, BENCH_USER);
  return {
    sessionCount,
    slots: cohorts.slots.slice(0, slotCount).map((s) => ({ ...s, enrolmentIds: cohorts.sessions[s.sessionIndex]!.enrolmentIds })),
  };
}

/** The prepared inputs of one slot for the baselines: what the service gets or draws itself. */
interface SlotInput {
  slot: CohortSlot;
  at: string;
  submissionId: string;
  closureId: string;
  marks: { id: string; enrolmentId: string; kind: 'present' | 'late'; late: number; method: 'signature' | 'proxy'; proxyName: string | null; signatureId: string | null }[];
}

function slotInputs(work: Work): SlotInput[] {
  const newId = uuid7Factory(new Date().toISOString());
  return work.slots.map((slot) => ({
    slot,
    at: new Date().toISOString(),
    submissionId: newId(),
    closureId: newId(),
    marks: slot.enrolmentIds.map((enrolmentId, k) => {
      const p = markPlan(k);
      const signatureId = p.method === 'signature' ? newId() : null;
      return { id: newId(), enrolmentId, kind: p.kind, late: p.late, method: p.method, proxyName: p.method === 'proxy' ? PROXY : null, signatureId };
    }),
  }));
}

// The ledger's content hash (electron/backend/evidence/hash.ts) written out by hand: the column names in
// sorted order, the values in that order, a BLOB as `sha256:<its hash>`, a late column (hash.ts LATE_COLUMNS:
// device_signed_at, device_closed_at, device_id of a closure) left out while NULL — so signatures and marks,
// with no device reading, hash without device_signed_at, and a closure with its device_id but without
// device_closed_at.
const SIGNATURE_KEYS = ['created_at', 'created_by', 'device_id', 'id', 'png', 'sha256', 'signed_at', 'signer_id', 'signer_kind', 'strokes'];
const MARK_KEYS = [
  'checked_by', 'correction_reason', 'created_at', 'created_by', 'device_id', 'document_id', 'early_minutes', 'enrolment_id', 'id', 'kind', 'late_minutes',
  'method', 'minutes', 'proxy_name', 'reason', 'record_id', 'remote_minutes', 'signature_id', 'signed_at', 'slot_id', 'submission_id', 'supersedes_id',
];
const CLOSURE_KEYS = ['closed_at', 'created_at', 'created_by', 'device_id', 'id', 'method', 'signature_id', 'slot_id', 'trainer_id'];
const SUBMISSION_KEYS = ['created_at', 'created_by', 'id', 'result', 'slot_id'];
const SIGNATURE_KEYS_JSON = JSON.stringify(SIGNATURE_KEYS);
const MARK_KEYS_JSON = JSON.stringify(MARK_KEYS);
const CLOSURE_KEYS_JSON = JSON.stringify(CLOSURE_KEYS);
const SUBMISSION_KEYS_JSON = JSON.stringify(SUBMISSION_KEYS);
// Schema 4: a mark points at its attendance record (a UUIDv5 of the slot and the enrolment, worked out by hand
// here from the rule of attendance/records.ts) and at its device, registered (upserted) once per roll call.
const RECORD_NAMESPACE = '17927eef-05cf-4644-808a-d8e1d927f2d1';
const INSERT_RECORD = 'INSERT INTO attendance_records (id, slot_id, enrolment_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)';
const UPSERT_DEVICE = `INSERT INTO devices (id, kind, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at WHERE excluded.last_seen_at > devices.last_seen_at`;
const content = (keysJson: string, values: unknown[]) => sha256(`[${keysJson},${JSON.stringify(values)}]`);

const INSERT_SIGNATURE = 'INSERT INTO signatures (id, signer_kind, signer_id, strokes, png, sha256, device_id, signed_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const INSERT_MARK = `INSERT INTO attendance_marks (id, record_id, slot_id, enrolment_id, kind, late_minutes, early_minutes, remote_minutes, minutes, reason, document_id, method,
       signature_id, proxy_name, checked_by, device_id, signed_at, supersedes_id, correction_reason, submission_id, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The keyed ledger's seals (electron/backend/evidence/key.ts) written out by hand: an entry's seal is
 * HMAC-SHA256 under the ledger key over `entry|<previous seal>|<entry hash>`; the head file's tag over
 * `head|v1|<count>|<last seal>|<at>`; the key's public name is the first 16 hex digits of its HMAC over
 * `sillon-ledger-key-id`.
 */
function sealsByHand(key: Buffer) {
  const hmac = (text: string) => createHmac('sha256', key).update(text).digest('hex');
  return { keyId: hmac('sillon-ledger-key-id').slice(0, 16), entryMac: (prevMac: string, hash: string) => hmac(`entry|${prevMac}|${hash}`), headTag: (count: number, mac: string, at: string) => hmac(`head|v1|${count}|${mac}|${at}`) };
}

/** The chain's tip before the clock starts (the seeded entries): the one read the baseline makes, outside the timing. */
function ledgerTip(raw: Database.Database): { seq: number; hash: string; mac: string } {
  const tip = raw.prepare('SELECT seq, hash, mac FROM ledger ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string; mac: string | null } | undefined;
  if (tip && tip.mac === null) throw new Error('full baseline: the seeded chain ends with an unsealed entry.');
  return { seq: tip?.seq ?? 0, hash: tip?.hash ?? '0'.repeat(64), mac: tip?.mac ?? '0'.repeat(64) };
}

/**
 * The full baseline: every row the service writes, values computed by hand, no read from the database.
 * `key` is the ledger key bound to this database (its backend was started with it); `dataDir` holds its
 * `ledger.head`; `device` is the installation's device id, already in its `sync_settings`.
 */
function fullBaselineWriter(raw: Database.Database, inputs: SlotInput[], key: Buffer, dataDir: string, device: string): (slotIndex: number) => void {
  const strokes = JSON.stringify(SIGNATURE.strokes);
  const png = Buffer.from(SIGNATURE.pngBase64, 'base64');
  const strokesBytes = Buffer.from(strokes);
  const insSig = raw.prepare(INSERT_SIGNATURE);
  const insMark = raw.prepare(INSERT_MARK);
  const insClosure = raw.prepare('INSERT INTO slot_closures (id, slot_id, trainer_id, signature_id, method, closed_at, created_at, created_by, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insLedger = raw.prepare('INSERT INTO ledger (seq, record_type, record_id, content_hash, prev_hash, hash, created_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insOutbox = raw.prepare('INSERT INTO outbox (record_type, record_id, version, payload, created_at) VALUES (?, ?, ?, ?, ?)');
  const insSubmission = raw.prepare('INSERT INTO rollcall_submissions (id, slot_id, result, created_at, created_by) VALUES (?, ?, ?, ?, ?)');
  const insRecord = raw.prepare(INSERT_RECORD);
  const upsertDevice = raw.prepare(UPSERT_DEVICE);
  const seals = sealsByHand(key);
  const headFile = join(dataDir, LEDGER_HEAD_FILE);
  const headTmp = `${headFile}.${process.pid}.tmp`;
  // The chain's head and its seal, in memory from the seeded tip on: this writer is the database's only writer.
  const tip = ledgerTip(raw);
  let seq = tip.seq;
  let prev = tip.hash;
  let prevMac = tip.mac;
  const ledger = (type: string, id: string, contentHash: string, at: string) => {
    seq++;
    const hash = sha256(`${prev}|${seq}|${type}|${id}|${contentHash}|${at}`);
    const mac = seals.entryMac(prevMac, hash);
    insLedger.run(seq, type, id, contentHash, prev, hash, at, mac);
    prev = hash;
    prevMac = mac;
  };
  // The head file after the commit, as evidence/head-file.ts writes it: a temporary file, fsynced, renamed over.
  const writeHead = (at: string) => {
    const body = { v: 1, count: seq, mac: prevMac, at, keyId: seals.keyId, tag: seals.headTag(seq, prevMac, at) };
    const fd = openSync(headTmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(body)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(headTmp, headFile);
  };
  const writeSlot = raw.transaction((s: SlotInput) => {
    const { slot, at } = s;
    const evidenceShas: string[] = [];
    const recordIds: string[] = [];
    upsertDevice.run(device, 'backend', at, at);
    for (const m of s.marks) {
      let evidence: string | null = null;
      if (m.signatureId) {
        const sigSha = sha256(Buffer.concat([strokesBytes, png]));
        insSig.run(m.signatureId, 'trainee', m.enrolmentId, strokes, png, sigSha, device, at, at, USER);
        ledger('signature', m.signatureId, content(SIGNATURE_KEYS_JSON, [at, USER, device, m.signatureId, `sha256:${sha256(png)}`, sigSha, at, m.enrolmentId, 'trainee', strokes]), at);
        evidence = sigSha;
      }
      const minutes = SLOT_MINUTES - m.late;
      const recordId = uuidv5(`attendance:${slot.id}:${m.enrolmentId}`, RECORD_NAMESPACE);
      insRecord.run(recordId, slot.id, m.enrolmentId, at, USER);
      recordIds.push(recordId);
      insMark.run(m.id, recordId, slot.id, m.enrolmentId, m.kind, m.late, 0, null, minutes, null, null, m.method, m.signatureId, m.proxyName, null, device, at, null, null, s.submissionId, at, USER);
      const markHash = content(MARK_KEYS_JSON, [
        null, null, at, USER, device, null, 0, m.enrolmentId, m.id, m.kind, m.late, m.method, minutes, m.proxyName, null, recordId, null, m.signatureId, at, slot.id, s.submissionId, null,
      ]);
      ledger('attendance_mark', m.id, markHash, at);
      evidenceShas.push(evidence ?? markHash);
    }
    insClosure.run(s.closureId, slot.id, slot.trainerId, null, 'paper', at, at, USER, device);
    ledger('slot_closure', s.closureId, content(CLOSURE_KEYS_JSON, [at, at, USER, device, s.closureId, 'paper', null, slot.id, slot.trainerId]), at);
    const am = slot.halfDay === 'am';
    const slotPart = { date: slot.date, start: am ? '09:00' : '13:30', end: am ? '12:30' : '17:00', modality: 'presentiel' };
    s.marks.forEach((m, k) => {
      const payload = { enrolmentId: m.enrolmentId, slot: slotPart, status: m.kind, kind: m.kind, minutes: SLOT_MINUTES - m.late, evidence: { method: m.method, sha256: evidenceShas[k] }, closedAt: at };
      insOutbox.run('attendance', recordIds[k]!, 1, JSON.stringify(payload), at);
    });
    const result = JSON.stringify({ recorded: s.marks.length, closure: { closureId: s.closureId, closedAt: at, marks: s.marks.length } });
    insSubmission.run(s.submissionId, slot.id, result, at, USER);
    ledger('rollcall_submission', s.submissionId, content(SUBMISSION_KEYS_JSON, [at, USER, s.submissionId, result, slot.id]), at);
  });
  return (i) => {
    const s = inputs[i]!;
    writeSlot(s);
    writeHead(s.at);
  };
}

/** The marks-only baseline: the signatures the marks reference, then the marks; nothing else. */
function marksOnlyWriter(raw: Database.Database, inputs: SlotInput[]): (slotIndex: number) => void {
  const strokes = JSON.stringify(SIGNATURE.strokes);
  const png = Buffer.from(SIGNATURE.pngBase64, 'base64');
  const strokesBytes = Buffer.from(strokes);
  const insSig = raw.prepare(INSERT_SIGNATURE);
  const insMark = raw.prepare(INSERT_MARK);
  const insRecord = raw.prepare(INSERT_RECORD);
  // The device the marks point at, registered once before the clock: this side times the marks only.
  raw.prepare(UPSERT_DEVICE).run(DEVICE, 'client', inputs[0]?.at ?? '', inputs[0]?.at ?? '');
  const writeSlot = raw.transaction((s: SlotInput) => {
    for (const m of s.marks) {
      // The record row is what the marks' foreign key needs; its id is the one the full baseline computes.
      const recordId = uuidv5(`attendance:${s.slot.id}:${m.enrolmentId}`, RECORD_NAMESPACE);
      insRecord.run(recordId, s.slot.id, m.enrolmentId, s.at, USER);
      if (m.signatureId) insSig.run(m.signatureId, 'trainee', m.enrolmentId, strokes, png, sha256(Buffer.concat([strokesBytes, png])), DEVICE, s.at, s.at, USER);
      insMark.run(m.id, recordId, s.slot.id, m.enrolmentId, m.kind, m.late, 0, null, SLOT_MINUTES - m.late, null, null, m.method, m.signatureId, m.proxyName, null, DEVICE, s.at, null, null, s.submissionId, s.at, USER);
    }
  });
  return (i) => writeSlot(inputs[i]!);
}

/** The service's side: the inputs as the roll-call screen sends them, built before any clock starts. */
function serviceWriter(backend: Backend, work: Work): (slotIndex: number) => Promise<void> {
  const inputs = work.slots.map((slot) => ({
    slotId: slot.id,
    submissionId: uuidv7(),
    // The trainer countersigns on the spot (on paper): record and close in one transaction.
    close: { trainerId: slot.trainerId, method: 'paper' as const },
    marks: slot.enrolmentIds.map((enrolmentId, k): MarkInput => {
      const p = markPlan(k);
      return { enrolmentId, kind: p.kind, method: p.method, ...(p.late ? { lateMinutes: p.late } : {}), ...(p.method === 'signature' ? { signature: SIGNATURE } : { proxyName: PROXY }) };
    }),
  }));
  return async (i) => {
    const r = await call(backend, 'attendance.record', inputs[i]!);
    if (r.recorded !== TRAINEES_PER_SESSION || r.replayed) throw new Error(`service: recorded ${r.recorded} (replayed ${r.replayed}).`);
    if (r.closure?.marks !== TRAINEES_PER_SESSION) throw new Error(`service: closed with ${r.closure?.marks} marks.`);
  };
}

/**
 * Per table: the row count and, per column, the number of non-NULL values and their total length. Two
 * databases that wrote the same rows with other ids and stamps have the same fingerprint.
 */
function fingerprint(raw: Database.Database): Record<string, Record<string, number>> {
  const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const out: Record<string, Record<string, number>> = {};
  for (const t of tables) {
    const cols = (raw.prepare(`SELECT name FROM pragma_table_info(?)`).all(t) as { name: string }[]).map((c) => c.name);
    const parts = ['count(*) AS "rows"', ...cols.flatMap((c) => [`count("${c}") AS "${c}.n"`, `coalesce(sum(length("${c}")), 0) AS "${c}.len"`])];
    out[t] = raw.prepare(`SELECT ${parts.join(', ')} FROM "${t}"`).get() as Record<string, number>;
  }
  return out;
}

function compareFingerprints(service: ReturnType<typeof fingerprint>, baseline: ReturnType<typeof fingerprint>): string[] {
  const diffs: string[] = [];
  for (const t of new Set([...Object.keys(service), ...Object.keys(baseline)])) {
    const s = service[t] ?? {};
    const b = baseline[t] ?? {};
    for (const k of new Set([...Object.keys(s), ...Object.keys(b)])) {
      if (s[k] !== b[k]) diffs.push(`${t}.${k}: service ${s[k]} vs baseline ${b[k]}`);
    }
  }
  return diffs;
}

const rows = (f: ReturnType<typeof fingerprint>, t: string): number => f[t]?.rows ?? 0;

type Side = 'full' | 'marksOnly' | 'service';
const ORDERS: readonly (readonly Side[])[] = [
  ['full', 'marksOnly', 'service'],
  ['service', 'full', 'marksOnly'],
  ['marksOnly', 'service', 'full'],
  ['service', 'marksOnly', 'full'],
  ['full', 'service', 'marksOnly'],
  ['marksOnly', 'full', 'service'],
];

export const attendanceMarksBench: Bench = {
  name: NAME,
  description: 'attendance.record with countersignature for 100 000 marks (30 per slot) vs raw INSERTs of the same rows (and of the marks only), one transaction per slot',
  async run() {
    const marks = scaled(100_000, TRAINEES_PER_SESSION);
    const fullTmp = tempDir(`${NAME}-full`);
    const marksTmp = tempDir(`${NAME}-marks`);
    const serviceTmp = tempDir(`${NAME}-service`);
    const opened: OpenedDatabase[] = [];
    let backend: Backend | null = null;
    let full: Backend | null = null;
    try {
      // The full baseline's database is opened by the backend too, under a key the bench holds: the baseline
      // seals its entries by hand under the very key bound to its handle, and its ledger verifies with seals.
      const fullKey = randomBytes(32);
      full = await startBackend(fullTmp.dir, { ledgerKey: fullKey });
      const marksOnly = await openDatabase(databaseFile(marksTmp.dir));
      opened.push(marksOnly);
      backend = await startBackend(serviceTmp.dir);
      // Same shape in every database (the ids differ: each seed draws its own).
      const fullWork = await seedWork(full.raw, marks, full);
      const marksWork = await seedWork(marksOnly.raw, marks);
      const serviceWork = await seedWork(backend.raw, marks, backend);
      // The installation's device id, as the backend makes it on first use (evidence/devices.ts thisDevice):
      // drawn and kept in sync_settings before the clock; the baseline registers the device per roll call.
      full.raw.prepare("INSERT OR IGNORE INTO sync_settings (key, value) VALUES ('device_id', ?)").run(uuidv7());
      const fullDevice = (full.raw.prepare("SELECT value FROM sync_settings WHERE key = 'device_id'").get() as { value: string }).value;
      const slots = fullWork.slots.length;
      const total = slots * TRAINEES_PER_SESSION;
      note(NAME, `${slots} slots × ${TRAINEES_PER_SESSION} = ${total} marks in ${fullWork.sessionCount} sessions`);
      const before = fingerprint(full.raw);
      const writers: Record<Side, (i: number) => unknown> = {
        full: fullBaselineWriter(full.raw, slotInputs(fullWork), fullKey, fullTmp.dir, fullDevice),
        marksOnly: marksOnlyWriter(marksOnly.raw, slotInputs(marksWork)),
        service: serviceWriter(backend, serviceWork),
      };

      const times: Record<Side, number[]> = { full: [], marksOnly: [], service: [] };
      for (let from = 0, round = 0; from < slots; from += ROUND, round++) {
        const to = Math.min(slots, from + ROUND);
        for (const side of ORDERS[round % ORDERS.length]!) {
          const write = writers[side];
          const t = now();
          for (let i = from; i < to; i++) await write(i);
          times[side].push((now() - t) / (to - from));
        }
      }
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0) * ROUND;
      note(NAME, `totals ≈ full baseline ${sum(times.full).toFixed(0)} ms, marks-only ${sum(times.marksOnly).toFixed(0)} ms, service ${sum(times.service).toFixed(0)} ms`);
      const ratios = times.service.map((s, r) => s / times.full[r]!);
      const marksOnlyRatios = times.service.map((s, r) => s / times.marksOnly[r]!);

      // Same rows on both sides, or the ratio means nothing.
      const f = fingerprint(full.raw);
      const s = fingerprint(backend.raw);
      const diffs = compareFingerprints(s, f);
      if (diffs.length > 0) throw new Error(`service and full baseline differ in ${diffs.length} figure(s):\n  ${diffs.slice(0, 40).join('\n  ')}`);
      const written = (t: string) => rows(s, t) - rows(before, t);
      const ledgerEntries = written('ledger');
      const expected = { attendance_marks: total, signatures: total / 2, slot_closures: slots, ledger: total + total / 2 + 2 * slots, outbox: total, sync_items: total, rollcall_submissions: slots };
      for (const [t, n] of Object.entries(expected)) if (written(t) !== n) throw new Error(`${t}: ${written(t)} rows written, ${n} expected.`);
      const m = fingerprint(marksOnly.raw);
      if (rows(m, 'attendance_marks') !== total || rows(m, 'signatures') !== total / 2) throw new Error(`marks-only baseline: ${rows(m, 'attendance_marks')} marks, ${rows(m, 'signatures')} signatures.`);
      note(NAME, `same rows per table and per column on both sides: ${JSON.stringify(Object.fromEntries(Object.keys(expected).map((t) => [t, written(t)])))}`);
      for (const [label, raw] of [['service', backend.raw], ['full baseline', full.raw]] as const) {
        const t1 = now();
        const report = verifyLedger(raw);
        if (!report.ok) throw new Error(`${label}: ledger does not verify: ${report.first?.message}`);
        // Seals checked under the key, head file at the chain's tip: any note (no key, head behind…) fails the bench.
        if (report.notes.length > 0) throw new Error(`${label}: ledger verified with notes: ${report.notes.join(' / ')}`);
        note(NAME, `${label} ledger verified (${report.entries} entries) in ${((now() - t1) / 1000).toFixed(1)} s`);
      }

      const serviceMsPerSlot = percentile(times.service, 50);
      return benchLine(NAME, percentile(ratios, 50), {
        marks_only_ratio: percentile(marksOnlyRatios, 50),
        service_ms_per_slot: serviceMsPerSlot,
        baseline_ms_per_slot: percentile(times.full, 50),
        marks_only_ms_per_slot: percentile(times.marksOnly, 50),
        marks_per_s: Math.round((TRAINEES_PER_SESSION * 1000) / serviceMsPerSlot),
        rounds: times.service.length,
        marks: total,
        slots,
        ledger_entries: ledgerEntries,
        outbox_rows: written('outbox'),
        sync_items: written('sync_items'),
      });
    } finally {
      await backend?.close();
      await full?.close();
      for (const o of opened) await o.close();
      serviceTmp.cleanup();
      marksTmp.cleanup();
      fullTmp.cleanup();
    }
  },
};
