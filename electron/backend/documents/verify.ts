import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { contentHash } from '../evidence/hash';
import { fingerprint, SHORT_HASH_LENGTH } from './content-hash';
import { HALF_DAY_LABEL, instantLabel, longDate, personName } from './format';
import { DOCUMENT_KINDS, documentContent, KIND_LABELS, type DocumentKind } from './print';

/**
 * Checks a printed document by the short hash on its QR code (`sillon:verify:<hash>` or the bare hash):
 *  1. it was issued by this database, and its issue record is intact in the ledger (authentic);
 *  2. its content, recomputed today from the current data, still has the printed fingerprint (unchanged).
 * When the data moved on (a correction, a late mark, a trainee added), it says which parts changed.
 */

export type DocumentCheckStatus = 'unchanged' | 'changed' | 'unknown' | 'tampered' | 'invalid';

export interface DocumentCheck {
  ok: boolean;
  status: DocumentCheckStatus;
  message: string;
  shortHash: string;
  kind: string | null;
  issuedAt: string | null;
  /** The parts whose content differs from the print, in words ("la ligne de BENALI Nadia"). */
  changes: string[];
  /** CLI exit code: 0 unchanged, 1 unknown or invalid, 3 tampered, 4 changed since printing. */
  exitCode: number;
}

interface PrintRow {
  id: string;
  kind: string;
  params: string;
  content_sha256: string;
  short_hash: string;
  created_at: string;
  created_by: string;
}

/**
 * What a verification code names: `sillon:verify:<printId>:<shortHash>` (the QR code since issue #9: one
 * print), `sillon:verify:<shortHash>` (older QR codes) or the bare short hash printed under the QR code.
 */
export function parseVerifyCode(input: string): { printId: string | null; shortHash: string } {
  const code = input.trim().toLowerCase().replace(/^sillon:verify:/, '');
  const withId = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([0-9a-f]+)$/.exec(code);
  return withId ? { printId: withId[1]!, shortHash: withId[2]! } : { printId: null, shortHash: code };
}

export async function verifyPrintedDocument(ctx: Ctx, input: string): Promise<DocumentCheck> {
  const { printId, shortHash } = parseVerifyCode(input);
  const base = { shortHash, kind: null, issuedAt: null, changes: [] as string[] };
  if (!new RegExp(`^[0-9a-f]{${SHORT_HASH_LENGTH}}$`).test(shortHash)) {
    return { ...base, ok: false, status: 'invalid', exitCode: 1, message: `Empreinte « ${input.trim()} » invalide : ${SHORT_HASH_LENGTH} caractères hexadécimaux attendus (ceux imprimés sous le QR code).` };
  }
  const { rows, entries, timeZone } = await withRaw(ctx.db, (raw) => {
    const rows = raw.all<PrintRow>('SELECT id, kind, params, content_sha256, short_hash, created_at, created_by FROM printed_documents WHERE short_hash = ? AND (? IS NULL OR id = ?) ORDER BY created_at, id', shortHash, printId, printId);
    return {
      rows,
      entries: rows.map((r) => raw.get<{ seq: number; content_hash: string }>("SELECT seq, content_hash FROM ledger WHERE record_type = 'printed_document' AND record_id = ?", r.id)),
      timeZone: raw.get<{ time_zone: string }>('SELECT time_zone FROM organisation ORDER BY created_at LIMIT 1')?.time_zone ?? 'Europe/Paris',
    };
  });
  if (rows.length === 0) {
    return { ...base, ok: false, status: 'unknown', exitCode: 1, message: `Aucun document émis avec l'empreinte ${shortHash} dans cette base : document inconnu, émis par une autre installation, ou falsifié.` };
  }

  // Authentic: every issue record of this hash is in the ledger with its content hash.
  for (const [i, r] of rows.entries()) {
    const entry = entries[i];
    if (!entry || entry.content_hash !== contentHash({ ...r }) || !r.content_sha256.startsWith(shortHash)) {
      return {
        ...base, ok: false, status: 'tampered', exitCode: 3, kind: r.kind, issuedAt: r.created_at,
        message: `Document NON AUTHENTIFIABLE : l'enregistrement de son émission (empreinte ${shortHash}) ${entry ? 'a été modifié' : 'est absent du registre'} hors de l'application. Lancez « npm run cli -- verify » pour contrôler tout le registre.`,
      };
    }
  }

  const first = rows[0]!;
  const kindLabel = KIND_LABELS[first.kind as DocumentKind] ?? first.kind;
  const issued = `${kindLabel} émis(e) le ${instantLabel(first.created_at, timeZone)}${rows.length > 1 ? ` (imprimé ${rows.length} fois)` : ''}`;
  const result = { ...base, kind: first.kind, issuedAt: first.created_at };
  if (!(DOCUMENT_KINDS as readonly string[]).includes(first.kind)) {
    return { ...result, ok: false, status: 'changed', exitCode: 4, message: `Document authentique (${issued}), mais ce type de document (${first.kind}) ne peut plus être recalculé par cette version de Sillon.` };
  }

  const stored = JSON.parse(first.params) as { input: Record<string, string>; parts?: Record<string, string> };
  let content;
  try {
    content = await documentContent(ctx, first.kind as DocumentKind, stored.input, new Date(first.created_at));
  } catch (e) {
    return {
      ...result, ok: false, status: 'changed', exitCode: 4,
      message: `Document authentique (${issued}), mais son contenu ne peut plus être recalculé à partir des données actuelles : ${(e as Error).message}`,
    };
  }
  const now = fingerprint(first.kind, content.parts);
  if (now.contentSha256 === first.content_sha256) {
    return {
      ...result, ok: true, status: 'unchanged', exitCode: 0,
      message: `Document authentique et inchangé : ${issued}, ${content.describe}. Son contenu recalculé à partir des données actuelles correspond exactement à l'empreinte imprimée (${shortHash}).`,
    };
  }

  const before = stored.parts ?? {};
  const changes = await withRaw(ctx.db, (raw) => {
    const list: string[] = [];
    for (const [key, hash] of Object.entries(now.parts)) {
      if (before[key] === undefined) list.push(`${partLabel(raw, key, first.kind)} (ajouté depuis)`);
      else if (before[key] !== hash) list.push(partLabel(raw, key, first.kind));
    }
    for (const key of Object.keys(before)) if (now.parts[key] === undefined) list.push(`${partLabel(raw, key, first.kind)} (retiré depuis)`);
    return list;
  });
  return {
    ...result, ok: false, status: 'changed', exitCode: 4, changes,
    message: `Document authentique, mais les données ont changé depuis son impression (${issued}, ${content.describe}) : ${changes.length ? changes.join(' ; ') : 'contenu différent'}. `
      + "Une saisie a été corrigée ou complétée depuis : l'historique (auteur, date, motif) est conservé dans Sillon ; réimprimez le document pour obtenir la version à jour.",
  };
}

