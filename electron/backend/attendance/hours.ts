import type { z } from 'zod';
import { realisedHours, type EngineMark, type EngineSequence, type HoursRow } from '../../../shared/domain/realised-hours';
import type { hoursQueryInput } from '../../../shared/schemas/hours';
import type { Ctx } from '../context';
import { rawAll } from '../db/raw';
import type { SqlRow } from '../db/schema';

import { primaryFundingJoin } from '../sessions/fundings';

/**
 * A mark's connection time as the engine reads it (over `attendance_marks m JOIN attendance_kinds k`): the
 * minutes declared, else for a remote mark its imported connection time (LMS logs) for that slot.
 */
const REMOTE_MINUTES_SQL = `CASE WHEN m.remote_minutes IS NOT NULL THEN m.remote_minutes WHEN k.category = 'remote'
         THEN (SELECT sum(c.minutes) FROM connection_log_rows c WHERE c.slot_id = m.slot_id AND c.enrolment_id = m.enrolment_id) END`;

/** A mark as the engine reads it, from `ENGINE_MARK_COLUMNS`. */
type EngineMarkRow = Pick<SqlRow<'attendance_marks'>, 'id' | 'slot_id' | 'enrolment_id' | 'late_minutes' | 'early_minutes' | 'remote_minutes' | 'supersedes_id'>
  & { category: EngineMark['category'] };

/** The columns of a mark the realised-hours engine needs, over `attendance_marks m JOIN attendance_kinds k`. */
const ENGINE_MARK_COLUMNS = `m.id, m.slot_id, m.enrolment_id, k.category, m.late_minutes, m.early_minutes, ${REMOTE_MINUTES_SQL} AS remote_minutes, m.supersedes_id`;

function engineMark(r: EngineMarkRow): EngineMark {
  return {
    id: r.id, slotId: r.slot_id, enrolmentId: r.enrolment_id, category: r.category, lateMinutes: r.late_minutes,
    earlyMinutes: r.early_minutes, remoteMinutes: r.remote_minutes, supersedesId: r.supersedes_id,
  };
}

/** A mark with how and when it was signed: what the realised-hours engine and the coherence checks read. */
export interface SignedMark extends EngineMark {
  method: string;
  signedAt: string | null;
}

/**
 * Every mark of some enrolments, superseded ones included, each with its connection time
 * (`REMOTE_MINUTES_SQL`), in (created_at, id) order within each enrolment: the order
 * `currentMarks` breaks ties by (two heads for one slot and enrolment are always of one enrolment).
 *
 * SQLite packs each enrolment's marks into one JSON array that V8 parses: better-sqlite3 builds every row's
 * object through N-API, about twice as slow for the 100 000+ marks of a claim (bench/claims.bench.ts).
 *
 * `fingerprint` says what of these marks can change. A mark is never updated nor deleted (triggers refuse
 * it), so an enrolment's marks change only by new ones: their number (and the last one's id) says it. A
 * remote mark's connection time grows as logs are imported (their rows are append-only too): their total says it.
 */
export async function loadSignedMarks(ctx: Ctx, enrolmentIds: readonly string[]): Promise<{ marks: SignedMark[]; fingerprint: string }> {
  const rows = await rawAll<{ enrolment_id: string; packed: string }>(
    ctx.db,
    `SELECT m.enrolment_id, json_group_array(json_array(m.id, m.slot_id, k.category, m.late_minutes, m.early_minutes, ${REMOTE_MINUTES_SQL},
         m.supersedes_id, m.method, m.signed_at) ORDER BY m.created_at, m.id) AS packed
     FROM attendance_marks m JOIN attendance_kinds k ON k.code = m.kind
     WHERE m.enrolment_id IN (SELECT value FROM json_each(?)) GROUP BY m.enrolment_id ORDER BY m.enrolment_id`,
    JSON.stringify(enrolmentIds),
  );
  const marks: SignedMark[] = [];
  const fingerprint: string[] = [];
  for (const r of rows) {
    const list = JSON.parse(r.packed) as [string, string, EngineMark['category'], number, number, number | null, string | null, string, string | null][];
    let connected = 0;
    for (const [id, slotId, category, lateMinutes, earlyMinutes, remoteMinutes, supersedesId, method, signedAt] of list) {
      marks.push({ id, slotId, enrolmentId: r.enrolment_id, category, lateMinutes, earlyMinutes, remoteMinutes, supersedesId, method, signedAt });
      if (category === 'remote') connected += remoteMinutes ?? 0;
    }
    fingerprint.push(`${r.enrolment_id}:${list.length}:${list.at(-1)?.[0] ?? ''}:${connected}`);
  }
  return { marks, fingerprint: fingerprint.join(',') };
}

