import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { formatMinutes } from '../../../shared/domain/dates';
import type { AttendanceCategory } from '../../../shared/domain/realised-hours';
import type { Ctx } from '../context';
import type { Raw } from '../db/raw';

/** Pieces of content models shared by the printed documents. */

export interface OrganisationHeader {
  name: string;
  siret: string;
  nda: string | null;
  legalRepresentative: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  timeZone: string;
}

/** The training body printed on every document; refuses to print without one (no probative value). */
export async function organisationHeader(ctx: Ctx): Promise<OrganisationHeader> {
  const o = await ctx.db
    .selectFrom('organisation')
    .select(['name', 'siret', 'nda', 'legalRepresentative', 'address', 'postcode', 'city', 'timeZone'])
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
  if (!o) {
    throw new AppError('business', "Renseignez d'abord l'organisme (nom, SIRET, NDA) : un document sans organisme identifié n'a pas de valeur probante.", [{ path: 'organisation', message: 'Organisme non renseigné.' }]);
  }
  return o;
}

export interface PlaceRef {
  name: string;
  address: string | null;
  postcode: string;
  city: string;
}

export function placeRef(raw: Raw, placeId: string | null): PlaceRef | null {
  if (!placeId) return null;
  const p = raw.get<PlaceRef>('SELECT name, address, postcode, city FROM places WHERE id = ?', placeId);
  return p ?? null;
}

export function placeLine(p: PlaceRef): string {
  return [p.name, p.address, `${p.postcode} ${p.city}`].filter(Boolean).join(', ');
}

/** A signature as the content model sees it: which one and the hash of its strokes + image. */
export interface SignatureRef {
  id: string;
  sha256: string;
}

/** The mark in force for one trainee on one slot, as printed. */
export interface PrintedMark {
  kind: string;
  label: string;
  category: AttendanceCategory;
  method: 'signature' | 'pin' | 'qr' | 'paper' | 'proxy' | 'none';
  lateMinutes: number;
  earlyMinutes: number;
  remoteMinutes: number | null;
  /** The remote minutes come from the imported connection logs (LMS), not declared on the mark. */
  remoteFromLog: boolean;
  proxyName: string | null;
  /** A justification piece is attached (the reason itself is not printed: it may be health data). */
  justified: boolean;
  signature: SignatureRef | null;
  signedAt: string | null;
  /** Replaced by a correction (attendance.correct) after the roll call: the history stays in the ledger. */
  corrected: boolean;
}

export interface MarkRowWithKind {
  id: string;
  slot_id: string;
  enrolment_id: string;
  kind: string;
  label: string;
  category: AttendanceCategory;
  late_minutes: number;
  early_minutes: number;
  remote_minutes: number | null;
  method: PrintedMark['method'];
  signature_id: string | null;
  signature_sha256: string | null;
  proxy_name: string | null;
  document_id: string | null;
  signed_at: string | null;
  supersedes_id: string | null;
  submission_id: string | null;
  /** Minutes of the imported connection logs for this slot and enrolment (LMS), if any. */
  connected: number | null;
}

/**
 * Marks with their status label and category, in the order the hours engine reads them (created_at, id),
 * so `currentMarks` picks the same head the engine does.
 */
export const MARKS_WITH_KIND_SQL = `SELECT m.id, m.slot_id, m.enrolment_id, m.kind, k.label, k.category, m.late_minutes, m.early_minutes, m.remote_minutes,
    m.method, m.signature_id, g.sha256 AS signature_sha256, m.proxy_name, m.document_id, m.signed_at, m.supersedes_id, m.submission_id,
    (SELECT sum(c.minutes) FROM connection_log_rows c WHERE c.slot_id = m.slot_id AND c.enrolment_id = m.enrolment_id) AS connected
  FROM attendance_marks m JOIN attendance_kinds k ON k.code = m.kind LEFT JOIN signatures g ON g.id = m.signature_id`;

