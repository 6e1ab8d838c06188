import type { PDFPage } from 'pdf-lib';
import { formatCents, formatQuantityE4 } from '../../../shared/format/money';
import { duration, groupedSiret, HALF_DAY_LABEL, numericDate, personName } from './format';
import { A4, ACCENT, FAINT, HEAD, INK, MUTED, Pdf, RULE } from './pdf';
import { unitLabel, unitSuffix, type CertificatModel, type ClaimHeader, type FunderStatementModel, type InvoiceModel } from './claim-model';

/**
 * Draws the documents of a claim on A4 portrait: the certificat de réalisation (Ministry model, 2020), the
 * invoice and the funder's attendance statement of the period. Each leaves the top-right corner to the
 * verification QR code (stamped afterwards on every page, like the other printed documents).
 */

const [W, H] = A4.portrait;
const M = 40;
const QR = 62;
/** Where stampPages puts the QR code on these documents (the margin is wider than the monthly statement's). */
export const QR_BOX_CLAIM = { x: W - M - QR, y: H - M - QR, size: QR };
export const CLAIM_MARGIN = M;

/** The four natures of the model, in its order, with the code of `actions.nature`. */
export const NATURE_BOXES: readonly [string, string][] = [
  ['action-de-formation', 'action de formation'],
  ['bilan-de-competences', 'bilan de compétences'],
  ['vae', 'action de VAE'],
  ['apprentissage', 'action de formation par apprentissage'],
];

/** The retention clause of the model, verbatim, with its European co-funding extension. */
export const RETENTION_CLAUSE = "Sans préjudice des délais imposés par les règles fiscales, comptables ou commerciales, je m'engage à conserver l'ensemble des pièces justificatives qui ont permis d'établir le présent certificat pendant une durée de 3 ans à compter de la fin de l'année du dernier paiement. En cas de cofinancement des fonds européens la durée de conservation est étendue conformément aux obligations conventionnelles spécifiques.";

/** The model's footnote for distance learning. */
export const DISTANCE_FOOTNOTE = '(1) Pour les formations à distance, prendre en compte la réalisation des activités pédagogiques et le temps estimé pour les réaliser.';

/**
 * Hours as the certificat and the invoice state them: to the hundredth of an hour, rounded down (a document
 * never states a minute the engine did not count). 2 130 min → « 35,50 ».
 */
export function hoursText(minutes: number): string {
  return formatQuantityE4(Math.floor((minutes * 100) / 60) * 100);
}