type HoursSqlRow = EngineMarkRow & Pick<SqlRow<'slots'>, 'date' | 'modality'> & Pick<SqlRow<'enrolments'>, 'trainee_id'> & { funder_code: string; slot_minutes: number };

/**
 * Loads the evidence matching a filter and hands it to the realised-hours engine (shared/domain), the
 * only place totals are computed. Remote marks without declared minutes take their imported
 * connection time (LMS logs) for that slot.
 */
export async function queryHours(ctx: Ctx, q: z.output<typeof hoursQueryInput>): Promise<HoursRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const filter = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (q.sessionId) filter('e.session_id = ?', q.sessionId);
  if (q.enrolmentId) filter('e.id = ?', q.enrolmentId);
  if (q.traineeId) filter('e.trainee_id = ?', q.traineeId);
  if (q.funderCode) filter('pf.funder_code = ?', q.funderCode);
  if (q.from) filter('s.date >= ?', q.from);
  if (q.to) filter('s.date <= ?', q.to);
  // Dynamic filters over the whole evidence: one raw statement (through the lock), its rows typed here.
  const rows = await rawAll<HoursSqlRow>(
    ctx.db,
    `SELECT ${ENGINE_MARK_COLUMNS},
       s.date, s.minutes AS slot_minutes, s.modality, e.trainee_id, pf.funder_code
     FROM attendance_marks m
     JOIN attendance_kinds k ON k.code = m.kind
     JOIN slots s ON s.id = m.slot_id
     JOIN enrolments e ON e.id = m.enrolment_id
     ${primaryFundingJoin('pf', 'e')}
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY m.created_at, m.id`,
    ...params,
  );
  const slots = new Map<string, { id: string; date: string; minutes: number; modality: string }>();
  const enrolments = new Map<string, { id: string; traineeId: string; funderCode: string }>();
  const marks: EngineMark[] = rows.map((r) => {
    slots.set(r.slot_id, { id: r.slot_id, date: r.date, minutes: r.slot_minutes, modality: r.modality });
    enrolments.set(r.enrolment_id, { id: r.enrolment_id, traineeId: r.trainee_id, funderCode: r.funder_code });
    return engineMark(r);
  });
  // AFEST times (issue #11), every version of the enrolments filtered: the engine keeps those in force, then
  // applies the period (a correction may move a sequence out of it: its old version must still meet its successor).
  const sequenceWhere = where.filter((w) => !w.startsWith('s.date'));
  const sequenceParams = params.filter((_, i) => !where[i]!.startsWith('s.date'));
  if (q.afestId) {
    sequenceWhere.push('a.afest_id = ?');
    sequenceParams.push(q.afestId);
  }
  const sequenceRows = await rawAll<{ id: string; enrolment_id: string; date: string; kind: EngineSequence['kind']; minutes: number; supersedes_id: string | null; withdrawn: number; trainee_id: string; funder_code: string }>(
    ctx.db,
    `SELECT a.id, a.enrolment_id, a.date, a.kind, a.minutes, a.supersedes_id, a.withdrawn, e.trainee_id, pf.funder_code
     FROM (${AFEST_TIMES_SQL}) a
     JOIN enrolments e ON e.id = a.enrolment_id
     ${primaryFundingJoin('pf', 'e')}
     ${sequenceWhere.length ? `WHERE ${sequenceWhere.join(' AND ')}` : ''}
     ORDER BY a.created_at, a.id`,
    ...sequenceParams,
  );
  const sequences: EngineSequence[] = sequenceRows.map((r) => {
    enrolments.set(r.enrolment_id, { id: r.enrolment_id, traineeId: r.trainee_id, funderCode: r.funder_code });
    return { id: r.id, enrolmentId: r.enrolment_id, date: r.date, kind: r.kind, minutes: r.minutes, supersedesId: r.supersedes_id, withdrawn: r.withdrawn === 1 };
  });
  return realisedHours({ slots: [...slots.values()], marks, enrolments: [...enrolments.values()], sequences }, { groupBy: q.groupBy, from: q.from, to: q.to });
}

/**
 * Every version of every AFEST time the engine counts: sequences (work situations and reflective ones) and
 * evaluations that took time. A version superseded or withdrawn still comes: the engine decides what is in force.
 */
export const AFEST_TIMES_SQL = `SELECT id, afest_id, enrolment_id, date, kind, minutes, supersedes_id, withdrawn, created_at FROM afest_sequences
  UNION ALL SELECT id, afest_id, enrolment_id, date, 'evaluation', minutes, supersedes_id, withdrawn, created_at FROM afest_evaluations`;
