import { AppError } from '../../../shared/errors';
import { localDateTime } from '../../../shared/domain/dates';
import { attendedMinutes, currentMarks } from '../../../shared/domain/realised-hours';
import type { ComputedLine } from '../../../shared/domain/claims/model';
import { HOURLY_UNITS, type BillingUnit } from '../../../shared/schemas/funding';
import { queryHours } from '../attendance/hours';
import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { MARKS_WITH_KIND_SQL, organisationHeader, printedMark, statusText, type MarkRowWithKind, type OrganisationHeader } from './common-model';
import type { ContentPart } from './content-hash';
import { monthLabel } from './format';

/**
 * The content models of the documents made from a claim (issue #10): the certificat de réalisation of each
 * trainee, the invoice and the funder's attendance statement of the period. Amounts, quantities and the
 * certificat's hours come from the claim's **frozen** lines (claim_lines), never recomputed; the statement's
 * half-days are read through the realised-hours engine's own rules (the marks in force, `attendedMinutes`)
 * and checked against its total, so no document can disagree with the claim or with the attendance.
 * Verification (verify.ts) recomputes the same models from the claim id: the claim never changes once
 * validated, so they match as long as the names and the evidence they print are unchanged.
 */

/** A frozen claim line as the documents print it (the engine's line as stored: unit and cost type as text). */
export interface ClaimDocLine extends Pick<ComputedLine, 'enrolmentId' | 'sessionId' | 'label' | 'quantityE4' | 'unitPriceCents' | 'amountCents' | 'minutes' | 'realisedMinutes'> {
  id: string;
  position: number;
  unit: string;
  costType: string;
}

export interface ClaimHeader {
  claim: {
    id: string; kind: 'claim' | 'regularisation'; periodFrom: string; periodTo: string; totalCents: number; purchaseOrder: string | null;
    invoiceNumber: string | null; frozenSha256: string | null;
    /** The local date the claim was validated (the issue date when rendered during the validation). */
    validatedOn: string;
  };
  organisation: OrganisationHeader;
  funder: { code: string; name: string; siret: string | null; address: string | null; postcode: string | null; city: string | null };
  programme: { code: string; name: string } | null;
}

interface ClaimRow {
  id: string; funder_code: string; programme_id: string | null; purchase_order: string | null; period_from: string; period_to: string;
  kind: 'claim' | 'regularisation'; status: string; total_cents: number; validated_at: string | null; frozen_sha256: string | null; invoice_number: string | null;
}

function readClaim(raw: Raw, claimId: string): ClaimRow {
  const c = raw.get<ClaimRow>(`SELECT id, funder_code, programme_id, purchase_order, period_from, period_to, kind, status, total_cents, validated_at, frozen_sha256, invoice_number
    FROM claims WHERE id = ?`, claimId);
  if (!c) throw new AppError('not_found', 'Demande de paiement introuvable.', [{ path: 'claimId', message: 'Demande inconnue.' }]);
  return c;
}

export function readLines(raw: Raw, claimId: string): ClaimDocLine[] {
  return raw.all<{
    id: string; position: number; enrolment_id: string | null; session_id: string | null; unit: string; cost_type: string; label: string; quantity_e4: number;
    unit_price_cents: number; amount_cents: number; minutes: number | null; realised_minutes: number | null;
  }>(`SELECT id, position, enrolment_id, session_id, unit, cost_type, label, quantity_e4, unit_price_cents, amount_cents, minutes, realised_minutes
    FROM claim_lines WHERE claim_id = ? ORDER BY position`, claimId).map((l) => ({
    id: l.id, position: l.position, enrolmentId: l.enrolment_id, sessionId: l.session_id, unit: l.unit, costType: l.cost_type, label: l.label,
    quantityE4: l.quantity_e4, unitPriceCents: l.unit_price_cents, amountCents: l.amount_cents, minutes: l.minutes, realisedMinutes: l.realised_minutes,
  }));
}

