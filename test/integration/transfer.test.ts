import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../electron/backend/context';
import { exportLines, importLines } from '../../electron/backend/transfer/transfer';
import { AppError } from '../../shared/errors';
import { testBackend, type TestBackend } from '../helpers/backend';

let tb: TestBackend;
const extra: TestBackend[] = [];

beforeEach(async () => {
  tb = await testBackend();
});
afterEach(async () => {
  while (extra.length) await extra.pop()!.cleanup();
  await tb.cleanup();
});

async function fresh(): Promise<TestBackend> {
  const b = await testBackend();
  extra.push(b);
  return b;
}

function counts(b: TestBackend = tb): Record<string, number> {
  const names = b.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(names.map(({ name }) => [name, (b.raw.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

const exportOf = (b: TestBackend) => inTransaction(b.ctx, (tx) => exportLines(tx));

/** Replaces every id / ref by its order of first appearance, so two exports compare modulo ids. */
function normalise(text: string): string[] {
  const seen = new Map<string, string>();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, (id) => {
      if (!seen.has(id)) seen.set(id, `#${seen.size + 1}`);
      return seen.get(id)!;
    }));
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('expected the import to be refused');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const jsonl = (...records: object[]) => records.map((r) => JSON.stringify(r)).join('\n');
const ACTION = { type: 'action', ref: 'cap', title: 'CAP Cuisine', plannedMinutes: 36000, modality: 'presentiel', certificationCode: 'RNCP37859', level: 3, nsfCode: '221' };
const SESSION = {
  type: 'session', ref: 's1', action: 'cap', label: 'CAP Cuisine — promo 2027', mode: 'cohort', capacity: 12, startDate: '2027-01-04', endDate: '2027-01-29',
  timetable: [{ weekday: 1, halfDay: 'am', start: '08:30', end: '12:00' }, { weekday: 2, halfDay: 'pm', start: '13:00', end: '17:00' }],
};
const TRAINEE = { type: 'trainee', ref: 't1', lastName: 'Exemple', firstName: 'Nadia', birthDate: '1992-03-14', fictitious: true };
const COMPANY = { type: 'company', ref: 'c1', name: 'Le Rhin Gourmand', siret: '44306184100047' };

describe('demo.load', () => {
  it('loads the demo once into an empty base', async () => {
    const counted = await tb.api['demo.load']();
    const rows = counts();
    expect(counted).toMatchObject({ actions: rows.actions, sessions: rows.sessions, slots: rows.slots, trainees: rows.trainees, enrolments: rows.enrolments });
    expect(counted.actions).toBeGreaterThan(0);
    expect(counted.sessions).toBeGreaterThan(0);
    expect(counted.slots).toBeGreaterThan(100);
    expect(counted.enrolments).toBeGreaterThan(0);
    expect(rows.organisation).toBe(1);
    expect(rows.enrolment_statuses).toBeGreaterThanOrEqual(rows.enrolments!);
    // Everyone is fictitious, the NIR given checks, and the Alsatian place is in zone 67.
    expect((tb.raw.prepare('SELECT count(*) AS n FROM trainees WHERE fictitious = 0').get() as { n: number }).n).toBe(0);
    expect((await tb.api['places.list']()).find((p) => p.postcode === '67400')?.holidayZone).toBe('67');
    // The week of today (23 November 2026) has slots to work on.
    expect((tb.raw.prepare("SELECT count(*) AS n FROM slots WHERE date BETWEEN '2026-11-23' AND '2026-11-27'").get() as { n: number }).n).toBeGreaterThan(0);
    // No slot falls on a public holiday (11 November 2026 is a Wednesday; the Alsatian cohort works Mon–Thu).
    expect((tb.raw.prepare("SELECT count(*) AS n FROM slots WHERE date = '2026-11-11'").get() as { n: number }).n).toBe(0);
  });

  it('refuses a second time and writes nothing', async () => {
    await tb.api['demo.load']();
    const before = counts();
    const r = await tb.dispatch('demo.load', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'business' } });
    expect(!r.ok && r.error.message).toMatch(/déjà des actions/);
    expect(counts()).toEqual(before);
  });
});

describe('export → import → export', () => {
  it('gives the same lines modulo ids on the demo data', async () => {
    await tb.api['demo.load']();
    const first = await exportOf(tb);
    const target = await fresh();
    const report = await importLines(target.ctx, first);
    expect(report.lines).toBe(first.split('\n').filter(Boolean).length);
    const source = counts(tb);
    expect(report.created).toMatchObject({
      organisation: 1, place: source.places, trainer: source.trainers, company: source.companies, trainee: source.trainees,
      action: source.actions, session: source.sessions, slot: source.slots, enrolment: source.enrolments,
    });
    const second = await exportOf(target);
    expect(normalise(second)).toEqual(normalise(first));
    // Same figures on both sides, outbox aside (the import replays statuses).
    const a = counts(tb);
    const b = counts(target);
    for (const table of ['organisation', 'places', 'trainers', 'companies', 'trainees', 'actions', 'sessions', 'slots', 'slot_trainers', 'enrolments', 'enrolment_statuses']) {
      expect(b[table], table).toBe(a[table]);
    }
  });

  it('gives the same lines modulo ids on hand-made data with places, trainers, statuses and cancelled slots', async () => {
    const text = jsonl(
      { type: 'organisation', name: 'OF test', siret: '73282932000074', nda: '11755555555', postcode: '75011', city: 'Paris' },
      { type: 'place', ref: 'p1', name: 'Salle A', postcode: '67000', city: 'Strasbourg', qpv: true },
      { type: 'trainer', ref: 'tr1', lastName: 'Klein', firstName: 'Martine', kind: 'internal' },
      COMPANY,
      TRAINEE,
      { type: 'trainee', ref: 't2', lastName: 'Renaud', firstName: 'Julien', birthDate: '1979-04-02', nir: '179044935500771' },
      ACTION,
      { ...SESSION, place: 'p1', trainers: ['tr1'] },
      { type: 'slot', session: 's1', date: '2027-01-06', halfDay: 'am', start: '09:00', end: '12:00', modality: 'distanciel', cancelled: true },
      { type: 'enrolment', session: 's1', trainee: 't1', company: 'c1', funderCode: 'REGION', fileNumber: 'GE-1',
        statuses: [{ status: 'entered', effectiveDate: '2027-01-04' }, { status: 'exited', effectiveDate: '2027-01-20', reason: 'employment', outcome: 'employment-cdi' }] },
      { type: 'enrolment', session: 's1', trainee: 't2', funderCode: 'CPF' },
    );
    await importLines(tb.ctx, text);
    const first = await exportOf(tb);
    const target = await fresh();
    await importLines(target.ctx, first);
    expect(normalise(await exportOf(target))).toEqual(normalise(first));
    const lines = normalise(first).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.type === 'slot')).toHaveLength(9); // 4 Mondays + 4 Tuesdays + the extra cancelled one
    expect(lines.find((l) => l.type === 'slot' && l.cancelled === true)).toMatchObject({ date: '2027-01-06', modality: 'distanciel' });
    expect(lines.find((l) => l.type === 'trainee' && l.lastName === 'Renaud')).toMatchObject({ nir: '179044935500771' });
    expect(lines.find((l) => l.type === 'place')).toMatchObject({ holidayZone: '67', qpv: true });
  });

  it('exports an empty base as an empty file', async () => {
    expect(await exportOf(tb)).toBe('');
  });
});

