import type { z } from 'zod';
import { PRESENCE_CATEGORIES } from '../../../shared/domain/categories';
import { formatMinutes, todayIn } from '../../../shared/domain/dates';
import { isIsoInstant, SIGNATURE_WINDOW_MINUTES, signatureWindowUtc, signedOutsideWindow } from '../../../shared/domain/signature-window';
import { exitedBefore, statusOn, type StatusEntry } from '../../../shared/domain/enrolment-status';
import { holidayName, type HolidayZone } from '../../../shared/domain/holidays';
import type { checksInput, Finding } from '../../../shared/schemas/checks';
import type { Ctx } from '../context';
import { organisationTimeZone } from '../organisation/organisation';
import { activeOnDateSql, statusHistories } from '../sessions/active';
import { plannedMinutesSql } from '../sessions/planned';
import { rawAll, withRaw } from '../db/raw';
import { loadSignedMarks, type SignedMark } from './hours';
import { currentMarks, realisedHoursInForce } from '../../../shared/domain/realised-hours';

// The out-of-hours rule (shared/domain/signature-window.ts) is shared with the roll-call screen, which
// flags it at the moment of signing or closing.

const PRESENCE = new Set<string>(PRESENCE_CATEGORIES);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface CheckSlot {
  id: string;
  session_id: string;
  date: string;
  start_time: string;
  end_time: string;
  minutes: number;
  modality: string;
  zone: HolidayZone;
}

/** Why a presence on `date` falls outside the enrolment (the end of the sentence), or '' when it does not. */
function outsideEnrolment(history: readonly StatusEntry[], date: string): string {
  const entry = history.find((h) => h.status === 'entered')?.effectiveDate ?? null;
  if (!entry || date < entry) return `avant son entrée en formation${entry ? ` (${entry})` : ' (entrée non déclarée)'}`;
  if (exitedBefore(history, date)) return `après sa sortie (${history.find((h) => h.status === 'exited')?.effectiveDate ?? null})`;
  if (statusOn(history, date) === 'suspended') return 'pendant une suspension de sa formation';
  return '';
}

/** Marks the caller already holds: every mark (superseded ones included) of `enrolmentIds`. */
export interface KnownMarks {
  enrolmentIds: readonly string[];
  marks: readonly SignedMark[];
}

export interface ChecksOptions {
  /** Several sessions at once (instead of `q.sessionId`); an empty list checks nothing. */
  sessionIds?: readonly string[];
  /** Marks already loaded (the claims pre-flight's): not read again. */
  known?: KnownMarks;
}

/**
 * Coherence checks run before anything is claimed: evidence that contradicts the planning is what
 * courts struck down (signatures on public holidays, a trainer in two places, hours above plan…).
 * Each finding links to the record to fix. Days and times are read in the training body's time zone.
 *
 * The marks are read once (or handed over by the claims pre-flight, which has just loaded them) and serve
 * the signature checks and the realised-hours engine alike.
 */
