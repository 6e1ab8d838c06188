/**
 * `rollcall`: loading the roll-call screen of one 30-trainee slot (`dispatch('attendance.rollCall')`: slot,
 * kinds, every mark of the slot, current mark per trainee, corrections, trainers, closure, expected
 * enrolments; zod output validation included) in a database of 5 000 000 attendance marks, against the two
 * queries at its core run as raw prepared statements on the same connection: the slot's marks
 * (`SLOT_MARKS_SQL`) and the expected enrolments (`EXPECTED_ENROLMENTS_SQL`), both imported from the service.
 * The plan of `SLOT_MARKS_SQL` is printed here and asserted in test/integration/query-plans.test.ts.
 *
 * Build: cohort sessions of 200 slots × 30 trainees. The target slot, in the middle session, is recorded,
 * closed and corrected twice through the real service first, so it has signatures, a closure and superseded
 * marks. Then the filler marks of every other slot, with raw prepared INSERTs in transactions of 20 000
 * slots (most trainees present by PIN; some late, some absent, 5 % of slots with one correction), until the
 * table holds exactly 5 000 000 marks. Filler marks use fewer distinct values (record id = id, one
 * submission and one stamp per slot, no signature) to keep the build short. During the filler load only:
 * foreign-key checks off, a large page cache, and the two secondary indexes of attendance_marks dropped,
 * re-created afterwards from their own SQL; everything is back to the app's state (same schema,
 * foreign_keys=ON, default cache_size) before anything is measured. No ANALYZE: the app never runs one, so
 * the planner sees what it sees in the app.
 *
 * Iterations alternate service and baseline after a warm-up, so both see the same cache state.
 */
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { startBackend } from '../electron/backend/backend';
import { EXPECTED_ENROLMENTS_SQL, SLOT_MARKS_SQL } from '../electron/backend/attendance/attendance';
import type { MarkInput } from '../shared/schemas/attendance';
import { rng, SIGNATURE, SLOT_MINUTES, seedCohorts, TRAINEES_PER_SESSION, uuid7Factory } from './attendance-fixtures';
import { alternatingLatencies, benchLine, call, note, now, scaled, tempDir, type Bench } from './lib';

const NAME = 'rollcall';
const SLOTS_PER_SESSION = 200;
const TARGET_CORRECTIONS = 2;
const TARGET_ROWS = TRAINEES_PER_SESSION + TARGET_CORRECTIONS;

