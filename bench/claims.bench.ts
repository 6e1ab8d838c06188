/**
 * `claims`: computing one funder's claim over 6 months of a 500-trainee roll call (≈ 120 000 marks) — what
 * « Construire la demande » does before it writes anything: the claims service's load + the engine + the
 * pre-flight (`compute` in electron/backend/claims/claims.ts), documents excluded. Baseline: one
 * bare SQL aggregate over the same rows doing the same work by hand (attended minutes per enrolment under the
 * rule's billable statuses, marks in force only, the enrolment's share, hours to the hundredth rounded down,
 * × the rate, half-up per line). The two totals must agree, else the bench fails.
 *
 * Build (raw prepared INSERTs, one transaction): cohorts of 25 trainees, each session with its own 240
 * half-day slots on the working days from 2026-01-05 (public holidays skipped); one mark per trainee and slot
 * (present 85 %, late 5 %, unexcused 4 %, excused 4 %, remote with declared minutes 2 %), 2 % of them corrected
 * by a superseding mark. Funder REGION, one trainee-hour programme (11,50 €/h, countersignature not required),
 * one funding line per enrolment: the remainder, or for one trainee in five 70 % beside an OPCO remainder line;
 * one line in ten carries a negotiated rate of 13,00 €/h.
 */
import type Database from 'better-sqlite3';
import { startBackend } from '../electron/backend/backend';
import { compute as computeClaimFor } from '../electron/backend/claims/claims';
import type { ClaimRequest } from '../shared/domain/claims/model';
import { addDays, isoWeekday } from '../shared/domain/dates';
import { holidayName } from '../shared/domain/holidays';
import { fundingRule } from '../shared/schemas/funding';
import { rng, uuid7Factory } from './attendance-fixtures';
import { BENCH_USER, referenceInserts, STAMP } from './fixtures';
import { alternatingLatencies, benchLine, call, note, now, scaled, tempDir, type Bench } from './lib';

const NAME = 'claims';
const PER_SESSION = 25;
const SLOTS = 240; // 120 working days, morning and afternoon: about 6 months
const SLOT_MINUTES = 210;
const FIRST_DAY = '2026-01-05';
const RATE_CENTS = 1150;
const NEGOTIATED_CENTS = 1300;
const ROUNDS = 3;

/** The working days (Monday–Friday, no public holiday) from `from`, `count` of them. */
function workingDays(from: string, count: number): string[] {
  const days: string[] = [];
  for (let d = from; days.length < count; d = addDays(d, 1)) if (isoWeekday(d) <= 5 && !holidayName(d, 'metropole')) days.push(d);
  return days;
}

interface Fixture {
  request: ClaimRequest;
  marks: number;
  enrolments: number;
}