/** The claim, its funder and programme, the organisation: what every document of the claim prints at its head. */
export async function claimHeader(ctx: Ctx, claimId: string, asOf: Date): Promise<ClaimHeader & { lines: ClaimDocLine[] }> {
  const organisation = await organisationHeader(ctx);
  return withRaw(ctx.db, (raw) => {
    const c = readClaim(raw, claimId);
    const f = raw.get<ClaimHeader['funder']>('SELECT code, name, siret, address, postcode, city FROM funders WHERE code = ?', c.funder_code)
      ?? { code: c.funder_code, name: c.funder_code, siret: null, address: null, postcode: null, city: null };
    const programme = c.programme_id ? raw.get<{ code: string; name: string }>('SELECT code, name FROM programmes WHERE id = ?', c.programme_id) ?? null : null;
    return {
      claim: {
        id: c.id, kind: c.kind, periodFrom: c.period_from, periodTo: c.period_to, totalCents: c.total_cents, purchaseOrder: c.purchase_order,
        invoiceNumber: c.invoice_number, frozenSha256: c.frozen_sha256,
        validatedOn: localDateTime(c.validated_at ?? asOf.toISOString(), organisation.timeZone).date,
      },
      organisation, funder: f, programme, lines: readLines(raw, claimId),
    };
  });
}

/** The claim's status, for the bundle (a draft is refused). */
export async function claimStatus(ctx: Ctx, claimId: string): Promise<ClaimRow> {
  return withRaw(ctx.db, (raw) => readClaim(raw, claimId));
}

// ---------------------------------------------------------------------------------------------------------
// The half-days of one enrolment over a period, as the engine counts them.

export interface PeriodHalfDay {
  slotId: string;
  date: string;
  halfDay: 'am' | 'pm';
  start: string;
  end: string;
  modality: string;
  slotMinutes: number;
  category: string;
  status: string;
  attended: number;
}

/**
 * The marked half-days of an enrolment between two dates (marks in force only), with the minutes the engine
 * counts for each; refuses when their sum differs from the engine's total (a bug: never print a statement
 * that contradicts the claim built on the engine).
 */
export async function periodHalfDays(ctx: Ctx, enrolmentId: string, from: string, to: string): Promise<PeriodHalfDay[]> {
  const rows = await withRaw(ctx.db, (raw) => {
    const marks = raw.all<MarkRowWithKind & { date: string; half_day: 'am' | 'pm'; start_time: string; end_time: string; modality: string; slot_minutes: number }>(
      `${MARKS_WITH_KIND_SQL.replace('FROM attendance_marks m', ', s.date, s.half_day, s.start_time, s.end_time, s.modality, s.minutes AS slot_minutes FROM attendance_marks m')}
      JOIN slots s ON s.id = m.slot_id WHERE m.enrolment_id = ? AND s.date BETWEEN ? AND ? ORDER BY m.created_at, m.id`, enrolmentId, from, to);
    const heads = currentMarks(marks.map((r) => ({
      id: r.id, slotId: r.slot_id, enrolmentId: r.enrolment_id, supersedesId: r.supersedes_id, category: r.category, lateMinutes: r.late_minutes,
      earlyMinutes: r.early_minutes, remoteMinutes: r.remote_minutes, row: r,
    })));
    return heads.map(({ row: r }) => ({
      slotId: r.slot_id, date: r.date, halfDay: r.half_day, start: r.start_time, end: r.end_time, modality: r.modality, slotMinutes: r.slot_minutes,
      category: r.category, status: statusText(printedMark(r)),
      attended: attendedMinutes(r.slot_minutes, { category: r.category, lateMinutes: r.late_minutes, earlyMinutes: r.early_minutes, remoteMinutes: r.remote_minutes ?? r.connected }),
    })).sort((a, b) => `${a.date}${a.start}${a.halfDay}`.localeCompare(`${b.date}${b.start}${b.halfDay}`));
  });
  const engine = (await queryHours(ctx, { enrolmentId, from, to, groupBy: [] }))[0]?.attended ?? 0;
  const sum = rows.reduce((n, r) => n + r.attended, 0);
  if (sum !== engine) {
    throw new AppError('internal', `État de présence incohérent : ${sum} min demi-journée par demi-journée contre ${engine} min selon le moteur des heures réalisées. Document non émis.`);
  }
  return rows;
}

