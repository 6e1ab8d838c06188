/**
 * `slots`: generating and inserting the half-day slots of 1 000 cohort sessions × 200 slots (1 trainer each)
 * through the real path — `dispatch('slots.generate')`, zod validation, holiday-aware planning, Kysely —
 * against raw better-sqlite3 prepared single-row INSERTs of the same rows (slots + slot_trainers), one
 * transaction per session in both cases. Both databases are opened by `openDatabase` (same schema, WAL,
 * synchronous=FULL, foreign keys on), each in its own temp folder.
 *
 * The baseline's rows (dates from `planSlots`, UUIDv7 ids, audit stamps) are built before its clock starts;
 * the service's time includes everything `slots.generate` does, which is what the ratio is meant to show.
 */
import { startBackend } from '../electron/backend/backend';
import { openDatabase } from '../electron/backend/db/open';
import { databaseFile } from '../electron/backend/paths';
import { planSlots } from '../shared/domain/timetable';
import { addDays } from '../shared/domain/dates';
import type Database from 'better-sqlite3';
import { BENCH_USER, endDateForSlots, ids, referenceInserts, rowCounts, STAMP, WEEKDAY_TIMETABLE } from './fixtures';
import { benchLine, call, note, now, scaled, tempDir, type Bench } from './lib';

const NAME = 'slots';
const SLOTS_PER_SESSION = 200;

interface Plan {
  placeId: string;
  trainerId: string;
  actionId: string;
  sessions: { id: string; startDate: string; endDate: string }[];
}

function makePlan(sessionCount: number): Plan {
  const [placeId, trainerId, actionId] = ids(3) as [string, string, string];
  const sessionIds = ids(sessionCount);
  // Start dates spread over ~4 years of Mondays, so holidays (skipped) fall differently from one session to the next.
  const sessions = sessionIds.map((id, i) => {
    const startDate = addDays('2026-01-05', 7 * (i % 200));
    return { id, startDate, endDate: endDateForSlots(startDate, SLOTS_PER_SESSION, WEEKDAY_TIMETABLE) };
  });
  return { placeId, trainerId, actionId, sessions };
}

/** Same reference rows and sessions (no slots) in either database. */
function seed(raw: Database.Database, plan: Plan): void {
  const ins = referenceInserts(raw);
  raw.transaction(() => {
    ins.place(plan.placeId, 1);
    ins.trainer(plan.trainerId, 1);
    ins.action(plan.actionId, 1, SLOTS_PER_SESSION * 210);
    plan.sessions.forEach((s, i) =>
      ins.session({ id: s.id, actionId: plan.actionId, label: `Session ${i}`, capacity: 30, startDate: s.startDate, endDate: s.endDate, placeId: plan.placeId }),
    );
  })();
}

function checkCounts(raw: Database.Database, expected: number, who: string): void {
  const c = rowCounts(raw);
  if (c.slots !== expected || c.slot_trainers !== expected) {
    throw new Error(`${who}: expected ${expected} slots and links, got ${c.slots} slots and ${c.slot_trainers} links.`);
  }
}

async function runBaseline(plan: Plan): Promise<number> {
  const tmp = tempDir(`${NAME}-baseline`);
  const opened = await openDatabase(databaseFile(tmp.dir));
  try {
    const raw = opened.raw;
    seed(raw, plan);
    // The same rows the service would write, prepared before the clock starts.
    const perSession = plan.sessions.map((s) => {
      const planned = planSlots(s.startDate, s.endDate, WEEKDAY_TIMETABLE, 'metropole').slots;
      if (planned.length !== SLOTS_PER_SESSION) throw new Error(`baseline: ${planned.length} slots planned for ${s.id}.`);
      const slotIds = ids(planned.length);
      return planned.map((p, i) => [slotIds[i]!, s.id, p.date, p.halfDay, p.start, p.end, p.minutes, 'presentiel', plan.placeId, 0, STAMP, BENCH_USER, STAMP, BENCH_USER] as const);
    });
    const insSlot = raw.prepare(
      `INSERT INTO slots (id, session_id, date, half_day, start_time, end_time, minutes, modality, place_id, cancelled, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insLink = raw.prepare(
      'INSERT INTO slot_trainers (id, slot_id, trainer_id, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const writeSession = raw.transaction((rows: (typeof perSession)[number]) => {
      for (const r of rows) {
        insSlot.run(...r);
        insLink.run(ids(1)[0]!, r[0], plan.trainerId, STAMP, BENCH_USER, STAMP, BENCH_USER);
      }
    });
    const t0 = now();
    for (const rows of perSession) writeSession(rows);
    const ms = now() - t0;
    checkCounts(raw, plan.sessions.length * SLOTS_PER_SESSION, 'baseline');
    return ms;
  } finally {
    await opened.close();
    tmp.cleanup();
  }
}

async function runService(plan: Plan): Promise<number> {
  const tmp = tempDir(`${NAME}-service`);
  const backend = await startBackend(tmp.dir);
  try {
    seed(backend.raw, plan);
    const timetable = WEEKDAY_TIMETABLE.map((e) => ({ ...e }));
    const t0 = now();
    for (const s of plan.sessions) {
      const r = await call(backend, 'slots.generate', {
        sessionId: s.id,
        from: s.startDate,
        to: s.endDate,
        timetable,
        trainerIds: [plan.trainerId],
      });
      if (r.created !== SLOTS_PER_SESSION) throw new Error(`service: ${r.created} slots created for ${s.id}.`);
    }
    const ms = now() - t0;
    checkCounts(backend.raw, plan.sessions.length * SLOTS_PER_SESSION, 'service');
    return ms;
  } finally {
    await backend.close();
    tmp.cleanup();
  }
}

export const slotsBench: Bench = {
  name: NAME,
  description: 'slots.generate for 1 000 sessions × 200 slots vs raw prepared INSERTs, one transaction per session',
  async run() {
    const sessionCount = scaled(1000);
    const total = sessionCount * SLOTS_PER_SESSION;
    note(NAME, `planning ${sessionCount} sessions × ${SLOTS_PER_SESSION} slots = ${total} slots`);
    const plan = makePlan(sessionCount);
    const baselineMs = await runBaseline(plan);
    note(NAME, `baseline ${baselineMs.toFixed(0)} ms`);
    const serviceMs = await runService(plan);
    note(NAME, `service ${serviceMs.toFixed(0)} ms`);
    return benchLine(NAME, serviceMs / baselineMs, {
      service_ms: serviceMs,
      baseline_ms: baselineMs,
      slots_per_s: Math.round(total / (serviceMs / 1000)),
      baseline_slots_per_s: Math.round(total / (baselineMs / 1000)),
      sessions: sessionCount,
      slots: total,
    });
  },
};
