import type { PDFFont, PDFImage, PDFPage, RGB } from 'pdf-lib';
import { formatCents } from '../../../shared/format/money';
import { formatMinutes } from '../../../shared/domain/dates';
import type { Ctx } from '../context';
import type { ExportModel } from '../rgpd/export-model';
import type { SecretStore } from '../sync/secret-store';
import { signingIdentity } from './certificate';
import { groupedSiret, instantLabel, issuedLine, numericDate, personName } from './format';
import { A4, ACCENT, FAINT, INK, MUTED, Pdf, RULE } from './pdf';
import { signPdf } from './pdf-signature';

/**
 * The readable summary of a trainee's RGPD export (rgpd/export.ts): the same parts as the JSON, in French, on A4
 * portrait pages that flow as long as the record is — identity and contact, sensitive fields, enrolments, every
 * attendance mark with its corrections, the signatures drawn, AFEST, documents, claims, PIN, audit log, records sent
 * to funders, and the erasure if any. Signed with the organisation's certificate like every document Sillon issues
 * (pdf-signature.ts). It is not a registered print (no printed_documents row, no QR code): its content is the
 * person's data of the day, handed to them, not a piece of evidence Sillon must recognise later.
 */

const [W, H] = A4.portrait;
const M = 40;
const BOTTOM = M + 24;
const SIZE = 8.5;
const LEAD = 11;
const LABEL_W = 140;

const STATUS: Record<string, string> = { planned: 'prévue', entered: 'entrée', suspended: 'suspendue', exited: 'sortie' };
const CLAIM_STATUS: Record<string, string> = {
  draft: 'brouillon', validated: 'validée', submitted: 'transmise', accepted: 'acceptée', 'partly-accepted': 'acceptée en partie', rejected: 'rejetée', paid: 'payée',
};
const METHOD: Record<string, string> = { signature: 'signature', pin: 'code PIN', qr: 'QR code', paper: 'feuille papier', proxy: 'par un tiers', none: 'sans émargement' };
const RECORD: Record<string, string> = { enrolment: 'inscription', attendance: 'présence', 'afest-sequence': 'séquence AFEST', claim: 'demande de paiement' };

class Flow {
  page!: PDFPage;
  y = 0;
  constructor(readonly pdf: Pdf, readonly continued: string) {}

  start(): void {
    this.page = this.pdf.doc.addPage(A4.portrait);
    this.y = H - M;
  }

  ensure(height: number): void {
    if (this.y - height >= BOTTOM) return;
    this.page = this.pdf.doc.addPage(A4.portrait);
    this.pdf.text(this.page, this.continued, M, H - M - 10, { size: 9, font: this.pdf.bold, color: MUTED, maxWidth: W - 2 * M });
    this.y = H - M - 28;
  }

  heading(text: string): void {
    this.ensure(40);
    this.y -= 12;
    this.pdf.box(this.page, M, this.y - 4, W - 2 * M, 17, { fill: FAINT });
    this.pdf.text(this.page, text, M + 6, this.y + 1, { size: 11, font: this.pdf.bold, color: ACCENT, maxWidth: W - 2 * M - 12 });
    this.y -= 20;
  }

  /** A paragraph, wrapped; `label` in the left column on its first line. */
  line(text: string, o: { label?: string; font?: PDFFont; color?: RGB; size?: number; indent?: number } = {}): void {
    const size = o.size ?? SIZE;
    const x = M + (o.indent ?? 0) + (o.label !== undefined ? LABEL_W : 0);
    const lines = this.pdf.wrap(text || '—', W - M - x, size, o.font ?? this.pdf.regular);
    lines.forEach((l, i) => {
      this.ensure(LEAD);
      if (i === 0 && o.label !== undefined) this.pdf.text(this.page, o.label, M + (o.indent ?? 0), this.y, { size, font: this.pdf.bold, color: MUTED, maxWidth: LABEL_W - 6 });
      this.pdf.text(this.page, l, x, this.y, { size, font: o.font ?? this.pdf.regular, color: o.color ?? INK });
      this.y -= LEAD;
    });
  }

  gap(h = 6): void {
    this.y -= h;
  }
}

const orNone = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);
const date = (d: string | null | undefined) => (d ? numericDate(d) : '—');

