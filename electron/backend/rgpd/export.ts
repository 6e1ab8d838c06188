import { AUDIT_ACTION_LABELS, type AuditAction } from '../../../shared/schemas/audit';
import type { RgpdExport } from '../../../shared/schemas/rgpd';
import { todayIn } from '../../../shared/domain/dates';
import { markHistory } from '../attendance/attendance';
import { recordAudit } from '../audit/audit';
import { inTransaction, type Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { organisationHeader } from '../documents/common-model';
import type { ExportAttendance, ExportEnrolment, ExportModel, Json } from './export-model';
import { slug } from '../documents/format';
import { KIND_LABELS, type DocumentKind } from '../documents/print';
import { renderRgpdExportPdf } from '../documents/rgpd-export-pdf';
import { getTrainee, traineeNir } from '../people/people';
import { pinStatus } from '../people/pins';
import { cipherOf } from '../privacy/data-key';
import { openPayloadText } from '../privacy/payload';
import { syncOf } from '../sync/registry';
import { enrolmentsOf } from './facts';
import { erasureStatusOf } from './erase';

/**
 * The right of access (RGPD art. 15): a copy of everything Sillon holds about one trainee, read through the services
 * that hold it (the people service opens the NIR and the sensitive fields, the attendance service the reasons of
 * absence), in one JSON document whose `readme` says in French what each part is, and a readable PDF summary of the
 * same, signed like every document Sillon issues. Both go back to the caller; nothing is written to disk. The export
 * itself is written to the audit log, in the same transaction.
 */

const README_SECTIONS: Record<string, string> = {
  identity: 'Votre identité : nom, prénom, date de naissance, NIR (numéro de sécurité sociale) en clair, identifiant France Travail, résidence en quartier prioritaire (QPV).',
  contact: 'Vos coordonnées : e-mail, téléphone, code postal et ville.',
  sensitive: 'Vos données sensibles, si elles ont été recueillies : reconnaissance de handicap (RQTH) et aménagements, prestations sociales, suivi judiciaire.',
  enrolments: 'Vos inscriptions : session, action de formation, entreprise, dates prévues, historique des statuts (entrée, suspension, sortie et motif), financements et contrats d’apprentissage.',
  attendance: 'Vos présences, créneau par créneau : chaque version de la marque (la saisie puis chaque correction, avec son motif), la durée retenue, le mode d’émargement et, pour une absence, son motif.',
  connectionLogs: 'Les lignes des journaux de connexion (formation à distance) rattachées à vos inscriptions : identifiant de connexion, début, fin, durée.',
  signatures: 'Vos signatures d’émargement, en image PNG codée en base64, avec leur date et leur empreinte SHA-256.',
  afest: 'Vos actions de formation en situation de travail (AFEST) : leur organisation, chaque séquence (mise en situation, séquence réflexive) et chaque évaluation où vous êtes l’apprenant, toutes versions.',
  documents: 'Les documents émis à votre sujet : impressions enregistrées (feuilles, relevés, dossiers), certificats de réalisation (PDF en base64) et pièces jointes à vos marques de présence ou évaluations (base64).',
  claims: 'Les lignes des demandes de paiement adressées à vos financeurs qui vous concernent : quantités, tarifs, montants en centimes, état de la demande.',
  pin: 'Votre code PIN d’émargement : seulement s’il existe, depuis quand et qui l’a défini. Sillon n’en garde qu’une empreinte, qui n’est jamais communiquée.',
  audit: 'Le journal d’audit des opérations faites à votre sujet : affichage du NIR, impressions, exports, corrections, effacement.',
  sync: 'Les enregistrements transmis (ou à transmettre) à vos financeurs à votre sujet : chaque version telle que mise en file, et son état de transmission auprès de chaque destinataire.',
  erasure: 'Votre demande d’effacement, si vous en avez fait une : date, motif, date à laquelle les données conservées pour les financeurs seront anonymisées.',
};

const HALF_DAYS: Record<string, string> = { am: 'matin', pm: 'après-midi' };

/** The trainee's export, JSON and PDF, audited. The signing key's store is read before the transaction, as printing does. */
export async function exportTrainee(ctx: Ctx, traineeId: string): Promise<RgpdExport> {
  const secrets = syncOf(ctx).secrets;
  return inTransaction(ctx, async (tx) => {
    const model = await exportModel(tx, traineeId);
    const stem = `rgpd_${slug(`${model.identity.lastName}-${model.identity.firstName}`)}_${todayIn(tx.now(), model.organisation.timeZone)}`;
    const pdf = await renderRgpdExportPdf(tx, model, secrets);
    await recordAudit(tx, 'rgpd.export', {
      subjectType: 'trainee',
      subjectId: traineeId,
      summary: 'Export RGPD (droit d’accès) : toutes les données de la personne, en JSON et en PDF.',
      method: 'rgpd.export',
    });
    return {
      json: { fileName: `${stem}.json`, mime: 'application/json', base64: Buffer.from(JSON.stringify(model, null, 2), 'utf8').toString('base64') },
      pdf: { fileName: `${stem}.pdf`, mime: 'application/pdf', base64: Buffer.from(pdf).toString('base64') },
    };
  });
}

/** Everything about the trainee, as the JSON shows it. */
export async function exportModel(ctx: Ctx, traineeId: string): Promise<ExportModel> {
  const trainee = await getTrainee(ctx, traineeId);
  const nir = await traineeNir(ctx, traineeId);
  const organisation = await organisationHeader(ctx);
  const pin = await pinStatus(ctx, 'trainee', traineeId);
  const base = await withRaw(ctx.db, (raw) => gather(raw, traineeId));
  // Reasons of absence are sealed: the attendance service opens them (the caller may read sensitive data).
  const attendance: ExportAttendance[] = [];
  for (const slot of base.markedSlots) {
    const versions = await markHistory(ctx, slot.slotId, slot.enrolmentId);
    attendance.push({
      enrolmentId: slot.enrolmentId, session: slot.session, date: slot.date, halfDay: HALF_DAYS[slot.halfDay] ?? slot.halfDay, start: slot.start, end: slot.end,
      marks: versions.map((m) => ({
        id: m.id, kind: m.kind, kindLabel: base.kindLabels.get(m.kind) ?? m.kind, minutes: m.minutes, lateMinutes: m.lateMinutes, earlyMinutes: m.earlyMinutes,
        remoteMinutes: m.remoteMinutes, reason: m.reason, method: m.method, signatureId: m.signatureId, proxyName: m.proxyName, checkedBy: m.checkedBy,
        signedAt: m.signedAt, supersedesId: m.supersedesId, correctionReason: m.correctionReason, recordedAt: m.createdAt,
      })),
    });
  }
  return {
    format: 'sillon.rgpd-export/1',
    generatedAt: ctx.now().toISOString(),
    organisation,
    readme: {
      title: 'Vos données personnelles — droit d’accès (article 15 du RGPD)',
      intro: [
        `Ce fichier contient toutes les données que ${organisation.name} (SIRET ${organisation.siret}) conserve à votre sujet dans Sillon, son logiciel de suivi des formations, à la date du ${todayIn(ctx.now(), organisation.timeZone)}.`,
        'Les dates sont au format AAAA-MM-JJ, les instants en temps universel (ISO 8601, suffixe Z), les durées en minutes et les montants en centimes d’euro.',
        'Chaque partie est décrite ci-dessous. Un résumé lisible, signé électroniquement par l’organisme, accompagne ce fichier (PDF).',
        'Pour faire rectifier ou effacer vos données, adressez-vous à l’organisme. Certaines doivent être conservées pour les financeurs de votre formation pendant une durée légale (article 17.3.b du RGPD) ; elles sont ensuite anonymisées.',
      ],
      sections: README_SECTIONS,
    },
    identity: {
      id: trainee.id, lastName: trainee.lastName, firstName: trainee.firstName, birthDate: trainee.birthDate, nir, franceTravailId: trainee.franceTravailId,
      qpvResident: trainee.qpvResident, fictitious: trainee.fictitious, createdAt: trainee.createdAt, updatedAt: trainee.updatedAt,
    },
    contact: { email: trainee.email, phone: trainee.phone, postcode: trainee.postcode, city: trainee.city },
    sensitive: trainee.sensitive,
    enrolments: base.enrolments,
    attendance,
    connectionLogs: base.connectionLogs,
    signatures: base.signatures,
    afest: base.afest,
    documents: base.documents,
    claims: base.claims,
    pin: pin.set ? { set: true, setAt: pin.setAt, setBy: pin.setBy } : null,
    audit: base.audit,
    sync: base.sync,
    erasure: await erasureStatusOf(ctx, traineeId),
  };
}

/** Columns stored as JSON text (AFEST links, results, attachments): exported as the JSON they hold. */
const JSON_COLUMNS = new Set(['reviewed_ids', 'competence_ids', 'results', 'attachments']);

/** snake_case row → camelCase object; BLOBs as base64. */
function camel(row: Record<string, unknown>, drop: readonly string[] = []): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(row)) {
    if (drop.includes(k)) continue;
    const key = k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    if (v instanceof Uint8Array) out[`${key}Base64`] = Buffer.from(v).toString('base64');
    else out[key] = JSON_COLUMNS.has(k) && typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  }
  return out;
}

