/**
 * Issue #10: the documents of a validated claim (certificat de réalisation per trainee, invoice, funder
 * statement) made from its frozen lines, each a signed print carrying the verification QR code; and the claim
 * bundle (the stored PDFs, the lines as CSV and XLSX, manifest.json with every file's SHA-256). The PDFs are
 * read back with pdftotext; the ZIP is unzipped and each hash recomputed.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../electron/backend/context';
import { syncOf } from '../../electron/backend/sync/registry';
import { buildClaimBundle, type Manifest } from '../../electron/backend/documents/claim-bundle';
import { renderClaimDocuments, type RenderedClaimDocument } from '../../electron/backend/documents/claim-documents';
import { hoursText } from '../../electron/backend/documents/claim-pdf';
import { checkPdf } from '../../electron/backend/documents/check';
import { zonedToInstant } from '../../shared/domain/dates';
import { testBackend, type TestBackend } from '../helpers/backend';

const OUT = join(resolve(__dirname, '..', '..'), 'test-results', 'claim-documents');
const VALIDATED_AT = '2026-11-30T15:00:00Z';

function pdfText(name: string, bytes: Uint8Array, png = false): string {
  const file = join(OUT, name);
  writeFileSync(file, bytes);
  if (png) execFileSync('pdftoppm', ['-png', '-r', '90', '-f', '1', '-l', '1', '-singlefile', file, file.replace(/\.pdf$/, '')]);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** pdftotext's layout text on one line: words separated by single spaces. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

let b: TestBackend;
let ids: { claimId: string; garcia: string; martin: string; sessionId: string; slots: Map<string, string>; trainerId: string };

beforeAll(() => mkdirSync(OUT, { recursive: true }));

/**
 * A mixed session in November 2026, Monday, Tuesday and Thursday mornings 09:00–12:00, funded by the Région.
 * GARCIA Inès (employee of Boulangerie Martin): present on the 3rd (180 min), remote on the 5th with 2 h 40 in
 * the LMS log (160 min), 20 min late on the 9th (160 min), exited on the 20th → 500 min, final certificat.
 * MARTIN Paul (no employer): present on the 3rd and the 5th (360 min), excused on the 9th → intermediate.
 */
