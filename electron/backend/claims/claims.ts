import type { z } from 'zod';
import type { advanceClaimInput, ClaimPage, claimRequestInput, claimsListInput } from '../../../shared/contract/claims';
import { computeClaim } from '../../../shared/domain/claims/compute';
import { isoToDisplay } from '../../../shared/domain/date-text';
import type { ClaimComputation, ClaimInput, ClaimIssue, ClaimRequest, ComputedLine } from '../../../shared/domain/claims/model';
import { currentMarks } from '../../../shared/domain/realised-hours';
import { AppError } from '../../../shared/errors';
import { formatCents } from '../../../shared/format/money';
import type { ClaimStatus } from '../../../shared/schemas/funding';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';
import { rawAll, rawGet } from '../db/raw';
import type { SqlRow } from '../db/schema';
import { renderClaimDocuments } from '../documents/claim-documents';
import { syncOf } from '../sync/registry';
import { writeEvidence } from '../evidence/writer';
import { todayOf } from '../organisation/organisation';
import { FROZEN_LINES_SQL, frozenClaimSha256, type FrozenClaimRow } from './frozen';
import { nextInvoiceNumber } from './invoice-number';
import { loadClaimInput, type LoadOptions } from './load';
import { preflight } from './preflight';
import { localise } from '../../../shared/messages';

/**
 * Claims (issue #10): build a draft from the evidence (engine + pre-flight), rebuild or discard it, validate it
 * (frozen, invoice number, documents, ledger, outbox), follow the funder's answer, and regularise a frozen claim
 * whose evidence changed. Every write runs in one transaction.
 */

type ClaimRow = SqlRow<'claims'>;
type LineRow = SqlRow<'claim_lines'>;

const STATUS_FR: Record<ClaimStatus, string> = {
  draft: 'brouillon', validated: 'validée', submitted: 'transmise', accepted: 'acceptée', 'partly-accepted': 'partiellement acceptée', rejected: 'rejetée', paid: 'payée',
};

interface Computed {
  request: ClaimRequest;
  input: ClaimInput;
  inputsSha256: string;
  result: ClaimComputation;
  issues: { blockers: ClaimIssue[]; warnings: ClaimIssue[] };
}

// ——— Reading ———

async function claimRow(ctx: Ctx, id: string): Promise<ClaimRow> {
  const row = await rawGet<ClaimRow>(ctx.db, 'SELECT * FROM claims WHERE id = ?', id);
  if (!row) throw new AppError('not_found', 'Demande de paiement introuvable.', [{ path: 'id', message: 'Demande de paiement introuvable.' }]);
  return row;
}

function requestOf(c: ClaimRow): ClaimRequest {
  return { funderCode: c.funder_code, programmeId: c.programme_id, purchaseOrder: c.purchase_order, contractId: c.contract_id, from: c.period_from, to: c.period_to };
}

const LIST_SQL = `SELECT c.*, f.name AS funder_name, p.name || ' (' || p.code || ')' AS programme_label,
    (SELECT count(*) FROM claim_lines l WHERE l.claim_id = c.id) AS line_count
  FROM claims c JOIN funders f ON f.code = c.funder_code LEFT JOIN programmes p ON p.id = c.programme_id`;

type ListedRow = ClaimRow & { funder_name: string; programme_label: string | null; line_count: number };

function summary(c: ListedRow) {
  const pf = JSON.parse(c.preflight) as { blockers: unknown[]; warnings: unknown[] };
  return {
    id: c.id, funderCode: c.funder_code, funderName: c.funder_name, programmeId: c.programme_id, programmeLabel: c.programme_label, purchaseOrder: c.purchase_order, contractId: c.contract_id,
    from: c.period_from, to: c.period_to, kind: c.kind as 'claim' | 'regularisation', regularisesId: c.regularises_id, status: c.status as ClaimStatus,
    totalCents: c.total_cents, acceptedCents: c.accepted_cents, paidCents: c.paid_cents, invoiceNumber: c.invoice_number, builtAt: c.built_at,
    validatedAt: c.validated_at, lineCount: c.line_count, blockerCount: pf.blockers.length, warningCount: pf.warnings.length,
  };
}