export async function runChecks(ctx: Ctx, q: z.output<typeof checksInput>, options: ChecksOptions = {}): Promise<Finding[]> {
  const sessionIds = options.sessionIds ?? (q.sessionId ? [q.sessionId] : null);
  if (sessionIds?.length === 0) return [];
  const timeZone = await organisationTimeZone(ctx);
  const today = todayIn(ctx.now(), timeZone);
  const filters: string[] = [];
  const params: unknown[] = [];
  const filter = (clause: string, value: unknown) => {
    filters.push(clause);
    params.push(value);
  };
  if (sessionIds) filter('s.session_id IN (SELECT value FROM json_each(?))', JSON.stringify(sessionIds));
  if (q.from) filter('s.date >= ?', q.from);
  if (q.to) filter('s.date <= ?', q.to);
  const and = filters.length ? ` AND ${filters.join(' AND ')}` : '';
  const inScope = sessionIds ? ' WHERE e.session_id IN (SELECT value FROM json_each(?))' : '';
  const scopeParams = sessionIds ? [JSON.stringify(sessionIds)] : [];
  const findings: Finding[] = [];

  // The evidence read once: the enrolments of the sessions, their slots, every mark of those enrolments.
  const enrolments = new Map(
    (await rawAll<{ id: string; session_id: string; planned_minutes: number; name: string }>(ctx.db, `SELECT e.id, e.session_id, ${plannedMinutesSql('e')} AS planned_minutes,
       t.last_name || ' ' || t.first_name AS name FROM enrolments e JOIN trainees t ON t.id = e.trainee_id${inScope}`, ...scopeParams)).map((e) => [e.id, e]),
  );
  const slots = new Map(
    (await rawAll<CheckSlot>(ctx.db, `SELECT s.id, s.session_id, s.date, s.start_time, s.end_time, s.minutes, s.modality,
       coalesce(p.holiday_zone, sp.holiday_zone, 'metropole') AS zone
     FROM slots s JOIN sessions x ON x.id = s.session_id LEFT JOIN places p ON p.id = s.place_id LEFT JOIN places sp ON sp.id = x.place_id
     ${sessionIds ? 'WHERE s.session_id IN (SELECT value FROM json_each(?))' : ''}`, ...scopeParams)).map((s) => [s.id, s]),
  );
  const known = new Set(options.known?.enrolmentIds ?? []);
  const missing = [...enrolments.keys()].filter((id) => !known.has(id));
  let marks: readonly SignedMark[] = options.known?.marks ?? [];
  if (missing.length) marks = [...marks, ...(await loadSignedMarks(ctx, missing)).marks];
  if (marks.some((m) => !enrolments.has(m.enrolmentId))) marks = marks.filter((m) => enrolments.has(m.enrolmentId));
  const inForce = currentMarks(marks);
  const histories = await withRaw(ctx.db, (raw) => statusHistories(raw, [...enrolments.keys()]));

  // The presence marks in force in the period:
  // 1–2. signed on a public holiday of the place's zone, or outside the slot's window;
  // 7. signed before the trainee's entry, during a suspension or after the exit.
  // Tens of thousands of marks share a few hundred slots: each slot's holiday and window are read once. The
  // window in UTC answers most signatures with two string comparisons; the others go through the rule itself.
  const perSlot = new Map<string, { slot: CheckSlot; holiday: string; window: { from: string; to: string } | null } | null>();
  const slotOf = (id: string) => {
    let x = perSlot.get(id);
    if (x === undefined) {
      const s = slots.get(id);
      x = !s || (q.from && s.date < q.from) || (q.to && s.date > q.to) ? null
        : { slot: s, holiday: holidayName(s.date, s.zone) ?? '', window: signatureWindowUtc(timeZone, { date: s.date, start: s.start_time, end: s.end_time }) };
      perSlot.set(id, x);
    }
    return x;
  };
  // Per enrolment: its history and entry; one never suspended nor exited needs only its entry date.
  const perEnrolment = new Map<string, { history: readonly StatusEntry[]; entry: string | null; simple: boolean; byDate: Map<string, string> }>();
  const enrolmentVerdict = (enrolmentId: string, date: string) => {
    let x = perEnrolment.get(enrolmentId);
    if (!x) {
      const history = histories.get(enrolmentId) ?? [];
      x = { history, entry: history.find((h) => h.status === 'entered')?.effectiveDate ?? null, simple: !history.some((h) => h.status === 'exited' || h.status === 'suspended'), byDate: new Map() };
      perEnrolment.set(enrolmentId, x);
    }
    if (x.simple && x.entry !== null && date >= x.entry) return '';
    let verdict = x.byDate.get(date);
    if (verdict === undefined) x.byDate.set(date, (verdict = outsideEnrolment(x.history, date)));
    return verdict;
  };
  for (const m of inForce) {
    if (!PRESENCE.has(m.category)) continue;
    const here = slotOf(m.slotId);
    if (!here) continue;
    const { slot: s, holiday, window: w } = here;
    // Paper sheets are typed in later and corrections keep the original time: only live captures are checked.
    const live = Boolean(m.signedAt) && m.method !== 'paper' && !m.supersedesId;
    const within = live && w !== null && isIsoInstant(m.signedAt!) && m.signedAt! >= w.from && m.signedAt! < w.to;
    const local = live && !within ? signedOutsideWindow(m.signedAt!, timeZone, { date: s.date, start: s.start_time, end: s.end_time }) : null;
    const verdict = enrolmentVerdict(m.enrolmentId, s.date);
    if (!holiday && !local && !verdict) continue;
    const link = { kind: 'mark' as const, id: m.id, sessionId: s.session_id, slotId: s.id };
    const name = enrolments.get(m.enrolmentId)!.name;
    if (holiday) findings.push({ code: 'signed-on-holiday', severity: 'error', date: s.date, link, message: `${name} : présence signée le ${s.date}, jour férié (${holiday}).` });
    if (local) {
      findings.push({ code: 'signed-outside-window', severity: 'error', date: s.date, link, message: `${name} : signature du ${local.date} à ${local.time}, hors du créneau du ${s.date} ${s.start_time}–${s.end_time} (±${SIGNATURE_WINDOW_MINUTES} min).` });
    }
    if (verdict) findings.push({ code: 'signed-outside-enrolment', severity: 'error', date: s.date, link, message: `${name} : présence le ${s.date} ${verdict}.` });
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

  // 4. Realised minutes above the enrolment's planned minutes (totals from the one engine, over all dates).
  const engineEnrolments = [...enrolments.values()].map((e) => ({ id: e.id, traineeId: '', funderCode: '' }));
  for (const r of realisedHoursInForce({ slots: [...slots.values()], marks: inForce, enrolments: engineEnrolments }, { groupBy: ['enrolment'] })) {
    const e = enrolments.get(r.key.enrolment!)!;
    if (r.attended > e.planned_minutes) {
      findings.push({ code: 'minutes-above-planned', severity: 'error', date: null, link: { kind: 'enrolment', id: e.id, sessionId: e.session_id, slotId: null }, message: `${e.name} : ${formatMinutes(r.attended)} réalisées pour ${formatMinutes(e.planned_minutes)} prévues.` });
    }
  }

  // 5–6. Past slots: marks without the trainer's countersignature, or no sheet at all.
  const past = await rawAll<{ id: string; session_id: string; date: string; start_time: string; end_time: string; marked: number; closed: number; expected: number }>(ctx.db, `SELECT v.*,
       -- who was expected matters only where nobody was marked (counted there alone: a subquery per trainee and slot)
       CASE WHEN v.marked THEN 0 ELSE (SELECT count(*) FROM enrolments e WHERE e.session_id = v.session_id AND ${activeOnDateSql('e', 'v.date')}) END AS expected
     FROM (SELECT s.id, s.session_id, s.date, s.start_time, s.end_time,
         EXISTS (SELECT 1 FROM attendance_marks m WHERE m.slot_id = s.id) AS marked,
         EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id = s.id) AS closed
       FROM slots s WHERE s.cancelled = 0 AND s.deleted_at IS NULL AND s.date < ?${and}) v`, today, ...params);
  for (const s of past) {
    const link = { kind: 'slot' as const, id: s.id, sessionId: s.session_id, slotId: s.id };
    if (s.marked && !s.closed) findings.push({ code: 'slot-not-countersigned', severity: 'error', date: s.date, link, message: `Créneau du ${s.date} ${s.start_time}–${s.end_time} : émargé mais sans la signature du formateur (non clos).` });
    else if (!s.marked && s.expected > 0) findings.push({ code: 'slot-without-sheet', severity: 'warning', date: s.date, link, message: `Créneau du ${s.date} ${s.start_time}–${s.end_time} passé sans feuille d'émargement (${s.expected} stagiaire(s) attendu(s)).` });
  }

  return findings.sort((a, b) => cmp(a.date ?? '', b.date ?? '') || cmp(a.code, b.code) || cmp(a.message, b.message) || cmp(a.link.id, b.link.id));
}
