/**
 * Shared data for the attendance benchmarks (`attendance-marks`, `rollcall`, `verify`): cohort sessions
 * with slots, one trainer per slot and 30 enrolled trainees, written with raw prepared INSERTs, plus a
 * fast UUIDv7-shaped id generator for filler rows (the `uuid` package's v7 costs several µs an id, which
 * alone would take longer than the whole 5 000 000-row build).
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { addDays } from '../shared/domain/dates';
import type { SignatureInput } from '../shared/schemas/attendance';
import { BENCH_USER, referenceInserts, STAMP } from './fixtures';

/** A tiny valid signature, as the integration tests use: one stroke and a 1×1 PNG. */
export const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
export const SIGNATURE: SignatureInput = { strokes: [[[1, 1, 0], [5, 8, 16], [9, 12, 32]]], pngBase64: PNG_1x1 };

export const TRAINEES_PER_SESSION = 30;
export const SLOT_MINUTES = 210;

const HEX3 = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, '0'));

/**
 * A generator of distinct, increasing ids in the UUIDv7 layout (48-bit ms timestamp from `base`, version 7,
 * variant 10): 4 096 ids per millisecond, a random tail per generator so two generators never collide.
 * They pass the contract's `z.uuid({ version: 'v7' })`.
 */
export function uuid7Factory(base = '2025-01-01T00:00:00.000Z'): () => string {
  const baseMs = Date.parse(base);
  const tailBytes = randomBytes(8);
  tailBytes[0] = (tailBytes[0]! & 0x3f) | 0x80;
  const tailHex = tailBytes.toString('hex');
  const tail = `-${tailHex.slice(0, 4)}-${tailHex.slice(4)}`;
  let n = 0;
  let ms = -1;
  let prefix = '';
  return () => {
    const m = baseMs + Math.floor(n / 4096);
    if (m !== ms) {
      ms = m;
      const h = m.toString(16).padStart(12, '0');
      prefix = `${h.slice(0, 8)}-${h.slice(8, 12)}-7`;
    }
    return prefix + HEX3[n++ & 4095]! + tail;
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CohortSlot {
  id: string;
  date: string;
  halfDay: 'am' | 'pm';
  trainerId: string;
}

export interface Cohort {
  id: string;
  startDate: string;
  endDate: string;
  enrolmentIds: string[];
  slots: CohortSlot[];
}

export interface Cohorts {
  placeId: string;
  actionId: string;
  trainerIds: string[];
  sessions: Cohort[];
  /** All slots, session by session, in date order within each session. */
  slots: (CohortSlot & { sessionIndex: number })[];
}

const LAST_NAMES = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard'];
const FIRST_NAMES = ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Sarah', 'Lucas', 'Hugo', 'Louis', 'Nathan', 'Gabriel', 'Jules', 'Emma', 'Jade'];

/**
 * `sessionCount` cohort sessions of `slotsPerSession` half-day slots (09:00–12:30 / 13:30–17:00, one day
 * after another), each slot with one trainer, each session with 30 trainees enrolled (planned + entered)
 * over the session's whole window, so all 30 are expected at every slot. One transaction.
 */
export function seedCohorts(
  raw: Database.Database,
  sessionCount: number,
  slotsPerSession: number,
  trainerCount = 20,
  /**
   * Schema 9: enrolment statuses are evidence. Given, each status row goes here instead of a raw INSERT, for the
   * caller to write through the evidence writer (a bench that verifies the ledger needs it).
   */
  statusRows?: (row: { id: string; enrolment_id: string; status: 'planned' | 'entered'; effective_date: string; reason: null; outcome: null; note: null; created_at: string; created_by: string }) => void,
): Cohorts {
  const newId = uuid7Factory('2024-06-01T00:00:00.000Z');
  const rand = rng(7);
  const ins = referenceInserts(raw);
  const audit = [STAMP, BENCH_USER, STAMP, BENCH_USER] as const;
  const insTrainee = raw.prepare(
    `INSERT INTO trainees (id, last_name, first_name, birth_date, nir, france_travail_id, email, phone, postcode, city, qpv_resident, fictitious, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, '1990-05-17', NULL, NULL, NULL, NULL, '93200', 'Saint-Denis', 0, 1, ?, ?, ?, ?)`,
  );
  const insSlot = raw.prepare(
    `INSERT INTO slots (id, session_id, date, half_day, start_time, end_time, minutes, modality, place_id, cancelled, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ${SLOT_MINUTES}, 'presentiel', ?, 0, ?, ?, ?, ?)`,
  );
  const insLinkRow = raw.prepare(
    `INSERT INTO slot_trainers (id, slot_id, trainer_id, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLink = { run: (slotId: string, trainerId: string) => insLinkRow.run(newId(), slotId, trainerId, STAMP, BENCH_USER, STAMP, BENCH_USER) };
  const insEnrolmentRow = raw.prepare(
    `INSERT INTO enrolments (id, session_id, trainee_id, company_id, planned_start, planned_end, planned_minutes, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insFunding = raw.prepare(
    `INSERT INTO fundings (id, enrolment_id, funder_code, file_number, share_kind, position, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, 'OPCO', NULL, 'remainder', 1, ?, ?, ?, ?)`,
  );
  const insEnrolment = {
    run: (id: string, ...rest: unknown[]) => {
      insEnrolmentRow.run(id, ...rest);
      insFunding.run(newId(), id, ...audit);
    },
  };
  const insStatus = raw.prepare(
    `INSERT INTO enrolment_statuses (id, enrolment_id, status, effective_date, reason, outcome, note, created_at, created_by)
     VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?)`,
  );

  const placeId = newId();
  const actionId = newId();
  const trainerIds = Array.from({ length: trainerCount }, () => newId());
  const sessions: Cohort[] = [];
  const allSlots: Cohorts['slots'] = [];
  raw.transaction(() => {
    ins.place(placeId, 1);
    trainerIds.forEach((id, i) => ins.trainer(id, i));
    ins.action(actionId, 1, slotsPerSession * SLOT_MINUTES);
    for (let i = 0; i < sessionCount; i++) {
      const id = newId();
      const startDate = addDays('2019-01-07', (i * 7) % 2500);
      const days = Math.ceil(slotsPerSession / 2);
      const dates = Array.from({ length: days }, (_, d) => addDays(startDate, d));
      const endDate = dates.at(-1)!;
      ins.session({ id, actionId, label: `Session ${i}`, capacity: TRAINEES_PER_SESSION, startDate, endDate, placeId });
      const trainerId = trainerIds[i % trainerIds.length]!;
      const slots: CohortSlot[] = [];
      for (let k = 0; k < slotsPerSession; k++) {
        const am = k % 2 === 0;
        const slot: CohortSlot = { id: newId(), date: dates[k >> 1]!, halfDay: am ? 'am' : 'pm', trainerId };
        insSlot.run(slot.id, id, slot.date, slot.halfDay, am ? '09:00' : '13:30', am ? '12:30' : '17:00', placeId, ...audit);
        insLink.run(slot.id, trainerId);
        slots.push(slot);
        allSlots.push({ ...slot, sessionIndex: i });
      }
      const enrolmentIds: string[] = [];
      for (let k = 0; k < TRAINEES_PER_SESSION; k++) {
        const traineeId = newId();
        insTrainee.run(traineeId, LAST_NAMES[Math.floor(rand() * LAST_NAMES.length)]!, `${FIRST_NAMES[Math.floor(rand() * FIRST_NAMES.length)]!} ${i}-${k}`, ...audit);
        const enrolmentId = newId();
        insEnrolment.run(enrolmentId, id, traineeId, startDate, endDate, slotsPerSession * SLOT_MINUTES, ...audit);
        for (const status of ['planned', 'entered'] as const) {
          const sid = newId();
          if (statusRows) statusRows({ id: sid, enrolment_id: enrolmentId, status, effective_date: startDate, reason: null, outcome: null, note: null, created_at: STAMP, created_by: BENCH_USER });
          else insStatus.run(sid, enrolmentId, status, startDate, STAMP, BENCH_USER);
        }
        enrolmentIds.push(enrolmentId);
      }
      sessions.push({ id, startDate, endDate, enrolmentIds, slots });
    }
  })();
  return { placeId, actionId, trainerIds, sessions, slots: allSlots };
}