interface EnrolmentInfo {
  id: string; lastName: string; firstName: string; fileNumber: string | null; sessionLabel: string; actionTitle: string; nature: string;
  plannedStart: string; plannedEnd: string; enteredOn: string | null; exitedOn: string | null;
  employer: { name: string; siret: string; city: string | null } | null;
}

function enrolmentInfo(raw: Raw, enrolmentId: string): EnrolmentInfo {
  const e = raw.get<{
    id: string; last_name: string; first_name: string; label: string; title: string; nature: string; planned_start: string; planned_end: string;
    company: string | null; company_siret: string | null; company_city: string | null; entered_on: string | null; exited_on: string | null; file_number: string | null;
  }>(`SELECT e.id, t.last_name, t.first_name, x.label, a.title, a.nature, e.planned_start, e.planned_end,
      coalesce(c.name, k.name) AS company, coalesce(c.siret, k.siret) AS company_siret, coalesce(c.city, k.city) AS company_city,
      (SELECT min(s.effective_date) FROM enrolment_statuses s WHERE s.enrolment_id = e.id AND s.status = 'entered') AS entered_on,
      (SELECT min(s.effective_date) FROM enrolment_statuses s WHERE s.enrolment_id = e.id AND s.status = 'exited') AS exited_on,
      (SELECT f.file_number FROM fundings f WHERE f.enrolment_id = e.id AND f.deleted_at IS NULL AND f.file_number IS NOT NULL ORDER BY f.position LIMIT 1) AS file_number
    FROM enrolments e JOIN trainees t ON t.id = e.trainee_id JOIN sessions x ON x.id = e.session_id JOIN actions a ON a.id = x.action_id
    LEFT JOIN companies c ON c.id = e.company_id
    LEFT JOIN companies k ON k.id = (SELECT ac.employer_id FROM apprenticeship_contracts ac WHERE ac.enrolment_id = e.id AND ac.deleted_at IS NULL ORDER BY ac.start_date DESC LIMIT 1)
    WHERE e.id = ?`, enrolmentId);
  if (!e) throw new AppError('not_found', 'Inscription introuvable.', [{ path: 'enrolmentId', message: 'Inscription inconnue.' }]);
  return {
    id: e.id, lastName: e.last_name, firstName: e.first_name, fileNumber: e.file_number, sessionLabel: e.label, actionTitle: e.title, nature: e.nature,
    plannedStart: e.planned_start, plannedEnd: e.planned_end, enteredOn: e.entered_on, exitedOn: e.exited_on,
    employer: e.company && e.company_siret ? { name: e.company, siret: e.company_siret, city: e.company_city } : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Certificat de réalisation.

export interface DistanceActivity {
  /** « novembre 2026 » */
  month: string;
  halfDays: number;
  minutes: number;
}

export interface CertificatModel extends ClaimHeader {
  kind: 'certificat-realisation';
  /** Final when the trainee left the action within the claim's period; intermediate otherwise. */
  final: boolean;
  enrolmentId: string;
  trainee: { lastName: string; firstName: string };
  employer: { name: string; siret: string; city: string | null } | null;
  action: { title: string; nature: string; session: string };
  fileNumber: string | null;
  from: string;
  to: string;
  /** The hours attested: the realised minutes frozen on the claim's lines of this enrolment. */
  minutes: number;
  /** Distance learning: the sessions at distance done, by month, with their (connection) time. Empty when none. */
  distance: DistanceActivity[];
}

/** The enrolments a claim names on its lines, in line order. */
export function claimEnrolments(lines: readonly ClaimDocLine[]): string[] {
  return [...new Set(lines.map((l) => l.enrolmentId).filter((id): id is string => id !== null))];
}

/**
 * The realised minutes the claim froze for one enrolment: the engine's count for the period before any split
 * between funders (the same on each of its lines), else the billed minutes; null when no line counts time.
 */
export function frozenMinutes(lines: readonly ClaimDocLine[], enrolmentId: string): number | null {
  let best: number | null = null;
  for (const l of lines) {
    if (l.enrolmentId !== enrolmentId) continue;
    const m = l.realisedMinutes ?? l.minutes;
    if (m !== null && (best === null || m > best)) best = m;
  }
  return best;
}

export async function certificatModel(ctx: Ctx, claimId: string, enrolmentId: string, asOf: Date): Promise<CertificatModel> {
  const h = await claimHeader(ctx, claimId, asOf);
  if (!h.lines.some((l) => l.enrolmentId === enrolmentId)) {
    throw new AppError('not_found', "Cette inscription n'a aucune ligne dans la demande de paiement : pas de certificat de réalisation.", [{ path: 'enrolmentId', message: 'Inscription absente de la demande.' }]);
  }
  const e = await withRaw(ctx.db, (raw) => enrolmentInfo(raw, enrolmentId));
  const { periodFrom, periodTo } = h.claim;
  const halfDays = await periodHalfDays(ctx, enrolmentId, periodFrom, periodTo);
  const attendedDates = halfDays.filter((d) => d.attended > 0).map((d) => d.date);
  // From–to: the period, narrowed to the trainee's presence in the action.
  const start = [periodFrom, e.enteredOn ?? e.plannedStart, attendedDates[0] ?? periodFrom].sort().at(-1)!;
  const end = [periodTo, e.exitedOn ?? e.plannedEnd, attendedDates.at(-1) ?? periodTo].sort()[0]!;
  const minutes = frozenMinutes(h.lines, enrolmentId) ?? halfDays.reduce((n, d) => n + d.attended, 0);

  const byMonth = new Map<string, DistanceActivity>();
  for (const d of halfDays) {
    if (d.category !== 'remote' || d.attended === 0) continue;
    const key = d.date.slice(0, 7);
    const a = byMonth.get(key) ?? { month: monthLabel(key), halfDays: 0, minutes: 0 };
    a.halfDays++;
    a.minutes += d.attended;
    byMonth.set(key, a);
  }
  const { lines: _lines, ...header } = h;
  return {
    ...header,
    kind: 'certificat-realisation',
    final: e.exitedOn !== null && e.exitedOn <= periodTo,
    enrolmentId,
    trainee: { lastName: e.lastName, firstName: e.firstName },
    employer: e.employer,
    action: { title: e.actionTitle, nature: e.nature, session: e.sessionLabel },
    fileNumber: e.fileNumber,
    from: start <= end ? start : periodFrom,
    to: start <= end ? end : periodTo,
    minutes,
    distance: [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, a]) => a),
  };
}

