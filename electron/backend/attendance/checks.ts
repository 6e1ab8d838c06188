import type { z } from 'zod';
import { PRESENCE_CATEGORIES } from '../../../shared/domain/categories';
import { formatMinutes, todayIn } from '../../../shared/domain/dates';
import { SIGNATURE_WINDOW_MINUTES, signedOutsideWindow } from '../../../shared/domain/signature-window';
import { exitedBefore, statusOn } from '../../../shared/domain/enrolment-status';
import { holidayName, type HolidayZone } from '../../../shared/domain/holidays';
import type { checksInput, Finding } from '../../../shared/schemas/checks';
import type { Ctx } from '../context';
import { organisationTimeZone } from '../organisation/organisation';
import { activeOnDateSql, statusHistories } from '../sessions/active';
import { plannedMinutesSql } from '../sessions/planned';
import { rawAll, withRaw } from '../db/raw';
import { queryHours } from './hours';

// The out-of-hours rule (shared/domain/signature-window.ts) is shared with the roll-call screen, which
// flags it at the moment of signing or closing.

const PRESENT = `(${PRESENCE_CATEGORIES.map((c) => `'${c}'`).join(', ')})`;

/**
 * Coherence checks run before anything is claimed: evidence that contradicts the planning is what
 * courts struck down (signatures on public holidays, a trainer in two places, hours above plan…).
 * Each finding links to the record to fix. Days and times are read in the training body's time zone.
 */
