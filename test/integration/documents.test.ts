import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/backend/documents/content-hash';
import { dateRange, longDate, monthLabel, shortDate } from '../../electron/backend/documents/format';
import { Pdf } from '../../electron/backend/documents/pdf';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import { formatMinutes, zonedToInstant } from '../../shared/domain/dates';
import type { MarkInput, RollCall, SignatureInput } from '../../shared/schemas/attendance';
import { testBackend, type TestBackend } from '../helpers/backend';
import { runCli } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..');
const OUT = join(ROOT, 'test-results', 'documents');
const MONDAY = '2026-11-23';

/** A hand-drawn-looking signature: a wavy stroke with a flourish, rasterised to a transparent PNG. */
function signatureFor(name: string): SignatureInput {
  let seed = [...name].reduce((h, c) => (h * 33 + c.charCodeAt(0)) >>> 0, 5381);
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const width = 240;
  const height = 80;
  const points: [number, number, number][] = [];
  const turns = 5 + Math.floor(rand() * 4);
  for (let i = 0; i <= 60; i++) {
    const p = i / 60;
    points.push([Math.round(14 + p * 190 + Math.sin(p * turns * Math.PI * 2) * 9), Math.round(40 + Math.cos(p * turns * Math.PI * 2 + rand() * 0.3) * 22 * (1 - p * 0.5)), i * 16]);
  }
  const flourish: [number, number, number][] = [];
  for (let i = 0; i <= 20; i++) flourish.push([Math.round(30 + i * 9.5), Math.round(66 - Math.sin((i / 20) * Math.PI) * 8), 1000 + i * 16]);
  const png = new PNG({ width, height, colorType: 6 });
  png.data.fill(0);
  const plot = (x: number, y: number) => {
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      const px = Math.round(x) + dx;
      const py = Math.round(y) + dy;
      if (px < 0 || py < 0 || px >= width || py >= height) continue;
      const o = (py * width + px) * 4;
      png.data.set([18, 38, 105, 255], o);
    }
  };
  for (const stroke of [points, flourish]) {
    for (let i = 1; i < stroke.length; i++) {
      const [x0, y0] = stroke[i - 1]!;
      const [x1, y1] = stroke[i]!;
      const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
      for (let s = 0; s <= steps; s++) plot(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps);
    }
  }
  return { strokes: [points, flourish], pngBase64: PNG.sync.write(png).toString('base64') };
}

let b: TestBackend;

/** The CAP Cuisine session (12 women, Monday–Thursday, Martine Klein) and its slots of a week. */
async function cuisine(weekStart = MONDAY) {
  const sessions = await b.api['sessions.list']({});
  const session = sessions.find((s) => s.label.includes('étoiles'))!;
  const page = await b.api['sessions.get']({ id: session.id });
  const end = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
  const slots = page.slots.filter((s) => s.date >= weekStart && s.date <= end && !s.cancelled).sort((x, y) => `${x.date}${x.start}`.localeCompare(`${y.date}${y.start}`));
  return { session, page, slots };
}

/**
 * Records this week's roll calls with every capture method and status, and closes all slots but the
 * last (so the sheet shows an open one): the week is ours alone, the demo only fills past weeks.
 */
