import { localDateTime } from '../../../shared/domain/dates';
import type { PDFPage } from 'pdf-lib';
import { methodText, placeLine, statusText } from './common-model';
import { clock, duration, groupedSiret, HALF_DAY_LABEL, longDate, monthLabel, numericDate, personName } from './format';
import { A4, ACCENT, FAINT, HEAD, INK, MUTED, Pdf, RULE, WARN } from './pdf';
import { drawFunderLogos, embedFunderLogos } from './sheet-pdf';
import type { AfestStatementLine, StatementLine, StatementModel } from './statement-model';

/**
 * Draws a trainee's monthly attendance statement on A4 portrait: who, which action and funder, every
 * slot of the month with its status and the minutes attended, the month's totals from the engine, and
 * the signature lines.
 */

const [W, H] = A4.portrait;
const M = 32;
const QR = 62;
const ROW = 15;
const TOTALS_H = 180;
const SIGN_H = 112;
const MODALITY: Record<string, string> = { presentiel: 'présentiel', distanciel: 'distanciel', mixte: 'mixte', afest: 'AFEST' };

export const QR_BOX_PORTRAIT = { x: W - M - QR, y: H - M - QR, size: QR };

const COLUMNS = [
  { title: 'Date', width: 108 },
  { title: 'Demi-journée', width: 104 },
  { title: 'Modalité', width: 50 },
  { title: 'Statut', width: 104 },
  { title: 'Recueil', width: 75 },
  { title: 'Prévu', width: 40, right: true },
  { title: 'Réalisé', width: 50, right: true },
] as const;

export async function drawStatement(pdf: Pdf, m: StatementModel, issuedAt: string, logoBytes: Uint8Array | null): Promise<void> {
  const logos = m.funder ? await embedFunderLogos(pdf, [m.funder], async () => logoBytes) : [];
  // The funder's required mentions, wrapped (never cut), under the signatures.
  const mentions = m.funder?.mentions ? pdf.wrap(`${m.funder.name} : ${m.funder.mentions}`, W - 2 * M, 7) : [];
  const addPage = () => {
    const p = pdf.doc.addPage(A4.portrait);
    logosW = drawFunderLogos(pdf, p, logos, W - M - QR - 12, H - M);
    return p;
  };
  let logosW = 0;
  let page = addPage();
  const header = (p: PDFPage, first: boolean) => drawHeader(pdf, p, m, first, logosW);
  let y = header(page, true);
  let lineIndex = 0;
  const tableHead = (p: PDFPage, top: number) => {
    pdf.box(p, M, top - 18, W - 2 * M, 18, { fill: HEAD });
    let x = M;
    for (const c of COLUMNS) {
      pdf.text(p, c.title, 'right' in c ? x + c.width - 5 : x + 5, top - 12.5, { size: 7.5, font: pdf.bold, align: 'right' in c ? 'right' : 'left' });
      x += c.width;
    }
    return top - 18;
  };
  y = tableHead(page, y);
  if (m.lines.length === 0) {
    pdf.text(page, "Aucun créneau prévu ce mois-ci pour cette inscription.", M + 5, y - 11, { size: 8, font: pdf.italic, color: MUTED });
    y -= ROW;
  }
  let previousDate = '';
  while (lineIndex < m.lines.length) {
    if (y - ROW < M + 14) {
      pdf.line(page, M, y, W - M, y, { color: INK, thickness: 0.8 });
      page = addPage();
      y = tableHead(page, header(page, false));
      previousDate = '';
    }
    const line = m.lines[lineIndex]!;
    row(pdf, page, line, y, lineIndex % 2 === 1, line.date !== previousDate);
    previousDate = line.date;
    y -= ROW;
    lineIndex++;
  }
  pdf.line(page, M, y, W - M, y, { color: INK, thickness: 0.8 });

  if (m.afest) {
    // AFEST times are their own modality: listed apart from the slots, with their own totals (the engine's).
    const afestRows = m.afest.lines;
    const needed = (rows: number) => 30 + rows * ROW;
    if (y - needed(Math.min(afestRows.length, 3)) < M + 14) {
      page = addPage();
      y = header(page, false);
    }
    y = afestHead(pdf, page, y - 12);
    for (const [i, l] of afestRows.entries()) {
      if (y - ROW < M + 14) {
        pdf.line(page, M, y, W - M, y, { color: INK, thickness: 0.8 });
        page = addPage();
        y = afestHead(pdf, page, header(page, false));
      }
      afestRow(pdf, page, l, y, i % 2 === 1);
      y -= ROW;
    }
    pdf.line(page, M, y, W - M, y, { color: INK, thickness: 0.8 });
    const t = m.afest.totals;
    const text = `Total AFEST : mises en situation ${duration(t['work-situation'])} · séquences réflexives ${duration(t.reflective)} · évaluations ${duration(t.evaluation)}`;
    pdf.text(page, text, M + 5, y - 11, { size: 7.5, font: pdf.bold, maxWidth: W - 2 * M - 10 });
    y -= ROW + 2;
  }

  if (y - 14 - TOTALS_H - SIGN_H - 9 * mentions.length < M + 14) {
    page = addPage();
    y = header(page, false);
  }
  y = totals(pdf, page, m, y - 14);
  signatures(pdf, page, m, y - 12, issuedAt);
  mentions.forEach((l, i) => pdf.text(page, l, M, y - 12 - SIGN_H - 4 - i * 9, { size: 7, color: INK }));
}