/** Draws and signs the PDF; returns its bytes. */
export async function renderRgpdExportPdf(tx: Ctx, m: ExportModel, secrets: SecretStore): Promise<Uint8Array> {
  const at = tx.now();
  const tz = m.organisation.timeZone;
  const who = personName(m.identity.lastName, m.identity.firstName);
  const title = `Vos données personnelles — ${who}`;
  const pdf = await Pdf.create({ title, author: m.organisation.name, subject: 'Droit d’accès (article 15 du RGPD)', at });
  const flow = new Flow(pdf, `${title} (suite)`);
  flow.start();

  // Header: the organisation, the title, the person.
  pdf.text(flow.page, m.organisation.name, M, flow.y, { size: 10, font: pdf.bold, maxWidth: W - 2 * M });
  flow.y -= 12;
  const address = [m.organisation.address, [m.organisation.postcode, m.organisation.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  pdf.text(flow.page, `SIRET ${groupedSiret(m.organisation.siret)}${address ? ` · ${address}` : ''}`, M, flow.y, { size: 8, color: MUTED, maxWidth: W - 2 * M });
  flow.y -= 26;
  pdf.text(flow.page, 'Vos données personnelles', M, flow.y, { size: 18, font: pdf.bold, color: ACCENT });
  flow.y -= 16;
  pdf.text(flow.page, 'Droit d’accès — article 15 du règlement général sur la protection des données (RGPD)', M, flow.y, { size: 9.5, color: MUTED });
  flow.y -= 20;
  pdf.text(flow.page, who, M, flow.y, { size: 13, font: pdf.bold, maxWidth: W - 2 * M });
  flow.y -= 14;
  flow.line(`Situation au ${instantLabel(m.generatedAt, tz)}. Ce résumé reprend le fichier JSON remis avec lui, qui contient en plus les images et pièces (en base64) et chaque donnée brute.`, { color: MUTED });
  flow.gap();

  flow.heading('Identité et coordonnées');
  flow.line(m.identity.lastName, { label: 'Nom' });
  flow.line(m.identity.firstName, { label: 'Prénom' });
  flow.line(date(m.identity.birthDate), { label: 'Date de naissance' });
  flow.line(orNone(m.identity.nir), { label: 'NIR' });
  flow.line(orNone(m.identity.franceTravailId), { label: 'Identifiant France Travail' });
  flow.line(m.identity.qpvResident ? 'oui' : 'non', { label: 'Résidence en QPV' });
  flow.line(orNone(m.contact.email), { label: 'E-mail' });
  flow.line(orNone(m.contact.phone), { label: 'Téléphone' });
  flow.line(orNone([m.contact.postcode, m.contact.city].filter(Boolean).join(' ')), { label: 'Code postal et ville' });
  flow.line(`${instantLabel(m.identity.createdAt, tz)} ; dernière modification le ${instantLabel(m.identity.updatedAt, tz)}`, { label: 'Fiche créée le' });

  flow.heading('Données sensibles');
  if (!m.sensitive) flow.line('Aucune donnée sensible enregistrée.');
  else {
    const s = m.sensitive;
    flow.line(s.rqth ? `oui${s.rqthUntil ? `, jusqu’au ${date(s.rqthUntil)}` : ''}` : 'non', { label: 'RQTH' });
    flow.line(orNone(s.accommodations), { label: 'Aménagements' });
    flow.line(s.benefits.length ? s.benefits.map((b) => (b === 'other' ? 'autre' : b.toUpperCase())).join(', ') : '—', { label: 'Prestations' });
    flow.line(orNone(s.benefitsOther), { label: 'Autre prestation' });
    flow.line(s.justiceFollowUp ? s.justiceFollowUp.toUpperCase() : 'aucun', { label: 'Suivi judiciaire' });
    flow.line(orNone(s.justiceNote), { label: 'Note de suivi' });
  }

  flow.heading(`Inscriptions (${m.enrolments.length})`);
  if (m.enrolments.length === 0) flow.line('Aucune inscription.');
  for (const e of m.enrolments) {
    flow.ensure(4 * LEAD);
    flow.line(`${e.session} — ${e.action}`, { font: pdf.bold });
    flow.line(`du ${date(e.plannedStart)} au ${date(e.plannedEnd)}${e.plannedMinutes !== null ? `, ${formatMinutes(e.plannedMinutes)} prévues` : ''}${e.company ? ` ; entreprise : ${e.company}` : ''}`, { label: 'Prévue', indent: 8 });
    for (const s of e.statuses) {
      flow.line(`${STATUS[s.status] ?? s.status} le ${date(s.effectiveDate)}${s.reason ? ` (motif : ${s.reason}${s.outcome ? `, résultat : ${s.outcome}` : ''})` : ''}${s.note ? ` — ${s.note}` : ''}`, { label: 'Statut', indent: 8 });
    }
    for (const f of e.fundings) flow.line(`${f.funder}${f.programme ? `, ${f.programme}` : ''}${f.fileNumber ? `, dossier ${f.fileNumber}` : ''} (${f.share})`, { label: 'Financement', indent: 8 });
    flow.gap(4);
  }

  const marks = m.attendance.reduce((n, a) => n + a.marks.length, 0);
  flow.heading(`Présences (${m.attendance.length} créneaux, ${marks} saisies et corrections)`);
  if (m.attendance.length === 0) flow.line('Aucune présence enregistrée.');
  for (const a of m.attendance) {
    const [first, ...later] = a.marks;
    const current = a.marks.at(-1)!;
    flow.line(`${a.session} — ${current.kindLabel}, ${formatMinutes(current.minutes)}, ${METHOD[current.method] ?? current.method}${current.reason ? ` ; motif : ${current.reason}` : ''}`, { label: `${date(a.date)} ${a.halfDay} ${a.start}–${a.end}` });
    if (later.length > 0 && first) {
      for (const c of later) flow.line(`corrigé le ${instantLabel(c.recordedAt, tz)} : ${c.kindLabel}, ${formatMinutes(c.minutes)}${c.correctionReason ? ` (${c.correctionReason})` : ''}`, { indent: LABEL_W, color: MUTED, size: 7.5 });
    }
  }
  if (m.connectionLogs.length > 0) {
    flow.gap();
    flow.line(`${m.connectionLogs.length} ligne(s) de journaux de connexion (formation à distance), détaillées dans le fichier JSON.`);
  }

  flow.heading(`Signatures d’émargement (${m.signatures.length})`);
  if (m.signatures.length === 0) flow.line('Aucune signature.');
  else await signatures(flow, m);

  flow.heading(`AFEST (${m.afest.length})`);
  if (m.afest.length === 0) flow.line('Aucune action de formation en situation de travail.');
  for (const a of m.afest) {
    const seqs = (a.sequences as unknown[]).length;
    const evals = (a.evaluations as unknown[]).length;
    flow.line(`${String(a.title)} : ${seqs} séquence(s) et ${evals} évaluation(s) enregistrées (toutes versions), détaillées dans le fichier JSON.`);
  }

  flow.heading('Documents émis à votre sujet');
  flow.line(`${m.documents.printed.length} impression(s) enregistrée(s), ${m.documents.certificates.length} certificat(s) de réalisation, ${m.documents.attachments.length} pièce(s) jointe(s).`);
  for (const p of m.documents.printed) flow.line(`${String(p.kindLabel)}, code ${String(p.shortHash)}, par ${String(p.printedBy)}`, { label: instantLabel(String(p.printedAt), tz), size: 7.5 });
  for (const c of m.documents.certificates) flow.line(String(c.name), { label: 'Certificat', size: 7.5 });
  for (const d of m.documents.attachments) flow.line(`${String(d.name)} (${String(d.mime)})`, { label: 'Pièce jointe', size: 7.5 });

  flow.heading(`Demandes de paiement vous concernant (${m.claims.length} ligne(s))`);
  if (m.claims.length === 0) flow.line('Aucune.');
  for (const l of m.claims) {
    flow.line(`${l.label} : ${l.quantity.toLocaleString('fr-FR')} × ${formatCents(l.unitPriceCents)} = ${formatCents(l.amountCents)} (demande ${CLAIM_STATUS[l.status] ?? l.status}, ${l.funder})`, { label: `${l.claim}, ${date(l.period.from)}–${date(l.period.to)}`, size: 7.5 });
  }

  flow.heading('Code PIN d’émargement');
  flow.line(m.pin ? `Défini le ${instantLabel(m.pin.setAt!, tz)} par ${orNone(m.pin.setBy)}. Sillon n’en garde qu’une empreinte, jamais communiquée.` : 'Aucun code PIN.');

  flow.heading(`Journal d’audit (${m.audit.length} événement(s))`);
  for (const e of m.audit) flow.line(`${e.actionLabel}${e.user ? ` — ${e.user}` : ''}${e.summary ? ` : ${e.summary}` : ''}`, { label: instantLabel(e.at, tz), size: 7.5 });
  if (m.audit.length === 0) flow.line('Aucun événement.');

  flow.heading(`Enregistrements transmis aux financeurs (${m.sync.length})`);
  const byType = new Map<string, number>();
  for (const s of m.sync) byType.set(s.recordType, (byType.get(s.recordType) ?? 0) + 1);
  flow.line(m.sync.length === 0 ? 'Aucun.' : [...byType].map(([t, n]) => `${n} enregistrement(s) « ${RECORD[t] ?? t} »`).join(', ') + ' : chaque version et son état de transmission sont dans le fichier JSON.');

  flow.heading('Demande d’effacement');
  if (!m.erasure) flow.line('Aucune.');
  else {
    const e = m.erasure as { requestedAt: string; reason: string; purgeFrom: string; purgedAt: string | null };
    flow.line(`${instantLabel(e.requestedAt, tz)} (${e.reason})`, { label: 'Demandée le' });
    flow.line(e.purgedAt ? `anonymisées le ${instantLabel(e.purgedAt, tz)}` : `anonymisées à partir du ${date(e.purgeFrom)}`, { label: 'Données conservées' });
  }

  footers(pdf, issuedLine(at.toISOString(), tz, tx.user.name), m.organisation.name);
  const identity = await signingIdentity(tx, secrets);
  return signPdf(pdf.doc, identity, {
    name: pdf.clean(m.organisation.name),
    reason: pdf.clean(`Droit d’accès RGPD de ${who} : document émis par ${m.organisation.name} (Sillon)`),
    location: pdf.clean(m.organisation.city ?? 'France'),
    contactInfo: pdf.clean(`${m.organisation.name}, SIRET ${m.organisation.siret}`),
    at,
  });
}

/** The signatures, drawn in a grid of small boxes with their dates (their images are the person's data too). */
async function signatures(flow: Flow, m: ExportModel): Promise<void> {
  const { pdf } = flow;
  const BOX_W = 96;
  const BOX_H = 44;
  const PER_ROW = Math.floor((W - 2 * M) / (BOX_W + 8));
  const images: (PDFImage | null)[] = [];
  for (const s of m.signatures) images.push(s.pngBase64 ? await pdf.png(`sig:${s.id}`, Buffer.from(s.pngBase64, 'base64')) : null);
  for (let i = 0; i < m.signatures.length; i += PER_ROW) {
    flow.ensure(BOX_H + 16);
    m.signatures.slice(i, i + PER_ROW).forEach((s, j) => {
      const x = M + j * (BOX_W + 8);
      const y = flow.y - BOX_H;
      pdf.box(flow.page, x, y, BOX_W, BOX_H, { border: RULE, thickness: 0.4 });
      const image = images[i + j];
      if (image) pdf.imageIn(flow.page, image, x + 2, y + 2, BOX_W - 4, BOX_H - 4);
      else pdf.text(flow.page, 'image effacée', x + BOX_W / 2, y + BOX_H / 2 - 3, { size: 7, color: MUTED, align: 'center' });
      pdf.text(flow.page, instantLabel(s.signedAt, m.organisation.timeZone), x, y - 9, { size: 6.5, color: MUTED, maxWidth: BOX_W });
    });
    flow.y -= BOX_H + 16;
  }
}

/** Every page: who issued it and when, how to check it, « Page n / N ». */
function footers(pdf: Pdf, issued: string, organisation: string): void {
  const pages = pdf.doc.getPages();
  pages.forEach((page, i) => {
    const y = M - 4;
    pdf.line(page, M, y + 10, W - M, y + 10, { color: RULE, thickness: 0.4 });
    pdf.text(page, issued, M, y, { size: 6.5, color: MUTED, maxWidth: W - 2 * M - 60 });
    pdf.text(page, `Page ${i + 1} / ${pages.length}`, W - M, y, { size: 7, font: pdf.bold, align: 'right' });
    pdf.text(page, `Authenticité : ce PDF porte la signature électronique de ${organisation} ; tout lecteur PDF indique s'il a été modifié depuis son émission.`, M, y - 8, { size: 5.8, color: MUTED, maxWidth: W - 2 * M });
  });
}
