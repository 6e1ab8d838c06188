/**
 * `session-page`: `sessions.get` (the whole session page: session, action, place, 200 slots with trainers,
 * 30 enrolments with trainee/company names and status history, all trainers, all places) through the real
 * dispatch — zod input and output validation included — on a database of 20 000 sessions, against the same
 * data fetched by a minimal set of raw prepared better-sqlite3 SELECTs on the same connection.
 *
 * Iterations alternate service and baseline after a warm-up, so both see the same cache state.
 */
import type Database from 'better-sqlite3';
import { startBackend } from '../electron/backend/backend';
import { addDays } from '../shared/domain/dates';
import { planSlots } from '../shared/domain/timetable';
import { BENCH_USER, endDateForSlots, ids, referenceInserts, rowCounts, STAMP, WEEKDAY_TIMETABLE } from './fixtures';
import { alternatingLatencies, benchLine, call, note, now, scaled, tempDir, type Bench } from './lib';

const NAME = 'session-page';
const TARGET_SLOTS = 200;
const TARGET_ENROLMENTS = 30;
const OTHER_SLOTS = 20;
const OTHER_ENROLMENTS = 10;

const LAST_NAMES = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefèvre', 'Faure', 'André'];
const FIRST_NAMES = ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Sarah', 'Lucas', 'Hugo', 'Louis', 'Nathan', 'Gabriel', 'Jules', 'Emma', 'Jade', 'Louise', 'Alice', 'Arthur', 'Adam', 'Raphaël', 'Yanis'];

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same database. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sizes {
  sessions: number;
  trainees: number;
  companies: number;
  trainers: number;
  places: number;
  actions: number;
}

