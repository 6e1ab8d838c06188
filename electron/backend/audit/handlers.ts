import type { z } from 'zod';
import type { accountsContract } from '../../../shared/contract/accounts';
import { addDays, localDateTime, zonedToInstant } from '../../../shared/domain/dates';
import { toCsv } from '../../../shared/format/csv';
import type { auditFilter } from '../../../shared/schemas/accounts';
import { AUDIT_ACTION_LABELS, AUDIT_OUTCOME_LABELS, type AuditAction, type AuditEvent, type AuditOutcome } from '../../../shared/schemas/audit';
import { inTransaction, type Ctx } from '../context';
import { withRaw } from '../db/raw';
import type { HandlersOf } from '../handler';
import { organisationTimeZone } from '../organisation/organisation';
import { recordAudit } from './audit';

type Filter = z.output<typeof auditFilter>;
interface EventRow {
  id: string; at: string; user_id: string | null; user_name: string | null; login: string | null; action: AuditAction; outcome: AuditOutcome;
  subject_type: string | null; subject_id: string | null; summary: string | null; method: string | null;
}

/** The log's events matching the filter, newest first; `from`/`to` are days in the organisation's time zone. */
async function listEvents(ctx: Ctx, filter: Filter, limit: number): Promise<{ events: AuditEvent[]; more: boolean }> {
  const zone = await organisationTimeZone(ctx);
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.from) {
    where.push('e.at >= ?');
    params.push(zonedToInstant(filter.from, '00:00', zone).toISOString());
  }
  if (filter.to) {
    where.push('e.at < ?');
    params.push(zonedToInstant(addDays(filter.to, 1), '00:00', zone).toISOString());
  }
  if (filter.before && filter.beforeId) {
    // Several events can share an instant: the page goes on after the last one shown, in the list's order.
    where.push('(e.at < ? OR (e.at = ? AND e.id < ?))');
    params.push(filter.before, filter.before, filter.beforeId);
  } else if (filter.before) {
    where.push('e.at < ?');
    params.push(filter.before);
  }
  if (filter.userId) {
    where.push('e.user_id = ?');
    params.push(filter.userId);
  }
  if (filter.action) {
    where.push('e.action = ?');
    params.push(filter.action);
  }
  if (filter.outcome) {
    where.push('e.outcome = ?');
    params.push(filter.outcome);
  }
  const rows = await withRaw(ctx.db, (raw) =>
    raw.all<EventRow>(
      `SELECT e.*, u.name AS user_name FROM audit_events e LEFT JOIN users u ON u.id = e.user_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.at DESC, e.id DESC LIMIT ?`,
      ...params,
      limit + 1,
    ),
  );
  const events = rows.slice(0, limit).map((r) => ({
    id: r.id, at: r.at, userId: r.user_id, userName: r.user_name, login: r.login, action: r.action, outcome: r.outcome,
    subjectType: r.subject_type, subjectId: r.subject_id, summary: r.summary, method: r.method,
  }));
  return { events, more: rows.length > limit };
}

/** Up to this many events in one CSV: a year of a busy centre. */
const CSV_MAX = 100_000;

export const auditHandlers: Pick<HandlersOf<typeof accountsContract>, 'audit.list' | 'audit.exportCsv'> = {
  'audit.list': (ctx, filter) => listEvents(ctx, filter, filter.limit),
  'audit.exportCsv': async (ctx, filter) => {
    const { events } = await listEvents(ctx, filter, CSV_MAX);
    const zone = await organisationTimeZone(ctx);
    const rows = events.map((e) => {
      const local = localDateTime(e.at, zone);
      return [`${local.date.split('-').reverse().join('/')} ${local.time}`, e.userName ?? '', e.login ?? '', AUDIT_ACTION_LABELS[e.action], AUDIT_OUTCOME_LABELS[e.outcome], e.summary ?? '', e.subjectType ?? '', e.subjectId ?? '', e.method ?? ''];
    });
    const csv = toCsv(['Date et heure', 'Compte', 'Identifiant saisi', 'Action', 'Résultat', 'Détail', 'Objet', 'Identifiant de l’objet', 'Méthode'], rows);
    const day = localDateTime(ctx.now(), zone).date;
    await inTransaction(ctx, (tx) => recordAudit(tx, 'data.export', { method: 'audit.exportCsv', summary: `Journal d'audit exporté en CSV (${events.length} événements).` }));
    return { fileName: `journal-audit-${day}.csv`, csv, count: events.length };
  },
};