function lineOut(l: LineRow) {
  return {
    id: l.id, position: l.position, enrolmentId: l.enrolment_id, sessionId: l.session_id, contractId: l.contract_id, fundingId: l.funding_id, programmeId: l.programme_id,
    ruleId: l.rule_id, unit: l.unit, costType: l.cost_type as ComputedLine['costType'], label: l.label, quantityE4: l.quantity_e4, unitPriceCents: l.unit_price_cents,
    amountCents: l.amount_cents, minutes: l.minutes, realisedMinutes: l.realised_minutes, detail: JSON.parse(l.detail) as Record<string, unknown>,
  };
}

export async function listClaims(ctx: Ctx, q: z.output<typeof claimsListInput>) {
  const where: string[] = [];
  const params: unknown[] = [];
  const filter = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (q.funderCode) filter('c.funder_code = ?', q.funderCode);
  if (q.from) filter('c.period_to >= ?', q.from);
  if (q.to) filter('c.period_from <= ?', q.to);
  if (q.status) filter('c.status = ?', q.status);
  const rows = await rawAll<ListedRow>(ctx.db, `${LIST_SQL}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY c.period_from DESC, c.built_at DESC, c.id`, ...params);
  const claims = rows.map(summary);
  return { claims, totals: { count: claims.length, totalCents: claims.reduce((s, c) => s + c.totalCents, 0) } };
}

export async function getClaimPage(ctx: Ctx, id: string): Promise<ClaimPage> {
  const row = await rawGet<ListedRow>(ctx.db, `${LIST_SQL} WHERE c.id = ?`, id);
  if (!row) throw new AppError('not_found', 'Demande de paiement introuvable.', [{ path: 'id', message: 'Demande de paiement introuvable.' }]);
  const lines = await rawAll<LineRow>(ctx.db, FROZEN_LINES_SQL, id);
  const events = await rawAll<SqlRow<'claim_events'> & { by_name: string }>(
    ctx.db, 'SELECT e.*, coalesce(u.name, e.created_by) AS by_name FROM claim_events e LEFT JOIN users u ON u.id = e.created_by WHERE e.claim_id = ? ORDER BY e.at, e.id', id,
  );
  const documents = await rawAll<{ id: string; kind: string; enrolment_id: string | null; name: string; mime: string; sha256: string; size: number }>(
    ctx.db, 'SELECT id, kind, enrolment_id, name, mime, sha256, length(bytes) AS size FROM claim_documents WHERE claim_id = ? ORDER BY kind, name', id,
  );
  const regularisations = await rawAll<{ id: string; status: ClaimStatus; total_cents: number }>(ctx.db, 'SELECT id, status, total_cents FROM claims WHERE regularises_id = ? ORDER BY built_at, id', id);
  const pf = await withEnrolmentSessions(ctx, JSON.parse(row.preflight) as ClaimPage['preflight']);
  return {
    claim: summary(row),
    lines: lines.map(lineOut),
    preflight: pf,
    events: events.map((e) => ({ id: e.id, status: e.status as ClaimStatus, at: e.at, amountCents: e.amount_cents, note: e.note, by: e.by_name })),
    documents: documents.map((d) => ({ id: d.id, kind: d.kind, enrolmentId: d.enrolment_id, name: d.name, mime: d.mime, sha256: d.sha256, size: d.size })),
    difference: row.status !== 'draft' && row.kind === 'claim' ? (await differenceOf(ctx, row)).difference : null,
    regularisations: regularisations.map((r) => ({ id: r.id, status: r.status, totalCents: r.total_cents })),
  };
}

/**
 * The pre-flight as a person reads it: in their language with dates JJ/MM/AAAA (the coherence checks write ISO
 * dates, as on the checks screen), and an enrolment's issue linking to its session's page (the link carries the
 * session id).
 */