function drawHeader(pdf: Pdf, page: PDFPage, m: StatementModel, first: boolean, logosW: number): number {
  const o = m.organisation;
  const maxW = W - 2 * M - QR - 14;
  let y = H - M - 9;
  pdf.text(page, o.name, M, y, { size: 10, font: pdf.bold, color: ACCENT, maxWidth: maxW - logosW });
  y -= 10;
  pdf.text(page, [o.address, [o.postcode, o.city].filter(Boolean).join(' ')].filter(Boolean).join(', '), M, y, { size: 7, color: MUTED, maxWidth: maxW - logosW });
  y -= 9;
  pdf.text(page, [`SIRET ${groupedSiret(o.siret)}`, o.nda ? `NDA ${o.nda}` : 'NDA non renseigné'].join('  ·  '), M, y, { size: 7, color: MUTED, maxWidth: maxW - logosW });
  y -= 24;
  const tw = pdf.text(page, 'Relevé mensuel de présence', M, y, { size: 16, font: pdf.bold });
  pdf.text(page, monthLabel(m.month.id), M + tw + 10, y + 1, { size: 12 });
  y -= 13;
  pdf.text(page, `${personName(m.trainee.lastName, m.trainee.firstName)} — ${m.action.title}`, M, y, { size: 8, color: MUTED, maxWidth: maxW });
  if (!first) return y - 14;
  y -= 12;
  const boxTop = y;
  const colW = (W - 2 * M) / 2;
  const left: [string, string][] = [
    ['Stagiaire', personName(m.trainee.lastName, m.trainee.firstName)],
    ['Né(e) le', numericDate(m.trainee.birthDate)],
    ...(m.trainee.franceTravailId ? [['Identifiant France Travail', m.trainee.franceTravailId] as [string, string]] : []),
    ['Entreprise', m.enrolment.company ?? '—'],
    ['Financeur', m.enrolment.funderName],
    ['N° de dossier', m.enrolment.fileNumber ?? 'non renseigné'],
  ];
  const right: [string, string][] = [
    ['Action (module)', m.action.title],
    ['Référence', [m.action.code, m.action.certificationCode].filter(Boolean).join(' · ') || '—'],
    ['Session', m.session.label],
    ['Lieu', m.place ? placeLine(m.place) : 'non renseigné'],
    ['Inscription', `du ${numericDate(m.enrolment.plannedStart)} au ${numericDate(m.enrolment.plannedEnd)} (prévue)`],
    ['Entrée en formation', `${m.enrolment.enteredOn ? `le ${numericDate(m.enrolment.enteredOn)}` : 'non déclarée'}${m.enrolment.exitedOn ? ` — sortie le ${numericDate(m.enrolment.exitedOn)}` : ''}`],
    ['Période du relevé', `du ${numericDate(m.month.from)} au ${numericDate(m.month.to)}`],
  ];
  // Values wrap on two lines at most (a long place name); the box grows to the longer column.
  const LH = 10.5;
  const layout = (items: [string, string][]) =>
    items.map(([k, v]) => {
      const kw = pdf.width(`${k} :`, 7.5, pdf.bold) + 4;
      return { k, kw, lines: pdf.wrap(v, colW - kw - 16, 7.5, pdf.regular, 2) };
    });
  const columns = [layout(left), layout(right)];
  const height = Math.max(...columns.map((c) => c.reduce((n, i) => n + Math.max(1, i.lines.length), 0)));
  const boxH = height * LH + 9;
  pdf.box(page, M, boxTop - boxH, W - 2 * M, boxH, { fill: FAINT, border: RULE, thickness: 0.5 });
  columns.forEach((items, c) => {
    const x = M + 7 + c * (colW - 4);
    let ly = boxTop - 11;
    for (const item of items) {
      pdf.text(page, `${item.k} :`, x, ly, { size: 7.5, font: pdf.bold });
      item.lines.forEach((l, i) => pdf.text(page, l, x + item.kw, ly - i * LH, { size: 7.5 }));
      ly -= Math.max(1, item.lines.length) * LH;
    }
  });
  return boxTop - boxH - 12;
}