describe('import validation: the whole file or nothing', () => {
  it('imports the documented example', async () => {
    const report = await importLines(tb.ctx, jsonl(ACTION, SESSION, TRAINEE, { type: 'enrolment', session: 's1', trainee: 't1', funderCode: 'REGION', fileNumber: 'GE-2027-001' }));
    expect(report).toEqual({ lines: 4, created: { action: 1, session: 1, trainee: 1, enrolment: 1 } });
    const [session] = await tb.api['sessions.list']();
    expect(session).toMatchObject({ enrolled: 1, slotCount: 8, plannedMinutes: 4 * 210 + 4 * 240 });
  });

  it('refuses bad JSON on line 3, naming the line, and writes nothing', async () => {
    const before = counts();
    const e = await refusal(importLines(tb.ctx, [JSON.stringify(ACTION), JSON.stringify(SESSION), '{"type":"trainee", "ref": "t1",', JSON.stringify(COMPANY)].join('\n')));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/^Fichier refusé, rien n'a été importé — ligne 3, donnée : JSON invalide/);
    expect(e.issues?.map((i) => i.path)).toEqual(['ligne 3']);
    expect(counts()).toEqual(before);
  });

  it('refuses a bad field on line 5, naming the line and the field', async () => {
    const before = counts();
    const text = jsonl(ACTION, SESSION, TRAINEE, COMPANY, { type: 'company', ref: 'c2', name: 'Autre', siret: '12345678901234' });
    const e = await refusal(importLines(tb.ctx, text));
    expect(e.message).toBe("Fichier refusé, rien n'a été importé — ligne 5, SIRET : SIRET invalide : le SIREN 123456789 (ses 9 premiers chiffres) a une clé de contrôle fausse.");
    expect(e.issues).toEqual([{ path: 'ligne 5.siret', message: expect.stringMatching(/^ligne 5, SIRET/) }]);
    expect(counts()).toEqual(before);
  });

  it('refuses a reference to an undeclared record', async () => {
    const text = jsonl(ACTION, SESSION, { type: 'enrolment', session: 's1', trainee: 'ghost', funderCode: 'REGION' });
    const e = await refusal(importLines(tb.ctx, text));
    expect(e.message).toMatch(/ligne 3, stagiaire : référence « ghost » inconnue/);
    expect(counts().actions).toBe(0);
  });

  it('refuses a reference declared later in the file', async () => {
    const text = jsonl(SESSION, ACTION);
    const e = await refusal(importLines(tb.ctx, text));
    expect(e.message).toMatch(/ligne 1, action : référence « cap » inconnue/);
  });

  it('lists every problem of a file with several, the first in the message', async () => {
    const before = counts();
    const text = [
      JSON.stringify(ACTION),
      JSON.stringify(SESSION),
      'pas du json',
      JSON.stringify(TRAINEE),
      JSON.stringify({ ...COMPANY, siret: '12345678901234' }),
      JSON.stringify({ type: 'enrolment', session: 's1', trainee: 'nobody', funderCode: 'REGION' }),
      JSON.stringify({ type: 'trainee', ref: 't1', lastName: 'Bis', firstName: 'X', birthDate: '1990-01-01' }),
      JSON.stringify({ type: 'formateur', ref: 'x' }),
    ].join('\n');
    const e = await refusal(importLines(tb.ctx, text));
    expect(e.message).toMatch(/ligne 3/);
    const messages = e.issues!.map((i) => i.message);
    expect(messages[0]).toMatch(/^ligne 3, donnée : JSON invalide/);
    expect(messages).toContainEqual(expect.stringMatching(/^ligne 5, SIRET : SIRET invalide/));
    expect(messages).toContainEqual(expect.stringMatching(/^ligne 6, stagiaire : référence « nobody » inconnue/));
    expect(messages).toContainEqual(expect.stringMatching(/^ligne 7, référence : référence « t1 » déjà utilisée/));
    expect(messages).toContainEqual(expect.stringMatching(/^ligne 8, type : Type de ligne inconnu/));
    expect(counts()).toEqual(before);
  });

  it('refuses internal ids in an import file', async () => {
    const e = await refusal(importLines(tb.ctx, jsonl({ ...TRAINEE, id: '01900000-0000-7000-8000-000000000001' })));
    expect(e.message).toMatch(/ligne 1, identifiant : Pas d'identifiant interne/);
  });

  it('refuses an empty file', async () => {
    const e = await refusal(importLines(tb.ctx, '\n\n  \n'));
    expect(e.message).toMatch(/aucune ligne/);
  });

  it('ignores empty lines and Windows line ends, counting lines as written', async () => {
    const text = `${JSON.stringify(ACTION)}\r\n\r\n${JSON.stringify({ ...SESSION, capacity: 0 })}\r\n`;
    const e = await refusal(importLines(tb.ctx, text));
    expect(e.message).toMatch(/ligne 3, capacité/);
  });
});

describe('import failing at write time rolls everything back', () => {
  it('an enrolment over capacity refuses the whole file, naming its line', async () => {
    const before = counts();
    const text = jsonl(
      ACTION,
      { ...SESSION, capacity: 1 },
      TRAINEE,
      { type: 'trainee', ref: 't2', lastName: 'Second', firstName: 'Léa', birthDate: '2001-01-01' },
      { type: 'enrolment', session: 's1', trainee: 't1', funderCode: 'REGION', statuses: [{ status: 'entered', effectiveDate: '2027-01-04' }] },
      { type: 'enrolment', session: 's1', trainee: 't2', funderCode: 'REGION' },
    );
    const e = await refusal(importLines(tb.ctx, text));
    expect(e.code).toBe('business');
    expect(e.message).toMatch(/^Fichier refusé, rien n'a été importé — ligne 6, session : La session est complète \(1 places\)\./);
    expect(e.issues).toEqual([{ path: 'ligne 6.sessionId', message: expect.stringMatching(/complète/) }]);
    expect(counts()).toEqual(before);
  });

  it('a status change refused by the rules refuses the file', async () => {
    const before = counts();
    const text = jsonl(ACTION, SESSION, TRAINEE, {
      type: 'enrolment', session: 's1', trainee: 't1', funderCode: 'REGION',
      statuses: [{ status: 'suspended', effectiveDate: '2027-01-05' }],
    });
    const e = await refusal(importLines(tb.ctx, text));
    expect(e.message).toMatch(/ligne 4, statut : Passage impossible/);
    expect(counts()).toEqual(before);
  });

  it('a session whose end precedes its start is refused with its line', async () => {
    const before = counts();
    const e = await refusal(importLines(tb.ctx, jsonl(ACTION, { ...SESSION, startDate: '2027-02-01', endDate: '2027-01-04', timetable: undefined })));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/ligne 2, date de fin : La date de fin précède la date de début/);
    expect(counts()).toEqual(before);
  });

  it('the same half-day twice for a session is refused with its line', async () => {
    const before = counts();
    const slot = { type: 'slot', session: 's1', date: '2027-01-06', halfDay: 'am', start: '09:00', end: '12:00', modality: 'presentiel' };
    const e = await refusal(importLines(tb.ctx, jsonl(ACTION, SESSION, slot, slot)));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/^Fichier refusé, rien n'a été importé — ligne 4/);
    expect(counts()).toEqual(before);
  });

  it('a duplicate SIRET against the base refuses the file and keeps the base as it was', async () => {
    await tb.api['companies.save']({ name: 'Déjà là', siret: '44306184100047' });
    const before = counts();
    const e = await refusal(importLines(tb.ctx, jsonl(ACTION, TRAINEE, COMPANY)));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/ligne 3, SIRET : Une entreprise avec ce SIRET existe déjà/);
    expect(counts()).toEqual(before);
  });
});