async function withEnrolmentSessions(ctx: Ctx, pf: ClaimPage['preflight']): Promise<ClaimPage['preflight']> {
  const ids = [...new Set([...pf.blockers, ...pf.warnings].flatMap((i) => (i.link?.kind === 'enrolment' ? [i.link.id] : [])))];
  const rows = ids.length ? await rawAll<{ id: string; session_id: string }>(ctx.db, 'SELECT id, session_id FROM enrolments WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids)) : [];
  const sessionOf = new Map(rows.map((r) => [r.id, r.session_id]));
  const add = (i: ClaimPage['preflight']['blockers'][number]): ClaimPage['preflight']['blockers'][number] => ({
    ...i,
    message: localise(i.message, ctx.locale ?? 'fr'),
    ...(i.link?.kind === 'enrolment' && sessionOf.has(i.link.id) ? { link: { ...i.link, sessionId: sessionOf.get(i.link.id)! } } : {}),
  });
  return { blockers: pf.blockers.map(add), warnings: pf.warnings.map(add) };
}

export async function claimDocument(ctx: Ctx, id: string) {
  const d = await rawGet<{ id: string; name: string; mime: string; sha256: string; bytes: Uint8Array }>(ctx.db, 'SELECT id, name, mime, sha256, bytes FROM claim_documents WHERE id = ?', id);
  if (!d) throw new AppError('not_found', 'Document introuvable.', [{ path: 'id', message: 'Document introuvable.' }]);
  return { id: d.id, name: d.name, mime: d.mime, sha256: d.sha256, base64: Buffer.from(d.bytes).toString('base64') };
}

// ——— Computing ———

async function resolveRequest(ctx: Ctx, q: z.output<typeof claimRequestInput>): Promise<ClaimRequest> {
  const funder = await rawGet<{ code: string }>(ctx.db, 'SELECT code FROM funders WHERE code = ?', q.funderCode);
  if (!funder) throw new AppError('validation', `Financeur inconnu « ${q.funderCode} ».`, [{ path: 'funderCode', message: `Financeur inconnu « ${q.funderCode} ».` }]);
  let programmeId = q.programmeId;
  if (programmeId || q.programmeCode) {
    const p = await rawGet<{ id: string; funder_code: string; code: string }>(
      ctx.db, 'SELECT id, funder_code, code FROM programmes WHERE deleted_at IS NULL AND (id = ? OR code = ?)', programmeId ?? '', q.programmeCode ?? '',
    );
    const path = programmeId ? 'programmeId' : 'programmeCode';
    const label = q.programmeCode ?? programmeId;
    if (!p) throw new AppError('validation', `Programme inconnu « ${label} ».`, [{ path, message: `Programme inconnu « ${label} ».` }]);
    if (p.funder_code !== funder.code) throw new AppError('validation', `Le programme ${p.code} n’appartient pas au financeur ${funder.code}.`, [{ path, message: `Programme d’un autre financeur.` }]);
    programmeId = p.id;
  }
  if (q.contractId) {
    const c = await rawGet<{ id: string }>(ctx.db, 'SELECT id FROM apprenticeship_contracts WHERE id = ? AND deleted_at IS NULL AND funder_code = ?', q.contractId, funder.code);
    if (!c) throw new AppError('validation', `Contrat d’apprentissage inconnu pour le financeur ${funder.code}.`, [{ path: 'contractId', message: 'Contrat inconnu.' }]);
  }
  return { funderCode: funder.code, programmeId, purchaseOrder: q.purchaseOrder, contractId: q.contractId, from: q.from, to: q.to };
}

/** What building a claim computes before it writes anything: the input loaded, the engine, the pre-flight (bench/claims.bench.ts times it). */
export async function compute(ctx: Ctx, request: ClaimRequest, options: LoadOptions = {}): Promise<Computed> {
  const { input, marks, inputsSha256 } = await loadClaimInput(ctx, request, options);
  const result = computeClaim(input);
  const issues = await preflight(ctx, input, marks, result);
  return { request, input, inputsSha256, result, issues };
}

/** Some evidence in the period: a mark in force on a slot held, or a contract running. */
function hasEvidence(input: ClaimInput): boolean {
  const { from, to } = input.request;
  const slots = new Map(input.slots.map((s) => [s.id, s]));
  const marked = currentMarks(input.marks).some((m) => {
    const s = slots.get(m.slotId);
    return s && !s.cancelled && s.date >= from && s.date <= to;
  });
  return marked || input.contracts.some((c) => c.startDate <= to && (c.ruptureDate ?? c.endDate) >= from && (!input.request.contractId || c.id === input.request.contractId));
}

/** Options that recompute a claim as it was computed: same rule versions, same earlier claims. */
async function frozenOptions(ctx: Ctx, c: ClaimRow): Promise<LoadOptions> {
  const base = c.regularises_id ? await claimRow(ctx, c.regularises_id) : c;
  const rules = await rawAll<{ rule_id: string }>(ctx.db, 'SELECT DISTINCT rule_id FROM claim_lines WHERE claim_id = ? AND rule_id IS NOT NULL ORDER BY rule_id', base.id);
  return { ruleIds: rules.map((r) => r.rule_id), asOfClaim: { id: base.id, validatedAt: base.validated_at } };
}

async function insertLines(tx: Ctx, claimId: string, lines: readonly (Omit<ComputedLine, 'ruleId' | 'programmeId'> & { ruleId: string | null; programmeId: string | null })[]): Promise<void> {
  let position = 0;
  for (const l of lines) {
    await tx.db.insertInto('claimLines').values({
      id: tx.newId(), claimId, position: ++position, enrolmentId: l.enrolmentId, sessionId: l.sessionId, contractId: l.contractId, fundingId: l.fundingId,
      programmeId: l.programmeId, ruleId: l.ruleId, unit: l.unit, costType: l.costType, label: l.label, quantityE4: l.quantityE4, unitPriceCents: l.unitPriceCents,
      amountCents: l.amountCents, minutes: l.minutes, realisedMinutes: l.realisedMinutes, detail: JSON.stringify(l.detail),
    }).execute();
  }
}

function noEvidence(request: ClaimRequest): AppError {
  const message = `Aucune présence ni contrat à facturer du ${isoToDisplay(request.from)} au ${isoToDisplay(request.to)}.`;
  return new AppError('validation', message, [{ path: 'from', message }]);
}

export async function buildClaim(ctx: Ctx, q: z.output<typeof claimRequestInput>): Promise<ClaimPage> {
  return inTransaction(ctx, async (tx) => {
    const request = await resolveRequest(tx, q);
    const c = await compute(tx, request);
    if (!hasEvidence(c.input)) throw noEvidence(request);
    const id = tx.newId();
    await tx.db.insertInto('claims').values({
      id, funderCode: request.funderCode, programmeId: request.programmeId, purchaseOrder: request.purchaseOrder, contractId: request.contractId,
      periodFrom: request.from, periodTo: request.to, kind: 'claim', regularisesId: null, status: 'draft', totalCents: c.result.totalCents,
      inputsSha256: c.inputsSha256, preflight: JSON.stringify(c.issues), builtAt: tx.now().toISOString(), ...stampNew(tx),
    }).execute();
    await insertLines(tx, id, c.result.lines);
    return getClaimPage(tx, id);
  });
}

function draftOnly(c: ClaimRow, what: string): void {
  if (c.status !== 'draft') throw new AppError('business', `Cette demande est déjà validée (${STATUS_FR[c.status as ClaimStatus]}) : on ne peut plus la ${what}.`);
}

export async function rebuildClaim(ctx: Ctx, id: string): Promise<ClaimPage> {
  return inTransaction(ctx, async (tx) => {
    const row = await claimRow(tx, id);
    draftOnly(row, 'recalculer');
    const r = row.kind === 'regularisation'
      ? await regularisationOf(tx, await claimRow(tx, row.regularises_id!))
      : await compute(tx, requestOf(row)).then((c) => ({ lines: c.result.lines, totalCents: c.result.totalCents, inputsSha256: c.inputsSha256, issues: c.issues }));
    await tx.db.deleteFrom('claimLines').where('claimId', '=', id).execute();
    await tx.db.updateTable('claims').set({ totalCents: r.totalCents, inputsSha256: r.inputsSha256, preflight: JSON.stringify(r.issues), builtAt: tx.now().toISOString(), ...stampVersion(tx) }).where('id', '=', id).execute();
    await insertLines(tx, id, r.lines);
    return getClaimPage(tx, id);
  });
}

export async function discardClaim(ctx: Ctx, id: string): Promise<{ discarded: true }> {
  return inTransaction(ctx, async (tx) => {
    const row = await claimRow(tx, id);
    draftOnly(row, 'supprimer');
    await tx.db.deleteFrom('claimLines').where('claimId', '=', id).execute();
    await tx.db.deleteFrom('claims').where('id', '=', id).execute();
    return { discarded: true as const };
  });
}

// ——— Validating ———

/** The `claim` record of exchange-protocol.md, built from the frozen rows. */
function claimRecord(c: FrozenClaimRow, lines: readonly LineRow[], documents: readonly { name: string; sha256: string }[], previous: Map<string, { quantityE4: number; amountCents: number }>) {
  return {
    claimId: c.id,
    funderCode: c.funder_code,
    kind: c.kind,
    ...(c.regularises_id ? { regularisesId: c.regularises_id } : {}),
    invoiceNumber: c.invoice_number,
    period: { from: c.period_from, to: c.period_to },
    lines: lines.map((l) => {
      const before = previous.get(lineKey(l));
      return {
        ...(l.enrolment_id ? { enrolmentId: l.enrolment_id } : { sessionId: l.session_id }),
        ...(l.contract_id ? { contractId: l.contract_id } : {}),
        unit: l.unit,
        quantity: l.quantity_e4 / 10_000,
        unitPriceCents: l.unit_price_cents,
        amountCents: l.amount_cents,
        ...(before ? { previous: { quantity: before.quantityE4 / 10_000, amountCents: before.amountCents } } : {}),
      };
    }),
    totalCents: c.total_cents,
    documents: documents.map((d) => ({ name: d.name, sha256: d.sha256 })),
  };
}

export async function validateClaim(ctx: Ctx, id: string): Promise<ClaimPage> {
  const secrets = syncOf(ctx).secrets; // the signing key's store: the root context's sync engine
  return inTransaction(ctx, async (tx) => {
    const row = await claimRow(tx, id);
    if (row.status !== 'draft') throw new AppError('business', `Cette demande est déjà validée (facture ${row.invoice_number ?? '—'}, ${STATUS_FR[row.status as ClaimStatus]}).`);
    const pf = JSON.parse(row.preflight) as { blockers: ClaimIssue[] };
    if (pf.blockers.length > 0) {
      throw new AppError('business', `Validation impossible : ${pf.blockers.length} point(s) bloquant(s) à corriger — ${pf.blockers.map((b) => b.message).join(' ; ')}`, pf.blockers.map((b) => ({ path: b.link ? `${b.link.kind}.${b.link.id}` : b.code, message: b.message })));
    }
    if ((await recomputedSha(tx, row)) !== row.inputs_sha256) throw new AppError('conflict', 'Les présences ont changé depuis le calcul : recalculez la demande.');
    const lines = await rawAll<LineRow>(tx.db, FROZEN_LINES_SQL, id);
    if (lines.length === 0) throw new AppError('business', 'Validation impossible : la demande n’a aucune ligne à facturer.');
    const at = tx.now().toISOString();
    const invoiceNumber = await nextInvoiceNumber(tx, (await todayOf(tx)).slice(0, 4));
    const header: FrozenClaimRow = { ...row, invoice_number: invoiceNumber }; // frozenClaimSha256 reads its own columns
    const frozen = frozenClaimSha256(header, lines);
    // The documents print the invoice number and the validation date: both on the row before rendering
    // (still a draft inside this transaction; a refusal below rolls them back with the number).
    await tx.db.updateTable('claims').set({ invoiceNumber, validatedAt: at }).where('id', '=', id).execute();
    const documents = await renderClaimDocuments(tx, id, secrets);
    const docRows: SqlRow<'claim_documents'>[] = documents.map((d) => ({
      id: tx.newId(), claim_id: id, kind: d.kind, enrolment_id: d.enrolmentId, print_id: d.printId, name: d.name, mime: d.mime, bytes: d.bytes, sha256: d.sha256, created_at: at, created_by: tx.user.id,
    }));
    const event: SqlRow<'claim_events'> = { id: tx.newId(), claim_id: id, status: 'validated', at, amount_cents: row.total_cents, note: null, created_at: at, created_by: tx.user.id };
    // What the corrected claim billed before this regularisation (read while it is still a draft, so left out).
    const previous = row.regularises_id ? await billedLines(tx, row.regularises_id) : new Map<string, { quantityE4: number; amountCents: number }>();
    await tx.db.updateTable('claims').set({ status: 'validated', validatedBy: tx.user.id, frozenSha256: frozen, ...stampVersion(tx) }).where('id', '=', id).execute();
    await writeEvidence(tx, [...docRows.map((r) => ({ type: 'claim_document' as const, row: r })), { type: 'claim_event', row: event }], {
      at,
      outbox: [{ recordType: 'claim', recordId: id, payload: claimRecord(header, lines, docRows, previous) }],
    });
    return getClaimPage(tx, id);
  });
}

async function recomputedSha(tx: Ctx, row: ClaimRow): Promise<string> {
  // A regularisation carries its base's request and is recomputed as its base was (frozenOptions follows regularises_id).
  return (await loadClaimInput(tx, requestOf(row), row.kind === 'regularisation' ? await frozenOptions(tx, row) : {})).inputsSha256;
}

const NEXT: Partial<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  validated: ['submitted'],
  submitted: ['accepted', 'partly-accepted', 'rejected'],
  accepted: ['paid'],
  'partly-accepted': ['paid'],
};

