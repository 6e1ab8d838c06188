import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import QRCode from 'qrcode';

/**
 * Small typesetting layer over pdf-lib shared by every printed document: fonts, French-safe text, fitting
 * and wrapping, images, and the verification stamp (QR code, short hash, page numbers) on every page.
 *
 * Fonts are pdf-lib's standard Helvetica (WinAnsi encoding): it covers French (é è à ç œ « » – ’ …), needs
 * no font file at run time and keeps PDFs small. Anything outside WinAnsi (e.g. a Vietnamese "ễ" in a
 * name) is folded to its base letter by `clean`, never left to throw inside pdf-lib.
 */

export const A4 = { portrait: [595.28, 841.89] as [number, number], landscape: [841.89, 595.28] as [number, number] };

export const INK = rgb(0.1, 0.12, 0.16);
export const MUTED = rgb(0.38, 0.41, 0.46);
export const RULE = rgb(0.55, 0.58, 0.62);
export const FAINT = rgb(0.93, 0.94, 0.95);
export const HEAD = rgb(0.87, 0.9, 0.94);
export const ACCENT = rgb(0.11, 0.3, 0.52);
export const WARN = rgb(0.7, 0.2, 0.1);

const FALLBACKS: Record<string, string> = { '\u202f': ' ', '\u2009': ' ', '\u2007': ' ', '\t': ' ', '≥': '>=', '≤': '<=', '≠': '<>', '✓': 'x', '\u2011': '-', '\u2212': '-', 'Ł': 'L', 'ł': 'l', 'Đ': 'D', 'đ': 'd', 'Ø': 'O', 'ı': 'i' };

export interface TextOptions {
  size?: number;
  font?: PDFFont;
  color?: RGB;
  /** Shrinks (down to `minSize`) then truncates with "…" to fit. */
  maxWidth?: number;
  minSize?: number;
  align?: 'left' | 'center' | 'right';
}

export class Pdf {
  readonly doc: PDFDocument;
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly italic: PDFFont;
  readonly #charset: Set<number>;
  readonly #images = new Map<string, PDFImage | null>();

  private constructor(doc: PDFDocument, regular: PDFFont, bold: PDFFont, italic: PDFFont) {
    this.doc = doc;
    this.regular = regular;
    this.bold = bold;
    this.italic = italic;
    this.#charset = new Set(regular.getCharacterSet());
  }

  /** A new document whose metadata dates come from the caller's clock (tests control time). */
  static async create(meta: { title: string; author: string; subject: string; at: Date }): Promise<Pdf> {
    const doc = await PDFDocument.create();
    const fonts = await Promise.all([StandardFonts.Helvetica, StandardFonts.HelveticaBold, StandardFonts.HelveticaOblique].map((f) => doc.embedFont(f)));
    const pdf = new Pdf(doc, fonts[0]!, fonts[1]!, fonts[2]!);
    doc.setTitle(pdf.clean(meta.title));
    doc.setAuthor(pdf.clean(meta.author));
    doc.setSubject(pdf.clean(meta.subject));
    doc.setLanguage('fr-FR');
    doc.setCreator('Sillon');
    doc.setProducer('Sillon (pdf-lib)');
    doc.setCreationDate(meta.at);
    doc.setModificationDate(meta.at);
    return pdf;
  }