export function certificatParts(m: CertificatModel): ContentPart[] {
  const { minutes, distance, kind: _kind, ...header } = m;
  return [{ key: 'header', data: header }, { key: 'totals', data: { minutes, distance } }];
}

// ---------------------------------------------------------------------------------------------------------
// Invoice.

export interface InvoiceModel extends ClaimHeader {
  kind: 'invoice';
  lines: ClaimDocLine[];
  totalHtCents: number;
  vatMention: string;
  totalTtcCents: number;
}

export async function invoiceModel(ctx: Ctx, claimId: string, asOf: Date): Promise<InvoiceModel> {
  const h = await claimHeader(ctx, claimId, asOf);
  const vatMention = await withRaw(ctx.db, (raw) => raw.get<{ vat_mention: string }>('SELECT vat_mention FROM invoice_sequence WHERE id = 1')?.vat_mention ?? '');
  const total = h.lines.reduce((n, l) => n + l.amountCents, 0);
  if (total !== h.claim.totalCents) {
    throw new AppError('internal', `Facture incohérente : ses lignes font ${total} centimes contre ${h.claim.totalCents} au total de la demande. Document non émis.`);
  }
  // Training is VAT-exempt (art. 261-4-4° a CGI): the configured mention says so, and TTC = HT.
  return { ...h, kind: 'invoice', totalHtCents: total, vatMention, totalTtcCents: total };
}