export async function advanceClaim(ctx: Ctx, q: z.output<typeof advanceClaimInput>): Promise<ClaimPage> {
  return inTransaction(ctx, async (tx) => {
    const row = await claimRow(tx, q.id);
    const from = row.status as ClaimStatus;
    if (!(NEXT[from] ?? []).includes(q.status)) {
      const message = from === 'draft' ? 'Cette demande est un brouillon : validez-la d’abord.'
        : from === 'rejected' && q.status === 'paid' ? 'Une demande rejetée ne peut pas être payée.'
        : from === 'paid' ? 'Cette demande est déjà payée : son parcours est terminé.'
        : `Une demande ${STATUS_FR[from]} ne peut pas passer à l’état « ${STATUS_FR[q.status]} ».`;
      throw new AppError('business', message, [{ path: 'status', message }]);
    }
    let amount: number | null = q.amountCents ?? null;
    const set: { acceptedCents?: number; paidCents?: number } = {};
    if (q.status === 'partly-accepted' || q.status === 'paid') {
      const label = q.status === 'paid' ? 'le montant payé' : 'le montant accepté';
      if (amount === null) throw new AppError('validation', `Indiquez ${label}.`, [{ path: 'amountCents', message: `Indiquez ${label}.` }]);
      const ceiling = q.status === 'paid' ? (row.accepted_cents ?? row.total_cents) : row.total_cents;
      if (amount > ceiling) {
        const message = `Le montant (${formatCents(amount)}) dépasse ${q.status === 'paid' ? 'le montant accepté' : 'le total de la demande'} (${formatCents(ceiling)}).`;
        throw new AppError('validation', message, [{ path: 'amountCents', message }]);
      }
      if (q.status === 'paid') set.paidCents = amount;
      else set.acceptedCents = amount;
    } else if (q.status === 'accepted') {
      amount = row.total_cents;
      set.acceptedCents = amount;
    }
    const at = tx.now().toISOString();
    await tx.db.updateTable('claims').set({ status: q.status, ...set, ...stampVersion(tx) }).where('id', '=', q.id).execute();
    await writeEvidence(tx, [{ type: 'claim_event', row: { id: tx.newId(), claim_id: q.id, status: q.status, at, amount_cents: amount, note: q.note, created_at: at, created_by: tx.user.id } }], { at });
    return getClaimPage(tx, q.id);
  });
}