describe('import checks slots like the app', () => {
  const SESSION_NO_TIMETABLE = { ...SESSION, timetable: [] };
  const slot = (over: object) => ({ type: 'slot', session: 's1', date: '2027-01-05', halfDay: 'am', start: '09:00', end: '12:00', modality: 'presentiel', ...over });

  it.each([
    ['outside the session', slot({ date: '2027-02-01' }), /ligne 3, .*hors des dates de la session/],
    ['times that do not fit the half-day', slot({ halfDay: 'pm', start: '08:00', end: '11:00' }), /ligne 3, demi-journée : La demi-journée ne correspond pas/],
    ['a half-day the session already has', slot({ start: '08:30' }), /ligne 4, demi-journée : La session a déjà un créneau le 2027-01-05 matin/],
  ])('refuses a slot on %s, naming the line and the field, and imports nothing', async (_what, bad, message) => {
    const lines = [ACTION, SESSION_NO_TIMETABLE, slot({}), bad];
    // The duplicate case needs both slots; the others replace the good one.
    const file = message.source.includes('ligne 4') ? jsonl(...lines) : jsonl(ACTION, SESSION_NO_TIMETABLE, bad);
    const e = await refusal(importLines(tb.ctx, file));
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/constraint|SQLITE/i);
    expect(counts().slots).toBe(0);
    expect(counts().sessions).toBe(0);
  });

  it('refuses a slot on a public holiday of the place’s zone (Saint-Étienne, 26 December, in Alsace-Moselle only)', async () => {
    const place = { type: 'place', ref: 'strasbourg', name: 'Centre de Strasbourg', postcode: '67000', city: 'Strasbourg' };
    const session = { ...SESSION_NO_TIMETABLE, startDate: '2026-12-21', endDate: '2027-01-29', place: 'strasbourg' };
    const e = await refusal(importLines(tb.ctx, jsonl(place, ACTION, session, slot({ date: '2026-12-26' }))));
    expect(e.message).toMatch(/ligne 4, .*2026-12-26 est un jour férié/);
    // The same day is a working day elsewhere in France (26 December 2026 is a Saturday, but not a holiday).
    const ok = await importLines(tb.ctx, jsonl(ACTION, { ...session, place: undefined }, slot({ date: '2026-12-26' })));
    expect(ok.created.slot).toBe(1);
  });

  it('goes through the app’s dispatch: validated, permission-checked', async () => {
    const r = await tb.dispatch('data.import', { text: jsonl(ACTION, SESSION_NO_TIMETABLE, slot({})) });
    expect(r).toEqual({ ok: true, value: { lines: 3, created: { action: 1, session: 1, slot: 1 } } });
    const out = await tb.dispatch('data.export', {});
    expect(out).toMatchObject({ ok: true, value: { lines: 3 } });
  });
});