/** Builds the big database with raw prepared INSERTs in one transaction; returns the target session's id. */
function buildDatabase(raw: Database.Database, sizes: Sizes): string {
  const rand = rng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const ins = referenceInserts(raw);
  const audit = [STAMP, BENCH_USER, STAMP, BENCH_USER] as const;
  const insCompany = raw.prepare(
    `INSERT INTO companies (id, name, siret, address, postcode, city, headcount, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, NULL, '75011', 'Paris', ?, ?, ?, ?, ?)`,
  );
  const insTrainee = raw.prepare(
    `INSERT INTO trainees (id, last_name, first_name, birth_date, nir, france_travail_id, email, phone, postcode, city, qpv_resident, fictitious, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, NULL, ?, ?, NULL, '93200', 'Saint-Denis', ?, 1, ?, ?, ?, ?)`,
  );
  const insSlot = raw.prepare(
    `INSERT INTO slots (id, session_id, date, half_day, start_time, end_time, minutes, modality, place_id, cancelled, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'presentiel', ?, 0, ?, ?, ?, ?)`,
  );
  const insLinkRow = raw.prepare(
    `INSERT INTO slot_trainers (id, slot_id, trainer_id, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLink = { run: (slotId: string, trainerId: string) => insLinkRow.run(ids(1)[0]!, slotId, trainerId, STAMP, BENCH_USER, STAMP, BENCH_USER) };
  const insEnrolmentRow = raw.prepare(
    `INSERT INTO enrolments (id, session_id, trainee_id, company_id, planned_start, planned_end, planned_minutes, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insFunding = raw.prepare(
    `INSERT INTO fundings (id, enrolment_id, funder_code, file_number, share_kind, position, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, 'remainder', 1, ?, ?, ?, ?)`,
  );
  const insEnrolment = {
    run: (id: string, sessionId: string, traineeId: string, companyId: string | null, funderCode: string, fileNumber: string, start: string, end: string, minutes: number, ...stamp: readonly unknown[]) => {
      insEnrolmentRow.run(id, sessionId, traineeId, companyId, start, end, minutes, ...stamp);
      insFunding.run(ids(1)[0]!, id, funderCode, fileNumber, ...stamp);
    },
  };
  const insStatus = raw.prepare(
    `INSERT INTO enrolment_statuses (id, enrolment_id, status, effective_date, reason, outcome, note, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
  );
  const funders = ['OPCO', 'REGION', 'FRANCE_TRAVAIL', 'CPF', 'EMPLOYEUR'];

  const placeIds = ids(sizes.places);
  const trainerIds = ids(sizes.trainers);
  const actionIds = ids(sizes.actions);
  const companyIds = ids(sizes.companies);
  const traineeIds = ids(sizes.trainees);
  const sessionIds = ids(sizes.sessions);
  const targetIndex = Math.floor(sizes.sessions / 2);
  const targetId = sessionIds[targetIndex]!;

  raw.transaction(() => {
    placeIds.forEach((id, i) => ins.place(id, i));
    trainerIds.forEach((id, i) => ins.trainer(id, i));
    actionIds.forEach((id, i) => ins.action(id, i, 140 * 60));
    companyIds.forEach((id, i) => insCompany.run(id, `Entreprise ${i}`, String(10_000_000_000_000 + i), 10 + (i % 500), ...audit));
    traineeIds.forEach((id, i) =>
      insTrainee.run(id, pick(LAST_NAMES), pick(FIRST_NAMES), `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`, `FT${1_000_000 + i}`, `stagiaire${i}@example.org`, i % 7 === 0 ? 1 : 0, ...audit),
    );

    let traineeCursor = 0;
    sessionIds.forEach((sessionId, i) => {
      const isTarget = i === targetIndex;
      const startDate = addDays('2018-01-01', (i * 3) % 3000);
      const placeId = pick(placeIds);
      // Slots: the target gets a real 200-slot weekday timetable; the others 20 consecutive half-days.
      let slots: { date: string; halfDay: 'am' | 'pm'; start: string; end: string; minutes: number }[];
      let endDate: string;
      if (isTarget) {
        endDate = endDateForSlots(startDate, TARGET_SLOTS, WEEKDAY_TIMETABLE);
        slots = planSlots(startDate, endDate, WEEKDAY_TIMETABLE).slots;
      } else {
        slots = Array.from({ length: OTHER_SLOTS }, (_, k) => {
          const am = k % 2 === 0;
          return { date: addDays(startDate, Math.floor(k / 2)), halfDay: am ? 'am' : 'pm', start: am ? '09:00' : '13:30', end: am ? '12:30' : '17:00', minutes: 210 };
        });
        endDate = slots.at(-1)!.date;
      }
      ins.session({ id: sessionId, actionId: pick(actionIds), label: `Session ${i}`, capacity: 40, startDate, endDate, placeId });
      const slotIds = ids(slots.length);
      const trainerA = pick(trainerIds);
      const trainerB = pick(trainerIds);
      slots.forEach((s, k) => {
        insSlot.run(slotIds[k]!, sessionId, s.date, s.halfDay, s.start, s.end, s.minutes, placeId, ...audit);
        insLink.run(slotIds[k]!, k % 2 === 0 ? trainerA : trainerB);
      });
      const plannedMinutes = slots.reduce((m, s) => m + s.minutes, 0);

      // Enrolments, each with a dated status history: planned, then mostly entered, some exited.
      const count = isTarget ? TARGET_ENROLMENTS : OTHER_ENROLMENTS;
      const enrolmentIds = ids(count);
      for (let k = 0; k < count; k++) {
        const traineeId = traineeIds[traineeCursor++ % traineeIds.length]!;
        const enrolmentId = enrolmentIds[k]!;
        const withCompany = rand() < 0.3;
        insEnrolment.run(enrolmentId, sessionId, traineeId, withCompany ? pick(companyIds) : null, pick(funders), `DOS-${i}-${k}`, startDate, endDate, plannedMinutes, ...audit);
        const [sPlanned, sEntered, sExited] = ids(3) as [string, string, string];
        insStatus.run(sPlanned, enrolmentId, 'planned', startDate, null, null, STAMP, BENCH_USER);
        const r = rand();
        if (r < 0.9) insStatus.run(sEntered, enrolmentId, 'entered', startDate, null, null, STAMP, BENCH_USER);
        if (r < 0.15) insStatus.run(sExited, enrolmentId, 'exited', endDate, r < 0.05 ? 'abandon' : 'completed', r < 0.05 ? 'none' : 'certified', STAMP, BENCH_USER);
      }
    });
  })();
  raw.pragma('optimize');
  return targetId;
}

/** The same data as the session page, by the fewest raw prepared SELECTs, rows returned as they come. */
function baselineQueries(raw: Database.Database) {
  const session = raw.prepare('SELECT * FROM sessions WHERE id = ?');
  const action = raw.prepare('SELECT * FROM actions WHERE id = ?');
  const slots = raw.prepare('SELECT * FROM slots WHERE session_id = ? ORDER BY date, half_day');
  const links = raw.prepare('SELECT st.slot_id, st.trainer_id FROM slot_trainers st JOIN slots s ON s.id = st.slot_id WHERE s.session_id = ? AND st.deleted_at IS NULL');
  const enrolments = raw.prepare(
    `SELECT e.*, t.last_name || ' ' || t.first_name AS trainee_name, c.name AS company_name
     FROM enrolments e JOIN trainees t ON t.id = e.trainee_id LEFT JOIN companies c ON c.id = e.company_id
     WHERE e.session_id = ? ORDER BY t.last_name, t.first_name`,
  );
  const statuses = raw.prepare(
    `SELECT es.* FROM enrolment_statuses es JOIN enrolments e ON e.id = es.enrolment_id
     WHERE e.session_id = ? ORDER BY es.enrolment_id, es.effective_date, es.id`,
  );
  const trainers = raw.prepare('SELECT * FROM trainers ORDER BY last_name, first_name');
  const places = raw.prepare('SELECT * FROM places ORDER BY name');
  return (id: string) => {
    const s = session.get(id) as { action_id: string };
    return {
      session: s,
      action: action.get(s.action_id),
      slots: slots.all(id),
      links: links.all(id),
      enrolments: enrolments.all(id),
      statuses: statuses.all(id),
      trainers: trainers.all(),
      places: places.all(),
    };
  };
}

export const sessionPageBench: Bench = {
  name: NAME,
  description: 'sessions.get (200 slots, 30 enrolments) on a 20 000-session database vs minimal raw SELECTs',
  async run() {
    const sizes: Sizes = {
      sessions: scaled(20_000, 2),
      trainees: scaled(100_000, TARGET_ENROLMENTS),
      companies: scaled(2_000),
      trainers: scaled(200),
      places: scaled(50),
      actions: scaled(300),
    };
    const iterations = scaled(200, 20);
    const warmup = scaled(20, 5);
    const tmp = tempDir(NAME);
    const backend = await startBackend(tmp.dir);
    try {
      const raw = backend.raw;
      const t0 = now();
      const targetId = buildDatabase(raw, sizes);
      const counts = rowCounts(raw);
      const totalRows = Object.values(counts).reduce((a, b) => a + b, 0);
      note(NAME, `built ${totalRows} rows in ${((now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

      const baseline = baselineQueries(raw);
      const service = () => call(backend, 'sessions.get', { id: targetId });

      const page = await service();
      const ref = baseline(targetId);
      if (page.slots.length !== TARGET_SLOTS || page.enrolments.length !== TARGET_ENROLMENTS) {
        throw new Error(`service page has ${page.slots.length} slots and ${page.enrolments.length} enrolments.`);
      }
      if (ref.slots.length !== TARGET_SLOTS || ref.enrolments.length !== TARGET_ENROLMENTS || ref.links.length !== TARGET_SLOTS) {
        throw new Error(`baseline has ${ref.slots.length} slots, ${ref.links.length} links and ${ref.enrolments.length} enrolments.`);
      }
      if (page.enrolments.reduce((n, e) => n + e.history.length, 0) !== ref.statuses.length) throw new Error('status histories differ.');

      const lat = await alternatingLatencies(service, () => baseline(targetId), iterations, warmup);
      return benchLine(NAME, lat.p50 / lat.baselineP50, {
        p50_ms: lat.p50,
        p95_ms: lat.p95,
        baseline_p50_ms: lat.baselineP50,
        baseline_p95_ms: lat.baselineP95,
        iterations,
        db_rows: totalRows,
        sessions: counts.sessions!,
        slots: counts.slots!,
        enrolments: counts.enrolments!,
      });
    } finally {
      await backend.close();
      tmp.cleanup();
    }
  },
};