// ——— Difference and regularisation ———

/** Lines of one claim grouped by what they bill (rule versions aside). */
function lineKey(l: { unit: string; enrolment_id?: string | null; enrolmentId?: string | null; session_id?: string | null; sessionId?: string | null; contract_id?: string | null; contractId?: string | null; funding_id?: string | null; fundingId?: string | null; programme_id?: string | null; programmeId?: string | null; cost_type?: string; costType?: string; detail: unknown }): string {
  const detail = (typeof l.detail === 'string' ? JSON.parse(l.detail) : l.detail) as Record<string, unknown>;
  return [l.unit, l.enrolment_id ?? l.enrolmentId ?? '', l.session_id ?? l.sessionId ?? '', l.contract_id ?? l.contractId ?? '', l.funding_id ?? l.fundingId ?? '',
    l.programme_id ?? l.programmeId ?? '', l.cost_type ?? l.costType ?? '', typeof detail.majorationCode === 'string' ? detail.majorationCode : ''].join('|');
}

/** What a frozen claim and its validated regularisations bill, per line key. */
async function billedLines(ctx: Ctx, claimId: string) {
  const rows = await rawAll<LineRow>(
    ctx.db,
    `SELECT l.* FROM claim_lines l JOIN claims c ON c.id = l.claim_id
     WHERE c.id = ? OR (c.regularises_id = ? AND c.status NOT IN ('draft', 'rejected')) ORDER BY c.built_at, l.position`,
    claimId, claimId,
  );
  const byKey = new Map<string, { quantityE4: number; amountCents: number; label: string; unit: string; enrolmentId: string | null; sessionId: string | null; unitPriceCents: number; line: LineRow }>();
  for (const l of rows) {
    const k = lineKey(l);
    const e = byKey.get(k);
    if (e) {
      e.quantityE4 += l.quantity_e4;
      e.amountCents += l.amount_cents;
    } else byKey.set(k, { quantityE4: l.quantity_e4, amountCents: l.amount_cents, label: l.label, unit: l.unit, enrolmentId: l.enrolment_id, sessionId: l.session_id, unitPriceCents: l.unit_price_cents, line: l });
  }
  return byKey;
}

