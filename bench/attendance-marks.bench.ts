/**
 * `attendance-marks`: 100 000 attendance marks through the real service — per slot, one
 * `dispatch('attendance.record')` of the whole 30-trainee roll call with the trainer's countersignature
 * (zod validation, checks, signatures, marks, ledger entries, submission record, then the closure by PIN,
 * its ledger entry and one outbox row per mark, all in one transaction) — against raw better-sqlite3 prepared INSERTs of
 * the same evidence rows (the signatures the marks reference, then the marks), one transaction per slot.
 *
 * Half the trainees sign on screen (a small 1×1-PNG signature), the other half by PIN; one in fifteen is
 * late. Both databases are opened by `openDatabase` (same schema, WAL, synchronous=FULL, foreign keys on)
 * in their own temp folders and seeded with the same cohorts (sessions of 200 slots × 30 trainees).
 *
 * The baseline's rows (ids, signature hashes, stamps) and the service's inputs are built before any clock
 * starts; the service's time includes everything the two calls do, the close included. Slots are written in
 * chunks of 50, alternately baseline-then-service and service-then-baseline, both databases open at once,
 * so a change of disk or machine load during the run weighs on both sides alike.
 *
 * Note the grain: the service commits twice per slot (record, close), the baseline once, and with
 * synchronous=FULL every commit waits for the WAL's fsync (and, every ~1 000 pages, an auto-checkpoint), so
 * part of the ratio is the close being a transaction of its own, with more pages to write (ledger, outbox).
 */
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { startBackend, type Backend } from '../electron/backend/backend';
import { LOCAL_USER } from '../electron/backend/context';
import { openDatabase } from '../electron/backend/db/open';
import { sha256 } from '../electron/backend/evidence/hash';
import { verifyLedger } from '../electron/backend/evidence/verify';
import { databaseFile } from '../electron/backend/paths';
import type { MarkInput } from '../shared/schemas/attendance';
import { SIGNATURE, SLOT_MINUTES, seedCohorts, TRAINEES_PER_SESSION, uuid7Factory, type CohortSlot } from './attendance-fixtures';
import { benchLine, call, note, now, scaled, tempDir, type Bench } from './lib';

const NAME = 'attendance-marks';
const SLOTS_PER_SESSION = 200;
const DEVICE = 'tablette-1';
/** Slots per chunk; chunks alternate between baseline and service. */
const CHUNK = 50;

interface Work {
  sessionCount: number;
  /** The slots to mark, in order, with their session's enrolments. */
  slots: (CohortSlot & { enrolmentIds: string[] })[];
}

/** The roll call of one slot: even trainees sign, odd ones use their PIN, one in fifteen is 10 min late. */
function markPlan(k: number): { kind: 'present' | 'late'; late: number; method: 'signature' | 'pin' } {
  const late = k % 15 === 7;
  return { kind: late ? 'late' : 'present', late: late ? 10 : 0, method: k % 2 === 0 ? 'signature' : 'pin' };
}

/** Seeds the cohorts covering `marks` marks (30 per slot, 200 slots per session); the same in either database. */
function seedWork(raw: Database.Database, marks: number): Work {
  const slotCount = Math.ceil(marks / TRAINEES_PER_SESSION);
  const sessionCount = Math.ceil(slotCount / SLOTS_PER_SESSION);
  const cohorts = seedCohorts(raw, sessionCount, SLOTS_PER_SESSION);
  return {
    sessionCount,
    slots: cohorts.slots.slice(0, slotCount).map((s) => ({ ...s, enrolmentIds: cohorts.sessions[s.sessionIndex]!.enrolmentIds })),
  };
}

function counts(raw: Database.Database): Record<string, number> {
  const n = (sql: string) => (raw.prepare(sql).get() as { n: number }).n;
  return {
    marks: n('SELECT count(*) AS n FROM attendance_marks'),
    signatures: n('SELECT count(*) AS n FROM signatures'),
    closures: n('SELECT count(*) AS n FROM slot_closures'),
    ledger: n('SELECT count(*) AS n FROM ledger'),
    outbox: n("SELECT count(*) AS n FROM outbox WHERE record_type = 'attendance'"),
  };
}