  /** Text the standard fonts can encode: unsupported letters folded to their base letter, else "?". */
  clean(text: string): string {
    let out = '';
    for (const ch of text.replace(/\r?\n/g, ' ')) {
      if (this.#charset.has(ch.codePointAt(0)!)) out += ch;
      else if (FALLBACKS[ch] !== undefined) out += FALLBACKS[ch];
      else {
        const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
        out += base && [...base].every((c) => this.#charset.has(c.codePointAt(0)!)) ? base : '?';
      }
    }
    return out;
  }

  width(text: string, size: number, font: PDFFont = this.regular): number {
    return font.widthOfTextAtSize(this.clean(text), size);
  }

  /** The text and size that fit `maxWidth`: shrink first, then cut with an ellipsis. */
  fit(text: string, maxWidth: number, size: number, font: PDFFont = this.regular, minSize = size * 0.8): { text: string; size: number } {
    let t = this.clean(text);
    let s = size;
    while (s > minSize && font.widthOfTextAtSize(t, s) > maxWidth) s = Math.max(minSize, s - 0.25);
    if (font.widthOfTextAtSize(t, s) <= maxWidth) return { text: t, size: s };
    while (t.length > 1 && font.widthOfTextAtSize(`${t}…`, s) > maxWidth) t = t.slice(0, -1);
    return { text: `${t.trimEnd()}…`, size: s };
  }

  /** Greedy word wrap; a word longer than the line is cut. At most `maxLines`, the last one ellipsed. */
  wrap(text: string, maxWidth: number, size: number, font: PDFFont = this.regular, maxLines = Infinity): string[] {
    const words = this.clean(text).split(/\s+/).filter(Boolean);
    const lines: string[] = [];
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= maxWidth) line = candidate;
      else {
        if (line) lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    if (lines.length > maxLines) {
      const kept = lines.slice(0, maxLines);
      kept[maxLines - 1] = this.fit(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`, maxWidth, size, font, size).text;
      return kept;
    }
    return lines;
  }

  text(page: PDFPage, text: string, x: number, y: number, o: TextOptions = {}): number {
    const font = o.font ?? this.regular;
    let size = o.size ?? 9;
    let t = this.clean(text);
    if (o.maxWidth !== undefined) ({ text: t, size } = this.fit(t, o.maxWidth, size, font, o.minSize ?? size * 0.8));
    const w = font.widthOfTextAtSize(t, size);
    const left = o.align === 'center' ? x - w / 2 : o.align === 'right' ? x - w : x;
    page.drawText(t, { x: left, y, size, font, color: o.color ?? INK });
    return w;
  }

  /** A PNG embedded once per document (by key); null when the bytes are not a readable PNG. */
  async png(key: string, bytes: Uint8Array | null): Promise<PDFImage | null> {
    if (this.#images.has(key)) return this.#images.get(key)!;
    let image: PDFImage | null = null;
    if (bytes && bytes.length > 8) {
      try {
        image = await this.doc.embedPng(bytes);
      } catch {
        image = null;
      }
    }
    this.#images.set(key, image);
    return image;
  }

  /** A logo (PNG or JPEG, told by its first bytes) embedded once per document; null when unreadable. */
  async logo(key: string, bytes: Uint8Array | null): Promise<PDFImage | null> {
    if (this.#images.has(key)) return this.#images.get(key)!;
    let image: PDFImage | null = null;
    if (bytes && bytes.length > 8) {
      try {
        image = bytes[0] === 0xff && bytes[1] === 0xd8 ? await this.doc.embedJpg(bytes) : await this.doc.embedPng(bytes);
      } catch {
        image = null;
      }
    }
    this.#images.set(key, image);
    return image;
  }

  /** Draws an image scaled to fit the box, centred, aspect ratio kept. */
  imageIn(page: PDFPage, image: PDFImage, x: number, y: number, width: number, height: number): void {
    const scale = Math.min(width / image.width, height / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    page.drawImage(image, { x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h });
  }

  box(page: PDFPage, x: number, y: number, width: number, height: number, o: { fill?: RGB; border?: RGB; thickness?: number } = {}): void {
    page.drawRectangle({
      x, y, width, height,
      ...(o.fill ? { color: o.fill } : {}),
      ...(o.border ? { borderColor: o.border, borderWidth: o.thickness ?? 0.5 } : {}),
    });
  }

  line(page: PDFPage, x1: number, y1: number, x2: number, y2: number, o: { color?: RGB; thickness?: number; dash?: number[] } = {}): void {
    page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: o.thickness ?? 0.5, color: o.color ?? RULE, ...(o.dash ? { dashArray: o.dash } : {}) });
  }

  async save(): Promise<Uint8Array> {
    return this.doc.save({ useObjectStreams: true });
  }
}

/**
 * The QR code's text: the print's id and the document's short hash (`sillon:verify:<printId>:<shortHash>`),
 * read by Sillon's « Vérifier un document » screen. The older `sillon:verify:<shortHash>` stays verifiable.
 */
export function verifyPayload(printId: string, shortHash: string): string {
  return `sillon:verify:${printId}:${shortHash}`;
}

/**
 * The plain-French line telling a reader how to check the document: no command line on a printed page. The
 * longer wording (naming the organisation) first, a shorter one for narrow pages and long names.
 */
export function howToCheck(organisation: string, shortHash: string): string[] {
  return [
    `Authenticité : ce PDF porte la signature électronique de ${organisation} ; tout lecteur PDF indique s'il a été modifié depuis son émission. `
      + `Sur papier, demandez à l'organisme de le contrôler dans Sillon (écran « Vérifier un document », code ${shortHash}).`,
    `Authenticité : ce PDF porte une signature électronique ; tout lecteur PDF indique s'il a été modifié depuis son émission. `
      + `Sur papier, l'organisme le contrôle dans Sillon (« Vérifier un document », code ${shortHash}).`,
  ];
}

export interface Stamp {
  printId: string;
  shortHash: string;
  /** "Édité le … par …": shown in the footer, not part of the hashed content. */
  issued: string;
  /** The ledger's head when the document was issued ("Registre : 1 204 entrées · sceau …"). */
  ledger: string;
  /** How to check it, in plain French (see {@link howToCheck}): the first wording that fits the page. */
  howToCheck: string[];
  /** Where the QR code sits on each page (top-right of the header). */
  qr: { x: number; y: number; size: number };
  margin: number;
}

/**
 * The QR code as one vector path (each row's runs of dark modules as rectangles, in module units, y down as
 * in SVG): sharp at any zoom and print resolution, and no PNG to encode, decode and deflate again per print
 * (which made most of the time of a batch of 500 certificats).
 */
export function qrPath(text: string): { path: string; modules: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  let path = '';
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < n && modules.get(y, x)) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return { path, modules: n };
}

/**
 * Stamps every page, once the page count is known: QR code (`sillon:verify:<printId>:<hash>`), the short
 * hash in clear, the issue line with the ledger head, how to check the document, and "Page n / N".
 */
export async function stampPages(pdf: Pdf, s: Stamp): Promise<void> {
  const qr = qrPath(verifyPayload(s.printId, s.shortHash));
  const pages = pdf.doc.getPages();
  pages.forEach((page, i) => {
    const { width } = page.getSize();
    pdf.box(page, s.qr.x - 3, s.qr.y - 12, s.qr.size + 6, s.qr.size + 15, { fill: rgb(1, 1, 1), border: RULE, thickness: 0.4 });
    page.drawSvgPath(qr.path, { x: s.qr.x, y: s.qr.y + s.qr.size, scale: s.qr.size / qr.modules, color: rgb(0, 0, 0), borderWidth: 0 });
    pdf.text(page, s.shortHash, s.qr.x + s.qr.size / 2, s.qr.y - 8.5, { size: 6.5, font: pdf.bold, align: 'center', color: INK });
    const y = s.margin - 12;
    pdf.line(page, s.margin, y + 9, width - s.margin, y + 9, { color: RULE, thickness: 0.4 });
    const left = `${s.issued} · Empreinte ${s.shortHash} · ${s.ledger}`;
    pdf.text(page, left, s.margin, y, { size: 6.5, color: MUTED, maxWidth: width - 2 * s.margin - 60 });
    pdf.text(page, `Page ${i + 1} / ${pages.length}`, width - s.margin, y, { size: 7, font: pdf.bold, align: 'right' });
    const room = width - 2 * s.margin;
    const how = s.howToCheck.find((line) => pdf.width(line, 5.2) <= room) ?? s.howToCheck.at(-1)!;
    pdf.text(page, how, s.margin, y - 7.5, { size: 5.8, color: MUTED, maxWidth: room, minSize: 5.2 });
  });
}