/** A content part's key in words, looked up in the current data. */
function partLabel(raw: Raw, key: string, kind: string): string {
  const [type, id] = key.split(':') as [string, string | undefined];
  if (type === 'header' && kind === 'afest-dossier') return "l'en-tête (organisme, apprenant, entreprise, convention, tuteur ou formateur animateur)";
  if (type === 'header') return "l'en-tête (organisme, action, session, lieu ou stagiaire)";
  if (type === 'totals') return 'les totaux';
  if (type === 'afest-totals') return 'les totaux AFEST';
  if (type === 'row' && id) {
    const t = raw.get<{ last_name: string; first_name: string }>('SELECT t.last_name, t.first_name FROM enrolments e JOIN trainees t ON t.id = e.trainee_id WHERE e.id = ?', id);
    return t ? `la ligne de ${personName(t.last_name, t.first_name)}` : "la ligne d'un stagiaire";
  }
  if (type === 'line' && id) {
    const l = raw.get<{ label: string }>('SELECT label FROM claim_lines WHERE id = ?', id);
    return l ? `la ligne « ${l.label} » de la demande de paiement` : "une ligne de la demande de paiement";
  }
  if (type === 'analysis') return "l'analyse de l'activité, les compétences visées ou le plan d'évaluation";
  if (type === 'hours') return 'les heures';
  if (type === 'compliance') return 'le bilan de conformité';
  if (type === 'withdrawn') return 'les enregistrements retirés';
  if (type === 'afest-sequence' && id) {
    // The record's first version is the id every later version carries as record_id.
    const s = raw.get<{ kind: 'work-situation' | 'reflective'; date: string }>('SELECT kind, date FROM afest_sequences WHERE record_id = ? ORDER BY created_at DESC, id DESC LIMIT 1', id);
    return s ? `la ${s.kind === 'work-situation' ? 'mise en situation de travail' : 'séquence réflexive'} du ${longDate(s.date)}` : 'une séquence AFEST';
  }
  if (type === 'afest-evaluation' && id) {
    const e = raw.get<{ date: string }>('SELECT date FROM afest_evaluations WHERE record_id = ? ORDER BY created_at DESC, id DESC LIMIT 1', id);
    return e ? `l'évaluation du ${longDate(e.date)}` : 'une évaluation AFEST';
  }
  if (type === 'slot' && id) {
    const s = raw.get<{ date: string; half_day: 'am' | 'pm' }>('SELECT date, half_day FROM slots WHERE id = ?', id);
    return s ? `la demi-journée du ${longDate(s.date)} (${HALF_DAY_LABEL[s.half_day]})` : 'une demi-journée';
  }
  return key;
}