/**
 * A frozen claim against the evidence of today: same request, same rule versions, same earlier claims. The
 * lines only (every view of a frozen claim shows it); the pre-flight runs when a regularisation is drafted.
 */
async function differenceOf(ctx: Ctx, row: ClaimRow) {
  const loaded = await loadClaimInput(ctx, requestOf(row), await frozenOptions(ctx, row));
  const result = computeClaim(loaded.input);
  const old = await billedLines(ctx, row.id);
  const fresh = new Map<string, { quantityE4: number; amountCents: number; line: ComputedLine }>();
  for (const l of result.lines) {
    const k = lineKey(l);
    const e = fresh.get(k);
    if (e) {
      e.quantityE4 += l.quantityE4;
      e.amountCents += l.amountCents;
    } else fresh.set(k, { quantityE4: l.quantityE4, amountCents: l.amountCents, line: l });
  }
  const lines = [];
  for (const key of [...new Set([...old.keys(), ...fresh.keys()])]) {
    const o = old.get(key);
    const n = fresh.get(key);
    const deltaQuantityE4 = (n?.quantityE4 ?? 0) - (o?.quantityE4 ?? 0);
    const deltaCents = (n?.amountCents ?? 0) - (o?.amountCents ?? 0);
    lines.push({
      key, label: n?.line.label ?? o!.label, unit: n?.line.unit ?? o!.unit, enrolmentId: n?.line.enrolmentId ?? o!.enrolmentId, sessionId: n?.line.sessionId ?? o!.sessionId,
      old: o ? { quantityE4: o.quantityE4, amountCents: o.amountCents } : null, new: n ? { quantityE4: n.quantityE4, amountCents: n.amountCents } : null, deltaQuantityE4, deltaCents,
    });
  }
  const changed = lines.filter((l) => l.deltaCents !== 0 || l.deltaQuantityE4 !== 0);
  return { loaded, result, old, fresh, difference: { changed: changed.length > 0, lines: changed, totalDeltaCents: changed.reduce((s, l) => s + l.deltaCents, 0) } };
}

