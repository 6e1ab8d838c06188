import { rgb, type PDFImage, type PDFPage } from 'pdf-lib';
import { localDateTime } from '../../../shared/domain/dates';
import { methodText, placeLine, statusText, type FunderPrint, type PrintedMark } from './common-model';
import { clock, dateRange, duration, groupedSiret, HALF_DAY_LABEL, longDate, modalityLabel, numericDate, personName, shortDate } from './format';
import { A4, ACCENT, FAINT, HEAD, INK, MUTED, Pdf, RULE, WARN } from './pdf';
import type { SheetModel, SheetRow, SheetSlot } from './sheet-model';

/**
 * Draws the weekly attendance sheet (and its blank twin) on A4 landscape: a header naming the training
 * body, the action (module), the session, the place and the week; one row per trainee, one column per
 * half-day slot; the trainers' countersignatures at the bottom of every page.
 */

const [W, H] = A4.landscape;
const M = 24;
const QR = 58;
const NAME_W = 150;
const HOURS_W = 58;
const DAY_ROW = 14;
const SLOT_ROW = 32;
const TRAINER_ROW = 50;
const LEGEND = 30;
const MAX_SLOTS_PER_PAGE = 10;
const ABSENT_UNEXCUSED = rgb(0.99, 0.92, 0.91);
const ABSENT_EXCUSED = rgb(0.94, 0.95, 0.98);
const ZEBRA = rgb(0.985, 0.986, 0.99);

export const QR_BOX_LANDSCAPE = { x: W - M - QR, y: H - M - QR, size: QR };

export interface SheetAssets {
  /** Signature PNG bytes by signature id (the model holds only their hashes). */
  signature(id: string): Promise<Uint8Array | null>;
  /** A funder's logo bytes (PNG or JPEG) by funder code. */
  funderLogo(code: string): Promise<Uint8Array | null>;
}

const LOGO_H = 26;
const LOGO_MAX_W = 80;

/** The funders' logos, embedded once, with the width each takes at LOGO_H. */
export async function embedFunderLogos(pdf: Pdf, funders: readonly FunderPrint[], bytes: (code: string) => Promise<Uint8Array | null>): Promise<{ image: PDFImage; width: number }[]> {
  const out: { image: PDFImage; width: number }[] = [];
  for (const f of funders) {
    if (!f.logo) continue;
    const image = await pdf.logo(`logo:${f.logo.sha256}`, await bytes(f.code));
    if (image) out.push({ image, width: Math.min(LOGO_MAX_W, (image.width / image.height) * LOGO_H) });
  }
  return out;
}

/** Draws the logos in a row ending at `right`, top at `top`; returns the width used. */
export function drawFunderLogos(pdf: Pdf, page: PDFPage, logos: readonly { image: PDFImage; width: number }[], right: number, top: number): number {
  let x = right;
  for (const l of [...logos].reverse()) {
    x -= l.width;
    pdf.imageIn(page, l.image, x, top - LOGO_H, l.width, LOGO_H);
    x -= 8;
  }
  return logos.length ? right - x : 0;
}

function chunks<T>(items: readonly T[], max: number): T[][] {
  const n = Math.max(1, Math.ceil(items.length / max));
  const size = Math.ceil(items.length / n);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}