async function recordWeek() {
  const { session, slots } = await cuisine();
  const calls: RollCall[] = [];
  const doc = await b.api['attendance.uploadDocument']({ name: 'justificatif.pdf', mime: 'application/pdf', base64: Buffer.from('%PDF-1.4 justificatif').toString('base64') });
  for (const [k, slot] of slots.entries()) {
    b.clock.set(zonedToInstant(slot.date, slot.start, 'Europe/Paris').toISOString());
    const call = await b.api['attendance.rollCall']({ slotId: slot.id });
    calls.push(call);
    if (k === slots.length - 1) continue; // Thursday afternoon: not taken yet
    const marks: MarkInput[] = call.rows.map((r) => ({ enrolmentId: r.enrolmentId, kind: 'present', method: 'signature', signature: signatureFor(r.traineeName) }));
    const set = (i: number, m: Partial<MarkInput>) => (marks[i] = { enrolmentId: call.rows[i]!.enrolmentId, kind: 'present', method: 'signature', ...m } as MarkInput);
    if (k === 0) {
      set(0, { kind: 'late', lateMinutes: 20, signature: signatureFor(call.rows[0]!.traineeName) });
      set(1, { kind: 'unexcused', method: 'none' });
      // PIN and QR capture are real: the trainee and the trainer have PINs, the QR code is presented while valid.
      await b.api['pins.set']({ personKind: 'trainee', personId: call.rows[2]!.traineeId, pin: '1357' });
      await b.api['pins.set']({ personKind: 'trainer', personId: call.slot.trainers[0]!.id, pin: '2468' });
      set(2, { method: 'pin', pin: '1357' });
      set(3, { method: 'proxy', proxyName: 'Mme Roth (tutrice)' });
    }
    if (k === 1) {
      set(1, { kind: 'excused', method: 'none', reason: 'Convocation France Travail', documentId: doc.id });
      set(4, { method: 'paper', documentId: doc.id, checkedBy: 'Claire Vasseur' });
      set(5, { kind: 'early-leave', earlyMinutes: 30, signature: signatureFor(call.rows[5]!.traineeName) });
    }
    if (k === 2) {
      const code = await b.api['attendance.issueQr']({ slotId: slot.id });
      const scan = await b.api['attendance.scanQr']({ slotId: slot.id, enrolmentId: call.rows[6]!.enrolmentId, code: code.code });
      set(6, { kind: 'remote', method: 'qr', remoteMinutes: 180, qrScanId: scan.scanId });
    }
    await b.api['attendance.record']({ slotId: slot.id, submissionId: uuidv7(), marks });
    b.clock.set(zonedToInstant(slot.date, slot.end, 'Europe/Paris').toISOString());
    const trainerId = call.slot.trainers[0]!.id;
    if (k === 3) await b.api['attendance.close']({ slotId: slot.id, trainerId, method: 'pin', pin: '2468' });
    else await b.api['attendance.close']({ slotId: slot.id, trainerId, method: 'signature', signature: signatureFor(call.slot.trainers[0]!.name) });
  }
  b.clock.set('2026-11-26T15:45:00Z'); // Thursday, during the last slot
  return { session, slots, calls };
}

/** Writes the PDF, renders page 1 to PNG (pdftoppm) and extracts the text (pdftotext -layout). */
function inspect(name: string, base64: string) {
  const pdf = join(OUT, `${name}.pdf`);
  writeFileSync(pdf, Buffer.from(base64, 'base64'));
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(OUT, name)]);
  const png = PNG.sync.read(readFileSync(join(OUT, `${name}.png`)));
  let ink = 0;
  for (let o = 0; o < png.data.length; o += 4) if (png.data[o]! < 128) ink++;
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  /** The words printed on the same baseline as `anchor` on page 1, left to right (pdftotext -bbox). */
  const lineOf = (anchor: string) => {
    const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' });
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3]! }));
    const at = words.find((w) => w.text === anchor);
    return at ? words.filter((w) => Math.abs(w.y - at.y) < 0.5).sort((p, q) => p.x - q.x).map((w) => w.text).join(' ') : '';
  };
  return { text, pages, png, lineOf, inkRatio: ink / (png.width * png.height) };
}

/** `npm run cli -- verify --document <hash>` on the test's data folder, signed in as a person would be. */
const cliVerify = (hash: string) => runCli(['verify', '--document', hash, '--data-dir', b.dataDir], { timeout: 60_000 });

// The demo (with its roll calls on the weeks before "today") is loaded once, on Monday morning, into a
// template database; each test gets its own copy, so every test still starts from a fresh database.
let template: string;

async function fromTemplate(): Promise<TestBackend> {
  return testBackend(`${MONDAY}T06:00:00Z`, template);
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('pdftoppm / pdftotext introuvables : installez poppler-utils (apt-get install -y poppler-utils).');
  }
  const t = await testBackend(`${MONDAY}T06:00:00Z`);
  await t.api['demo.load']({});
  await t.close();
  template = t.dataDir;
});
afterAll(() => rmSync(template, { recursive: true, force: true }));

