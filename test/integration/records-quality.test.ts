import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { testBackend, type TestBackend } from '../helpers/backend';

// Issue #8 items 8, 9, 14, 15, 16: clean records and bounded input, through the real dispatch.
let tb: TestBackend;
let api: Api;
beforeEach(async () => {
  tb = await testBackend(); // today: 2026-11-23 (Paris)
  api = tb.api;
});
afterEach(async () => tb.cleanup());

async function failure(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => (e as { api?: ApiError }).api,
  );
  expect(error).toBeDefined();
  return error!;
}
const count = (table: string) => (tb.raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const NIR = '269054958815780';
const MON_TO_WED = [1, 2, 3].flatMap((weekday) => [
  { weekday, halfDay: 'am' as const, start: '08:30', end: '12:00' },
  { weekday, halfDay: 'pm' as const, start: '13:00', end: '16:30' },
]);
async function aCohort(plannedMinutes = 600 * 60) {
  const action = await api['actions.save']({ title: 'CAP Cuisine', plannedMinutes, modality: 'presentiel' });
  const session = await api['sessions.save']({ actionId: action.id, label: 'Promotion novembre', mode: 'cohort', capacity: 12, startDate: '2026-11-02', endDate: '2026-11-27' });
  return { action, session };
}

describe('item 8: duplicates and birth dates', () => {
  it('refuses the same NIR twice, naming the NIR field and the holder', async () => {
    await api['trainees.save']({ lastName: 'Benali', firstName: 'Nadia', birthDate: '1992-03-14', nir: NIR });
    const before = count('trainees');
    const e = await failure(api['trainees.save']({ lastName: 'Martin', firstName: 'Léa', birthDate: '1990-05-01', nir: '2 69 05 49 588 157 80' }));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('NIR déjà enregistré pour BENALI Nadia : un NIR identifie une seule personne.');
    expect(e.issues).toEqual([{ path: 'nir', message: e.message }]);
    expect(count('trainees')).toBe(before);
  });

  it('a namesake born the same day is refused until confirmed, and found accents and case aside', async () => {
    const first = await api['trainees.save']({ lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1995-02-10' });
    expect(await api['trainees.namesakes']({ lastName: 'LEFEVRE', firstName: 'helene', birthDate: '1995-02-10' })).toEqual([
      { id: first.id, lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1995-02-10' },
    ]);
    expect(await api['trainees.namesakes']({ lastName: 'LEFEVRE', firstName: 'helene', birthDate: '1995-02-11' })).toEqual([]);
    // Its own record is no namesake of itself.
    expect(await api['trainees.namesakes']({ id: first.id, lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1995-02-10' })).toEqual([]);
    const e = await failure(api['trainees.save']({ lastName: 'LEFEVRE', firstName: 'helene', birthDate: '1995-02-10' }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/^Un stagiaire LEFÈVRE Hélène né\(e\) le 10\/02\/1995 existe déjà/);
    const second = await api['trainees.save']({ lastName: 'LEFEVRE', firstName: 'helene', birthDate: '1995-02-10', confirmDuplicate: true });
    expect(second.id).not.toBe(first.id);
    expect(count('trainees')).toBe(2);
  });

  it('refuses a birth date in the future or less than 14 years before today for a new trainee', async () => {
    const future = await failure(api['trainees.save']({ lastName: 'Futur', firstName: 'A', birthDate: '2026-11-24' }));
    expect(future.issues).toEqual([{ path: 'birthDate', message: 'La date de naissance (24/11/2026) est dans le futur.' }]);
    // Today 2026-11-23: born 2012-11-24 is 13, born 2012-11-23 is 14 today.
    const young = await failure(api['trainees.save']({ lastName: 'Jeune', firstName: 'B', birthDate: '2012-11-24' }));
    expect(young.issues?.[0]).toEqual({ path: 'birthDate', message: expect.stringMatching(/moins de 14 ans à l'entrée en formation \(23\/11\/2026\)/) });
    await api['trainees.save']({ lastName: 'Jeune', firstName: 'C', birthDate: '2012-11-23' });
  });

  it('refuses to enrol someone under 14 on the enrolment start', async () => {
    const { session } = await aCohort();
    // 14 on 2026-11-23 but the enrolment starts on 2026-11-02: 13 then.
    const trainee = await api['trainees.save']({ lastName: 'Jeune', firstName: 'C', birthDate: '2012-11-23' });
    const e = await failure(api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION' }));
    expect(e.issues?.[0]).toEqual({ path: 'traineeId', message: expect.stringMatching(/moins de 14 ans à l'entrée en formation \(02\/11\/2026\)/) });
    expect(count('enrolments')).toBe(0);
  });
});

describe('item 9: archiving records created by mistake', () => {
  it('archives a trainee without evidence: gone from the list, listed as archived, restorable', async () => {
    const t = await api['trainees.save']({ lastName: 'Erreur', firstName: 'Saisie', birthDate: '1990-01-01' });
    expect(await api['people.archive']({ kind: 'trainee', id: t.id, archived: true })).toEqual({ id: t.id, archived: true });
    expect((await api['trainees.list']()).rows.map((r) => r.id)).not.toContain(t.id);
    expect(await api['people.archived']({ kind: 'trainee' })).toEqual([{ id: t.id, label: 'Erreur Saisie', archivedAt: '2026-11-23T09:00:00.000Z' }]);
    await api['people.archive']({ kind: 'trainee', id: t.id, archived: false });
    expect((await api['trainees.list']()).rows.map((r) => r.id)).toContain(t.id);
    expect(await api['people.archived']({ kind: 'trainee' })).toEqual([]);
    // Nothing was deleted; each change is a new version.
    expect(tb.raw.prepare('SELECT version FROM trainees WHERE id = ?').get(t.id)).toEqual({ version: 3 });
  });

  it('refuses to archive a trainee whose enrolment left for a funder, saying what hangs on it', async () => {
    const { session } = await aCohort();
    const t = await api['trainees.save']({ lastName: 'Benali', firstName: 'Nadia', birthDate: '1992-03-14' });
    const e = await api['enrolments.create']({ sessionId: session.id, traineeId: t.id, funderCode: 'REGION' });
    await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-02' });
    const refused = await failure(api['people.archive']({ kind: 'trainee', id: t.id, archived: true }));
    expect(refused.code).toBe('business');
    expect(refused.message).toBe(
      "Ce stagiaire (Benali Nadia) ne peut pas être archivé : des preuves s'y rattachent (1 enregistrement(s) transmis ou à transmettre aux financeurs). Les preuves ne sont jamais supprimées.",
    );
    expect((await api['trainees.list']()).rows.map((r) => r.id)).toContain(t.id);
    // The session carries the same evidence.
    expect((await failure(api['sessions.archive']({ id: session.id, archived: true }))).message).toMatch(/^Cette session \(Promotion novembre\) ne peut pas être archivée/);
  });

  it('archives a session without evidence with its slots and enrolments; its action only once the session is archived', async () => {
    const { action, session } = await aCohort();
    await api['slots.generate']({ sessionId: session.id, from: '2026-11-02', to: '2026-11-04', timetable: MON_TO_WED });
    const t = await api['trainees.save']({ lastName: 'Martin', firstName: 'Léa', birthDate: '1990-05-01' });
    await api['enrolments.create']({ sessionId: session.id, traineeId: t.id, funderCode: 'REGION' });
    const blocked = await failure(api['catalogue.archive']({ kind: 'action', id: action.id, archived: true }));
    expect(blocked.message).toBe("Cette action de formation (CAP Cuisine) a encore 1 session(s) : « Promotion novembre ». Archivez d'abord ses sessions.");
    await api['sessions.archive']({ id: session.id, archived: true });
    expect((await api['sessions.list']()).map((s) => s.id)).not.toContain(session.id);
    expect(await api['attendance.day']({ date: '2026-11-02' })).toEqual([]);
    expect(tb.raw.prepare('SELECT count(*) AS n FROM slots WHERE deleted_at IS NULL').get()).toEqual({ n: 0 });
    await api['catalogue.archive']({ kind: 'action', id: action.id, archived: true });
    expect((await api['actions.list']()).map((a) => a.id)).not.toContain(action.id);
    // Restoring the session brings its 6 slots and its enrolment back.
    await api['sessions.archive']({ id: session.id, archived: false });
    expect(tb.raw.prepare('SELECT count(*) AS n FROM slots WHERE deleted_at IS NULL').get()).toEqual({ n: 6 });
    expect(tb.raw.prepare('SELECT count(*) AS n FROM enrolments WHERE deleted_at IS NULL').get()).toEqual({ n: 1 });
  });

  it('archives a company, a trainer and a place without evidence', async () => {
    const c = await api['companies.save']({ name: 'Menuiserie', siret: '73282932000074' });
    const tr = await api['trainers.save']({ lastName: 'Durand', firstName: 'Paul', kind: 'internal' });
    const p = await api['places.save']({ name: 'Site', postcode: '75011', city: 'Paris' });
    await api['people.archive']({ kind: 'company', id: c.id, archived: true });
    await api['people.archive']({ kind: 'trainer', id: tr.id, archived: true });
    await api['catalogue.archive']({ kind: 'place', id: p.id, archived: true });
    expect(await api['companies.list']()).toEqual([]);
    expect(await api['trainers.list']()).toEqual([]);
    expect(await api['places.list']()).toEqual([]);
  });
});

describe('item 14: status dates bounded by the enrolment', () => {
  it('refuses an entry after the enrolment end and explains an entry before its start', async () => {
    const { session } = await aCohort();
    const t = await api['trainees.save']({ lastName: 'Martin', firstName: 'Léa', birthDate: '1990-05-01' });
    const e = await api['enrolments.create']({ sessionId: session.id, traineeId: t.id, funderCode: 'REGION', plannedStart: '2026-11-09', plannedEnd: '2026-11-20' });
    const late = await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-21' }));
    expect(late.issues).toEqual([{ path: 'effectiveDate', message: "L'entrée ne peut pas être datée après la fin de l'inscription (20/11/2026)." }]);
    const early = await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-06' }));
    expect(early.message).toBe("L'entrée ne peut pas être datée avant le début de l'inscription (09/11/2026) : avancez d'abord le début de l'inscription.");
    await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-09' });
    const exit = await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status: 'exited', effectiveDate: '2026-12-01', reason: 'completed' }));
    expect(exit.message).toBe("La sortie ne peut pas être datée après la fin de l'inscription (20/11/2026).");
    expect((await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'exited', effectiveDate: '2026-11-20', reason: 'completed' })).status).toBe('exited');
  });
});

describe('item 15: SIRET whose SIREN fails its key', () => {
  it.each([
    ['73282932100007', 'SIRET invalide : le SIREN 732829321 (ses 9 premiers chiffres) a une clé de contrôle fausse.'],
    ['00000000000000', 'SIRET invalide : un SIRET ne peut pas être composé uniquement de zéros.'],
  ])('refuses %s', async (siret, message) => {
    const e = await failure(api['companies.save']({ name: 'Menuiserie', siret }));
    expect(e.issues).toEqual([{ path: 'siret', message }]);
    expect(count('companies')).toBe(0);
  });
});

describe('item 16: generated slots beyond the planned hours', () => {
  it('warns: 70 h of slots for a 10 h 30 action', async () => {
    const { session } = await aCohort(630);
    // 02/11 → 24/11: Mon–Wed weeks of 6 half-days of 3 h 30; 11/11 (Armistice) skipped; 23–24/11 gives 4: 20 half-days.
    const r = await api['slots.generate']({ sessionId: session.id, from: '2026-11-02', to: '2026-11-24', timetable: MON_TO_WED });
    expect(r.created).toBe(20);
    expect(r.overPlanned).toEqual({ generated: 4200, planned: 630, over: 3570 });
  });

  it('says nothing when the slots fit', async () => {
    const { session } = await aCohort(630);
    const r = await api['slots.generate']({ sessionId: session.id, from: '2026-11-02', to: '2026-11-02', timetable: MON_TO_WED });
    expect(r).toMatchObject({ created: 2, overPlanned: null });
  });
});
