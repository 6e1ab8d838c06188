import { StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import { formatPermille } from '../../../shared/domain/afest';
import type { AfestDossierModel, DossierEvaluation, DossierSequence } from './afest-dossier-model';
import { clockRange, sequenceName } from './afest-dossier-model';
import type { SignatureRef } from './common-model';
import { duration, groupedSiret, longDate, numericDate } from './format';
import { A4, ACCENT, FAINT, HEAD, INK, MUTED, Pdf, RULE, WARN } from './pdf';

/**
 * Draws the AFEST dossier on A4 portrait, flowing over as many pages as it needs: the set-up, the analysis,
 * the competences and the assessment plan, the signed sequence log (each sequence a block with both
 * signatures drawn), the evaluations with their attachments' SHA-256, the hours and the compliance panel.
 * Every long text wraps; a block that does not fit the rest of a page starts the next one, and one taller than
 * a page is split line by line. The top-right corner stays free for the verification QR code.
 */

const [W, H] = A4.portrait;
const M = 40;
const QR = 62;
/** Where stampPages puts the QR code (and the footer's margin) on this document. */
export const QR_BOX_DOSSIER = { x: W - M - QR, y: H - M - QR, size: QR };
export const DOSSIER_MARGIN = M;

/** The lowest a line of content may sit: the stamp's footer is under it. */
const BOTTOM = M + 10;
/** Where content starts on a continuation page: under the QR code's box. */
const CONTINUED_TOP = H - M - QR - 22;
const SIZE = 8;
const LEAD = 10.4;
const LABEL_W = 108;
const SIG_W = 84;
const SIG_H = 40;
/** Two signature boxes side by side, and their captions. */
const SIGS_W = 2 * SIG_W + 8;
const SIGS_H = SIG_H + 22;
const GREEN = rgb(0.1, 0.45, 0.2);

const LEVEL: Record<string, string> = { acquired: 'acquis', 'in-progress': 'en cours', 'not-acquired': 'non acquis' };
const LEADER: Record<string, string> = { tutor: 'tuteur', facilitator: 'formateur animateur' };
const PHASE: Record<string, string> = { engineering: 'ingénierie préalable', running: 'déroulement', evaluated: 'évaluation du parcours' };
const COMPONENTS: [1 | 2 | 3 | 4 | null, string][] = [
  [1, "1. Analyse de l'activité de travail"],
  [2, '2. Désignation préalable du tuteur'],
  [3, '3. Phases réflexives distinctes des mises en situation'],
  [4, '4. Évaluations spécifiques'],
  [null, 'Conditions et règles du dispositif'],
];

/** One line of a block: a label in the left column (first line of a field only), then the text. */
interface Line {
  label?: string;
  /** Where the text starts after the label (the label column's width): LABEL_W unless told. */
  valueX?: number;
  text: string;
  font?: PDFFont;
  color?: RGB;
  size?: number;
}

/** The page being filled and the height left on it. */
class Flow {
  page!: PDFPage;
  y = 0;
  readonly #pdf: Pdf;
  readonly #title: string;

  constructor(pdf: Pdf, continuedTitle: string) {
    this.#pdf = pdf;
    this.#title = continuedTitle;
  }

  first(): PDFPage {
    this.page = this.#pdf.doc.addPage(A4.portrait);
    this.y = H - M;
    return this.page;
  }

  next(): void {
    this.page = this.#pdf.doc.addPage(A4.portrait);
    this.#pdf.text(this.page, this.#title, M, H - M - 12, { size: 10, font: this.#pdf.bold, maxWidth: W - 2 * M - QR - 20 });
    this.y = CONTINUED_TOP;
  }

  room(): number {
    return this.y - BOTTOM;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (height > this.room()) this.next();
  }
}

export interface DossierAssets {
  /** Signature PNG bytes by signature id (the model holds only their hashes). */
  signature(id: string): Promise<Uint8Array | null>;
}

export async function drawAfestDossier(pdf: Pdf, m: AfestDossierModel, assets: DossierAssets): Promise<void> {
  // Every signature embedded once, up front: the drawing below is then synchronous.
  const images = new Map<string, PDFImage | null>();
  const refs = [...m.sequences.flatMap((s) => [s.learnerSignature, s.leaderSignature]), ...m.evaluations.flatMap((e) => [e.learnerSignature, e.evaluatorSignature])];
  for (const r of refs) if (r && !images.has(r.id)) images.set(r.id, await pdf.png(`sig:${r.id}`, await assets.signature(r.id)));
  const image = (r: SignatureRef | null) => (r ? images.get(r.id) ?? null : null);
  const dingbats = await pdf.doc.embedFont(StandardFonts.ZapfDingbats);

  const flow = new Flow(pdf, `Dossier AFEST — ${m.trainee.name} (suite)`);
  const page = flow.first();
  flow.y = header(pdf, page, m);

  setup(pdf, flow, m);
  analysis(pdf, flow, m);
  competences(pdf, flow, m);
  sequenceLog(pdf, flow, m, image);
  evaluations(pdf, flow, m, image);
  hours(pdf, flow, m);
  compliance(pdf, flow, m, dingbats);
  closing(pdf, flow);
}

// ---------------------------------------------------------------------------------------------------------
// Text helpers.

/**
 * Word wrap where a word wider than the line (a pasted URL, a reference without spaces) is cut to fit, so no
 * text ever runs past the margin or into the next column.
 */
function wrap(pdf: Pdf, text: string, width: number, size: number, font: PDFFont = pdf.regular, maxLines = Infinity): string[] {
  const words = pdf.clean(text).split(/\s+/).filter(Boolean).flatMap((word) => {
    if (font.widthOfTextAtSize(word, size) <= width) return [word];
    const pieces: string[] = [];
    let piece = '';
    for (const ch of word) {
      if (piece && font.widthOfTextAtSize(piece + ch, size) > width) {
        pieces.push(piece);
        piece = '';
      }
      piece += ch;
    }
    if (piece) pieces.push(piece);
    return pieces;
  });
  return pdf.wrap(words.join(' '), width, size, font, maxLines);
}

/** A field's lines: the label on the first, the value wrapped to `width` (the label column excluded). */
function field(pdf: Pdf, label: string, value: string | null, width: number, o: { empty?: string; font?: PDFFont; labelW?: number } = {}): Line[] {
  const text = value?.trim() ? value : (o.empty ?? '—');
  const empty = !value?.trim();
  const labelW = o.labelW ?? LABEL_W;
  // Paragraphs the user typed stay paragraphs (and lists are given one item a line).
  const lines = text.split(/\n+/).flatMap((para) => wrap(pdf, para, width - labelW, SIZE, o.font ?? pdf.regular));
  return lines.map((t, i) => ({ ...(i === 0 ? { label } : {}), text: t, valueX: labelW, ...(empty ? { color: MUTED, font: pdf.italic } : o.font ? { font: o.font } : {}) }));
}

/** A paragraph without label, wrapped to `width`. */
function para(pdf: Pdf, text: string, width: number, o: { font?: PDFFont; color?: RGB; size?: number } = {}): Line[] {
  return wrap(pdf, text, width, o.size ?? SIZE, o.font ?? pdf.regular).map((t) => ({ text: t, ...o }));
}

function drawLine(pdf: Pdf, page: PDFPage, l: Line, x: number, y: number, labelled: boolean): void {
  const valueX = l.valueX ?? LABEL_W;
  if (l.label) pdf.text(page, l.label, x, y, { size: l.size ?? SIZE, font: pdf.bold, color: MUTED, maxWidth: valueX - 6, minSize: 6.5 });
  pdf.text(page, l.text, labelled ? x + valueX : x, y, { size: l.size ?? SIZE, font: l.font ?? pdf.regular, color: l.color ?? INK });
}

/** Lines that may break across pages: each line asks for its own room. */
function flowLines(pdf: Pdf, flow: Flow, lines: readonly Line[], x: number, labelled: boolean): void {
  for (const l of lines) {
    flow.ensure(LEAD);
    drawLine(pdf, flow.page, l, x, flow.y - SIZE, labelled);
    flow.y -= LEAD;
  }
}

function section(pdf: Pdf, flow: Flow, title: string, keepWith = 40): void {
  flow.ensure(26 + keepWith);
  flow.y -= 10;
  pdf.text(flow.page, title, M, flow.y - 11, { size: 11, font: pdf.bold, color: ACCENT });
  flow.y -= 15;
  pdf.line(flow.page, M, flow.y, W - M, flow.y, { color: ACCENT, thickness: 0.8 });
  flow.y -= 6;
}

// ---------------------------------------------------------------------------------------------------------
// First page header and identity.

function header(pdf: Pdf, page: PDFPage, m: AfestDossierModel): number {
  const o = m.organisation;
  const maxWidth = W - 2 * M - QR - 20;
  let y = H - M - 10;
  pdf.text(page, o.name, M, y, { size: 10.5, font: pdf.bold, color: ACCENT, maxWidth });
  y -= 11;
  const address = [o.address, [o.postcode, o.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  if (address) {
    pdf.text(page, address, M, y, { size: 7.5, color: MUTED, maxWidth });
    y -= 9.5;
  }
  pdf.text(page, [`SIRET ${groupedSiret(o.siret)}`, o.nda ? `NDA ${o.nda}` : 'NDA non renseigné'].join('  ·  '), M, y, { size: 7.5, color: MUTED, maxWidth });
  y -= 28;
  pdf.text(page, 'Dossier AFEST', M, y, { size: 20, font: pdf.bold });
  y -= 14;
  pdf.text(page, "Action de formation en situation de travail (art. D.6313-3-2 du code du travail)", M, y, { size: 8.5, color: MUTED, maxWidth });
  y -= 16;
  // Under the QR code's box from here on: the full width is free.
  y = Math.min(y, QR_BOX_DOSSIER.y - 16);
  for (const line of wrap(pdf, m.afest.title, W - 2 * M, 11, pdf.bold, 3)) {
    pdf.text(page, line, M, y, { size: 11, font: pdf.bold, color: ACCENT });
    y -= 13;
  }
  y -= 4;

  // Identity: two columns in a box.
  const colW = (W - 2 * M - 16) / 2;
  const labelW = 86;
  // Values wrap short of the column's edge: a gutter between the two columns.
  const fieldW = colW - 12;
  const who = `${m.trainee.name}${m.trainee.fictitious ? ' (personne fictive)' : ''}`;
  const period = m.afest.startDate || m.afest.endDate ? `${m.afest.startDate ? `du ${numericDate(m.afest.startDate)}` : ''} ${m.afest.endDate ? `au ${numericDate(m.afest.endDate)}` : ''}`.trim() : null;
  const left: Line[] = [
    ...field(pdf, 'Apprenant(e)', who, fieldW, { font: pdf.bold, labelW }),
    ...field(pdf, 'Session', m.session.label, fieldW, { labelW }),
    ...(m.session.actionTitle ? field(pdf, 'Action', m.session.actionTitle, fieldW, { labelW }) : []),
    ...field(pdf, 'Entreprise', m.company ? m.company.name : null, fieldW, { empty: 'non indiquée', labelW }),
    ...(m.company ? field(pdf, 'SIRET', groupedSiret(m.company.siret), fieldW, { labelW }) : []),
    ...field(pdf, 'Convention', m.afest.conventionRef, fieldW, { empty: 'référence non indiquée', labelW }),
  ];
  const right: Line[] = [
    ...field(pdf, 'Dispositif', m.programme ? m.programme.name : null, fieldW, { empty: 'aucun (règles par défaut)', labelW }),
    ...(m.programme ? field(pdf, 'Financeur', m.programme.funderName, fieldW, { labelW }) : []),
    ...field(pdf, 'Période', period, fieldW, { empty: 'non indiquée', labelW }),
    ...field(pdf, 'Phase', PHASE[m.afest.phase] ?? m.afest.phase, fieldW, { labelW }),
    ...field(pdf, 'Conformité', m.compliance.compliant ? 'Conforme' : `Non conforme : ${m.compliance.failures} point(s)`, fieldW, { font: pdf.bold, labelW }),
  ];
  const rows = Math.max(left.length, right.length);
  const boxH = rows * LEAD + 12;
  pdf.box(page, M, y - boxH, W - 2 * M, boxH, { fill: FAINT, border: RULE, thickness: 0.5 });
  left.forEach((l, i) => drawLine(pdf, page, l, M + 6, y - 6 - SIZE - i * LEAD, true));
  right.forEach((l, i) => {
    const isVerdict = l.label === 'Conformité';
    drawLine(pdf, page, isVerdict ? { ...l, color: m.compliance.compliant ? GREEN : WARN } : l, M + 10 + colW, y - 6 - SIZE - i * LEAD, true);
  });
  return y - boxH - 4;
}

// ---------------------------------------------------------------------------------------------------------
// Sections.

function setup(pdf: Pdf, flow: Flow, m: AfestDossierModel): void {
  section(pdf, flow, 'Mise en place : tuteur et formateur animateur');
  const w = W - 2 * M;
  const t = m.tutor;
  const dates = [t.designatedOn ? `désigné(e) le ${numericDate(t.designatedOn)}` : 'date de désignation non indiquée', t.acceptedOn ? `mission acceptée le ${numericDate(t.acceptedOn)}` : "date d'acceptation non indiquée"].join(', ');
  flowLines(pdf, flow, [
    ...field(pdf, 'Tuteur désigné', t.name ? `${t.name}${t.jobTitle ? `, ${t.jobTitle}` : ''}${m.company ? ` — ${m.company.name}` : ''}` : null, w, { empty: 'aucun tuteur désigné' }),
    ...field(pdf, 'Désignation', dates, w),
    ...field(pdf, 'Formation de tuteur', t.tutorTraining, w, { empty: 'non indiquée' }),
    ...field(pdf, 'Formateur animateur', m.facilitator ? `${m.facilitator.name}, de l'organisme de formation : le « tiers » qui anime les séquences réflexives` : null, w, { empty: 'aucun formateur animateur désigné' }),
  ], M, true);
}

function analysis(pdf: Pdf, flow: Flow, m: AfestDossierModel): void {
  section(pdf, flow, "Analyse de l'activité de travail");
  const a = m.analysis;
  const w = W - 2 * M;
  flowLines(pdf, flow, [
    ...field(pdf, "Date de l'analyse", a.date ? longDate(a.date) : null, w, { empty: 'non datée' }),
    ...field(pdf, 'Situations de travail', a.workSituations, w),
    ...field(pdf, 'Tâches', a.tasks, w),
    ...field(pdf, 'Points critiques', a.criticalPoints, w),
    ...field(pdf, 'Adaptations pédagogiques', a.adaptations, w),
    ...field(pdf, 'Sécurité', a.safetyPoints, w),
  ], M, true);
}

function competences(pdf: Pdf, flow: Flow, m: AfestDossierModel): void {
  section(pdf, flow, "Compétences visées et plan d'évaluation");
  const codeW = 90;
  if (m.competences.length === 0) flowLines(pdf, flow, para(pdf, 'Aucune compétence visée.', W - 2 * M, { font: pdf.italic, color: MUTED }), M, false);
  else {
    flow.ensure(16 + LEAD);
    pdf.box(flow.page, M, flow.y - 14, W - 2 * M, 14, { fill: HEAD });
    pdf.text(flow.page, 'Compétence visée', M + 5, flow.y - 10, { size: 7.5, font: pdf.bold });
    pdf.text(flow.page, 'Bloc de compétences', W - M - codeW + 5, flow.y - 10, { size: 7.5, font: pdf.bold });
    flow.y -= 16;
    m.competences.forEach((c, i) => {
      const lines = wrap(pdf, `${i + 1}. ${c.label}`, W - 2 * M - codeW - 10, SIZE);
      flow.ensure(lines.length * LEAD + 2);
      lines.forEach((l, j) => pdf.text(flow.page, l, M + 5, flow.y - SIZE - j * LEAD, { size: SIZE }));
      pdf.text(flow.page, c.blockCode ?? '—', W - M - codeW + 5, flow.y - SIZE, { size: SIZE, maxWidth: codeW - 10, color: c.blockCode ? INK : MUTED });
      flow.y -= lines.length * LEAD + 2;
      pdf.line(flow.page, M, flow.y, W - M, flow.y, { color: RULE, thickness: 0.25 });
    });
  }
  flow.y -= 6;
  flowLines(pdf, flow, field(pdf, "Plan d'évaluation", m.assessmentPlan, W - 2 * M, { empty: 'non indiqué' }), M, true);
}

/** A block with a title band, lines on the left and the two signatures on the right. */
interface Block {
  title: string;
  aside: string;
  lines: Line[];
  signatures: { caption: string; name: string; image: PDFImage | null; ref: SignatureRef | null }[] | null;
}

function drawBlock(pdf: Pdf, flow: Flow, b: Block): void {
  const band = 16;
  const bodyH = Math.max(b.lines.length * LEAD, b.signatures ? SIGS_H : 0) + 8;
  const full = CONTINUED_TOP - BOTTOM;
  // Whole on this page, else whole on the next; taller than a page, split line by line.
  if (band + bodyH > flow.room() && band + bodyH <= full) flow.next();
  flow.ensure(band + Math.min(bodyH, SIGS_H + 8));
  const page = flow.page;
  pdf.box(page, M, flow.y - band, W - 2 * M, band, { fill: HEAD });
  const asideW = pdf.width(b.aside, 7.5);
  pdf.text(page, b.title, M + 5, flow.y - 11.5, { size: 8.5, font: pdf.bold, maxWidth: W - 2 * M - asideW - 20 });
  pdf.text(page, b.aside, W - M - 5, flow.y - 11.5, { size: 7.5, color: MUTED, align: 'right' });
  flow.y -= band + 4;
  const top = flow.y;
  if (b.signatures) drawSignatures(pdf, page, b.signatures, W - M - SIGS_W, top);
  flowLines(pdf, flow, b.lines, M + 4, true);
  if (flow.page === page) flow.y = Math.min(flow.y, top - (b.signatures ? SIGS_H : 0));
  flow.y -= 6;
  pdf.line(flow.page, M, flow.y + 2, W - M, flow.y + 2, { color: RULE, thickness: 0.3 });
  flow.y -= 4;
}

function drawSignatures(pdf: Pdf, page: PDFPage, sigs: NonNullable<Block['signatures']>, x0: number, top: number): void {
  sigs.forEach((s, i) => {
    const x = x0 + i * (SIG_W + 8);
    pdf.box(page, x, top - SIG_H, SIG_W, SIG_H, { border: RULE, thickness: 0.5 });
    if (s.image) pdf.imageIn(page, s.image, x + 2, top - SIG_H + 2, SIG_W - 4, SIG_H - 4);
    else pdf.text(page, s.ref ? 'image absente' : 'non signée', x + SIG_W / 2, top - SIG_H / 2 - 2, { size: 6.5, font: pdf.italic, color: s.ref ? MUTED : WARN, align: 'center' });
    pdf.text(page, s.caption, x, top - SIG_H - 8, { size: 6.5, font: pdf.bold, maxWidth: SIG_W });
    pdf.text(page, s.name, x, top - SIG_H - 16, { size: 6.5, color: MUTED, maxWidth: SIG_W });
  });
}

function sequenceLog(pdf: Pdf, flow: Flow, m: AfestDossierModel, image: (r: SignatureRef | null) => PDFImage | null): void {
  const mst = m.sequences.filter((s) => s.kind === 'work-situation').length;
  section(pdf, flow, 'Journal des séquences', 90);
  flowLines(pdf, flow, para(pdf, `${m.sequences.length} séquence(s) en vigueur : ${mst} mise(s) en situation de travail (MST) et ${m.sequences.length - mst} séquence(s) réflexive(s) (SR), dans l'ordre des dates. Chacune est signée par l'apprenant(e) et par la personne qui l'a conduite ; une correction ne remplace pas l'original, conservé au registre des preuves avec son motif.`, W - 2 * M, { color: MUTED, size: 7.5 }), M, false);
  flow.y -= 4;
  if (m.sequences.length === 0) flowLines(pdf, flow, para(pdf, 'Aucune séquence enregistrée.', W - 2 * M, { font: pdf.italic, color: MUTED }), M, false);
  const textW = W - 2 * M - SIGS_W - 14;
  for (const s of m.sequences) drawBlock(pdf, flow, sequenceBlock(pdf, s, m, textW, image));
  if (m.withdrawn.length) {
    flow.y -= 4;
    flowLines(pdf, flow, [
      { text: 'Enregistrements retirés (saisis par erreur ; conservés au registre des preuves) :', font: pdf.bold, size: 7.5 },
      ...m.withdrawn.flatMap((w) => para(pdf, `– ${w.what === 'evaluation' ? 'Évaluation' : sequenceName(w.what, w.date).split(' du ')[0]} du ${numericDate(w.date)}${w.start && w.end ? `, ${clockRange(w.start, w.end)}` : ''}, retiré(e) le ${numericDate(w.on)} : ${w.reason}`, W - 2 * M - 10, { size: 7.5 })),
    ], M, false);
  }
}

function sequenceBlock(pdf: Pdf, s: DossierSequence, m: AfestDossierModel, width: number, image: (r: SignatureRef | null) => PDFImage | null): Block {
  const mst = s.kind === 'work-situation';
  const f = (label: string, value: string | null) => (value?.trim() ? field(pdf, label, value, width) : []);
  const lines: Line[] = [
    ...field(pdf, mst ? 'Conduite par' : 'Animée par', `${s.leaderName}, ${LEADER[s.ledBy]}`, width),
  ];
  if (mst) {
    lines.push(...f('Poste de travail', s.workstation), ...f('Tâches réalisées', s.tasks), ...f('Apprentissages visés', s.intendedLearning), ...f('Observations', s.observations));
  } else {
    lines.push(
      ...field(pdf, 'Lieu', s.outOfProduction ? 'hors production' : "dans l'espace de production", width),
      ...f('Revient sur', s.reviewed.join('\n')),
      ...f('Écart : attendu', s.gapExpected), ...f('Écart : réalisé', s.gapDone), ...f('Écart : acquis', s.gapAcquired),
      ...f('Verbalisé', s.verbalised), ...f('Suites', s.nextSteps),
      ...f('Observations', s.observations),
    );
  }
  lines.push(...f('Compétences', s.competences.join('\n')));
  for (const c of s.corrections) lines.push(...para(pdf, `Corrigée le ${numericDate(c.on)} : ${c.reason}`, width, { font: pdf.italic, color: WARN }));
  const leader = mst ? 'Le tuteur' : s.ledBy === 'tutor' ? 'Le tuteur' : 'Le formateur animateur';
  return {
    title: `${mst ? 'MST' : 'SR'} — ${longDate(s.date)}, ${clockRange(s.start, s.end)} (${duration(s.minutes)})`,
    aside: mst ? 'mise en situation de travail' : 'séquence réflexive',
    lines,
    signatures: [
      { caption: "L'apprenant(e)", name: m.trainee.name, image: image(s.learnerSignature), ref: s.learnerSignature },
      { caption: leader, name: s.leaderName, image: image(s.leaderSignature), ref: s.leaderSignature },
    ],
  };
}

function evaluations(pdf: Pdf, flow: Flow, m: AfestDossierModel, image: (r: SignatureRef | null) => PDFImage | null): void {
  section(pdf, flow, 'Évaluations', 60);
  if (m.evaluations.length === 0) {
    flowLines(pdf, flow, para(pdf, 'Aucune évaluation enregistrée.', W - 2 * M, { font: pdf.italic, color: MUTED }), M, false);
    return;
  }
  for (const e of m.evaluations) evaluationBlock(pdf, flow, e, m, image);
}

function evaluationBlock(pdf: Pdf, flow: Flow, e: DossierEvaluation, m: AfestDossierModel, image: (r: SignatureRef | null) => PDFImage | null): void {
  const signed = e.learnerSignature || e.evaluatorSignature;
  const width = signed ? W - 2 * M - SIGS_W - 14 : W - 2 * M - 8;
  const lines: Line[] = [
    ...field(pdf, 'Évaluateur', `${e.evaluatorName}, ${LEADER[e.evaluatorKind]}`, width),
    ...(e.method ? field(pdf, 'Modalité', e.method, width) : []),
    ...(e.comment ? field(pdf, 'Appréciation', e.comment, width) : []),
  ];
  for (const c of e.corrections) lines.push(...para(pdf, `Corrigée le ${numericDate(c.on)} : ${c.reason}`, width, { font: pdf.italic, color: WARN }));
  const when = `${longDate(e.date)}${e.start && e.end ? `, ${clockRange(e.start, e.end)} (${duration(e.minutes)})` : ''}`;
  drawBlock(pdf, flow, {
    title: `Évaluation ${e.kind === 'final' ? 'finale' : 'intermédiaire'} — ${when}`,
    aside: `${e.results.length} compétence(s) évaluée(s)`,
    lines,
    signatures: signed ? [
      { caption: "L'apprenant(e)", name: m.trainee.name, image: image(e.learnerSignature), ref: e.learnerSignature },
      { caption: "L'évaluateur", name: e.evaluatorName, image: image(e.evaluatorSignature), ref: e.evaluatorSignature },
    ] : null,
  });

  // The results, one row per competence: acquis / en cours / non acquis.
  const levelW = 70;
  const blockW = 70;
  const labelW = W - 2 * M - levelW - blockW;
  flow.ensure(14 + LEAD + 2);
  pdf.box(flow.page, M, flow.y - 13, W - 2 * M, 13, { fill: FAINT });
  pdf.text(flow.page, 'Compétence', M + 5, flow.y - 9.5, { size: 7, font: pdf.bold });
  pdf.text(flow.page, 'Bloc', M + labelW + 5, flow.y - 9.5, { size: 7, font: pdf.bold });
  pdf.text(flow.page, 'Niveau', W - M - levelW + 5, flow.y - 9.5, { size: 7, font: pdf.bold });
  flow.y -= 14;
  for (const r of e.results) {
    const text = wrap(pdf, r.competence, labelW - 10, SIZE);
    const comment = r.comment ? wrap(pdf, r.comment, labelW - 20, 7, pdf.italic) : [];
    const h = text.length * LEAD + comment.length * 9 + 2;
    flow.ensure(h);
    text.forEach((t, j) => pdf.text(flow.page, t, M + 5, flow.y - SIZE - j * LEAD, { size: SIZE }));
    comment.forEach((t, j) => pdf.text(flow.page, t, M + 15, flow.y - text.length * LEAD - 7 - j * 9, { size: 7, font: pdf.italic, color: MUTED }));
    pdf.text(flow.page, r.blockCode ?? '—', M + labelW + 5, flow.y - SIZE, { size: SIZE, color: r.blockCode ? INK : MUTED, maxWidth: blockW - 10 });
    const level = LEVEL[r.level] ?? r.level;
    pdf.text(flow.page, level, W - M - levelW + 5, flow.y - SIZE, { size: SIZE, font: pdf.bold, color: r.level === 'acquired' ? GREEN : r.level === 'not-acquired' ? WARN : INK });
    flow.y -= h;
    pdf.line(flow.page, M, flow.y, W - M, flow.y, { color: RULE, thickness: 0.25 });
  }
  flow.y -= 4;
  if (e.attachments.length) {
    flowLines(pdf, flow, [
      { text: `Pièces jointes (${e.attachments.length}), conservées dans Sillon avec leur empreinte SHA-256 :`, font: pdf.bold, size: 7.5 },
      ...e.attachments.flatMap((a) => [
        ...para(pdf, `– ${a.name} (${a.mime}, ${sizeText(a.size)})`, W - 2 * M - 10, { size: 7.5 }),
        { text: `   SHA-256 ${a.sha256}`, size: 6.5, color: MUTED },
      ]),
    ], M + 4, false);
  } else {
    flowLines(pdf, flow, para(pdf, 'Aucune pièce jointe.', W - 2 * M, { size: 7.5, font: pdf.italic, color: MUTED }), M + 4, false);
  }
  flow.y -= 8;
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} o` : bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} Ko` : `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} Mo`;
}

function hours(pdf: Pdf, flow: Flow, m: AfestDossierModel): void {
  section(pdf, flow, 'Heures', 150);
  const h = m.hours;
  const realisedTotal = h.afest + h.other;
  const rows: { label: string; planned: string; realised: string; strong?: boolean }[] = [
    { label: 'Mises en situation de travail (MST)', planned: '', realised: duration(h.workSituation) },
    { label: 'Séquences réflexives (SR)', planned: '', realised: duration(h.reflective) },
    { label: 'Évaluations', planned: '', realised: duration(h.evaluation) },
    { label: 'AFEST (MST + SR + évaluations)', planned: h.plannedAfest === null ? '—' : duration(h.plannedAfest), realised: duration(h.afest), strong: true },
    { label: 'Autres modules du parcours', planned: h.plannedAfest !== null && h.pathway !== null ? duration(h.pathway - h.plannedAfest) : '—', realised: duration(h.other) },
    { label: 'Parcours complet', planned: h.pathway === null ? '—' : duration(h.pathway), realised: duration(realisedTotal) },
    { label: "Part d'AFEST dans le parcours", planned: formatPermille(h.plannedPermille), realised: formatPermille(h.realisedPermille), strong: true },
  ];
  const colW = 90;
  flow.ensure(16 + rows.length * 14 + 30);
  const page = flow.page;
  pdf.box(page, M, flow.y - 16, W - 2 * M, 16, { fill: HEAD });
  pdf.text(page, 'Heures', M + 5, flow.y - 11, { size: 7.5, font: pdf.bold });
  pdf.text(page, 'Prévu', W - M - colW - 5, flow.y - 11, { size: 7.5, font: pdf.bold, align: 'right' });
  pdf.text(page, 'Réalisé', W - M - 5, flow.y - 11, { size: 7.5, font: pdf.bold, align: 'right' });
  const top = flow.y - 16;
  flow.y = top;
  for (const r of rows) {
    if (r.strong) pdf.box(page, M, flow.y - 14, W - 2 * M, 14, { fill: FAINT });
    const font = r.strong ? pdf.bold : pdf.regular;
    pdf.text(page, r.label, M + 5, flow.y - 10, { size: SIZE, font });
    pdf.text(page, r.planned, W - M - colW - 5, flow.y - 10, { size: SIZE, font, align: 'right' });
    pdf.text(page, r.realised, W - M - 5, flow.y - 10, { size: SIZE, font, align: 'right' });
    flow.y -= 14;
    pdf.line(page, M, flow.y, W - M, flow.y, { color: RULE, thickness: 0.25 });
  }
  pdf.box(page, M, flow.y, W - 2 * M, top - flow.y, { border: INK, thickness: 0.6 });
  flow.y -= 4;
  const min = h.minPercent === null
    ? "Le dispositif ne fixe pas de part minimale d'AFEST dans le parcours."
    : `Minimum du dispositif : ${h.minPercent} % d'AFEST dans le parcours (heures prévues et heures réalisées).`;
  flowLines(pdf, flow, [
    ...para(pdf, min, W - 2 * M, { size: 7.5, font: pdf.bold }),
    ...para(pdf, "Heures réalisées : celles des séquences en vigueur et des évaluations du journal, et les heures émargées des autres modules du parcours (moteur des heures réalisées de Sillon). Parts en pourcentage arrondies au dixième inférieur.", W - 2 * M, { size: 7, color: MUTED }),
  ], M, false);
}

function compliance(pdf: Pdf, flow: Flow, m: AfestDossierModel, dingbats: PDFFont): void {
  section(pdf, flow, 'Conformité (art. D.6313-3-2 et règles du dispositif)', 60);
  const c = m.compliance;
  const verdict = c.compliant ? 'Conforme' : `Non conforme : ${c.failures} point(s)`;
  flow.ensure(26);
  pdf.box(flow.page, M, flow.y - 22, W - 2 * M, 22, { fill: FAINT, border: c.compliant ? GREEN : WARN, thickness: 1 });
  const vw = pdf.text(flow.page, verdict, M + 8, flow.y - 15, { size: 11, font: pdf.bold, color: c.compliant ? GREEN : WARN });
  pdf.text(flow.page, c.compliant ? 'aucun point à corriger' : 'à corriger : voir les points marqués d’une croix ci-dessous', M + 8 + vw + 10, flow.y - 15, { size: 7.5, color: MUTED, maxWidth: W - 2 * M - vw - 30 });
  flow.y -= 28;
  const textW = W - 2 * M - 28;
  const full = CONTINUED_TOP - BOTTOM;
  for (const [component, title] of COMPONENTS) {
    const checks = c.checks.filter((k) => k.component === component).map((k) => {
      const font = k.status === 'na' ? pdf.italic : pdf.regular;
      return { ...k, font, lines: wrap(pdf, k.message, textW, SIZE, font) };
    });
    if (checks.length === 0) continue;
    // The heading keeps its first check with it.
    flow.ensure(13 + Math.min(checks[0]!.lines.length * LEAD + 2, full - 13));
    pdf.text(flow.page, title, M, flow.y - 9, { size: 8.5, font: pdf.bold });
    flow.y -= 13;
    for (const k of checks) {
      const h = k.lines.length * LEAD + 2;
      if (h <= full) flow.ensure(h);
      const color = k.status === 'fail' ? WARN : k.status === 'na' ? MUTED : INK;
      k.lines.forEach((l, j) => {
        flow.ensure(LEAD);
        if (j === 0) mark(pdf, flow.page, dingbats, k.status, M + 8, flow.y - SIZE);
        pdf.text(flow.page, l, M + 24, flow.y - SIZE, { size: SIZE, font: k.font, color });
        flow.y -= LEAD;
      });
      flow.y -= 2;
    }
    flow.y -= 3;
  }
}

/** ✓ pass, ✗ fail, … pending, – not asked: ZapfDingbats for the first two, so they read as such when copied. */
function mark(pdf: Pdf, page: PDFPage, dingbats: PDFFont, status: 'pass' | 'fail' | 'pending' | 'na', x: number, y: number): void {
  if (status === 'pass') page.drawText('✓', { x, y, size: 9, font: dingbats, color: GREEN });
  else if (status === 'fail') page.drawText('✗', { x, y, size: 9, font: dingbats, color: WARN });
  else pdf.text(page, status === 'pending' ? '…' : '–', x + 1, y, { size: 9, font: pdf.bold, color: MUTED });
}

function closing(pdf: Pdf, flow: Flow): void {
  flow.y -= 8;
  flowLines(pdf, flow, para(pdf, "Dossier établi par Sillon à partir de la mise en place, du journal signé et des évaluations enregistrés ; chaque version d'une séquence, son auteur, sa date et le motif de sa correction sont conservés au registre des preuves. Le code sous le QR code permet à l'organisme de vérifier que ce dossier correspond toujours aux données.", W - 2 * M, { size: 7, color: MUTED }), M, false);
}