/** The baseline's side: the same rows the service writes (signatures, then marks), built before any clock starts. */
function baselineWriter(raw: Database.Database, work: Work): (slotIndex: number) => void {
  const newId = uuid7Factory(new Date().toISOString());
  const strokes = JSON.stringify(SIGNATURE.strokes);
  const png = Buffer.from(SIGNATURE.pngBase64, 'base64');
  const sigSha = sha256(Buffer.concat([Buffer.from(strokes), png]));
  const perSlot = work.slots.map((slot) => {
    const at = new Date().toISOString();
    const submissionId = newId();
    const sigs: unknown[][] = [];
    const rows: unknown[][] = [];
    slot.enrolmentIds.forEach((enrolmentId, k) => {
      const p = markPlan(k);
      let signatureId: string | null = null;
      if (p.method === 'signature') {
        signatureId = newId();
        sigs.push([signatureId, 'trainee', enrolmentId, strokes, png, sigSha, DEVICE, at, at, LOCAL_USER.id]);
      }
      const id = newId();
      rows.push([id, id, slot.id, enrolmentId, p.kind, p.late, 0, null, SLOT_MINUTES - p.late, null, null, p.method, signatureId, null, null, DEVICE, at, null, null, submissionId, at, LOCAL_USER.id]);
    });
    return { sigs, rows };
  });
  const insSig = raw.prepare(
    'INSERT INTO signatures (id, signer_kind, signer_id, strokes, png, sha256, device_id, signed_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insMark = raw.prepare(
    `INSERT INTO attendance_marks (id, record_id, slot_id, enrolment_id, kind, late_minutes, early_minutes, remote_minutes, minutes, reason, document_id, method,
       signature_id, proxy_name, checked_by, device_id, signed_at, supersedes_id, correction_reason, submission_id, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const writeSlot = raw.transaction((s: (typeof perSlot)[number]) => {
    for (const r of s.sigs) insSig.run(...r);
    for (const r of s.rows) insMark.run(...r);
  });
  return (i) => writeSlot(perSlot[i]!);
}

/** The service's side: the inputs as the roll-call screen sends them, built before any clock starts. */
function serviceWriter(backend: Backend, work: Work): (slotIndex: number) => Promise<void> {
  const inputs = work.slots.map((slot) => ({
    record: {
      slotId: slot.id,
      submissionId: uuidv7(),
      deviceId: DEVICE,
      // The trainer countersigns on the spot (PIN): record and close in one transaction.
      close: { trainerId: slot.trainerId, method: 'pin' as const },
      marks: slot.enrolmentIds.map((enrolmentId, k): MarkInput => {
        const p = markPlan(k);
        return { enrolmentId, kind: p.kind, method: p.method, ...(p.late ? { lateMinutes: p.late } : {}), ...(p.method === 'signature' ? { signature: SIGNATURE } : {}) };
      }),
    },
  }));
  return async (i) => {
    const input = inputs[i]!;
    const r = await call(backend, 'attendance.record', input.record);
    if (r.recorded !== TRAINEES_PER_SESSION || r.replayed) throw new Error(`service: recorded ${r.recorded} (replayed ${r.replayed}).`);
    if (r.closure?.marks !== TRAINEES_PER_SESSION) throw new Error(`service: closed with ${r.closure?.marks} marks.`);
  };
}

export const attendanceMarksBench: Bench = {
  name: NAME,
  description: 'attendance.record with countersignature for 100 000 marks (30 per slot) vs raw prepared INSERTs, one transaction per slot',
  async run() {
    const marks = scaled(100_000, TRAINEES_PER_SESSION);
    const baseTmp = tempDir(`${NAME}-baseline`);
    const serviceTmp = tempDir(`${NAME}-service`);
    const opened = await openDatabase(databaseFile(baseTmp.dir));
    const backend = await startBackend(serviceTmp.dir);
    try {
      // Same shape in both databases (the ids differ: each seed draws its own).
      const work = seedWork(opened.raw, marks);
      const serviceWork = seedWork(backend.raw, marks);
      const slots = work.slots.length;
      const total = slots * TRAINEES_PER_SESSION;
      note(NAME, `${slots} slots × ${TRAINEES_PER_SESSION} = ${total} marks in ${work.sessionCount} sessions`);
      const baseline = baselineWriter(opened.raw, work);
      const service = serviceWriter(backend, serviceWork);

      // Chunks of slots, alternately baseline then service and service then baseline, so both see the same
      // disk and machine load over the run.
      let baselineMs = 0;
      let serviceMs = 0;
      for (let from = 0, chunk = 0; from < slots; from += CHUNK, chunk++) {
        const to = Math.min(slots, from + CHUNK);
        const runBaseline = () => {
          const t = now();
          for (let i = from; i < to; i++) baseline(i);
          baselineMs += now() - t;
        };
        const runService = async () => {
          const t = now();
          for (let i = from; i < to; i++) await service(i);
          serviceMs += now() - t;
        };
        if (chunk % 2 === 0) {
          runBaseline();
          await runService();
        } else {
          await runService();
          runBaseline();
        }
      }
      note(NAME, `baseline ${baselineMs.toFixed(0)} ms, service ${serviceMs.toFixed(0)} ms`);

      const b = counts(opened.raw);
      if (b.marks !== total) throw new Error(`baseline: ${b.marks} marks written, ${total} expected.`);
      const c = counts(backend.raw);
      if (c.marks !== total || c.signatures !== b.signatures || c.closures !== slots || c.outbox !== total || c.ledger !== c.marks + c.signatures! + c.closures) {
        throw new Error(`service: unexpected counts ${JSON.stringify(c)} (${total} marks, ${slots} closures expected).`);
      }
      const t1 = now();
      const report = verifyLedger(backend.raw);
      if (!report.ok) throw new Error(`service: ledger does not verify: ${report.first?.message}`);
      note(NAME, `service ledger verified (${report.entries} entries) in ${((now() - t1) / 1000).toFixed(1)} s; rows ${JSON.stringify(c)}`);

      return benchLine(NAME, serviceMs / baselineMs, {
        service_ms: serviceMs,
        baseline_ms: baselineMs,
        marks_per_s: Math.round(total / (serviceMs / 1000)),
        baseline_marks_per_s: Math.round(total / (baselineMs / 1000)),
        service_ms_per_slot: serviceMs / slots,
        baseline_ms_per_slot: baselineMs / slots,
        marks: total,
        slots,
        ledger_entries: c.ledger!,
        outbox_rows: c.outbox!,
      });
    } finally {
      await backend.close();
      await opened.close();
      serviceTmp.cleanup();
      baseTmp.cleanup();
    }
  },
};
