import { currentStatus, type EnrolmentStatus } from '../../../shared/domain/enrolment-status';
import { localDateTime } from '../../../shared/domain/dates';
import type { EnrolmentRetentionFacts } from '../../../shared/domain/retention';
import type { Raw } from '../db/raw';

/**
 * What the retention rules (shared/domain/retention.ts) need to know of a trainee, read in one go on a held
 * connection: their enrolments (archived ones too: evidence may hang on them), each one's statuses, last activity,
 * the claims covering it (its own lines, or its session's lines for the whole group), their payments, the
 * certificates issued, and whether the EU co-funds it (`programmes.eu_cofunded`, schema 18).
 */

export interface EnrolmentRef {
  id: string;
  sessionId: string;
  sessionLabel: string;
  actionTitle: string;
  plannedStart: string;
  plannedEnd: string;
}

/** The trainee's enrolments, oldest first. */
export function enrolmentsOf(raw: Raw, traineeId: string): EnrolmentRef[] {
  return raw.all<EnrolmentRef>(
    `SELECT e.id, e.session_id AS sessionId, s.label AS sessionLabel, a.title AS actionTitle, e.planned_start AS plannedStart, e.planned_end AS plannedEnd
     FROM enrolments e JOIN sessions s ON s.id = e.session_id JOIN actions a ON a.id = s.action_id
     WHERE e.trainee_id = ? ORDER BY e.planned_start, e.id`,
    traineeId,
  );
}

/** Claims whose lines cover an enrolment: lines of the enrolment, or of its whole session. */
export const CLAIMS_COVERING_SQL = `SELECT DISTINCT c.id, c.status FROM claims c JOIN claim_lines l ON l.claim_id = c.id
  WHERE l.enrolment_id = ? OR (l.enrolment_id IS NULL AND l.session_id = ?)`;

const UNPAID = new Set(['validated', 'submitted', 'accepted', 'partly-accepted']);

export function retentionFacts(raw: Raw, traineeId: string, timeZone: string): EnrolmentRetentionFacts[] {
  const statuses = raw.prepare('SELECT status, effective_date AS effectiveDate FROM enrolment_statuses WHERE enrolment_id = ? ORDER BY effective_date, id');
  const funders = raw.prepare(
    `SELECT DISTINCT coalesce(fu.name, f.funder_code) AS name FROM fundings f LEFT JOIN funders fu ON fu.code = f.funder_code
     WHERE f.deleted_at IS NULL AND (f.enrolment_id = ? OR f.session_id = ?) ORDER BY f.position, name`,
  );
  const lastActivity = raw.prepare(
    `SELECT max(d) AS d FROM (
       SELECT s.date AS d FROM attendance_marks m JOIN slots s ON s.id = m.slot_id WHERE m.enrolment_id = @e
       UNION ALL SELECT date FROM afest_sequences WHERE enrolment_id = @e
       UNION ALL SELECT date FROM afest_evaluations WHERE enrolment_id = @e
       UNION ALL SELECT s.date FROM connection_log_rows r JOIN slots s ON s.id = r.slot_id WHERE r.enrolment_id = @e)`,
  );
  const claims = raw.prepare(CLAIMS_COVERING_SQL);
  const payments = raw.prepare(`SELECT max(at) AS at FROM claim_events WHERE status = 'paid' AND claim_id IN (SELECT value FROM json_each(?))`);
  const certificates = raw.prepare(`SELECT count(*) AS n FROM claim_documents WHERE kind = 'certificat' AND enrolment_id = ?`);
  const eu = raw.prepare(
    `SELECT EXISTS (SELECT 1 FROM fundings f JOIN programmes p ON p.id = f.programme_id WHERE p.eu_cofunded = 1 AND f.deleted_at IS NULL AND (f.enrolment_id = @e OR f.session_id = @s))
         OR EXISTS (SELECT 1 FROM claim_lines l JOIN programmes p ON p.id = l.programme_id WHERE p.eu_cofunded = 1 AND (l.enrolment_id = @e OR (l.enrolment_id IS NULL AND l.session_id = @s))) AS eu`,
  );
  return enrolmentsOf(raw, traineeId).map((e) => {
    const history = statuses.all(e.id) as { status: EnrolmentStatus; effectiveDate: string }[];
    const status = currentStatus(history);
    const exit = status === 'exited' ? history.filter((h) => h.status === 'exited').at(-1)!.effectiveDate : null;
    const covering = claims.all(e.id, e.sessionId) as { id: string; status: string }[];
    const paidAt = (payments.get(JSON.stringify(covering.map((c) => c.id))) as { at: string | null }).at;
    const names = (funders.all(e.id, e.sessionId) as { name: string }[]).map((f) => f.name);
    return {
      enrolmentId: e.id,
      label: `${e.sessionLabel}${names.length ? ` (${names.join(', ')})` : ''}`,
      status,
      plannedEnd: e.plannedEnd,
      exitDate: exit,
      lastActivity: (lastActivity.get({ e: e.id }) as { d: string | null }).d,
      lastPayment: paidAt ? localDateTime(paidAt, timeZone).date : null,
      unpaidClaims: covering.filter((c) => UNPAID.has(c.status)).length,
      certificates: (certificates.get(e.id) as { n: number }).n,
      euCofunded: (eu.get({ e: e.id, s: e.sessionId }) as { eu: number }).eu === 1,
    };
  });
}