export function invoiceParts(m: InvoiceModel): ContentPart[] {
  const { lines, totalHtCents, totalTtcCents, vatMention, kind: _kind, ...header } = m;
  return [
    { key: 'header', data: header },
    ...lines.map((l) => ({ key: `line:${l.id}`, data: l })),
    { key: 'totals', data: { totalHtCents, totalTtcCents, vatMention } },
  ];
}

/** What one unit of a line is, after its quantity: « h », « j », or nothing (a count). */
export function unitSuffix(unit: string): string {
  if ((HOURLY_UNITS as readonly string[]).includes(unit)) return 'h';
  if (unit === 'day') return 'j';
  return '';
}

const UNIT_LABELS: Record<BillingUnit, string> = {
  'trainee-hour': 'heure stagiaire', 'group-hour': 'heure groupe', 'learner-lump-sum': 'forfait par stagiaire', 'session-lump-sum': 'forfait par session',
  'pathway-lump-sum': 'forfait parcours', contract: 'coût contrat', 'contract-majoration': 'majoration', day: 'journée', 'cost-based': 'compensation (SIEG)',
  'grant-percent': 'subvention',
};

export function unitLabel(unit: string): string {
  return UNIT_LABELS[unit as BillingUnit] ?? unit;
}

// ---------------------------------------------------------------------------------------------------------
// Funder statement (état de présence de la période).

export interface StatementTrainee {
  enrolmentId: string;
  lastName: string;
  firstName: string;
  fileNumber: string | null;
  session: string;
  halfDays: PeriodHalfDay[];
  attended: number;
}

export interface FunderStatementModel extends ClaimHeader {
  kind: 'funder-statement';
  trainees: StatementTrainee[];
  total: { trainees: number; halfDays: number; attended: number };
}

export async function funderStatementModel(ctx: Ctx, claimId: string, asOf: Date): Promise<FunderStatementModel> {
  const h = await claimHeader(ctx, claimId, asOf);
  const { periodFrom, periodTo } = h.claim;
  const infos = await withRaw(ctx.db, (raw) => {
    const ids = claimEnrolments(h.lines);
    // Lines of a whole session (group hours, session lump sums): its trainees marked in the period.
    for (const sessionId of new Set(h.lines.filter((l) => !l.enrolmentId && l.sessionId).map((l) => l.sessionId!))) {
      for (const r of raw.all<{ id: string }>(`SELECT DISTINCT m.enrolment_id AS id FROM attendance_marks m JOIN slots s ON s.id = m.slot_id
          WHERE s.session_id = ? AND s.date BETWEEN ? AND ?`, sessionId, periodFrom, periodTo)) if (!ids.includes(r.id)) ids.push(r.id);
    }
    return ids.map((id) => enrolmentInfo(raw, id));
  });
  const trainees: StatementTrainee[] = [];
  for (const e of infos) {
    const halfDays = await periodHalfDays(ctx, e.id, periodFrom, periodTo);
    trainees.push({
      enrolmentId: e.id, lastName: e.lastName, firstName: e.firstName, fileNumber: e.fileNumber, session: e.sessionLabel, halfDays,
      attended: halfDays.reduce((n, d) => n + d.attended, 0),
    });
  }
  trainees.sort((a, b) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`, 'fr') || a.enrolmentId.localeCompare(b.enrolmentId));
  const { lines: _lines, ...header } = h;
  return {
    ...header, kind: 'funder-statement', trainees,
    total: { trainees: trainees.length, halfDays: trainees.reduce((n, t) => n + t.halfDays.length, 0), attended: trainees.reduce((n, t) => n + t.attended, 0) },
  };
}

export function funderStatementParts(m: FunderStatementModel): ContentPart[] {
  const { trainees, total, kind: _kind, ...header } = m;
  return [{ key: 'header', data: header }, ...trainees.map((t) => ({ key: `row:${t.enrolmentId}`, data: t })), { key: 'totals', data: total }];
}