async function regularisationOf(ctx: Ctx, base: ClaimRow) {
  const { loaded, result, old, fresh, difference } = await differenceOf(ctx, base);
  const lines = difference.lines.map((d) => {
    const n = fresh.get(d.key)?.line;
    const o = old.get(d.key)?.line;
    const sign = d.deltaCents < 0 ? 'avoir' : 'complément';
    return {
      enrolmentId: d.enrolmentId, sessionId: d.sessionId, contractId: n?.contractId ?? o?.contract_id ?? null, fundingId: n?.fundingId ?? o?.funding_id ?? null,
      programmeId: n?.programmeId ?? o?.programme_id ?? null, ruleId: n?.ruleId ?? o?.rule_id ?? null, unit: d.unit as ComputedLine['unit'],
      costType: (n?.costType ?? o?.cost_type ?? 'pedagogique') as ComputedLine['costType'], label: `${d.label} — ${sign}`, quantityE4: d.deltaQuantityE4,
      unitPriceCents: n?.unitPriceCents ?? o!.unit_price_cents, amountCents: d.deltaCents,
      minutes: n?.minutes != null || o?.minutes != null ? (n?.minutes ?? 0) - (o?.minutes ?? 0) : null, realisedMinutes: n?.realisedMinutes ?? null,
      detail: { previous: d.old, current: d.new, ...(n?.detail.majorationCode ? { majorationCode: n.detail.majorationCode } : {}) },
    };
  });
  return { lines, totalCents: difference.totalDeltaCents, inputsSha256: loaded.inputsSha256, issues: await preflight(ctx, loaded.input, loaded.marks, result) };
}

