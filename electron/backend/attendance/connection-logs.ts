import { sql } from 'kysely';
import Papa from 'papaparse';
import type { z } from 'zod';
import { AppError, type FieldIssue } from '../../../shared/errors';
import { localDateTime, timeToMinutes, zonedToInstant } from '../../../shared/domain/dates';
import type { importLogInput } from '../../../shared/schemas/connection-logs';
import { inTransaction, type Ctx } from '../context';
import { withRaw } from '../db/raw';
import { sha256 } from '../evidence/hash';
import { writeEvidenceIn, type EvidenceEntry } from '../evidence/writer';
import { thisDevice } from '../evidence/devices';
import { organisationTimeZone } from '../organisation/organisation';

/** Accepted column names (French first) of an LMS / virtual-class connection log. */
const COLUMNS = {
  login: ['identifiant', 'login', 'email', 'e-mail', 'utilisateur', 'user'],
  start: ['debut', 'début', 'connexion', 'start', 'login_time', 'started_at'],
  end: ['fin', 'deconnexion', 'déconnexion', 'end', 'logout_time', 'ended_at'],
} as const;

/** An ISO 8601 instant, or a wall-clock time `AAAA-MM-JJ HH:MM` / `JJ/MM/AAAA HH:MM` of the training body's time zone. */
function parseMoment(value: string, timeZone: string): Date | null {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?$/.exec(v);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}:\d{2})(?::\d{2})?$/.exec(v);
  const [date, time] = iso ? [iso[1]!, iso[2]!] : fr ? [`${fr[3]}-${fr[2]}-${fr[1]}`, fr[4]!] : [null, null];
  if (!date || !time || Number.isNaN(Date.parse(`${date}T${time}:00Z`))) return null;
  return zonedToInstant(date, time, timeZone);
}

interface Candidate { enrolmentId: string; slotId: string; date: string; start: string; end: string }

/**
 * Imports a connection log (CSV) whole or not at all: rows are matched to trainees (e-mail, France
 * Travail id or "Nom Prénom") and to the slot they overlap most. The log and its rows are immutable
 * evidence in the ledger; the same file twice is refused.
 */