function build(raw: Database.Database, trainees: number): Fixture {
  const newId = uuid7Factory('2025-12-01T00:00:00.000Z');
  const rand = rng(10);
  const ins = referenceInserts(raw);
  const audit = [STAMP, BENCH_USER, STAMP, BENCH_USER] as const;
  const days = workingDays(FIRST_DAY, SLOTS / 2);
  const from = days[0]!;
  const to = days.at(-1)!;
  const insTrainee = raw.prepare(
    `INSERT INTO trainees (id, last_name, first_name, birth_date, postcode, city, qpv_resident, fictitious, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, 'Camille', '1990-05-17', '69003', 'Lyon', 0, 1, ?, ?, ?, ?)`,
  );
  const insEnrolment = raw.prepare(
    `INSERT INTO enrolments (id, session_id, trainee_id, company_id, planned_start, planned_end, planned_minutes, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insStatus = raw.prepare(`INSERT INTO enrolment_statuses (id, enrolment_id, status, effective_date, reason, outcome, note, created_at, created_by) VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?)`);
  const insSlot = raw.prepare(
    `INSERT INTO slots (id, session_id, date, half_day, start_time, end_time, minutes, modality, place_id, cancelled, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ${SLOT_MINUTES}, 'presentiel', ?, 0, ?, ?, ?, ?)`,
  );
  const insFunding = raw.prepare(
    `INSERT INTO fundings (id, enrolment_id, funder_code, programme_id, cost_type, share_kind, share_value, rate_cents, position, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, 'pedagogique', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insRecord = raw.prepare(`INSERT INTO attendance_records (id, slot_id, enrolment_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)`);
  const insMark = raw.prepare(
    `INSERT INTO attendance_marks (id, record_id, slot_id, enrolment_id, kind, late_minutes, early_minutes, remote_minutes, minutes, reason, document_id, method,
       signature_id, proxy_name, checked_by, device_id, signed_at, supersedes_id, correction_reason, submission_id, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, NULL, NULL, NULL, 'tablette-1', ?, ?, ?, NULL, ?, ?)`,
  );
  type Kind = 'present' | 'late' | 'unexcused' | 'excused' | 'remote';
  const mark = (id: string, record: string, slotId: string, enrolmentId: string, kind: Kind, at: string, supersedes: string | null) => {
    const late = kind === 'late' ? 15 : 0;
    const remote = kind === 'remote' ? 180 : null;
    const minutes = kind === 'present' ? SLOT_MINUTES : kind === 'late' ? SLOT_MINUTES - late : kind === 'remote' ? 180 : 0;
    const absent = kind === 'unexcused' || kind === 'excused';
    insMark.run(id, record, slotId, enrolmentId, kind, late, remote, minutes, absent ? 'Absence' : null, absent ? 'none' : 'pin', absent ? null : at, supersedes, supersedes ? 'Correction' : null, at, BENCH_USER);
  };
  const pick = (): Kind => {
    const r = rand();
    return r < 0.85 ? 'present' : r < 0.9 ? 'late' : r < 0.94 ? 'unexcused' : r < 0.98 ? 'excused' : 'remote';
  };

  let marks = 0;
  raw.transaction(() => {
    raw.prepare(`INSERT OR IGNORE INTO devices (id, kind, first_seen_at, last_seen_at) VALUES ('tablette-1', 'client', ?, ?)`).run(STAMP, STAMP);
    const placeId = newId();
    const actionId = newId();
    ins.place(placeId, 1);
    ins.action(actionId, 1, SLOTS * SLOT_MINUTES);
    const programmeId = newId();
    raw.prepare(`INSERT INTO programmes (id, code, funder_code, name, source, created_at, created_by, updated_at, updated_by) VALUES (?, 'REG-BANC', 'REGION', 'Programme régional (banc)', 'local', ?, ?, ?, ?)`)
      .run(programmeId, ...audit);
    const rule = fundingRule.parse({ unit: 'trainee-hour', rateCents: RATE_CENTS, requireCountersignature: false, payerCategory: 'C-5' });
    raw.prepare(`INSERT INTO programme_rules (id, programme_id, valid_from, valid_to, rule, note, replaces_id, created_at, created_by) VALUES (?, ?, '2025-01-01', NULL, ?, NULL, NULL, ?, ?)`)
      .run(newId(), programmeId, JSON.stringify(rule), STAMP, BENCH_USER);

    for (let s = 0, t = 0; t < trainees; s++) {
      const sessionId = newId();
      const size = Math.min(PER_SESSION, trainees - t);
      ins.session({ id: sessionId, actionId, label: `Cohorte ${s + 1}`, capacity: PER_SESSION, startDate: from, endDate: to, placeId });
      const slots = days.flatMap((date) => (['am', 'pm'] as const).map((half) => ({ id: newId(), date, half })));
      for (const sl of slots) insSlot.run(sl.id, sessionId, sl.date, sl.half, sl.half === 'am' ? '09:00' : '13:30', sl.half === 'am' ? '12:30' : '17:00', placeId, ...audit);
      const enrolmentIds: string[] = [];
      for (let k = 0; k < size; k++, t++) {
        const traineeId = newId();
        insTrainee.run(traineeId, `Stagiaire${String(t).padStart(4, '0')}`, ...audit);
        const enrolmentId = newId();
        insEnrolment.run(enrolmentId, sessionId, traineeId, from, to, SLOTS * SLOT_MINUTES, ...audit);
        for (const status of ['planned', 'entered']) insStatus.run(newId(), enrolmentId, status, from, STAMP, BENCH_USER);
        const rate = t % 10 === 3 ? NEGOTIATED_CENTS : null;
        if (t % 5 === 0) {
          insFunding.run(newId(), enrolmentId, 'REGION', programmeId, 'percent', 7000, rate, 1, ...audit);
          insFunding.run(newId(), enrolmentId, 'OPCO', null, 'remainder', null, null, 2, ...audit);
        } else {
          insFunding.run(newId(), enrolmentId, 'REGION', programmeId, 'remainder', null, rate, 1, ...audit);
        }
        enrolmentIds.push(enrolmentId);
      }
      for (const sl of slots) {
        const at = `${sl.date}T${sl.half === 'am' ? '08' : '12'}:35:00.000Z`; // 09:35 / 13:35 in Paris in winter, in the slot in summer too
        for (const enrolmentId of enrolmentIds) {
          const id = newId();
          insRecord.run(id, sl.id, enrolmentId, at, BENCH_USER);
          mark(id, id, sl.id, enrolmentId, pick(), at, null);
          marks++;
          if (rand() < 0.02) {
            mark(newId(), id, sl.id, enrolmentId, pick(), at, id);
            marks++;
          }
        }
      }
    }
  })();
  return { request: { funderCode: 'REGION', programmeId: null, purchaseOrder: null, contractId: null, from, to }, marks, enrolments: trainees };
}

/**
 * The same claim by hand in one SQL statement: marks in force on held slots of the period, attended minutes
 * under the rule's billable statuses (present, late, early leave, remote), the REGION line's share (70 % rounded
 * down, or all of it as the remainder), hours to the hundredth rounded down, × the line's rate, half-up.
 */
const BASELINE_SQL = `
WITH cur AS (
  SELECT m.enrolment_id, s.minutes AS sm, k.category, m.late_minutes, m.early_minutes, m.remote_minutes
  FROM attendance_marks m JOIN attendance_kinds k ON k.code = m.kind JOIN slots s ON s.id = m.slot_id
  WHERE s.deleted_at IS NULL AND s.cancelled = 0 AND s.date BETWEEN ? AND ?
    AND NOT EXISTS (SELECT 1 FROM attendance_marks n WHERE n.supersedes_id = m.id)
), per AS (
  SELECT enrolment_id, sum(CASE category
      WHEN 'present' THEN sm
      WHEN 'late' THEN max(0, min(sm, sm - late_minutes - early_minutes))
      WHEN 'early-leave' THEN max(0, min(sm, sm - late_minutes - early_minutes))
      WHEN 'remote' THEN max(0, min(sm, coalesce(remote_minutes, sm)))
      ELSE 0 END) AS minutes
  FROM cur GROUP BY enrolment_id
), line AS (
  SELECT CASE f.share_kind WHEN 'percent' THEN per.minutes * f.share_value / 10000 ELSE per.minutes END AS minutes,
    coalesce(f.rate_cents, json_extract(r.rule, '$.rateCents')) AS rate
  FROM fundings f JOIN per ON per.enrolment_id = f.enrolment_id JOIN programme_rules r ON r.programme_id = f.programme_id
  WHERE f.deleted_at IS NULL AND f.funder_code = ?
), amount AS (
  SELECT minutes, (minutes * 100 / 60) * 100 AS hours_e4, rate FROM line WHERE minutes > 0
)
SELECT count(*) AS lines, sum(minutes) AS minutes, sum((hours_e4 * rate * 2 + 10000) / 20000) AS total FROM amount`;

export const claimsBench: Bench = {
  name: NAME,
  description: 'one funder’s claim over 6 months of 500 trainees (≈ 120 000 marks): load + engine + pre-flight vs one bare SQL aggregate',
  async run() {
    const trainees = scaled(500, 5);
    const tmp = tempDir(NAME);
    const backend = await startBackend(tmp.dir, { now: () => new Date('2026-07-03T08:00:00Z') });
    try {
      await call(backend, 'organisation.save', { name: 'OF Banc d’essai', siret: '73282932000074', nda: '11755555555', legalRepresentative: 'Claire Vasseur', city: 'Lyon' });
      const raw = backend.raw;
      const t0 = now();
      const fx = build(raw, trainees);
      note(NAME, `built ${fx.enrolments} enrolments, ${fx.marks} marks in ${((now() - t0) / 1000).toFixed(1)} s (period ${fx.request.from} – ${fx.request.to})`);
      raw.pragma('wal_checkpoint(TRUNCATE)');
      const baselineStmt = raw.prepare(BASELINE_SQL);
      const baseline = () => baselineStmt.get(fx.request.from, fx.request.to, fx.request.funderCode) as { lines: number; minutes: number; total: number };

      // One unmeasured round each (statement caches, JIT), then ROUNDS alternating rounds, medians kept.
      let computed!: Awaited<ReturnType<typeof computeClaimFor>>;
      let expected!: { lines: number; minutes: number; total: number };
      const lat = await alternatingLatencies(
        async () => {
          computed = await computeClaimFor(backend.ctx, fx.request);
        },
        () => {
          expected = baseline();
        },
        ROUNDS,
        1,
      );
      const { result, issues } = computed;
      const minutes = result.lines.reduce((s, l) => s + (l.minutes ?? 0), 0);
      if (result.totalCents !== expected.total || result.lines.length !== expected.lines || minutes !== expected.minutes) {
        throw new Error(
          `claims: the claim and the bare SQL disagree — claim ${result.lines.length} lines, ${minutes} min, ${result.totalCents} cents; SQL ${expected.lines} lines, ${expected.minutes} min, ${expected.total} cents.`,
        );
      }
      if (issues.blockers.length > 0) throw new Error(`claims: unexpected blockers: ${issues.blockers.slice(0, 3).map((b) => b.message).join(' | ')}`);
      const service = lat.p50;
      const base = lat.baselineP50;
      note(NAME, `claim ${result.lines.length} lines, ${result.totalCents} cents, ${issues.warnings.length} warnings; service ${(service / 1000).toFixed(2)} s, baseline ${(base / 1000).toFixed(3)} s`);
      return benchLine(NAME, service / base, { seconds: service / 1000, baseline_seconds: base / 1000, marks: fx.marks, lines: result.lines.length });
    } finally {
      await backend.close();
      tmp.cleanup();
    }
  },
};