describe('printed documents', () => {
  beforeEach(async () => {
    b = await fromTemplate();
  });
  afterEach(async () => b.cleanup());

  describe('émargement sheet', () => {
    it('prints signatures, statuses, trainers, countersignatures and the engine hours, with a QR code on every page', async () => {
      const { session, slots, calls } = await recordWeek();
      const doc = await b.api['documents.attendanceSheet']({ sessionId: session.id, weekStart: '2026-11-25' }); // any day of the week
      expect(doc.shortHash).toMatch(/^[0-9a-f]{12}$/);
      expect(doc.fileName).toBe(`emargement_des-etoiles-et-des-femmes-promotion_${MONDAY}_${doc.shortHash}.pdf`);
      const { text, pages, inkRatio, lineOf } = inspect('emargement', doc.base64);
      expect(inkRatio).toBeGreaterThan(0.01); // something was drawn

      // Header: training body with SIRET and NDA, action (module), session, place, week.
      expect(text).toContain('Les Ateliers du Sillon');
      expect(text).toContain('SIRET 999 001 001 00018');
      expect(text).toContain('44670000067');
      expect(text).toContain("CAP Cuisine — parcours d'excellence");
      expect(text).toContain('Des étoiles et des femmes');
      expect(text).toContain('Illkirch-Graffenstaden');
      expect(text).toContain('du lundi 23 au jeudi 26 novembre 2026');
      expect(text).toContain('8 h 30 – 12 h 00');

      // One row per expected trainee (Roux Céline left the week before), in roll-call order.
      const names = calls[0]!.rows.map((r) => r.traineeName);
      expect(names).toHaveLength(11);
      for (const name of names) {
        const [last, ...first] = name.split(' ');
        expect(text).toContain(`${last!.toLocaleUpperCase('fr-FR')} ${first.join(' ')}`);
      }
      expect(text).not.toContain('ROUX Céline');

      // Statuses in words where there is no signature image.
      for (const s of ['Retard 20 min', 'Absent non justifié', 'Absent justifié', 'PIN', 'Procuration', 'Roth', 'Papier', 'Distanciel', 'Départ anticipé 30 min', 'non saisi', 'créneau non clos', 'Validé par PIN']) expect(text).toContain(s);

      // Trainer named per slot and at the countersignature row.
      expect(text).toContain('Martine Klein');
      expect(text.match(/clos le 2[3-6]\/11/g)?.length).toBe(slots.length - 1);

      // Hours per trainee: the engine's figures, printed on the trainee's line.
      const hours = await b.api['hours.realised']({ sessionId: session.id, from: MONDAY, to: '2026-11-29', groupBy: ['enrolment'] });
      for (const row of calls[0]!.rows) {
        const attended = hours.find((h) => h.key.enrolment === row.enrolmentId)?.attended ?? 0;
        const [last] = row.traineeName.split(' ');
        expect(lineOf(last!.toLocaleUpperCase('fr-FR')), row.traineeName).toMatch(new RegExp(`${formatMinutes(attended)}$`));
      }
      const late = hours.find((h) => h.key.enrolment === calls[0]!.rows[0]!.enrolmentId)!;
      expect(late.attended).toBe(7 * 210 - 20); // 7 slots of 3 h 30 marked, 20 min late; the open one counts nothing yet
      const group = await b.api['hours.realised']({ sessionId: session.id, from: MONDAY, to: '2026-11-29', groupBy: [] });
      expect(text).toContain(formatMinutes(group[0]!.attended));

      // Verification stamp on every page.
      expect(text.match(new RegExp(`Page \\d / ${pages}`, 'g'))).toHaveLength(pages);
      expect(text.split(`code ${doc.shortHash})`).length - 1).toBe(pages); // how to check it, in plain French
      expect(text).toContain('Vérifier un document');
      expect(text).not.toContain('npm run cli'); // no command line on a printed page
      expect(text).toMatch(/Registre : \d[\d\u202f ]* entrées? · sceau [0-9a-f]{16}/);

      // The print is recorded, in the ledger, with the hash of its content.
      const row = b.raw.prepare('SELECT kind, params, content_sha256 FROM printed_documents WHERE short_hash = ?').get(doc.shortHash) as { kind: string; params: string; content_sha256: string };
      expect(row.kind).toBe('attendance-sheet');
      expect(JSON.parse(row.params).input).toEqual({ sessionId: session.id, weekStart: MONDAY });
      expect(row.content_sha256.startsWith(doc.shortHash)).toBe(true);
      expect(verifyLedger(b.raw).ok).toBe(true);
    });

    it('verify --document: authentic and unchanged, then "changed" after a correction, naming the row', async () => {
      const { session, calls } = await recordWeek();
      const doc = await b.api['documents.attendanceSheet']({ sessionId: session.id, weekStart: MONDAY });
      const same = await b.api['documents.attendanceSheet']({ sessionId: session.id, weekStart: MONDAY });
      expect(same.shortHash).toBe(doc.shortHash); // same data, same fingerprint

      const ok = await b.api['documents.verify']({ shortHash: `sillon:verify:${doc.shortHash}` });
      expect(ok).toMatchObject({ ok: true, status: 'unchanged', kind: 'attendance-sheet' });
      expect(ok.message).toMatch(/^Document authentique et inchangé/);
      const cliOk = await cliVerify(doc.shortHash);
      expect(cliOk.code, cliOk.stderr).toBe(0);
      expect(cliOk.stdout).toContain('Document authentique et inchangé');

      // Fatou Diallo's unexcused absence on Monday morning is justified afterwards.
      const absent = (await b.api['attendance.rollCall']({ slotId: calls[0]!.slot.id })).rows[1]!;
      b.clock.set('2026-11-27T08:00:00Z');
      await b.api['attendance.correct']({ markId: absent.mark!.id, kind: 'excused', method: 'none', reason: 'Certificat médical', correctionReason: 'Justificatif reçu' });

      const changed = await b.api['documents.verify']({ shortHash: doc.shortHash });
      expect(changed).toMatchObject({ ok: false, status: 'changed' });
      expect(changed.changes).toEqual(['la ligne de DIALLO Fatou']);
      expect(changed.message).toMatch(/^Document authentique, mais les données ont changé depuis son impression/);
      const cliChanged = await cliVerify(doc.shortHash);
      expect(cliChanged.code).toBe(4);
      expect(cliChanged.stderr).toContain('la ligne de DIALLO Fatou');

      // The reprint shows the current mark with its "corrigé" note, under a new fingerprint.
      const reprint = await b.api['documents.attendanceSheet']({ sessionId: session.id, weekStart: MONDAY });
      expect(reprint.shortHash).not.toBe(doc.shortHash);
      const { text } = inspect('emargement-corrige', reprint.base64);
      expect(text).toContain('corrigé');
      expect(text).not.toContain('Absent non justifié');
      expect((await b.api['documents.verify']({ shortHash: reprint.shortHash })).status).toBe('unchanged');
    });

    it('says so for an unknown hash, and for a print record altered behind the app', async () => {
      expect(await b.api['documents.verify']({ shortHash: '0123456789ab' })).toMatchObject({ ok: false, status: 'unknown' });
      expect(await b.api['documents.verify']({ shortHash: 'pas-un-hash' })).toMatchObject({ ok: false, status: 'invalid' });
      const { session } = await cuisine();
      const doc = await b.api['documents.blankSheet']({ sessionId: session.id, weekStart: MONDAY });
      b.raw.exec('DROP TRIGGER printed_documents_append_only_u');
      // A forger who knows the schema names an existing user: created_by must point at one (schema 4).
      b.raw.prepare("INSERT INTO users (id, name, created_at, updated_at) VALUES ('faussaire', 'Faussaire', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run();
      b.raw.prepare("UPDATE printed_documents SET created_by = 'faussaire' WHERE short_hash = ?").run(doc.shortHash);
      const check = await b.api['documents.verify']({ shortHash: doc.shortHash });
      expect(check).toMatchObject({ ok: false, status: 'tampered' });
      expect(check.message).toMatch(/NON AUTHENTIFIABLE/);
    });

    it('prints a past week filled by the demo roll calls', async () => {
      const { session } = await cuisine();
      const doc = await b.api['documents.attendanceSheet']({ sessionId: session.id, weekStart: '2026-11-16' });
      const { text } = inspect('emargement-semaine-passee', doc.base64);
      expect(text).toContain('du lundi 16 au jeudi 19 novembre 2026');
      expect(text).toContain('BENALI Nadia');
    });

    it('refuses a week without slots, naming the field', async () => {
      const { session } = await cuisine();
      const err = await b.api['documents.attendanceSheet']({ sessionId: session.id, weekStart: '2026-10-12' }).catch((e: { api: unknown }) => e.api);
      expect(err).toMatchObject({ code: 'business', issues: [{ path: 'weekStart' }] });
      expect(b.raw.prepare('SELECT count(*) AS n FROM printed_documents').get()).toEqual({ n: 0 });
    });
  });

  describe('blank sheet (paper fallback)', () => {
    it('prints the same grid with names, trainers and empty cells', async () => {
      const { session, slots } = await cuisine();
      const doc = await b.api['documents.blankSheet']({ sessionId: session.id, weekStart: MONDAY });
      expect(doc.fileName).toMatch(/^emargement-vierge_/);
      const { text, inkRatio } = inspect('emargement-vierge', doc.base64);
      expect(inkRatio).toBeGreaterThan(0.005);
      expect(text).toContain("Feuille d'émargement — à signer");
      expect(text).toContain('BENALI Nadia');
      expect(text).toContain('TRAORÉ Aminata');
      expect(text).toContain('Martine Klein');
      expect(text).toContain('Heures');
      expect(text).toContain(formatMinutes(slots.reduce((sum, s) => sum + s.minutes, 0))); // planned for the week
      for (const s of ['Retard', 'Absent', 'PIN', 'non saisi', 'clos le']) expect(text).not.toContain(s);
      expect(text).toContain(doc.shortHash);
      expect((await b.api['documents.verify']({ shortHash: doc.shortHash })).status).toBe('unchanged');
    });
  });

  describe('monthly statement', () => {
    it('lists each slot of the month with status and minutes, and the totals of the engine', async () => {
      const { calls } = await recordWeek();
      const late = calls[0]!.rows[0]!; // Nadia Benali: 20 min late on Monday morning
      const doc = await b.api['documents.monthlyStatement']({ enrolmentId: late.enrolmentId, month: '2026-11' });
      expect(doc.fileName).toBe(`releve-presence_benali-nadia_2026-11_${doc.shortHash}.pdf`);
      const { text, pages } = inspect('releve-mensuel', doc.base64);
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(text).toContain('Relevé mensuel de présence');
      expect(text).toContain('novembre 2026');
      expect(text).toContain('BENALI Nadia');
      // Her own funding line (the demo's): her pay, France Travail; the course's six co-funders are the session's lines.
      expect(text).toContain('France Travail');
      expect(text).toContain('GE-PIC-2026-001');
      expect(text).toContain('lundi 23 novembre 2026');
      expect(text).toContain('Retard 20 min');
      expect(text).toContain('Non saisi'); // Thursday afternoon and after
      expect(text).not.toContain('mercredi 11 novembre'); // Armistice: no slot

      const [engine] = await b.api['hours.realised']({ enrolmentId: late.enrolmentId, from: '2026-11-01', to: '2026-11-30', groupBy: [] });
      const total = text.split('\n').find((l) => l.includes('Total des heures réalisées'))!;
      expect(total).toContain(formatMinutes(engine!.attended));
      expect(text.split('\n').findLast((l) => l.includes('Absent non justifié'))).toContain(formatMinutes(engine!.absentUnexcused));
      expect(text).toContain(`Page ${pages} / ${pages}`);
      expect(text).toContain(doc.shortHash);
      expect((await b.api['documents.verify']({ shortHash: doc.shortHash })).status).toBe('unchanged');
    });

    it('rejects a malformed month', async () => {
      const { page } = await cuisine();
      const err = await b.api['documents.monthlyStatement']({ enrolmentId: page.enrolments[0]!.id, month: '2026-13' }).catch((e: { api: unknown }) => e.api);
      expect(err).toMatchObject({ code: 'validation', issues: [{ path: 'month' }] });
    });
  });
});

describe('document helpers', () => {
  it('writes French dates and durations', () => {
    expect(longDate('2026-11-23')).toBe('lundi 23 novembre 2026');
    expect(longDate('2027-02-01')).toBe('lundi 1er février 2027');
    expect(shortDate('2026-12-03')).toBe('jeu. 3 déc.');
    expect(dateRange('2026-11-23', '2026-11-26')).toBe('du lundi 23 au jeudi 26 novembre 2026');
    expect(dateRange('2026-11-30', '2026-12-03')).toBe('du lundi 30 novembre au jeudi 3 décembre 2026');
    expect(monthLabel('2026-08')).toBe('août 2026');
    expect(formatMinutes(450)).toBe('7 h 30');
  });

  it('hashes a canonical JSON: key order does not matter, array order does', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: null, c: 'é', x: undefined }] })).toBe('{"a":[2,{"c":"é","d":null}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('keeps French accents in the standard fonts and folds what they cannot encode', async () => {
    const pdf = await Pdf.create({ title: 't', author: 'a', subject: 's', at: new Date('2026-11-23T09:00:00Z') });
    expect(pdf.clean('Éloïse Cœur à l’œuvre — « déjà » 7\u202fh')).toBe('Éloïse Cœur à l’œuvre — « déjà » 7 h');
    expect(pdf.clean('Nguyễn Thị Ánh')).toBe('Nguyen Thi Ánh');
    expect(pdf.clean('Łukasz ≥ 3 ✓')).toBe('Lukasz >= 3 x');
  });
});