function row(pdf: Pdf, page: PDFPage, l: StatementLine, top: number, zebra: boolean, showDate: boolean): void {
  if (zebra) pdf.box(page, M, top - ROW, W - 2 * M, ROW, { fill: FAINT });
  const y = top - 10.5;
  const cells: { text: string; bold?: boolean; italic?: boolean; color?: typeof INK }[] = [];
  cells.push({ text: showDate ? longDate(l.date) : '' });
  cells.push({ text: `${HALF_DAY_LABEL[l.halfDay]} · ${clock(l.start)} – ${clock(l.end)}` });
  cells.push({ text: l.mark?.category === 'remote' ? 'distanciel' : (MODALITY[l.modality] ?? l.modality) });
  if (l.mark) {
    cells.push({ text: statusText(l.mark), bold: l.mark.category === 'unexcused', color: l.mark.category === 'unexcused' ? WARN : INK });
    cells.push({ text: l.mark.method === 'none' ? '—' : methodText(l.mark) || 'Signature' });
  } else if (l.upcoming) {
    cells.push({ text: 'À venir', italic: true, color: MUTED });
    cells.push({ text: '—', color: MUTED });
  } else {
    cells.push({ text: 'Non saisi', italic: true, color: WARN });
    cells.push({ text: '—', color: MUTED });
  }
  cells.push({ text: duration(l.slotMinutes), color: MUTED });
  cells.push({ text: l.mark ? duration(l.attendedMinutes) : '—', bold: true });
  let x = M;
  COLUMNS.forEach((c, i) => {
    const cell = cells[i]!;
    const right = 'right' in c;
    const maxWidth = c.width - 10 - (i === 3 && l.mark?.corrected ? 30 : 0);
    const font = cell.bold ? pdf.bold : cell.italic ? pdf.italic : pdf.regular;
    pdf.text(page, cell.text, right ? x + c.width - 5 : x + 5, y, { size: 7.5, font, color: cell.color ?? INK, align: right ? 'right' : 'left', maxWidth, minSize: 5.5 });
    if (i === 3 && l.mark?.corrected) pdf.text(page, 'corrigé', x + c.width - 4, y, { size: 6, font: pdf.italic, color: WARN, align: 'right' });
    x += c.width;
  });
  pdf.line(page, M, top - ROW, W - M, top - ROW, { color: RULE, thickness: 0.3 });
}

const AFEST_KIND: Record<AfestStatementLine['kind'], string> = { 'work-situation': 'Mise en situation de travail', reflective: 'Séquence réflexive', evaluation: 'Évaluation' };
const AFEST_COLUMNS = [
  { title: 'Date', width: 108 },
  { title: 'Nature (AFEST)', width: 150 },
  { title: 'Horaires', width: 70 },
  { title: 'Animée par', width: 143 },
  { title: 'Durée', width: 60, right: true },
] as const;

function afestHead(pdf: Pdf, page: PDFPage, top: number): number {
  pdf.text(page, 'Formation en situation de travail (AFEST)', M, top - 10, { size: 10, font: pdf.bold });
  const y = top - 16;
  pdf.box(page, M, y - 18, W - 2 * M, 18, { fill: HEAD });
  let x = M;
  for (const c of AFEST_COLUMNS) {
    pdf.text(page, c.title, 'right' in c ? x + c.width - 5 : x + 5, y - 12.5, { size: 7.5, font: pdf.bold, align: 'right' in c ? 'right' : 'left' });
    x += c.width;
  }
  return y - 18;
}

function afestRow(pdf: Pdf, page: PDFPage, l: AfestStatementLine, top: number, shaded: boolean): void {
  if (shaded) pdf.box(page, M, top - ROW, W - 2 * M, ROW, { fill: FAINT });
  const cells = [longDate(l.date), AFEST_KIND[l.kind], l.start && l.end ? `${clock(l.start)}–${clock(l.end)}` : '—', l.ledBy, duration(l.minutes)];
  let x = M;
  AFEST_COLUMNS.forEach((c, i) => {
    pdf.text(page, cells[i]!, 'right' in c ? x + c.width - 5 : x + 5, top - 10.5, { size: 7.5, align: 'right' in c ? 'right' : 'left', maxWidth: c.width - 10, minSize: 6 });
    x += c.width;
  });
  pdf.line(page, M, top - ROW, W - M, top - ROW, { color: RULE, thickness: 0.3 });
}