function gather(raw: Raw, traineeId: string) {
  const enrolments = enrolmentsOf(raw, traineeId);
  const ids = JSON.stringify(enrolments.map((e) => e.id));
  // Bound, never spliced: a statement per trainee would fill the connection's statement cache (db/statements.ts).
  const inMine = 'IN (SELECT value FROM json_each(@ids))';
  const mine = { ids };
  const kindLabels = new Map(raw.all<{ code: string; label: string }>('SELECT code, label FROM attendance_kinds').map((k) => [k.code, k.label]));

  const exported: ExportEnrolment[] = enrolments.map((e) => {
    const row = raw.get<{ company: string | null; planned_minutes: number | null }>(
      'SELECT c.name AS company, e.planned_minutes FROM enrolments e LEFT JOIN companies c ON c.id = e.company_id WHERE e.id = ?', e.id,
    )!;
    return {
      id: e.id, session: e.sessionLabel, action: e.actionTitle, company: row.company, plannedStart: e.plannedStart, plannedEnd: e.plannedEnd, plannedMinutes: row.planned_minutes,
      statuses: raw.all<{ status: string; effective_date: string; reason: string | null; outcome: string | null; note: string | null; created_at: string }>(
        'SELECT status, effective_date, reason, outcome, note, created_at FROM enrolment_statuses WHERE enrolment_id = ? ORDER BY effective_date, id', e.id,
      ).map((s) => ({ status: s.status, effectiveDate: s.effective_date, reason: s.reason, outcome: s.outcome, note: s.note, recordedAt: s.created_at })),
      fundings: raw.all<{ funder: string; programme: string | null; file_number: string | null; cost_type: string; share_kind: string; share_value: number | null }>(
        `SELECT coalesce(fu.name, f.funder_code) AS funder, coalesce(p.name, f.programme) AS programme, f.file_number, f.cost_type, f.share_kind, f.share_value
         FROM fundings f LEFT JOIN funders fu ON fu.code = f.funder_code LEFT JOIN programmes p ON p.id = f.programme_id
         WHERE f.deleted_at IS NULL AND (f.enrolment_id = ? OR f.session_id = ?) ORDER BY f.session_id IS NOT NULL, f.position`,
        e.id, e.sessionId,
      ).map((f) => ({ funder: f.funder, programme: f.programme, fileNumber: f.file_number, costType: f.cost_type, share: shareText(f.share_kind, f.share_value) })),
      contracts: raw.all<Record<string, unknown>>('SELECT * FROM apprenticeship_contracts WHERE enrolment_id = ? AND deleted_at IS NULL', e.id).map((c) => camel(c, ['version', 'deleted_at'])),
    };
  });
  const bySession = new Map(enrolments.map((e) => [e.id, e.sessionLabel]));

  const markedSlots = raw
    .all<{ slotId: string; enrolmentId: string; date: string; halfDay: string; start: string; end: string }>(
      `SELECT DISTINCT m.slot_id AS slotId, m.enrolment_id AS enrolmentId, s.date, s.half_day AS halfDay, s.start_time AS start, s.end_time AS end
       FROM attendance_marks m JOIN slots s ON s.id = m.slot_id WHERE m.enrolment_id ${inMine} ORDER BY s.date, s.start_time`,
      mine,
    )
    .map((s) => ({ ...s, session: bySession.get(s.enrolmentId) ?? '' }));

  const connectionLogs = raw
    .all<Record<string, unknown>>(
      `SELECT r.enrolment_id, l.file_name, l.source, r.line, r.login, r.started_at, r.ended_at, r.minutes
       FROM connection_log_rows r JOIN connection_logs l ON l.id = r.log_id WHERE r.enrolment_id ${inMine} ORDER BY r.started_at`,
      mine,
    )
    .map((r) => camel(r));

  const signatures = raw
    .all<{ id: string; signed_at: string; device_signed_at: string | null; sha256: string; png: Uint8Array | null }>(
      // A trainee signs as the enrolment the mark or sequence belongs to (attendance.ts signatureRow).
      `SELECT id, signed_at, device_signed_at, sha256, png FROM signatures WHERE signer_kind = 'trainee' AND (signer_id = @trainee OR signer_id ${inMine}) ORDER BY signed_at, id`,
      { ...mine, trainee: traineeId },
    )
    .map((s) => ({ id: s.id, signedAt: s.signed_at, deviceSignedAt: s.device_signed_at, sha256: s.sha256, pngBase64: s.png && s.png.length > 0 ? Buffer.from(s.png).toString('base64') : null }));

  const afestRows = raw.all<Record<string, unknown> & { id: string }>(`SELECT * FROM afests WHERE enrolment_id ${inMine} ORDER BY created_at`, mine);
  const afest = afestRows.map((a) => ({
    ...camel(a, ['version', 'deleted_at']),
    competences: raw.all<Record<string, unknown>>('SELECT label, block_code FROM afest_competences WHERE afest_id = ? AND deleted_at IS NULL ORDER BY position', a.id).map((c) => camel(c)),
    sequences: raw.all<Record<string, unknown>>('SELECT * FROM afest_sequences WHERE afest_id = ? ORDER BY date, start_time, created_at', a.id).map((s) => camel(s)),
    evaluations: raw.all<Record<string, unknown>>('SELECT * FROM afest_evaluations WHERE afest_id = ? ORDER BY date, created_at', a.id).map((v) => camel(v)),
  }));
  const afestIds = afestRows.map((a) => a.id);

  // A registered print names the records it was printed for in its parameters (as archive.ts finds them).
  const subjects = [...enrolments.map((e) => e.id), ...afestIds];
  const printed = raw
    .all<{ id: string; kind: string; short_hash: string; created_at: string; created_by: string; user_name: string | null; params: string }>(
      `SELECT p.id, p.kind, p.short_hash, p.created_at, p.created_by, u.name AS user_name, p.params FROM printed_documents p LEFT JOIN users u ON u.id = p.created_by
       WHERE EXISTS (SELECT 1 FROM json_each(?) s WHERE instr(p.params, s.value) > 0) ORDER BY p.created_at`,
      JSON.stringify(subjects),
    )
    .map((p) => ({ id: p.id, kind: p.kind, kindLabel: KIND_LABELS[p.kind as DocumentKind] ?? p.kind, shortHash: p.short_hash, printedAt: p.created_at, printedBy: p.user_name ?? p.created_by }));
  const certificates = raw
    .all<Record<string, unknown>>(`SELECT d.id, d.claim_id, c.invoice_number, d.kind, d.name, d.mime, d.sha256, d.created_at, d.bytes FROM claim_documents d JOIN claims c ON c.id = d.claim_id WHERE d.enrolment_id ${inMine} ORDER BY d.created_at`, mine)
    .map((d) => camel(d));
  const attachments = raw
    .all<Record<string, unknown>>(
      `SELECT d.id, d.name, d.mime, d.sha256, d.created_at, d.bytes FROM documents d
       WHERE d.id IN (SELECT document_id FROM attendance_marks WHERE enrolment_id ${inMine})
          OR d.id IN (SELECT j.value FROM afest_evaluations v, json_each(v.attachments) j WHERE v.enrolment_id ${inMine})
       ORDER BY d.created_at`,
      mine,
    )
    .map((d) => camel(d));

  const claims = raw
    .all<{ claim: string | null; claim_id: string; funder: string; period_from: string; period_to: string; status: string; label: string; unit: string; quantity_e4: number; unit_price_cents: number; amount_cents: number; minutes: number | null; realised_minutes: number | null }>(
      `SELECT c.invoice_number AS claim, c.id AS claim_id, coalesce(fu.name, c.funder_code) AS funder, c.period_from, c.period_to, c.status, l.label, l.unit, l.quantity_e4, l.unit_price_cents, l.amount_cents, l.minutes, l.realised_minutes
       FROM claim_lines l JOIN claims c ON c.id = l.claim_id LEFT JOIN funders fu ON fu.code = c.funder_code
       WHERE l.enrolment_id ${inMine} ORDER BY c.period_from, c.id, l.position`,
      mine,
    )
    .map((l) => ({
      claim: l.claim ?? `brouillon ${l.claim_id}`, funder: l.funder, period: { from: l.period_from, to: l.period_to }, status: l.status, label: l.label, unit: l.unit,
      quantity: l.quantity_e4 / 10_000, unitPriceCents: l.unit_price_cents, amountCents: l.amount_cents, minutes: l.minutes, realisedMinutes: l.realised_minutes,
    }));

  const about = JSON.stringify([traineeId, ...subjects]);
  const audit = raw
    .all<{ at: string; action: string; outcome: string; user_name: string | null; user_id: string | null; summary: string | null; method: string | null }>(
      `SELECT a.at, a.action, a.outcome, u.name AS user_name, a.user_id, a.summary, a.method FROM audit_events a LEFT JOIN users u ON u.id = a.user_id
       WHERE a.subject_id IN (SELECT value FROM json_each(?)) ORDER BY a.at, a.id`,
      about,
    )
    .map((a) => ({ at: a.at, action: a.action, actionLabel: AUDIT_ACTION_LABELS[a.action as AuditAction] ?? a.action, outcome: a.outcome, user: a.user_name ?? a.user_id, summary: a.summary, method: a.method }));

  // Records about them: their enrolments, their attendance records, their AFEST sequences.
  const cipher = cipherOf(raw);
  const recordIds = raw
    .all<{ id: string }>(
      `SELECT value AS id FROM json_each(@ids)
       UNION SELECT id FROM attendance_records WHERE enrolment_id ${inMine}
       UNION SELECT DISTINCT record_id FROM afest_sequences WHERE enrolment_id ${inMine}`,
      mine,
    )
    .map((r) => r.id);
  const outbox = raw.all<{ seq: number; record_type: string; record_id: string; version: number; payload: string; created_at: string }>(
    'SELECT seq, record_type, record_id, version, payload, created_at FROM outbox WHERE record_id IN (SELECT value FROM json_each(?)) ORDER BY record_id, version',
    JSON.stringify(recordIds),
  );
  const deliveries = raw.prepare(
    `SELECT r.name AS receiver, i.version, i.state, i.result, i.acked_at AS ackedAt, i.receiver_ref AS receiverRef FROM sync_items i JOIN sync_receivers r ON r.id = i.receiver_id
     WHERE i.record_id = ? ORDER BY i.seq, r.name`,
  );
  const sync: ExportModel['sync'] = [];
  for (const o of outbox) {
    let entry = sync.find((s) => s.recordId === o.record_id);
    if (!entry) {
      entry = { recordType: o.record_type, recordId: o.record_id, versions: [], deliveries: deliveries.all(o.record_id) as Json[] };
      sync.push(entry);
    }
    entry.versions.push({ version: o.version, queuedAt: o.created_at, payload: JSON.parse(openPayloadText(cipher, o.record_id, o.payload, true)) as unknown });
  }

  return { enrolments: exported, markedSlots, kindLabels, connectionLogs, signatures, afest, documents: { printed, certificates, attachments }, claims, audit, sync };
}

function shareText(kind: string, value: number | null): string {
  if (kind === 'percent' && value !== null) return `${(value / 100).toLocaleString('fr-FR')} %`;
  if (kind === 'minutes' && value !== null) return `${value} min`;
  return 'le reste';
}