export async function importConnectionLog(ctx: Ctx, data: z.output<typeof importLogInput>) {
  const parsed = Papa.parse<Record<string, string>>(data.csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim().toLowerCase() });
  const headers = parsed.meta.fields ?? [];
  const column = (kind: keyof typeof COLUMNS) => headers.find((h) => (COLUMNS[kind] as readonly string[]).includes(h));
  const cols = { login: column('login'), start: column('start'), end: column('end') };
  const missing = (Object.keys(cols) as (keyof typeof cols)[]).filter((k) => !cols[k]);
  if (missing.length) {
    throw new AppError('validation', `Journal refusé : colonne(s) manquante(s) ligne 1 — ${missing.map((k) => `${k} (${COLUMNS[k].slice(0, 3).join(' / ')})`).join(', ')}.`, missing.map((k) => ({ path: `ligne 1.${k}`, message: 'Colonne manquante.' })));
  }
  const timeZone = await organisationTimeZone(ctx);
  const issues: FieldIssue[] = [];
  for (const e of parsed.errors.slice(0, 10)) issues.push({ path: `ligne ${(e.row ?? 0) + 2}`, message: `ligne ${(e.row ?? 0) + 2} : CSV invalide (${e.message}).` });
  const rows: { line: number; login: string; start: Date; end: Date }[] = [];
  parsed.data.forEach((r, i) => {
    const line = i + 2;
    const login = (r[cols.login!] ?? '').trim();
    const start = parseMoment(r[cols.start!] ?? '', timeZone);
    const end = parseMoment(r[cols.end!] ?? '', timeZone);
    if (!login) issues.push({ path: `ligne ${line}.${cols.login}`, message: `ligne ${line}, ${cols.login} : identifiant vide.` });
    if (!start) issues.push({ path: `ligne ${line}.${cols.start}`, message: `ligne ${line}, ${cols.start} : date-heure invalide « ${r[cols.start!] ?? ''} » (attendu AAAA-MM-JJ HH:MM ou ISO 8601).` });
    if (!end) issues.push({ path: `ligne ${line}.${cols.end}`, message: `ligne ${line}, ${cols.end} : date-heure invalide « ${r[cols.end!] ?? ''} ».` });
    if (start && end && end < start) issues.push({ path: `ligne ${line}.${cols.end}`, message: `ligne ${line}, ${cols.end} : la fin précède le début.` });
    if (start && end && end.getTime() - start.getTime() > 24 * 3600_000) issues.push({ path: `ligne ${line}.${cols.end}`, message: `ligne ${line}, ${cols.end} : connexion de plus de 24 h.` });
    if (login && start && end) rows.push({ line, login, start, end });
  });
  if (issues.length) throw new AppError('validation', `Journal refusé, rien n'a été importé — ${issues[0]!.message}`, issues);
  if (rows.length === 0) throw new AppError('validation', 'Journal refusé : aucune ligne de connexion.');

  return inTransaction(ctx, async (tx) => withRaw(tx.db, (raw) => {
    const fileHash = sha256(data.csv);
    if (raw.get('SELECT 1 FROM connection_logs WHERE sha256 = ?', fileHash)) {
      throw new AppError('conflict', 'Ce journal a déjà été importé (même contenu) : rien de nouveau.', [{ path: 'csv', message: 'Doublon.' }]);
    }
    const trainees = raw.all<{ id: string; email: string; ft: string; name: string; name2: string }>("SELECT id, lower(coalesce(email, '')) AS email, lower(coalesce(france_travail_id, '')) AS ft, lower(last_name || ' ' || first_name) AS name, lower(first_name || ' ' || last_name) AS name2 FROM trainees");
    const byKey = new Map<string, string>();
    for (const t of trainees) for (const k of [t.email, t.ft, t.name, t.name2]) if (k) byKey.set(k, t.id);
    const slotsFor = raw.prepare(`SELECT e.id AS enrolmentId, s.id AS slotId, s.date, s.start_time AS start, s.end_time AS end
      FROM enrolments e JOIN slots s ON s.session_id = e.session_id WHERE e.trainee_id = ? AND s.date = ? AND s.cancelled = 0`);
    const at = tx.now().toISOString();
    const log = { id: tx.newId(), file_name: data.fileName, sha256: fileHash, source: data.source, row_count: rows.length, created_at: at, created_by: tx.user.id, device_id: thisDevice(raw, at, () => tx.newId()) };
    const evidence: EvidenceEntry[] = [{ type: 'connection_log', row: log }];
    let matched = 0;
    const unmatched: string[] = [];
    for (const r of rows) {
      const traineeId = byKey.get(r.login.toLowerCase());
      const local = localDateTime(r.start, timeZone);
      const localEnd = localDateTime(r.end, timeZone);
      let best: Candidate | undefined;
      let bestOverlap = 0;
      if (traineeId) {
        for (const c of slotsFor.all(traineeId, local.date) as Candidate[]) {
          const endMin = localEnd.date === local.date ? timeToMinutes(localEnd.time) : 24 * 60;
          const overlap = Math.min(endMin, timeToMinutes(c.end)) - Math.max(timeToMinutes(local.time), timeToMinutes(c.start));
          if (overlap > bestOverlap) {
            bestOverlap = overlap;
            best = c;
          }
        }
      }
      if (best) matched++;
      else if (unmatched.length < 20) unmatched.push(`ligne ${r.line} (${r.login})`);
      const row = {
        id: tx.newId(), log_id: log.id, line: r.line, login: r.login, enrolment_id: best?.enrolmentId ?? null, slot_id: best?.slotId ?? null,
        started_at: r.start.toISOString(), ended_at: r.end.toISOString(), minutes: Math.round((r.end.getTime() - r.start.getTime()) / 60_000),
      };
      evidence.push({ type: 'connection_log_row', row });
    }
    writeEvidenceIn(raw, evidence, { at });
    return { logId: log.id, rows: rows.length, matched, unmatched };
  }));
}

/** Connection minutes per trainee of a session, from imported logs. */
export async function connectionTotals(ctx: Ctx, sessionId: string) {
  const rows = await ctx.db
    .selectFrom('enrolments as e')
    .innerJoin('trainees as t', 't.id', 'e.traineeId')
    .leftJoin('connectionLogRows as c', 'c.enrolmentId', 'e.id')
    .select((eb) => [
      't.id as traineeId',
      sql<string>`t.last_name || ' ' || t.first_name`.as('traineeName'),
      eb.fn.count<number>('c.id').as('connections'),
      sql<number>`coalesce(sum(c.minutes), 0)`.as('minutes'),
    ])
    .where('e.sessionId', '=', sessionId)
    .groupBy('t.id')
    .orderBy('t.lastName')
    .orderBy('t.firstName')
    .execute();
  return rows;
}