function totals(pdf: Pdf, page: PDFPage, m: StatementModel, top: number): number {
  const t = m.totals;
  const h = m.halfDays;
  pdf.text(page, 'Totaux du mois', M, top - 10, { size: 10, font: pdf.bold });
  pdf.text(page, 'heures réalisées calculées par Sillon à partir des émargements (retards et départs déduits)', M + 82, top - 10, { size: 7, color: MUTED });
  const rows: { label: string; halfDays: string; minutes: string; strong?: boolean }[] = [
    { label: 'Présent', halfDays: String(h.present), minutes: duration(t.byCategory.present) },
    { label: 'Retard (temps suivi)', halfDays: String(h.late), minutes: duration(t.byCategory.late) },
    { label: 'Départ anticipé (temps suivi)', halfDays: String(h['early-leave']), minutes: duration(t.byCategory['early-leave']) },
    { label: 'Distanciel (temps de connexion)', halfDays: String(h.remote), minutes: duration(t.byCategory.remote) },
    { label: 'Total des heures réalisées', halfDays: String(h.present + h.late + h['early-leave'] + h.remote), minutes: duration(t.attended), strong: true },
    { label: 'Temps non suivi (retards, départs anticipés, connexion incomplète)', halfDays: '—', minutes: duration(t.missed) },
    { label: 'Absent justifié', halfDays: String(h.excused), minutes: duration(t.absentExcused) },
    { label: 'Absent non justifié', halfDays: String(h.unexcused), minutes: duration(t.absentUnexcused) },
    { label: 'Durée prévue des demi-journées saisies', halfDays: String(t.marks), minutes: duration(t.planned) },
  ];
  if (h.unmarked) rows.push({ label: 'Demi-journées passées sans saisie (non comptées)', halfDays: String(h.unmarked), minutes: '—' });
  if (h.upcoming) rows.push({ label: 'Demi-journées à venir à la date du relevé', halfDays: String(h.upcoming), minutes: '—' });
  const widths = [W - 2 * M - 160, 80, 80];
  let y = top - 18;
  pdf.box(page, M, y - 16, W - 2 * M, 16, { fill: HEAD });
  ['Catégorie', 'Demi-journées', 'Durée'].forEach((title, i) => {
    const x = M + widths.slice(0, i).reduce((a, b) => a + b, 0);
    pdf.text(page, title, i === 0 ? x + 5 : x + widths[i]! - 5, y - 11, { size: 7.5, font: pdf.bold, align: i === 0 ? 'left' : 'right' });
  });
  y -= 16;
  for (const r of rows) {
    if (r.strong) pdf.box(page, M, y - 14, W - 2 * M, 14, { fill: FAINT });
    const font = r.strong ? pdf.bold : pdf.regular;
    pdf.text(page, r.label, M + 5, y - 10, { size: 7.5, font, maxWidth: widths[0]! - 10, minSize: 6.5 });
    pdf.text(page, r.halfDays, M + widths[0]! + widths[1]! - 5, y - 10, { size: 7.5, font, align: 'right' });
    pdf.text(page, r.minutes, W - M - 5, y - 10, { size: 7.5, font, align: 'right' });
    y -= 14;
    pdf.line(page, M, y, W - M, y, { color: RULE, thickness: 0.3 });
  }
  pdf.box(page, M, y, W - 2 * M, top - 18 - y, { border: INK, thickness: 0.8 });
  return y;
}

function signatures(pdf: Pdf, page: PDFPage, m: StatementModel, top: number, issuedAt: string): void {
  const local = localDateTime(issuedAt, m.organisation.timeZone);
  pdf.text(page, `Fait à ${m.organisation.city ?? '…………………'}, le ${longDate(local.date)}.`, M, top - 10, { size: 8.5 });
  pdf.text(page, "Relevé établi à partir des émargements enregistrés dans Sillon ; motifs d'absence et justificatifs consultables sur demande (non imprimés).", M, top - 21, { size: 6.5, color: MUTED, maxWidth: W - 2 * M });
  const boxTop = top - 30;
  const w = (W - 2 * M - 14) / 2;
  const boxes = [
    { title: 'Le stagiaire', sub: `${personName(m.trainee.lastName, m.trainee.firstName)} — « certifié exact », date et signature` },
    { title: "Pour l'organisme de formation", sub: `${m.organisation.legalRepresentative ?? 'Le représentant légal'} — signature et cachet` },
  ];
  boxes.forEach((b, i) => {
    const x = M + i * (w + 14);
    pdf.box(page, x, boxTop - 72, w, 72, { border: RULE, thickness: 0.6 });
    pdf.text(page, b.title, x + 6, boxTop - 11, { size: 8, font: pdf.bold });
    pdf.text(page, b.sub, x + 6, boxTop - 21, { size: 6.5, color: MUTED, maxWidth: w - 12 });
  });
}