/** The organisation's block at the top left of the first page; returns the y under it. */
function organisationBlock(pdf: Pdf, page: PDFPage, h: ClaimHeader, top = H - M): number {
  const o = h.organisation;
  const maxWidth = W - 2 * M - QR - 20;
  let y = top - 10;
  pdf.text(page, o.name, M, y, { size: 11, font: pdf.bold, color: ACCENT, maxWidth });
  y -= 11;
  const address = [o.address, [o.postcode, o.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  if (address) {
    pdf.text(page, address, M, y, { size: 8, color: MUTED, maxWidth });
    y -= 10;
  }
  pdf.text(page, [`SIRET ${groupedSiret(o.siret)}`, o.nda ? `NDA ${o.nda}` : 'NDA non renseigné'].join('  ·  '), M, y, { size: 8, color: MUTED, maxWidth });
  return y - 10;
}

/** Wrapped paragraph; returns the y under it. */
function paragraph(pdf: Pdf, page: PDFPage, text: string, y: number, o: { size?: number; indent?: number; bold?: boolean; color?: typeof INK; lead?: number } = {}): number {
  const size = o.size ?? 10;
  const lead = o.lead ?? size * 1.4;
  const x = M + (o.indent ?? 0);
  for (const line of pdf.wrap(text, W - M - x, size, o.bold ? pdf.bold : pdf.regular)) {
    pdf.text(page, line, x, y, { size, font: o.bold ? pdf.bold : pdf.regular, color: o.color ?? INK });
    y -= lead;
  }
  return y;
}

function checkbox(pdf: Pdf, page: PDFPage, x: number, y: number, checked: boolean): void {
  pdf.box(page, x, y, 9, 9, { border: INK, thickness: 0.8 });
  if (checked) {
    pdf.line(page, x + 1.5, y + 1.5, x + 7.5, y + 7.5, { color: INK, thickness: 1.1 });
    pdf.line(page, x + 1.5, y + 7.5, x + 7.5, y + 1.5, { color: INK, thickness: 1.1 });
  }
}

// ---------------------------------------------------------------------------------------------------------

export function drawCertificat(pdf: Pdf, m: CertificatModel): void {
  const page = pdf.doc.addPage(A4.portrait);
  const o = m.organisation;
  let y = organisationBlock(pdf, page, m) - 34;
  pdf.text(page, 'CERTIFICAT DE RÉALISATION', W / 2, y, { size: 18, font: pdf.bold, align: 'center' });
  y -= 17;
  const kind = m.final ? 'Certificat final' : 'Certificat intermédiaire';
  pdf.text(page, `${kind} — période du ${numericDate(m.claim.periodFrom)} au ${numericDate(m.claim.periodTo)}`, W / 2, y, { size: 10, font: pdf.bold, color: ACCENT, align: 'center' });
  y -= 13;
  pdf.text(page, "des actions concourant au développement des compétences (modèle du ministère chargé de la formation professionnelle, 2020)", W / 2, y, { size: 7.5, color: MUTED, align: 'center', maxWidth: W - 2 * M });
  y -= 34;

  const representative = o.legalRepresentative ?? '…………………………………………';
  y = paragraph(pdf, page, `Je soussigné(e) ${representative}, représentant légal du dispensateur de l'action concourant au développement des compétences ${o.name},`, y, { size: 10.5 });
  y -= 6;
  y = paragraph(pdf, page, 'atteste que :', y, { size: 10.5 });
  y -= 6;
  const trainee = personName(m.trainee.lastName, m.trainee.firstName);
  y = paragraph(pdf, page, m.employer ? `${trainee}, salarié(e) de l'entreprise ${m.employer.name} (SIRET ${groupedSiret(m.employer.siret)}),` : `${trainee},`, y, { size: 10.5, indent: 18, bold: true });
  y -= 6;
  y = paragraph(pdf, page, `a suivi l'action « ${m.action.title} »`, y, { size: 10.5 });
  y -= 10;
  y = paragraph(pdf, page, "Nature de l'action concourant au développement des compétences :", y, { size: 10.5 });
  y -= 4;
  for (const [code, label] of NATURE_BOXES) {
    checkbox(pdf, page, M + 18, y - 1.5, m.action.nature === code);
    pdf.text(page, label, M + 34, y, { size: 10.5 });
    y -= 16;
  }
  y -= 6;
  const distance = m.distance.length > 0;
  y = paragraph(pdf, page, `qui s'est déroulée du ${numericDate(m.from)} au ${numericDate(m.to)} pour une durée de ${hoursText(m.minutes)} heures${distance ? ' (1)' : ''} (${duration(m.minutes)}).`, y, { size: 10.5 });
  if (distance) {
    y -= 4;
    const total = m.distance.reduce((n, a) => n + a.minutes, 0);
    y = paragraph(pdf, page, `Dont activités pédagogiques réalisées à distance, temps estimé ${duration(total)} :`, y, { size: 9.5 });
    for (const a of m.distance) {
      y = paragraph(pdf, page, `– ${a.month} : ${a.halfDays} séance${a.halfDays > 1 ? 's' : ''} à distance (classe virtuelle ou travaux sur la plateforme), ${duration(a.minutes)} de connexion`, y, { size: 9, indent: 14 });
    }
  }
  y -= 12;
  y = paragraph(pdf, page, RETENTION_CLAUSE, y, { size: 9.5 });
  y -= 18;
  pdf.text(page, `Fait à ${o.city ?? '…………………'}, le ${numericDate(m.claim.validatedOn)}`, M, y, { size: 10.5 });
  y -= 18;
  const boxW = 260;
  pdf.box(page, W - M - boxW, y - 100, boxW, 100, { border: RULE, thickness: 0.7 });
  pdf.text(page, 'Cachet et signature du responsable', W - M - boxW + 8, y - 13, { size: 9, font: pdf.bold });
  pdf.text(page, 'du dispensateur de formation', W - M - boxW + 8, y - 24, { size: 9, font: pdf.bold });
  pdf.text(page, `${representative}, représentant légal`, W - M - boxW + 8, y - 36, { size: 8, color: MUTED, maxWidth: boxW - 16 });

  // References, then the footnote at the foot of the page (above the stamp).
  const refs = [
    `Financeur : ${m.funder.name}`,
    m.programme ? `Dispositif : ${m.programme.name}` : null,
    m.fileNumber ? `Dossier : ${m.fileNumber}` : null,
    m.claim.invoiceNumber ? `Facture ${m.claim.invoiceNumber}` : null,
    `Session : ${m.action.session}`,
  ].filter(Boolean).join('  ·  ');
  let foot = M + 34;
  if (distance) {
    paragraph(pdf, page, DISTANCE_FOOTNOTE, foot, { size: 7.5, color: MUTED });
    foot += 14;
  }
  pdf.line(page, M, foot + 10, M + 120, foot + 10, { color: RULE, thickness: 0.4 });
  pdf.text(page, refs, M, foot + 18, { size: 7, color: MUTED, maxWidth: W - 2 * M });
}

// ---------------------------------------------------------------------------------------------------------

interface Column {
  title: string;
  width: number;
  right?: boolean;
}

/**
 * Draws table rows under a header row, starting a new page (through `newPage`, which returns the top) when
 * the next row would run into the footer. Returns the page and the y under the last row.
 */
function table(pdf: Pdf, start: { page: PDFPage; y: number }, columns: readonly Column[], rows: readonly { cells: string[]; bold?: boolean; fill?: boolean }[], newPage: () => { page: PDFPage; y: number }, rowH = 15): { page: PDFPage; y: number } {
  let { page, y } = start;
  const head = () => {
    pdf.box(page, M, y - 17, W - 2 * M, 17, { fill: HEAD });
    let x = M;
    for (const c of columns) {
      pdf.text(page, c.title, c.right ? x + c.width - 5 : x + 5, y - 12, { size: 8, font: pdf.bold, align: c.right ? 'right' : 'left' });
      x += c.width;
    }
    y -= 17;
  };
  head();
  rows.forEach((r, i) => {
    if (y - rowH < M + 30) {
      ({ page, y } = newPage());
      head();
    }
    if (r.fill || i % 2 === 1) pdf.box(page, M, y - rowH, W - 2 * M, rowH, { fill: FAINT });
    let x = M;
    columns.forEach((c, j) => {
      pdf.text(page, r.cells[j] ?? '', c.right ? x + c.width - 5 : x + 5, y - rowH + 4.5, { size: 8, font: r.bold ? pdf.bold : pdf.regular, align: c.right ? 'right' : 'left', maxWidth: c.width - 10, minSize: 6 });
      x += c.width;
    });
    y -= rowH;
    pdf.line(page, M, y, W - M, y, { color: RULE, thickness: 0.3 });
  });
  return { page, y };
}

function continuation(pdf: Pdf, title: string): { page: PDFPage; y: number } {
  const page = pdf.doc.addPage(A4.portrait);
  pdf.text(page, title, M, H - M - 12, { size: 11, font: pdf.bold, maxWidth: W - 2 * M - QR - 20 });
  return { page, y: H - M - QR - 20 };
}

export function drawInvoice(pdf: Pdf, m: InvoiceModel): void {
  let page = pdf.doc.addPage(A4.portrait);
  const credit = m.totalHtCents < 0;
  const title = credit ? 'AVOIR' : 'FACTURE';
  // Under the QR code's box, so the payer's box on the right never runs into it.
  let y = Math.min(organisationBlock(pdf, page, m) - 30, QR_BOX_CLAIM.y - 30);
  pdf.text(page, title, M, y, { size: 20, font: pdf.bold });
  pdf.text(page, `N° ${m.claim.invoiceNumber ?? '(non numérotée)'}`, M, y - 16, { size: 11, font: pdf.bold, color: ACCENT });
  pdf.text(page, `Date : ${numericDate(m.claim.validatedOn)}`, M, y - 30, { size: 9 });

  // The payer, boxed on the right.
  const f = m.funder;
  const bx = W / 2 + 10;
  const bw = W - M - bx;
  pdf.box(page, bx, y - 66, bw, 78, { border: RULE, thickness: 0.6 });
  let py = y;
  pdf.text(page, 'Facturé à', bx + 8, py, { size: 7.5, color: MUTED });
  py -= 13;
  pdf.text(page, f.name, bx + 8, py, { size: 10, font: pdf.bold, maxWidth: bw - 16 });
  for (const line of [f.address, [f.postcode, f.city].filter(Boolean).join(' '), f.siret ? `SIRET ${groupedSiret(f.siret)}` : null]) {
    if (!line) continue;
    py -= 11;
    pdf.text(page, line, bx + 8, py, { size: 8.5, maxWidth: bw - 16 });
  }
  y -= 88;
  const info: [string, string][] = [
    ['Période', `du ${numericDate(m.claim.periodFrom)} au ${numericDate(m.claim.periodTo)}`],
    ['Dispositif', m.programme ? `${m.programme.name} (${m.programme.code})` : '—'],
    ['Bon de commande', m.claim.purchaseOrder ?? '—'],
    ['Demande de paiement', `${m.claim.kind === 'regularisation' ? 'régularisation ' : ''}${m.claim.id}`],
  ];
  for (const [k, v] of info) {
    const kw = pdf.text(page, `${k} :`, M, y, { size: 8.5, font: pdf.bold });
    pdf.text(page, v, M + kw + 5, y, { size: 8.5, maxWidth: W - 2 * M - kw - 5 });
    y -= 12;
  }
  y -= 8;
  const columns: Column[] = [
    { title: 'Désignation', width: W - 2 * M - 240 },
    { title: 'Quantité', width: 80, right: true },
    { title: 'Prix unitaire', width: 75, right: true },
    { title: 'Montant HT', width: 85, right: true },
  ];
  const rows = m.lines.map((l) => {
    const suffix = unitSuffix(l.unit);
    return { cells: [`${l.label} — ${unitLabel(l.unit)}`, `${formatQuantityE4(l.quantityE4)}${suffix ? ` ${suffix}` : ''}`, formatCents(l.unitPriceCents), formatCents(l.amountCents)] };
  });
  ({ page, y } = table(pdf, { page, y }, columns, rows, () => continuation(pdf, `${title} N° ${m.claim.invoiceNumber ?? ''} (suite)`)));

  const needed = 150;
  if (y - needed < M + 30) ({ page, y } = continuation(pdf, `${title} N° ${m.claim.invoiceNumber ?? ''} (suite)`));
  y -= 8;
  const tx = W - M - 240;
  const totals: [string, string, boolean][] = [
    ['Total HT', formatCents(m.totalHtCents), false],
    ['TVA', '0,00 €', false],
    ['Total TTC', formatCents(m.totalTtcCents), true],
  ];
  for (const [k, v, strong] of totals) {
    if (strong) pdf.box(page, tx, y - 16, 240, 16, { fill: HEAD });
    pdf.text(page, k, tx + 6, y - 11.5, { size: strong ? 10 : 9, font: strong ? pdf.bold : pdf.regular });
    pdf.text(page, v, W - M - 6, y - 11.5, { size: strong ? 10 : 9, font: strong ? pdf.bold : pdf.regular, align: 'right' });
    y -= 16;
  }
  y -= 10;
  y = paragraph(pdf, page, m.vatMention, y, { size: 8.5, bold: true });
  y -= 6;
  y = paragraph(pdf, page, credit
    ? 'Avoir à imputer sur les paiements à venir du même financeur, ou remboursé par virement.'
    : "Conditions de paiement : à 30 jours à compter de la réception de la facture, par virement. Pas d'escompte pour paiement anticipé. En cas de retard, pénalités au taux d'intérêt légal majoré de 10 points et indemnité forfaitaire de 40 € pour frais de recouvrement (art. L441-10 et D441-5 du code de commerce).", y, { size: 8, color: MUTED });
  y -= 4;
  paragraph(pdf, page, 'Les quantités sont les heures réalisées calculées par Sillon à partir des émargements (au centième d\'heure, arrondi inférieur) ; chaque montant est arrondi au centime le plus proche.', y, { size: 7.5, color: MUTED });
}

// ---------------------------------------------------------------------------------------------------------

export function drawFunderStatement(pdf: Pdf, m: FunderStatementModel): void {
  const first = pdf.doc.addPage(A4.portrait);
  let y = organisationBlock(pdf, first, m) - 28;
  pdf.text(first, 'État de présence de la période', M, y, { size: 16, font: pdf.bold });
  y -= 15;
  pdf.text(first, `du ${numericDate(m.claim.periodFrom)} au ${numericDate(m.claim.periodTo)} — ${m.funder.name}${m.programme ? ` — ${m.programme.name}` : ''}`, M, y, { size: 9.5, color: ACCENT, maxWidth: W - 2 * M });
  y -= 12;
  pdf.text(first, `${m.claim.purchaseOrder ? `Bon de commande ${m.claim.purchaseOrder} · ` : ''}${m.claim.invoiceNumber ? `Facture ${m.claim.invoiceNumber} · ` : ''}Demande ${m.claim.id}`, M, y, { size: 7.5, color: MUTED, maxWidth: W - 2 * M });
  y -= 18;
  const columns: Column[] = [
    { title: 'Date', width: 90 },
    { title: 'Demi-journée', width: 100 },
    { title: 'Statut', width: W - 2 * M - 340 },
    { title: 'Prévu', width: 70, right: true },
    { title: 'Réalisé', width: 80, right: true },
  ];
  const title = `État de présence du ${numericDate(m.claim.periodFrom)} au ${numericDate(m.claim.periodTo)} — ${m.funder.name} (suite)`;
  let at = { page: first, y };
  for (const t of m.trainees) {
    if (at.y - 60 < M + 30) at = continuation(pdf, title);
    const who = personName(t.lastName, t.firstName);
    pdf.text(at.page, who, M, at.y - 12, { size: 10, font: pdf.bold });
    pdf.text(at.page, `${t.session}${t.fileNumber ? ` · dossier ${t.fileNumber}` : ''}`, M + pdf.width(who, 10, pdf.bold) + 8, at.y - 12, { size: 8, color: MUTED, maxWidth: W - 2 * M - pdf.width(who, 10, pdf.bold) - 8 });
    at.y -= 18;
    const rows: { cells: string[]; bold?: boolean; fill?: boolean }[] = t.halfDays.map((d) => ({ cells: [numericDate(d.date), `${HALF_DAY_LABEL[d.halfDay]} (${d.start.replace(':', 'h')}–${d.end.replace(':', 'h')})`, d.status, duration(d.slotMinutes), duration(d.attended)] }));
    rows.push({ cells: [`Total ${who}`, `${t.halfDays.length} demi-journée${t.halfDays.length > 1 ? 's' : ''}`, '', '', duration(t.attended)], bold: true, fill: true });
    at = table(pdf, at, columns, rows, () => continuation(pdf, title), 14);
    at.y -= 14;
  }
  if (at.y - 60 < M + 30) at = continuation(pdf, title);
  pdf.box(at.page, M, at.y - 22, W - 2 * M, 22, { fill: HEAD, border: INK, thickness: 0.8 });
  pdf.text(at.page, `Total de la période : ${m.total.trainees} stagiaire${m.total.trainees > 1 ? 's' : ''}, ${m.total.halfDays} demi-journée${m.total.halfDays > 1 ? 's' : ''}`, M + 6, at.y - 14.5, { size: 9.5, font: pdf.bold });
  pdf.text(at.page, `${duration(m.total.attended)} (${hoursText(m.total.attended)} h)`, W - M - 6, at.y - 14.5, { size: 9.5, font: pdf.bold, align: 'right' });
  at.y -= 34;
  paragraph(pdf, at.page, 'Heures réalisées calculées par Sillon à partir des émargements (retards et départs anticipés déduits, temps de connexion pour le distanciel) : les mêmes que celles de la demande de paiement.', at.y, { size: 7.5, color: MUTED });
}