export async function drawSheet(pdf: Pdf, m: SheetModel, assets: SheetAssets): Promise<void> {
  const blank = m.kind === 'blank-sheet';
  // Every signature image embedded once, up front: the drawing below is then synchronous.
  const images = new Map<string, PDFImage | null>();
  const signatureIds = [
    ...m.rows.flatMap((r) => r.cells.map((c) => c.mark?.signature?.id)),
    ...m.slots.map((s) => s.closure?.signature?.id),
  ].filter((id): id is string => id !== undefined);
  for (const id of new Set(signatureIds)) images.set(id, await pdf.png(`sig:${id}`, await assets.signature(id)));
  const image = (id: string | undefined) => (id ? (images.get(id) ?? null) : null);
  const logos = await embedFunderLogos(pdf, m.funders, assets.funderLogo);
  // Wrapped, never cut: a required mention printed in part is not printed.
  const mentions = m.funders.filter((f) => f.mentions).flatMap((f) => pdf.wrap(`${f.name} : ${f.mentions}`, W - 2 * M, 6.3));

  const gridTop = H - M - 92;
  const rowsArea = gridTop - DAY_ROW - SLOT_ROW - TRAINER_ROW - LEGEND - 8 * mentions.length - (M + 6);
  let rowH = Math.min(30, rowsArea / Math.max(1, m.rows.length));
  if (rowH < 22) rowH = 24;
  const rowsPerPage = Math.max(1, Math.floor(rowsArea / rowH));
  const rowPages = chunks(m.rows, rowsPerPage);
  const slotPages = chunks(m.slots.map((s, i) => ({ s, i })), MAX_SLOTS_PER_PAGE);

  for (const slotPage of slotPages) {
    for (const rows of rowPages) {
      const page = pdf.doc.addPage(A4.landscape);
      header(pdf, page, m, blank, drawFunderLogos(pdf, page, logos, W - M - QR - 12, H - M));
      const slotW = (W - 2 * M - NAME_W - HOURS_W) / slotPage.length;
      const x0 = M;
      const xs = slotPage.map((_, k) => x0 + NAME_W + k * slotW);
      const xHours = x0 + NAME_W + slotPage.length * slotW;
      const headBottom = gridTop - DAY_ROW - SLOT_ROW;
      const rowsBottom = headBottom - rows.length * rowH;
      const gridBottom = rowsBottom - TRAINER_ROW;

      // Column headers: the day over its half-days, then each slot's times and trainers.
      pdf.box(page, x0, headBottom, W - 2 * M, DAY_ROW + SLOT_ROW, { fill: HEAD });
      pdf.text(page, 'Stagiaire', x0 + 5, gridTop - 19, { size: 9, font: pdf.bold });
      pdf.text(page, 'nom, financeur, n° de dossier', x0 + 5, gridTop - 30, { size: 6.5, color: MUTED });
      const hx = xHours + HOURS_W / 2;
      pdf.text(page, 'Heures', hx, gridTop - 16, { size: 7.5, font: pdf.bold, align: 'center' });
      pdf.text(page, blank ? 'prévues' : 'réalisées', hx, gridTop - 25, { size: 7.5, font: pdf.bold, align: 'center' });
      pdf.text(page, blank ? 'sur la semaine' : '/ prévues', hx, gridTop - 35, { size: 6.3, color: MUTED, align: 'center' });
      const dayStarts: number[] = [];
      for (let k = 0; k < slotPage.length;) {
        const date = slotPage[k]!.s.date;
        let span = 1;
        while (k + span < slotPage.length && slotPage[k + span]!.s.date === date) span++;
        const w = span * slotW;
        const text = pdf.width(longDate(date), 7.5, pdf.bold) <= w - 6 ? longDate(date) : shortDate(date);
        pdf.text(page, text, xs[k]! + w / 2, gridTop - 10, { size: 7.5, font: pdf.bold, align: 'center', maxWidth: w - 4 });
        dayStarts.push(k);
        k += span;
      }
      slotPage.forEach(({ s }, j) => {
        const cx = xs[j]! + slotW / 2;
        const y = gridTop - DAY_ROW;
        pdf.text(page, `${HALF_DAY_LABEL[s.halfDay]} · ${duration(s.minutes)}`, cx, y - 9, { size: 6.5, font: pdf.bold, align: 'center', maxWidth: slotW - 4 });
        pdf.text(page, `${clock(s.start)} – ${clock(s.end)}`, cx, y - 18, { size: 7, align: 'center', maxWidth: slotW - 4 });
        pdf.text(page, s.trainers.join(', ') || 'formateur non affecté', cx, y - 27, { size: 6, color: s.trainers.length ? MUTED : WARN, align: 'center', maxWidth: slotW - 4, minSize: 5 });
      });

      // One row per trainee.
      rows.forEach((r, i) => {
        const top = headBottom - i * rowH;
        if (i % 2 === 1) pdf.box(page, x0, top - rowH, W - 2 * M, rowH, { fill: ZEBRA });
        nameCell(pdf, page, r, x0, top, rowH);
        slotPage.forEach(({ i: si }, j) => {
          const c = r.cells[si]!;
          cell(pdf, page, c.expected, c.mark, blank, xs[j]!, top, slotW, rowH, image(c.mark?.signature?.id));
        });
        hoursCell(pdf, page, r, xHours, top, rowH);
      });

      // The trainers' countersignatures.
      pdf.box(page, x0, gridBottom, NAME_W, TRAINER_ROW, { fill: HEAD });
      pdf.text(page, 'Formateur', x0 + 5, rowsBottom - 14, { size: 9, font: pdf.bold });
      pdf.text(page, 'nom et signature', x0 + 5, rowsBottom - 25, { size: 7.5 });
      pdf.text(page, blank ? 'à la fin de chaque demi-journée' : 'contre-signature à la clôture du créneau', x0 + 5, rowsBottom - 36, { size: 6, color: MUTED, maxWidth: NAME_W - 8 });
      slotPage.forEach(({ s }, j) => trainerCell(pdf, page, s, blank, xs[j]!, rowsBottom, slotW, image(s.closure?.signature?.id), m.organisation.timeZone));
      pdf.box(page, xHours, gridBottom, HOURS_W, TRAINER_ROW, { fill: HEAD });
      if (!blank) {
        pdf.text(page, 'Groupe', hx, rowsBottom - 16, { size: 6.5, color: MUTED, align: 'center' });
        pdf.text(page, duration(m.realisedMinutes ?? 0), hx, rowsBottom - 27, { size: 8.5, font: pdf.bold, align: 'center', maxWidth: HOURS_W - 4 });
        pdf.text(page, 'réalisées', hx, rowsBottom - 36, { size: 6, color: MUTED, align: 'center' });
      }

      // Rules last, over the fills: thin between half-days, strong between days and around blocks.
      slotPage.forEach((_, j) => {
        const dayEdge = dayStarts.includes(j);
        pdf.line(page, xs[j]!, dayEdge ? gridTop : gridTop - DAY_ROW, xs[j]!, gridBottom, { color: dayEdge ? INK : RULE, thickness: dayEdge ? 0.8 : 0.4 });
      });
      pdf.line(page, xHours, gridTop, xHours, gridBottom, { color: INK, thickness: 0.8 });
      pdf.line(page, x0 + NAME_W, gridTop - DAY_ROW, xHours, gridTop - DAY_ROW, { color: RULE, thickness: 0.4 });
      pdf.line(page, x0, headBottom, W - M, headBottom, { color: INK, thickness: 0.8 });
      for (let i = 1; i < rows.length; i++) pdf.line(page, x0, headBottom - i * rowH, W - M, headBottom - i * rowH, { color: RULE, thickness: 0.4 });
      pdf.line(page, x0, rowsBottom, W - M, rowsBottom, { color: INK, thickness: 0.8 });
      pdf.box(page, x0, gridBottom, W - 2 * M, gridTop - gridBottom, { border: INK, thickness: 1 });

      legend(pdf, page, m, blank, gridBottom - 10, mentions);
    }
  }
}