export async function runChecks(ctx: Ctx, q: z.output<typeof checksInput>): Promise<Finding[]> {
  const timeZone = await organisationTimeZone(ctx);
  const today = todayIn(ctx.now(), timeZone);
  const filters: string[] = [];
  const params: unknown[] = [];
  const filter = (clause: string, value: unknown) => {
    filters.push(clause);
    params.push(value);
  };
  if (q.sessionId) filter('s.session_id = ?', q.sessionId);
  if (q.from) filter('s.date >= ?', q.from);
  if (q.to) filter('s.date <= ?', q.to);
  const and = filters.length ? ` AND ${filters.join(' AND ')}` : '';
  const findings: Finding[] = [];
  const currentMarks = `SELECT m.*, k.category FROM attendance_marks m JOIN attendance_kinds k ON k.code = m.kind
    WHERE NOT EXISTS (SELECT 1 FROM attendance_marks n WHERE n.supersedes_id = m.id)`;

  // 1–2. Signatures on a public holiday of the place's zone, or outside the slot's window.
  // The presence marks in force, read once for checks 1–2 and 7.
  const signed = await rawAll<{ id: string; enrolment_id: string; method: string; signed_at: string | null; supersedes_id: string | null; slot_id: string; session_id: string; date: string; start_time: string; end_time: string; zone: HolidayZone; name: string }>(ctx.db, `SELECT m.id, m.enrolment_id, m.method, m.signed_at, m.supersedes_id, s.id AS slot_id, s.session_id, s.date, s.start_time, s.end_time,
       coalesce(p.holiday_zone, sp.holiday_zone, 'metropole') AS zone, t.last_name || ' ' || t.first_name AS name
     FROM (${currentMarks}) m JOIN slots s ON s.id = m.slot_id JOIN sessions x ON x.id = s.session_id
     LEFT JOIN places p ON p.id = s.place_id LEFT JOIN places sp ON sp.id = x.place_id
     JOIN enrolments e ON e.id = m.enrolment_id JOIN trainees t ON t.id = e.trainee_id
     WHERE m.category IN ${PRESENT}${and}`, ...params);
  for (const m of signed) {
    const link = { kind: 'mark' as const, id: m.id, sessionId: m.session_id, slotId: m.slot_id };
    const holiday = holidayName(m.date, m.zone);
    if (holiday) findings.push({ code: 'signed-on-holiday', severity: 'error', date: m.date, link, message: `${m.name} : présence signée le ${m.date}, jour férié (${holiday}).` });
    // Paper sheets are typed in later and corrections keep the original time: only live captures are checked.
    if (m.signed_at && m.method !== 'paper' && !m.supersedes_id) {
      const local = signedOutsideWindow(m.signed_at, timeZone, { date: m.date, start: m.start_time, end: m.end_time });
      if (local) {
        findings.push({ code: 'signed-outside-window', severity: 'error', date: m.date, link, message: `${m.name} : signature du ${local.date} à ${local.time}, hors du créneau du ${m.date} ${m.start_time}–${m.end_time} (±${SIGNATURE_WINDOW_MINUTES} min).` });
      }
    }
  }

  // 3. A trainer in two slots that overlap on the same day.
  const doubles = await rawAll<{ slot_id: string; session_id: string; date: string; start_time: string; end_time: string; b_start: string; b_end: string; other: string; trainer: string }>(ctx.db, `SELECT a.id AS slot_id, a.session_id, a.date, a.start_time, a.end_time, b.start_time AS b_start, b.end_time AS b_end, xb.label AS other,
       t.last_name || ' ' || t.first_name AS trainer
     FROM slot_trainers ta JOIN slots a ON a.id = ta.slot_id
     JOIN slot_trainers tb ON tb.trainer_id = ta.trainer_id AND tb.slot_id <> ta.slot_id AND tb.deleted_at IS NULL
     JOIN slots b ON b.id = tb.slot_id AND b.date = a.date AND b.start_time < a.end_time AND a.start_time < b.end_time AND b.cancelled = 0
     JOIN sessions xb ON xb.id = b.session_id JOIN trainers t ON t.id = ta.trainer_id
     WHERE a.cancelled = 0 AND ta.deleted_at IS NULL${and.replaceAll('s.', 'a.')}`, ...params);
  for (const d of doubles) {
    findings.push({ code: 'trainer-double-booked', severity: 'error', date: d.date, link: { kind: 'slot', id: d.slot_id, sessionId: d.session_id, slotId: d.slot_id }, message: `${d.trainer} est affecté(e) le ${d.date} à deux créneaux qui se chevauchent (${d.start_time}–${d.end_time} et ${d.b_start}–${d.b_end}, « ${d.other} »).` });
  }

  // 4. Realised minutes above the enrolment's planned minutes (totals from the one engine).
  const rows = await queryHours(ctx, { sessionId: q.sessionId, groupBy: ['enrolment'] });
  if (rows.length) {
    const planned = new Map(
      (await rawAll<{ id: string; session_id: string; planned_minutes: number; name: string }>(ctx.db, `SELECT e.id, e.session_id, ${plannedMinutesSql('e')} AS planned_minutes, t.last_name || ' ' || t.first_name AS name FROM enrolments e JOIN trainees t ON t.id = e.trainee_id${q.sessionId ? ' WHERE e.session_id = ?' : ''}`, ...(q.sessionId ? [q.sessionId] : []))).map((e) => [e.id, e]),
    );
    for (const r of rows) {
      const e = planned.get(r.key.enrolment!);
      if (e && r.attended > e.planned_minutes) {
        findings.push({ code: 'minutes-above-planned', severity: 'error', date: null, link: { kind: 'enrolment', id: e.id, sessionId: e.session_id, slotId: null }, message: `${e.name} : ${formatMinutes(r.attended)} réalisées pour ${formatMinutes(e.planned_minutes)} prévues.` });
      }
    }
  }

  // 5–6. Past slots: marks without the trainer's countersignature, or no sheet at all.
  const past = await rawAll<{ id: string; session_id: string; date: string; start_time: string; end_time: string; marked: number; closed: number; expected: number }>(ctx.db, `SELECT s.id, s.session_id, s.date, s.start_time, s.end_time,
       EXISTS (SELECT 1 FROM attendance_marks m WHERE m.slot_id = s.id) AS marked,
       EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id = s.id) AS closed,
       (SELECT count(*) FROM enrolments e WHERE e.session_id = s.session_id AND ${activeOnDateSql('e', 's.date')}) AS expected
     FROM slots s WHERE s.cancelled = 0 AND s.deleted_at IS NULL AND s.date < ?${and}`, today, ...params);
  for (const s of past) {
    const link = { kind: 'slot' as const, id: s.id, sessionId: s.session_id, slotId: s.id };
    if (s.marked && !s.closed) findings.push({ code: 'slot-not-countersigned', severity: 'error', date: s.date, link, message: `Créneau du ${s.date} ${s.start_time}–${s.end_time} : émargé mais sans la signature du formateur (non clos).` });
    else if (!s.marked && s.expected > 0) findings.push({ code: 'slot-without-sheet', severity: 'warning', date: s.date, link, message: `Créneau du ${s.date} ${s.start_time}–${s.end_time} passé sans feuille d'émargement (${s.expected} stagiaire(s) attendu(s)).` });
  }

  // 7. Presence signed before the trainee's entry, during a suspension or after the exit.
  const outside = signed;
  const histories = await withRaw(ctx.db, (raw) => statusHistories(raw, outside.map((m) => m.enrolment_id)));
  for (const m of outside) {
    const link = { kind: 'mark' as const, id: m.id, sessionId: m.session_id, slotId: m.slot_id };
    const history = histories.get(m.enrolment_id) ?? [];
    const entry = history.find((h) => h.status === 'entered')?.effectiveDate ?? null;
    const exit = history.find((h) => h.status === 'exited')?.effectiveDate ?? null;
    if (!entry || m.date < entry) findings.push({ code: 'signed-outside-enrolment', severity: 'error', date: m.date, link, message: `${m.name} : présence le ${m.date} avant son entrée en formation${entry ? ` (${entry})` : ' (entrée non déclarée)'}.` });
    else if (exitedBefore(history, m.date)) findings.push({ code: 'signed-outside-enrolment', severity: 'error', date: m.date, link, message: `${m.name} : présence le ${m.date} après sa sortie (${exit}).` });
    else if (statusOn(history, m.date) === 'suspended') findings.push({ code: 'signed-outside-enrolment', severity: 'error', date: m.date, link, message: `${m.name} : présence le ${m.date} pendant une suspension de sa formation.` });
  }
  return findings.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.code.localeCompare(b.code));
}