export function printedMark(r: MarkRowWithKind): PrintedMark {
  return {
    kind: r.kind,
    label: r.label,
    category: r.category,
    method: r.method,
    lateMinutes: r.late_minutes,
    earlyMinutes: r.early_minutes,
    // As the hours engine counts it (attendance/hours.ts): the declared minutes, else the connection logs'.
    remoteMinutes: r.remote_minutes ?? (r.category === 'remote' ? r.connected : null),
    remoteFromLog: r.remote_minutes === null && r.category === 'remote' && r.connected !== null,
    proxyName: r.proxy_name,
    justified: r.document_id !== null,
    signature: r.signature_id && r.signature_sha256 ? { id: r.signature_id, sha256: r.signature_sha256 } : null,
    signedAt: r.signed_at,
    // A roll call re-submitted before closing also supersedes (with its submission id); only a
    // correction made afterwards, through attendance.correct, has none.
    corrected: r.supersedes_id !== null && r.submission_id === null,
  };
}

/** The marks' status in words: "Retard 20 min", "Absent justifié", "Procuration : Nom"… */
export function statusText(m: PrintedMark): string {
  switch (m.category) {
    case 'late':
      return `${m.label} ${m.lateMinutes} min${m.earlyMinutes ? `, départ ${m.earlyMinutes} min avant` : ''}`;
    case 'early-leave':
      return `${m.label} ${m.earlyMinutes} min avant${m.lateMinutes ? `, retard ${m.lateMinutes} min` : ''}`;
    case 'excused':
      return m.justified ? `${m.label} (justificatif)` : m.label;
    case 'remote':
      return m.remoteMinutes !== null ? `${m.label} ${formatMinutes(m.remoteMinutes)}${m.remoteFromLog ? ' (connexion)' : ''}` : m.label;
    default:
      return m.label;
  }
}

/** How the presence was captured, in words ('' for a drawn signature: the image says it). */
export function methodText(m: PrintedMark): string {
  switch (m.method) {
    case 'signature':
      return m.signature ? '' : 'Signature';
    case 'pin':
      return 'PIN';
    case 'qr':
      return 'QR code';
    case 'paper':
      return 'Papier';
    case 'proxy':
      return `Procuration : ${m.proxyName ?? ''}`.trim();
    case 'none':
      return '';
  }
}

export async function signaturePng(ctx: Ctx, id: string): Promise<Uint8Array | null> {
  const r = await ctx.db.selectFrom('signatures').select('png').where('id', '=', id).executeTakeFirst();
  return r?.png ?? null;
}

export function funderName(raw: Raw, code: string): string {
  return raw.get<{ name: string }>('SELECT name FROM funders WHERE code = ?', code)?.name ?? code;
}

/**
 * What the documents print for some funders: the required mentions and the logo (its hash in the model, so
 * a changed logo changes the fingerprint), from `funder_documents` (organisation/funder-documents.ts).
 * Only funders with something to print, in the order of `codes`.
 */
export interface FunderPrint {
  code: string;
  name: string;
  mentions: string | null;
  logo: { mime: 'image/png' | 'image/jpeg'; sha256: string } | null;
}

export function funderPrints(raw: Raw, codes: readonly string[]): FunderPrint[] {
  const out: FunderPrint[] = [];
  for (const code of [...new Set(codes)]) {
    const r = raw.get<{ name: string; mentions: string | null; logo: Uint8Array | null; logo_mime: 'image/png' | 'image/jpeg' | null }>(
      'SELECT f.name, d.mentions, d.logo, d.logo_mime FROM funder_documents d JOIN funders f ON f.code = d.funder_code WHERE d.funder_code = ?', code);
    if (!r || (!r.mentions && !r.logo)) continue;
    out.push({
      code, name: r.name.replace(/\s*\(.*\)\s*$/, ''), mentions: r.mentions,
      logo: r.logo && r.logo_mime ? { mime: r.logo_mime, sha256: createHash('sha256').update(r.logo).digest('hex') } : null,
    });
  }
  return out;
}

export async function funderLogoBytes(ctx: Ctx, code: string): Promise<Uint8Array | null> {
  const r = await ctx.db.selectFrom('funderDocuments').select('logo').where('funderCode', '=', code).executeTakeFirst();
  return r?.logo ?? null;
}