beforeEach(async () => {
  b = await testBackend('2026-11-02T07:00:00Z');
  await b.api['organisation.save']({
    name: 'OF Sillon Test', siret: '73282932000074', nda: '11755555555', legalRepresentative: 'Claire Vasseur', address: '12 rue des Tanneurs', postcode: '69002', city: 'Lyon',
  });
  const company = await b.api['companies.save']({ name: 'Boulangerie Martin', siret: '44306184100047', city: 'Lyon' });
  const trainer = await b.api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
  const action = await b.api['actions.save']({ title: 'Secrétariat médical', plannedMinutes: 6000, modality: 'mixte' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe novembre', mode: 'cohort', capacity: 5, startDate: '2026-11-02', endDate: '2026-11-27' });
  const am = (weekday: number) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' });
  await b.api['slots.generate']({ sessionId: session.id, from: '2026-11-02', to: '2026-11-27', timetable: [am(1), am(2), am(4)], trainerIds: [trainer.id] });
  const ines = await b.api['trainees.save']({ lastName: 'Garcia', firstName: 'Inès', birthDate: '1990-01-01', email: 'ines@exemple.fr' });
  const paul = await b.api['trainees.save']({ lastName: 'Martin', firstName: 'Paul', birthDate: '1988-05-12' });
  const garcia = await b.api['enrolments.create']({ sessionId: session.id, traineeId: ines.id, companyId: company.id, funderCode: 'REGION', fileNumber: 'R-2026-114' });
  const martin = await b.api['enrolments.create']({ sessionId: session.id, traineeId: paul.id, funderCode: 'REGION', fileNumber: 'R-2026-115' });
  for (const e of [garcia, martin]) await b.api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-03' });
  const page = await b.api['sessions.get']({ id: session.id });
  const slots = new Map(page.slots.map((s) => [s.date, s.id]));
  ids = { claimId: '', garcia: garcia.id, martin: martin.id, sessionId: session.id, slots, trainerId: trainer.id };

  const take = async (date: string, marks: Record<string, unknown>[]) => {
    b.clock.set(zonedToInstant(date, '09:05', 'Europe/Paris').toISOString());
    const signedAt = zonedToInstant(date, '09:05', 'Europe/Paris').toISOString();
    await b.api['attendance.record']({ slotId: slots.get(date)!, submissionId: uuidv7(), marks: marks.map((m) => (m.method === 'none' ? m : { method: 'proxy', proxyName: 'Tuteur', signedAt, ...m })) as never });
    b.clock.set(zonedToInstant(date, '12:00', 'Europe/Paris').toISOString());
    await b.api['attendance.close']({ slotId: slots.get(date)!, trainerId: trainer.id, method: 'paper' });
  };
  await take('2026-11-03', [{ enrolmentId: garcia.id, kind: 'present' }, { enrolmentId: martin.id, kind: 'present' }]);
  await take('2026-11-05', [{ enrolmentId: garcia.id, kind: 'remote' }, { enrolmentId: martin.id, kind: 'present' }]);
  await b.api['attendance.importLog']({ fileName: 'lms.csv', source: 'Moodle', csv: 'email;debut;fin\nines@exemple.fr;2026-11-05 09:10;2026-11-05 11:50\n' });
  await take('2026-11-09', [{ enrolmentId: garcia.id, kind: 'late', lateMinutes: 20 }, { enrolmentId: martin.id, kind: 'excused', method: 'none', reason: 'Rendez-vous médical' }]);
  await b.api['enrolments.setStatus']({ enrolmentId: garcia.id, status: 'exited', effectiveDate: '2026-11-20', reason: 'completed' });

  // The funder's address, a programme, and the claim with its lines, written as the claims service would.
  const at = '2026-11-30T14:00:00Z';
  b.raw.prepare("UPDATE funders SET siret = '23750007900312', address = '1 esplanade François Mitterrand', postcode = '69002', city = 'Lyon' WHERE code = 'REGION'").run();
  const programmeId = uuidv7();
  b.raw.prepare(`INSERT INTO programmes (id, code, funder_code, name, created_at, created_by, updated_at, updated_by) VALUES (?, 'AVENIR', 'REGION', '#Avenir', ?, 'local', ?, 'local')`).run(programmeId, at, at);
  const claimId = uuidv7();
  ids.claimId = claimId;
  b.raw.prepare(`INSERT INTO claims (id, funder_code, programme_id, purchase_order, period_from, period_to, status, total_cents, inputs_sha256, built_at, created_at, created_by, updated_at, updated_by)
    VALUES (?, 'REGION', ?, 'BC-2026-0042', '2026-11-01', '2026-11-30', 'draft', 167913, ?, ?, ?, 'local', ?, 'local')`).run(claimId, programmeId, 'a'.repeat(64), at, at, at);
  const line = b.raw.prepare(`INSERT INTO claim_lines (id, claim_id, position, enrolment_id, programme_id, unit, cost_type, label, quantity_e4, unit_price_cents, amount_cents, minutes, realised_minutes)
    VALUES (?, ?, ?, ?, ?, ?, 'pedagogique', ?, ?, ?, ?, ?, ?)`);
  // 500 min → 8,33 h (rounded down) × 12,50 € = 104,125 → 104,13 € (half-up); 360 min → 6,00 h × 12,50 € = 75,00 €; one lump sum of 1 500,00 €.
  line.run(uuidv7(), claimId, 1, garcia.id, programmeId, 'trainee-hour', 'GARCIA Inès — heures stagiaire (#Avenir)', 83_300, 1_250, 10_413, 500, 500);
  line.run(uuidv7(), claimId, 2, martin.id, programmeId, 'trainee-hour', 'MARTIN Paul — heures stagiaire (#Avenir)', 60_000, 1_250, 7_500, 360, 360);
  line.run(uuidv7(), claimId, 3, garcia.id, programmeId, 'learner-lump-sum', 'GARCIA Inès — forfait parcours (#Avenir)', 10_000, 150_000, 150_000, null, 500);
  b.clock.set(VALIDATED_AT);
});
afterEach(async () => b.cleanup());

/** Validates the claim the way the claims service does: status, then the documents inside the same transaction. */
async function validate(): Promise<RenderedClaimDocument[]> {
  const secrets = syncOf(b.ctx).secrets;
  return inTransaction(b.ctx, async (tx) => {
    b.raw.prepare("UPDATE claims SET status = 'validated', validated_at = ?, validated_by = 'local', frozen_sha256 = ?, invoice_number = 'F2026-000001' WHERE id = ?")
      .run(VALIDATED_AT, 'f'.repeat(64), ids.claimId);
    const docs = await renderClaimDocuments(tx, ids.claimId, secrets);
    for (const d of docs) {
      b.raw.prepare('INSERT INTO claim_documents (id, claim_id, kind, enrolment_id, print_id, name, mime, bytes, sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(uuidv7(), ids.claimId, d.kind, d.enrolmentId, d.printId, d.name, d.mime, Buffer.from(d.bytes), d.sha256, VALIDATED_AT, 'local');
    }
    return docs;
  });
}

describe('formatting', () => {
  it('writes money, quantities and hours the French way, exactly', () => {
    // 500 min = 8,333… h → 8,33 (down); 59 min = 0,983… → 0,98; 2 130 min = 35,50.
    expect(hoursText(500)).toBe('8,33');
    expect(hoursText(59)).toBe('0,98');
    expect(hoursText(2_130)).toBe('35,50');
  });
});

describe('claim documents', () => {
  it('renders a certificat per trainee, the invoice and the statement, each a recorded and verifiable print', async () => {
    const docs = await validate();
    expect(docs.map((d) => [d.kind, d.enrolmentId])).toEqual([['invoice', null], ['statement', null], ['certificat', ids.garcia], ['certificat', ids.martin]]);
    for (const d of docs) {
      expect(d.sha256).toBe(createHash('sha256').update(d.bytes).digest('hex'));
      expect(d.mime).toBe('application/pdf');
    }
    // Each one a print with its ledger entry.
    const prints = b.raw.prepare('SELECT p.id, p.kind FROM printed_documents p JOIN ledger l ON l.record_id = p.id AND l.record_type = \'printed_document\' ORDER BY p.created_at, p.id').all() as { id: string; kind: string }[];
    expect(prints.map((p) => p.kind).sort()).toEqual(['certificat-realisation', 'certificat-realisation', 'funder-statement', 'invoice']);
    expect(new Set(prints.map((p) => p.id))).toEqual(new Set(docs.map((d) => d.printId)));

    // The « Vérifier un document » check recognises each PDF: signed, recorded, content recomputed from the claim.
    for (const d of docs) {
      const verdict = await checkPdf(b.ctx, Buffer.from(d.bytes));
      expect(verdict.verdict, `${d.name}: ${verdict.reasons.map((r) => r.text).join(' | ')}`).toBe('authentic');
      expect(verdict.printId).toBe(d.printId);
    }
  });

  it('the certificat de réalisation follows the Ministry model: final with employer and distance activities, intermediate without', async () => {
    const docs = await validate();
    const garcia = flat(pdfText('certificat-garcia.pdf', docs.find((d) => d.enrolmentId === ids.garcia)!.bytes, true));
    expect(garcia).toContain('CERTIFICAT DE RÉALISATION');
    expect(garcia).toContain('Certificat final — période du 01/11/2026 au 30/11/2026');
    expect(garcia).toContain("Je soussigné(e) Claire Vasseur, représentant légal du dispensateur de l'action concourant au développement des compétences OF Sillon Test,");
    expect(garcia).toContain('atteste que :');
    expect(garcia).toContain("GARCIA Inès, salarié(e) de l'entreprise Boulangerie Martin (SIRET 443 061 841 00047),");
    expect(garcia).toContain("a suivi l'action « Secrétariat médical »");
    expect(garcia).toContain("Nature de l'action concourant au développement des compétences :");
    for (const label of ['action de formation', 'bilan de compétences', 'action de VAE', 'action de formation par apprentissage']) expect(garcia).toContain(label);
    // First and last attended half-days of the period; 500 frozen minutes → 8,33 h.
    expect(garcia).toContain("qui s'est déroulée du 03/11/2026 au 09/11/2026 pour une durée de 8,33 heures (1) (8 h 20).");
    expect(garcia).toContain('Dont activités pédagogiques réalisées à distance, temps estimé 2 h 40 :');
    expect(garcia).toContain('novembre 2026 : 1 séance à distance (classe virtuelle ou travaux sur la plateforme), 2 h 40 de connexion');
    expect(garcia).toContain('(1) Pour les formations à distance, prendre en compte la réalisation des activités pédagogiques et le temps estimé pour les réaliser.');
    expect(garcia).toContain("Sans préjudice des délais imposés par les règles fiscales, comptables ou commerciales, je m'engage à conserver l'ensemble des pièces justificatives qui ont permis d'établir le présent certificat pendant une durée de 3 ans à compter de la fin de l'année du dernier paiement. En cas de cofinancement des fonds européens la durée de conservation est étendue conformément aux obligations conventionnelles spécifiques.");
    expect(garcia).toContain('Fait à Lyon, le 30/11/2026');
    expect(garcia).toContain('Cachet et signature du responsable du dispensateur de formation');
    expect(garcia).toContain('Facture F2026-000001');

    const martin = flat(pdfText('certificat-martin.pdf', docs.find((d) => d.enrolmentId === ids.martin)!.bytes));
    expect(martin).toContain('Certificat intermédiaire — période du 01/11/2026 au 30/11/2026');
    expect(martin).toContain('MARTIN Paul, a suivi');
    expect(martin).not.toContain('salarié(e)');
    expect(martin).toContain("qui s'est déroulée du 03/11/2026 au 05/11/2026 pour une durée de 6,00 heures (6 h).");
    expect(martin).not.toContain('Pour les formations à distance');
  });

  it('the invoice carries its number, both parties, the lines, the totals and the VAT mention', async () => {
    const docs = await validate();
    const text = flat(pdfText('facture.pdf', docs.find((d) => d.kind === 'invoice')!.bytes, true));
    expect(text).toContain('FACTURE');
    expect(text).toContain('N° F2026-000001');
    expect(text).toContain('Date : 30/11/2026');
    expect(text).toContain('OF Sillon Test');
    expect(text).toContain('12 rue des Tanneurs, 69002 Lyon');
    expect(text).toContain('SIRET 732 829 320 00074 · NDA 11755555555');
    expect(text).toContain('SIRET 237 500 079 00312');
    expect(text).toContain('1 esplanade François Mitterrand');
    expect(text).toContain('Période : du 01/11/2026 au 30/11/2026');
    expect(text).toContain('Dispositif : #Avenir (AVENIR)');
    expect(text).toContain('Bon de commande : BC-2026-0042');
    expect(text).toMatch(/GARCIA Inès — heures stagiaire \(#Avenir\) — heure stagiaire 8,33 h 12,50 € 104,13 €/);
    expect(text).toMatch(/MARTIN Paul — heures stagiaire \(#Avenir\) — heure stagiaire 6,00 h 12,50 € 75,00 €/);
    expect(text).toMatch(/forfait par stagiaire 1,00 1 500,00 € 1 500,00 €/);
    // 104,13 + 75,00 + 1 500,00 = 1 679,13 €.
    expect(text).toContain('Total HT 1 679,13 €');
    expect(text).toContain('TVA 0,00 €');
    expect(text).toContain('Total TTC 1 679,13 €');
    expect(text).toContain('TVA non applicable, art. 261-4-4° a du CGI (formation professionnelle continue).');
    expect(text).toContain('Conditions de paiement : à 30 jours');
  });

  it('the funder statement lists each trainee’s half-days with the engine’s minutes and the totals', async () => {
    const docs = await validate();
    const text = flat(pdfText('etat-presence.pdf', docs.find((d) => d.kind === 'statement')!.bytes, true));
    expect(text).toContain('État de présence de la période');
    expect(text).toContain('du 01/11/2026 au 30/11/2026 — Conseil régional — #Avenir');
    expect(text).toMatch(/GARCIA Inès Groupe novembre · dossier R-2026-114/);
    expect(text).toMatch(/03\/11\/2026 matin \(09h00–12h00\) Présent 3 ?h 3 ?h/);
    expect(text).toMatch(/05\/11\/2026 matin \(09h00–12h00\) Distanciel 2 h 40 \(connexion\) 3 ?h 2 h 40/);
    expect(text).toMatch(/09\/11\/2026 matin \(09h00–12h00\) Retard 20 min 3 ?h 2 h 40/);
    expect(text).toContain('Total GARCIA Inès 3 demi-journées 8 h 20');
    expect(text).toMatch(/09\/11\/2026 matin \(09h00–12h00\) Absent justifié 3 ?h 0 ?h/);
    expect(text).toMatch(/Total MARTIN Paul 3 demi-journées 6 ?h/);
    // 500 + 360 = 860 min = 14 h 20 = 14,33 h.
    expect(text).toContain('Total de la période : 2 stagiaires, 6 demi-journées 14 h 20 (14,33 h)');
  });

  it('a correction after validation leaves the claim’s documents frozen, and the statement’s check says what changed', async () => {
    const docs = await validate();
    const statement = docs.find((d) => d.kind === 'statement')!;
    const invoice = docs.find((d) => d.kind === 'invoice')!;
    b.clock.set('2026-12-01T09:00:00Z');
    const marks = b.raw.prepare("SELECT m.id FROM attendance_marks m JOIN slots s ON s.id = m.slot_id WHERE m.enrolment_id = ? AND s.date = '2026-11-09'").all(ids.martin) as { id: string }[];
    await b.api['attendance.correct']({ markId: marks[0]!.id, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt: zonedToInstant('2026-11-09', '09:05', 'Europe/Paris').toISOString(), correctionReason: 'Justificatif erroné : présent toute la matinée.' } as never);
    expect((await checkPdf(b.ctx, Buffer.from(invoice.bytes))).verdict).toBe('authentic');
    const changed = await checkPdf(b.ctx, Buffer.from(statement.bytes));
    expect(changed.verdict).toBe('changed');
    expect(changed.reasons.map((r) => r.text).join(' ')).toContain('la ligne de MARTIN Paul');
  });
});

describe('claim bundle', () => {
  it('refuses a draft claim, in French', async () => {
    await expect(buildClaimBundle(b.ctx, ids.claimId)).rejects.toThrow(/brouillon : validez-la avant d'exporter son dossier/);
  });

  it('zips the stored PDFs, the lines as CSV and XLSX, and a manifest whose every hash matches', async () => {
    const docs = await validate();
    const bundle = await buildClaimBundle(b.ctx, ids.claimId);
    expect(bundle.fileName).toBe('dossier_region_2026-11-01_2026-11-30_f2026-000001.zip');
    writeFileSync(join(OUT, bundle.fileName), bundle.bytes);
    const files = unzipSync(bundle.bytes);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Manifest;
    expect(manifest).toEqual(bundle.manifest);
    expect(manifest).toMatchObject({
      claimId: ids.claimId, funder: { code: 'REGION' }, programme: { code: 'AVENIR', name: '#Avenir' }, period: { from: '2026-11-01', to: '2026-11-30' },
      totalCents: 167_913, total: '1\u00a0679,13\u00a0€', frozenSha256: 'f'.repeat(64), invoiceNumber: 'F2026-000001', validatedAt: VALIDATED_AT,
    });
    // Every file but the manifest is listed, and each hash and size is recomputed from the unzipped bytes.
    expect(Object.keys(files).filter((n) => n !== 'manifest.json').sort()).toEqual(manifest.files.map((f) => f.name).sort());
    expect(manifest.files).toHaveLength(docs.length + 2);
    for (const f of manifest.files) {
      expect(createHash('sha256').update(files[f.name]!).digest('hex'), f.name).toBe(f.sha256);
      expect(files[f.name]!.length).toBe(f.size);
    }
    // The PDFs are the stored ones, byte for byte (never re-rendered).
    for (const d of docs) expect(manifest.files.find((f) => f.name === `pdf/${d.name}`)?.sha256).toBe(d.sha256);

    // CSV: BOM, `;`, decimal comma, dd/mm/yyyy.
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(files['lignes.csv']);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.slice(1).trimEnd().split('\r\n').map((r) => r.split(';'));
    expect(rows[0]![0]).toBe('N°');
    expect(rows[1]).toEqual(['1', 'GARCIA Inès — heures stagiaire (#Avenir)', 'heure stagiaire', 'pedagogique', '01/11/2026', '30/11/2026', '8,33', '12,5', '104,13', '500', '500']);
    expect(rows[3]).toEqual(['3', 'GARCIA Inès — forfait parcours (#Avenir)', 'forfait par stagiaire', 'pedagogique', '01/11/2026', '30/11/2026', '1', '1500', '1500', '', '500']);
    expect(rows[4]!.slice(1, 2).concat(rows[4]![8]!)).toEqual(['Total', '1679,13']);

    // XLSX: real numbers with formats, dates as dates.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(files['lignes.xlsx']!) as never);
    const sheet = workbook.getWorksheet('Lignes')!;
    const row = sheet.getRow(2);
    expect(row.getCell(2).value).toBe('GARCIA Inès — heures stagiaire (#Avenir)');
    expect(row.getCell(5).value).toBeInstanceOf(Date);
    expect((row.getCell(5).value as Date).toISOString().slice(0, 10)).toBe('2026-11-01');
    expect(row.getCell(5).numFmt).toBe('dd/mm/yyyy');
    expect(row.getCell(7).value).toBe(8.33);
    expect(row.getCell(9).value).toBe(104.13);
    expect(row.getCell(9).numFmt).toBe('#,##0.00 "€"');
    expect(sheet.getRow(5).getCell(9).value).toBe(1679.13);

    // The same claim gives the same archive.
    const again = await buildClaimBundle(b.ctx, ids.claimId);
    expect(createHash('sha256').update(again.bytes).digest('hex')).toBe(createHash('sha256').update(bundle.bytes).digest('hex'));
  });
});