const count = (raw: Database.Database, table: string): number => (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

export const rollcallBench: Bench = {
  name: NAME,
  description: 'attendance.rollCall of a 30-trainee slot among 5 000 000 marks vs raw SLOT_MARKS_SQL + expected-enrolments SELECTs',
  async run() {
    const totalMarks = scaled(5_000_000, 10 * TRAINEES_PER_SESSION * SLOTS_PER_SESSION);
    const iterations = Math.max(200, scaled(200));
    const warmup = 20;
    const tmp = tempDir(NAME);
    const backend = await startBackend(tmp.dir);
    try {
      const raw = backend.raw;
      const tBuild = now();
      const cacheSize = raw.pragma('cache_size', { simple: true }) as number;
      raw.pragma('foreign_keys = OFF');
      raw.pragma('cache_size = -1000000');
      const slotCount = Math.ceil(totalMarks / TRAINEES_PER_SESSION) + 1;
      const sessionCount = Math.ceil(slotCount / SLOTS_PER_SESSION);
      const cohorts = seedCohorts(raw, sessionCount, SLOTS_PER_SESSION);
      const targetSession = cohorts.sessions[Math.floor(sessionCount / 2)]!;
      const target = targetSession.slots[SLOTS_PER_SESSION / 2]!;
      note(NAME, `seeded ${sessionCount} sessions, ${cohorts.slots.length} slots, ${sessionCount * TRAINEES_PER_SESSION} enrolments in ${((now() - tBuild) / 1000).toFixed(1)} s`);

      // The target slot first, through the real service: roll call (half signatures), closure, two corrections.
      raw.pragma('foreign_keys = ON');
      const rec = await call(backend, 'attendance.record', {
        slotId: target.id,
        submissionId: uuidv7(),
        marks: targetSession.enrolmentIds.map((enrolmentId, k): MarkInput =>
          k % 10 === 3 ? { enrolmentId, kind: 'late', lateMinutes: 20, method: 'proxy', proxyName: 'Tuteur' } : k % 2 === 0 ? { enrolmentId, kind: 'present', method: 'signature', signature: SIGNATURE } : { enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur' },
        ),
      });
      if (rec.recorded !== TRAINEES_PER_SESSION) throw new Error(`target slot: ${rec.recorded} marks recorded.`);
      await call(backend, 'attendance.close', { slotId: target.id, trainerId: target.trainerId, method: 'signature', signature: SIGNATURE });
      const before = await call(backend, 'attendance.rollCall', { slotId: target.id });
      for (const row of before.rows.slice(0, TARGET_CORRECTIONS)) {
        await call(backend, 'attendance.correct', { markId: row.mark!.id, kind: 'excused', method: 'none', reason: 'Arrêt maladie', correctionReason: 'Certificat médical reçu' });
      }
      raw.pragma('foreign_keys = OFF');

      // Filler marks: raw prepared INSERTs, constant columns inlined, the two secondary indexes dropped during the
      // load and re-created afterwards from their own SQL (a sort instead of 5 000 000 random B-tree inserts).
      const indexes = raw.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('attendance_marks_slot', 'attendance_marks_enrolment')").all() as { name: string; sql: string }[];
      if (indexes.length !== 2) throw new Error('attendance_marks indexes not found.');
      for (const i of indexes) raw.exec(`DROP INDEX ${i.name}`);
      const insert = raw.prepare(
        `INSERT INTO attendance_marks (id, record_id, slot_id, enrolment_id, kind, late_minutes, early_minutes, remote_minutes, minutes, reason, document_id, method,
           signature_id, proxy_name, checked_by, device_id, signed_at, supersedes_id, correction_reason, submission_id, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, NULL, ?, NULL, NULL, NULL, 'tablette-1', ?, ?, ?, ?, ?, 'local')`,
      );
      // Schema 4: every mark points at its attendance record and its device.
      const insRecord = raw.prepare(`INSERT INTO attendance_records (id, slot_id, enrolment_id, created_at, created_by) VALUES (?, ?, ?, ?, 'local')`);
      raw.prepare(`INSERT OR IGNORE INTO devices (id, kind, first_seen_at, last_seen_at) VALUES ('tablette-1', 'client', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`).run();
      const newId = uuid7Factory('2025-01-01T00:00:00.000Z');
      const rand = rng(11);
      const fillerTarget = totalMarks - TARGET_ROWS;
      let written = 0;
      const fill = raw.transaction((from: number, to: number) => {
        for (let cursor = from; cursor < to && written < fillerTarget; cursor++) {
          const slot = cohorts.slots[cursor]!;
          if (slot.id === target.id) continue;
          const enrolments = cohorts.sessions[slot.sessionIndex]!.enrolmentIds;
          const at = `${slot.date}T${slot.halfDay === 'am' ? '09' : '13'}:35:00.000Z`;
          const submission = newId();
          const corrected = rand() < 0.05 ? Math.floor(rand() * TRAINEES_PER_SESSION) : -1;
          for (let k = 0; k < enrolments.length && written < fillerTarget; k++) {
            const r = rand();
            const id = newId();
            insRecord.run(id, slot.id, enrolments[k], at);
            if (r < 0.85) insert.run(id, id, slot.id, enrolments[k], 'present', 0, SLOT_MINUTES, null, 'pin', at, null, null, submission, at);
            else if (r < 0.9) insert.run(id, id, slot.id, enrolments[k], 'late', 15, SLOT_MINUTES - 15, null, 'pin', at, null, null, submission, at);
            else if (r < 0.95) insert.run(id, id, slot.id, enrolments[k], 'unexcused', 0, 0, null, 'none', null, null, null, submission, at);
            else insert.run(id, id, slot.id, enrolments[k], 'excused', 0, 0, 'Rendez-vous France Travail', 'none', null, null, null, submission, at);
            written++;
            if (k === corrected && written < fillerTarget) {
              insert.run(newId(), id, slot.id, enrolments[k], 'excused', 0, 0, 'Arrêt maladie', 'none', null, id, 'Certificat médical reçu', null, at);
              written++;
            }
          }
        }
      });
      const tFill = now();
      const perTransaction = 20_000;
      for (let i = 0; i < cohorts.slots.length && written < fillerTarget; i += perTransaction) fill(i, Math.min(cohorts.slots.length, i + perTransaction));
      note(NAME, `filler: ${written} marks in ${((now() - tFill) / 1000).toFixed(1)} s`);
      const tIndex = now();
      for (const i of indexes) raw.exec(i.sql);
      note(NAME, `indexes re-created in ${((now() - tIndex) / 1000).toFixed(1)} s`);
      raw.pragma('foreign_keys = ON');
      raw.pragma(`cache_size = ${cacheSize}`);
      raw.pragma('wal_checkpoint(TRUNCATE)');
      const buildS = (now() - tBuild) / 1000;
      const marks = count(raw, 'attendance_marks');
      if (marks !== totalMarks) throw new Error(`built ${marks} marks, ${totalMarks} expected.`);
      const tCheck = now();
      const fk = raw.pragma('foreign_key_check(attendance_marks)') as unknown[];
      if (fk.length > 0) throw new Error(`${fk.length} foreign-key violations in attendance_marks.`);
      note(NAME, `foreign keys of attendance_marks checked in ${((now() - tCheck) / 1000).toFixed(1)} s`);
      note(NAME, `built ${marks} marks (${count(raw, 'slots')} slots, ${count(raw, 'enrolments')} enrolments) in ${buildS.toFixed(1)} s`);

      const plan = raw.prepare(`EXPLAIN QUERY PLAN ${SLOT_MARKS_SQL}`).all(target.id) as { detail: string }[];
      const planText = plan.map((p) => p.detail).join('; ');
      const usesIndex = /USING (COVERING )?INDEX attendance_marks_slot/.test(planText);
      note(NAME, `plan of SLOT_MARKS_SQL: ${planText}`);

      const slotMarks = raw.prepare(SLOT_MARKS_SQL);
      const expected = raw.prepare(EXPECTED_ENROLMENTS_SQL);
      const baseline = () => ({ marks: slotMarks.all(target.id), expected: expected.all(target.id) });
      const service = () => call(backend, 'attendance.rollCall', { slotId: target.id });

      const page = await service();
      const ref = baseline();
      if (page.rows.length !== TRAINEES_PER_SESSION || page.rows.some((r) => r.mark === null) || page.closure === null) {
        throw new Error(`roll call has ${page.rows.length} rows, closure ${page.closure ? 'set' : 'missing'}.`);
      }
      if (page.rows.reduce((n, r) => n + r.corrections, 0) !== TARGET_CORRECTIONS) throw new Error('roll call does not show the corrections.');
      if (ref.marks.length !== TARGET_ROWS || ref.expected.length !== TRAINEES_PER_SESSION) throw new Error(`baseline: ${ref.marks.length} marks, ${ref.expected.length} expected.`);

      const lat = await alternatingLatencies(service, baseline, iterations, warmup);
      return benchLine(NAME, lat.p50 / lat.baselineP50, {
        p50_ms: lat.p50,
        p95_ms: lat.p95,
        baseline_p50_ms: lat.baselineP50,
        baseline_p95_ms: lat.baselineP95,
        plan_uses_index: usesIndex ? 'yes' : 'no',
        iterations,
        marks,
        slot_marks: TARGET_ROWS,
        build_s: buildS,
      });
    } finally {
      await backend.close();
      tmp.cleanup();
    }
  },
};
