/**
 * Issue #8, item 20: what the printed documents say. The sheet gives the session's period and the distance
 * minutes taken from connection logs; the monthly statement gives the actual entry date and reads "À venir"
 * for slots still to come; each funder's logo and required mentions (FSE+ co-funding) are printed on its
 * documents. Checked in the PDFs themselves (pdftotext, pdfimages from poppler-utils).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sheetModel } from '../../electron/backend/documents/sheet-model';
import { statementModel } from '../../electron/backend/documents/statement-model';
import { zonedToInstant } from '../../shared/domain/dates';
import { testBackend, type TestBackend } from '../helpers/backend';

const OUT = join(resolve(__dirname, '..', '..'), 'test-results', 'documents');
const MENTION = "Cette action est cofinancée par l'Union européenne (Fonds social européen plus, FSE+) et la Région.";

/** A 120 × 40 logo: a blue band on white. */
function logoPng(): string {
  const png = new PNG({ width: 120, height: 40, colorType: 6 });
  for (let y = 0; y < 40; y++) for (let x = 0; x < 120; x++) png.data.set(y > 12 && y < 28 ? [0, 51, 153, 255] : [255, 255, 255, 255], (y * 120 + x) * 4);
  return PNG.sync.write(png).toString('base64');
}

function inspect(name: string, base64: string) {
  const pdf = join(OUT, `${name}.pdf`);
  writeFileSync(pdf, Buffer.from(base64, 'base64'));
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(OUT, name)]);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  // Images of page 1, other than the QR code (square) and signatures: "page num type width height …".
  const images = execFileSync('pdfimages', ['-list', '-f', '1', '-l', '1', pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
    .map((l) => l.trim().split(/\s+/)).map((c) => ({ width: Number(c[3]), height: Number(c[4]) }));
  return { text, images, oneLine: text.replace(/\s+/g, ' ') };
}

let b: TestBackend;
let ids: { sessionId: string; enrolmentId: string; slots: Map<string, string> };

beforeAll(() => mkdirSync(OUT, { recursive: true }));

/**
 * A mixed session 2–27 November 2026, Monday, Tuesday and Thursday mornings 09:00–12:00 (12 slots), one
 * trainee funded by the Région, entered on Tuesday 3 November: present on the 3rd, remote on the 5th with
 * no declared minutes but 2 h 40 in the LMS log (09:10–11:50). Today: Tuesday 17 November, 11:00 in Paris.
 */
beforeEach(async () => {
  b = await testBackend('2026-11-02T07:00:00Z');
  await b.api['organisation.save']({ name: 'OF Sillon Test', siret: '73282932000074', city: 'Lyon' });
  const trainer = await b.api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
  const action = await b.api['actions.save']({ title: 'Secrétariat médical', plannedMinutes: 6000, modality: 'mixte' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe novembre', mode: 'cohort', capacity: 5, startDate: '2026-11-02', endDate: '2026-11-27' });
  const am = (weekday: number) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' });
  await b.api['slots.generate']({ sessionId: session.id, from: '2026-11-02', to: '2026-11-27', timetable: [am(1), am(2), am(4)], trainerIds: [trainer.id] });
  const trainee = await b.api['trainees.save']({ lastName: 'Garcia', firstName: 'Inès', birthDate: '1990-01-01', email: 'ines@exemple.fr' });
  const enrolment = await b.api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION', fileNumber: 'R-2026-114' });
  await b.api['enrolments.setStatus']({ enrolmentId: enrolment.id, status: 'entered', effectiveDate: '2026-11-03' });
  const page = await b.api['sessions.get']({ id: session.id });
  ids = { sessionId: session.id, enrolmentId: enrolment.id, slots: new Map(page.slots.map((s) => [s.date, s.id])) };
  expect(ids.slots.size).toBe(12);

  const take = async (date: string, mark: Record<string, unknown>) => {
    b.clock.set(zonedToInstant(date, '09:05', 'Europe/Paris').toISOString());
    await b.api['attendance.record']({ slotId: ids.slots.get(date)!, submissionId: uuidv7(), marks: [{ enrolmentId: enrolment.id, ...mark } as never] });
    b.clock.set(zonedToInstant(date, '12:00', 'Europe/Paris').toISOString());
    await b.api['attendance.close']({ slotId: ids.slots.get(date)!, trainerId: trainer.id, method: 'paper' });
  };
  await take('2026-11-03', { kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt: zonedToInstant('2026-11-03', '09:05', 'Europe/Paris').toISOString() });
  await take('2026-11-05', { kind: 'remote', method: 'proxy', proxyName: 'Tuteur', signedAt: zonedToInstant('2026-11-05', '09:10', 'Europe/Paris').toISOString() });
  await b.api['attendance.importLog']({ fileName: 'lms.csv', source: 'Moodle', csv: 'email;debut;fin\nines@exemple.fr;2026-11-05 09:10;2026-11-05 11:50\n' });
  b.clock.set(zonedToInstant('2026-11-17', '11:00', 'Europe/Paris').toISOString());
});
afterEach(async () => b.cleanup());

describe('funder logos and mentions', () => {
  it('are kept per funder code, checked, and listed for the settings', async () => {
    const saved = await b.api['organisation.saveFunderDocument']({ funderCode: 'REGION', mentions: MENTION, logo: { mime: 'image/png', base64: logoPng() } });
    expect(saved).toMatchObject({ funderCode: 'REGION', mentions: MENTION, logo: { mime: 'image/png' } });
    // Mentions changed, logo left out: the logo stays.
    const kept = await b.api['organisation.saveFunderDocument']({ funderCode: 'REGION', mentions: 'FSE+' });
    expect(kept.logo?.base64).toBe(saved.logo?.base64);
    const list = await b.api['organisation.funderDocuments']();
    expect(list.find((f) => f.funderCode === 'REGION')).toMatchObject({ mentions: 'FSE+', logo: { mime: 'image/png' } });
    expect(list.find((f) => f.funderCode === 'OPCO')).toMatchObject({ mentions: null, logo: null, updatedAt: null });
    // Removing the logo; a PNG that is not one; an unknown funder.
    expect((await b.api['organisation.saveFunderDocument']({ funderCode: 'REGION', mentions: 'FSE+', logo: null })).logo).toBeNull();
    const notPng = await b.api['organisation.saveFunderDocument']({ funderCode: 'REGION', logo: { mime: 'image/png', base64: Buffer.from('GIF89a-not-a-png').toString('base64') } })
      .then(() => null, (e: { api: { message: string; issues?: { path: string }[] } }) => e.api);
    expect(notPng?.issues?.[0]?.path).toBe('logo');
    expect(notPng?.message).toMatch(/PNG/);
    const unknown = await b.api['organisation.saveFunderDocument']({ funderCode: 'NOPE', mentions: 'x' }).then(() => null, (e: { api: { issues?: { path: string }[] } }) => e.api);
    expect(unknown?.issues?.[0]?.path).toBe('funderCode');
  });
});

describe('funder documents in the import file', () => {
  it('are imported from a funder-document line and exported again', async () => {
    const logo = { mime: 'image/png', base64: logoPng() };
    const report = await b.api['data.import']({ text: `${JSON.stringify({ type: 'funder-document', funderCode: 'REGION', mentions: MENTION, logo })}\n` });
    expect(report.created).toEqual({ 'funder-document': 1 });
    expect((await b.api['organisation.funderDocuments']()).find((f) => f.funderCode === 'REGION')).toMatchObject({ mentions: MENTION, logo });
    const exported = (await b.api['data.export']()).text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string });
    expect(exported.filter((l) => l.type === 'funder-document')).toEqual([{ type: 'funder-document', funderCode: 'REGION', mentions: MENTION, logo }]);
    const bad = await b.api['data.import']({ text: `${JSON.stringify({ type: 'funder-document', funderCode: 'NOPE', mentions: 'x' })}\n` }).then(() => null, (e: Error) => e.message);
    expect(bad).toMatch(/ligne 1, financeur : Financeur inconnu/);
  });
});

describe('émargement sheet', () => {
  it('gives the session period, the distance minutes of the connection log, and the funder logo and mention', async () => {
    await b.api['organisation.saveFunderDocument']({ funderCode: 'REGION', mentions: MENTION, logo: { mime: 'image/png', base64: logoPng() } });
    const model = await sheetModel(b.ctx, 'attendance-sheet', { sessionId: ids.sessionId, weekStart: '2026-11-02' });
    expect(model.session).toMatchObject({ startDate: '2026-11-02', endDate: '2026-11-27' });
    const remote = model.rows[0]!.cells.find((c) => c.slotId === ids.slots.get('2026-11-05'))!.mark!;
    expect(remote).toMatchObject({ category: 'remote', remoteMinutes: 160, remoteFromLog: true });
    // 3 Nov 180 min + 5 Nov 160 min (the log) = 340 min = 5 h 40.
    expect(model.rows[0]!.realisedMinutes).toBe(340);
    expect(model.funders).toEqual([{ code: 'REGION', name: expect.any(String), mentions: MENTION, logo: { mime: 'image/png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } }]);

    const doc = await b.api['documents.attendanceSheet']({ sessionId: ids.sessionId, weekStart: '2026-11-02' });
    const { oneLine, images } = inspect('sheet-funders', doc.base64);
    expect(oneLine).toContain('Session : Groupe novembre — du 02/11/2026 au 27/11/2026');
    expect(oneLine).toContain('Distanciel 2 h 40 (connexion)');
    expect(oneLine).toContain('5 h 40');
    expect(oneLine).toContain(MENTION.slice(0, 60));
    expect(images.some((i) => i.width === 120 && i.height === 40)).toBe(true);
  });
});

describe('monthly statement', () => {
  it('gives the entry date, reads "À venir" for the slots still to come, and prints the funder mention', async () => {
    await b.api['organisation.saveFunderDocument']({ funderCode: 'REGION', mentions: MENTION, logo: { mime: 'image/png', base64: logoPng() } });
    const m = await statementModel(b.ctx, { enrolmentId: ids.enrolmentId, month: '2026-11' });
    expect(m.enrolment).toMatchObject({ plannedStart: '2026-11-02', enteredOn: '2026-11-03', exitedOn: null });
    // Today Tuesday 17 November 11:00: 17 (ends 12:00), 19, 23, 24, 26 are to come; 2, 9, 10, 12, 16 passed unmarked.
    expect(m.lines.filter((l) => l.upcoming).map((l) => l.date)).toEqual(['2026-11-17', '2026-11-19', '2026-11-23', '2026-11-24', '2026-11-26']);
    expect(m.halfDays).toMatchObject({ present: 1, remote: 1, unmarked: 5, upcoming: 5 });
    expect(m.lines.find((l) => l.date === '2026-11-05')!.attendedMinutes).toBe(160);
    expect(m.totals.attended).toBe(340);
    expect(m.funder).toMatchObject({ code: 'REGION', mentions: MENTION });

    const doc = await b.api['documents.monthlyStatement']({ enrolmentId: ids.enrolmentId, month: '2026-11' });
    const { text, oneLine, images } = inspect('statement-funders', doc.base64);
    expect(oneLine).toContain('Entrée en formation : le 03/11/2026');
    expect(text.split('\n').filter((l) => l.includes('À venir'))).toHaveLength(5);
    expect(text.split('\n').filter((l) => l.includes('Non saisi'))).toHaveLength(5);
    expect(oneLine).toMatch(/Demi-journées à venir à la date du relevé 5/);
    expect(oneLine).toContain('Distanciel 2 h 40 (connexion)');
    expect(oneLine).toContain(MENTION.slice(0, 60));
    expect(images.some((i) => i.width === 120 && i.height === 40)).toBe(true);

    // Two weeks later the paper still verifies: "À venir" is read as of its issue, not as of today.
    b.clock.set('2026-12-01T09:00:00Z');
    expect(await b.api['documents.verify']({ shortHash: doc.shortHash })).toMatchObject({ ok: true, status: 'unchanged' });
    expect((await statementModel(b.ctx, { enrolmentId: ids.enrolmentId, month: '2026-11' })).halfDays).toMatchObject({ unmarked: 10, upcoming: 0 });
  });
});