export async function regulariseClaim(ctx: Ctx, id: string): Promise<ClaimPage> {
  return inTransaction(ctx, async (tx) => {
    const base = await claimRow(tx, id);
    if (base.status === 'draft') throw new AppError('business', 'Une demande en brouillon se recalcule : seule une demande validée se régularise.');
    if (base.kind === 'regularisation') throw new AppError('business', 'Une régularisation ne se régularise pas : régularisez la demande d’origine.');
    if (base.status === 'rejected') throw new AppError('business', 'Une demande rejetée ne se régularise pas : établissez une nouvelle demande.');
    const pending = await rawGet<{ id: string }>(tx.db, "SELECT id FROM claims WHERE regularises_id = ? AND status = 'draft'", id);
    if (pending) throw new AppError('business', 'Une régularisation de cette demande est déjà en brouillon : validez-la ou supprimez-la d’abord.');
    const r = await regularisationOf(tx, base);
    if (r.lines.length === 0) throw new AppError('business', 'Aucune différence avec les présences d’aujourd’hui : rien à régulariser.');
    const newId = tx.newId();
    await tx.db.insertInto('claims').values({
      id: newId, funderCode: base.funder_code, programmeId: base.programme_id, purchaseOrder: base.purchase_order, contractId: base.contract_id,
      periodFrom: base.period_from, periodTo: base.period_to, kind: 'regularisation', regularisesId: base.id, status: 'draft', totalCents: r.totalCents,
      inputsSha256: r.inputsSha256, preflight: JSON.stringify(r.issues), builtAt: tx.now().toISOString(), ...stampNew(tx),
    }).execute();
    await insertLines(tx, newId, r.lines);
    return getClaimPage(tx, newId);
  });
}