function header(pdf: Pdf, page: PDFPage, m: SheetModel, blank: boolean, logosW: number): void {
  const o = m.organisation;
  const maxW = W - 2 * M - QR - 16;
  let y = H - M - 9;
  pdf.text(page, o.name, M, y, { size: 10, font: pdf.bold, color: ACCENT, maxWidth: maxW - logosW });
  y -= 10;
  const address = [o.address, [o.postcode, o.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  pdf.text(page, [`SIRET ${groupedSiret(o.siret)}`, o.nda ? `Déclaration d'activité (NDA) n° ${o.nda}` : 'NDA non renseigné', address].filter(Boolean).join('  ·  '), M, y, { size: 7, color: MUTED, maxWidth: maxW - logosW });
  y -= 22;
  const title = blank ? "Feuille d'émargement — à signer" : "Feuille d'émargement";
  const tw = pdf.text(page, title, M, y, { size: 16, font: pdf.bold });
  pdf.text(page, `Semaine ${dateRange(m.week.start, m.slots.at(-1)!.date)}`, M + tw + 12, y + 1, { size: 11, color: INK, maxWidth: maxW - tw - 12 });
  y -= 16;
  const colW = (maxW - 12) / 2;
  const places = [...new Set(m.slots.map((s) => (s.place ? placeLine(s.place) : null)).filter((p): p is string => p !== null))];
  const ref = [m.action.code, m.action.certificationCode, `modalité ${modalityLabel(m.action.modality)}`].filter(Boolean).join(' · ');
  label(pdf, page, 'Action (module)', m.action.title, M, y, colW);
  label(pdf, page, 'Lieu', places.join(' ; ') || (m.place ? placeLine(m.place) : 'non renseigné'), M + colW + 12, y, colW);
  y -= 11;
  label(pdf, page, 'Session', `${m.session.label} — du ${numericDate(m.session.startDate)} au ${numericDate(m.session.endDate)}`, M, y, colW);
  label(pdf, page, 'Référence', ref, M + colW + 12, y, colW);
  if (blank) {
    y -= 11;
    pdf.text(page, 'Feuille de secours (panne de tablette) : chaque stagiaire signe sa case ; le formateur signe en bas de chaque demi-journée.', M, y, { size: 7, font: pdf.italic, color: WARN, maxWidth: maxW });
  }
}

function label(pdf: Pdf, page: PDFPage, name: string, value: string, x: number, y: number, width: number): void {
  const w = pdf.text(page, `${name} :`, x, y, { size: 7.5, font: pdf.bold }) + 4;
  pdf.text(page, value, x + w, y, { size: 7.5, maxWidth: width - w, minSize: 6 });
}

function nameCell(pdf: Pdf, page: PDFPage, r: SheetRow, x: number, top: number, h: number): void {
  pdf.text(page, personName(r.lastName, r.firstName), x + 5, top - h / 2 + 1.5, { size: 8, font: pdf.bold, maxWidth: NAME_W - 10, minSize: 6.5 });
  pdf.text(page, [r.funderName, r.fileNumber].filter(Boolean).join(' · '), x + 5, top - h / 2 - 7.5, { size: 6, color: MUTED, maxWidth: NAME_W - 10 });
}

function hoursCell(pdf: Pdf, page: PDFPage, r: SheetRow, x: number, top: number, h: number): void {
  const cx = x + HOURS_W / 2;
  if (r.realisedMinutes === null) {
    pdf.text(page, duration(r.plannedMinutes), cx, top - h / 2 + 1.5, { size: 8, align: 'center' });
    return;
  }
  // Same baseline and size as the trainee's name, so the row reads (and extracts) as one line.
  pdf.text(page, duration(r.realisedMinutes), cx, top - h / 2 + 1.5, { size: 8, font: pdf.bold, align: 'center' });
  pdf.text(page, `/ ${duration(r.plannedMinutes)}`, cx, top - h / 2 - 8, { size: 6, color: MUTED, align: 'center' });
}

function cell(pdf: Pdf, page: PDFPage, expected: boolean, mark: PrintedMark | null, blank: boolean, x: number, top: number, w: number, h: number, image: PDFImage | null): void {
  if (!expected && !mark) {
    pdf.box(page, x, top - h, w, h, { fill: FAINT });
    pdf.line(page, x + 4, top - h + 4, x + w - 4, top - 4, { color: rgb(0.78, 0.8, 0.83), thickness: 0.4 });
    return;
  }
  if (blank) return;
  if (!mark) {
    pdf.text(page, 'non saisi', x + w / 2, top - h / 2 - 2, { size: 5.5, font: pdf.italic, color: MUTED, align: 'center' });
    return;
  }
  if (mark.category === 'unexcused') pdf.box(page, x, top - h, w, h, { fill: ABSENT_UNEXCUSED });
  else if (mark.category === 'excused') pdf.box(page, x, top - h, w, h, { fill: ABSENT_EXCUSED });
  const status = mark.category === 'present' ? '' : statusText(mark);
  if (image) {
    pdf.imageIn(page, image, x + 3, top - h + (status ? 8 : 2), w - 6, h - (status ? 10 : 4));
    if (status) pdf.text(page, status, x + w / 2, top - h + 2.5, { size: 5.5, align: 'center', maxWidth: w - 4, minSize: 4.5 });
  } else {
    // The status on one line (shrunk to fit), how it was captured below it (wrapped).
    const method = methodText(mark) || (mark.method === 'signature' ? 'Signature (image absente)' : '');
    const lines = [{ text: mark.category === 'present' ? mark.label : statusText(mark), bold: true }, ...pdf.wrap(method, w - 6, 6, pdf.regular, 2).map((text) => ({ text, bold: false }))];
    const lh = 7;
    const y0 = top - h / 2 + ((lines.length - 1) * lh) / 2 - 2.2;
    lines.forEach((l, i) => pdf.text(page, l.text, x + w / 2, y0 - i * lh, { size: l.bold ? 6.5 : 6, font: l.bold ? pdf.bold : pdf.regular, color: l.bold ? INK : MUTED, align: 'center', maxWidth: w - 5, minSize: 4.8 }));
  }
  if (mark.corrected) pdf.text(page, 'corrigé', x + w - 2, top - 6.5, { size: 5.5, font: pdf.italic, color: WARN, align: 'right' });
}

function trainerCell(pdf: Pdf, page: PDFPage, s: SheetSlot, blank: boolean, x: number, top: number, w: number, image: PDFImage | null, timeZone: string): void {
  const cx = x + w / 2;
  const name = s.closure?.trainerName ?? s.trainers.join(', ');
  pdf.text(page, name || 'Nom :', cx, top - 9, { size: 6.5, font: pdf.bold, align: 'center', maxWidth: w - 4, minSize: 5 });
  if (blank) return;
  if (!s.closure) {
    pdf.text(page, 'créneau non clos', cx, top - TRAINER_ROW / 2 - 3, { size: 6, font: pdf.italic, color: WARN, align: 'center' });
    return;
  }
  if (image) pdf.imageIn(page, image, x + 3, top - TRAINER_ROW + 10, w - 6, TRAINER_ROW - 22);
  else pdf.text(page, s.closure.method === 'pin' ? 'Validé par PIN' : s.closure.method === 'paper' ? 'Signé sur papier' : 'Signature', cx, top - TRAINER_ROW / 2 - 3, { size: 6.5, align: 'center', maxWidth: w - 4 });
  const closed = localDateTime(s.closure.closedAt, timeZone);
  pdf.text(page, `clos le ${numericDate(closed.date).slice(0, 5)} à ${clock(closed.time)}`, cx, top - TRAINER_ROW + 3.5, { size: 5.5, color: MUTED, align: 'center', maxWidth: w - 4 });
}

function legend(pdf: Pdf, page: PDFPage, m: SheetModel, blank: boolean, y: number, mentions: readonly string[]): void {
  const lines = blank
    ? [
      'Chaque stagiaire signe dans sa case pour chaque demi-journée ; ne rien inscrire dans les cases grisées (stagiaire non attendu : hors dates d\'inscription ou sorti).',
      'Le formateur indique son nom et signe en bas de chaque demi-journée. La feuille signée est scannée et jointe dans Sillon ; la saisie « Papier » est vérifiée par une deuxième personne.',
    ]
    : [
      'Une signature par stagiaire et par demi-journée ; le formateur contre-signe à la clôture du créneau. Cases grisées : stagiaire non attendu (hors dates d\'inscription ou sorti).',
      'PIN / QR code : présence validée par code personnel · Papier : feuille papier scannée, saisie vérifiée par une 2e personne · corrigé : saisie corrigée après la clôture, historique (auteur, date, motif) conservé au registre.',
      `Heures réalisées : retards et départs anticipés déduits, absences non comptées. Motifs d'absence et justificatifs consultables dans Sillon (non imprimés). Horaires en heure locale (${m.organisation.timeZone}).`,
    ];
  lines.forEach((l, i) => pdf.text(page, l, M, y - i * 8, { size: 6.3, color: MUTED, maxWidth: W - 2 * M }));
  // The funders' required mentions (co-funding notices), in ink: they are not optional reading.
  mentions.forEach((l, i) => pdf.text(page, l, M, y - (lines.length + i) * 8, { size: 6.3, color: INK }));
}
