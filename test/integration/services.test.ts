import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { LOCAL_USER, type User } from '../../electron/backend/context';
import { APP_VERSION } from '../../electron/backend/version';
import { LATEST_SCHEMA_VERSION } from '../../migrations';
import type { Api, MethodName } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { PERMISSIONS, type Permission } from '../../shared/permissions';
import { testBackend, type TestBackend } from '../helpers/backend';

let tb: TestBackend;
let api: Api;
const others: Backend[] = [];

beforeEach(async () => {
  tb = await testBackend();
  api = tb.api;
});
afterEach(async () => {
  while (others.length) await others.pop()!.close();
  await tb.cleanup();
});

/** The ApiError a call through the real dispatch fails with. */
async function failure(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => (e as { api?: ApiError }).api,
  );
  expect(error, 'the failure should come from dispatch').toBeDefined();
  return error!;
}

/** Row counts of every table, to prove a refused call wrote nothing. */
function counts(): Record<string, number> {
  const names = tb.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(names.map(({ name }) => [name, (tb.raw.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** A second connection to the same data folder, as a user holding only some permissions. */
async function as(permissions: readonly Permission[], id = 'restricted'): Promise<Backend> {
  const user: User = { id, name: 'Utilisateur restreint', permissions: new Set(permissions) };
  // Beside the test's own backend: no data-folder lock (two Sillon apps on one folder are refused).
  const backend = await startBackend(tb.dataDir, { user, now: () => tb.clock.now, lock: false });
  others.push(backend);
  return backend;
}
const allBut = (...missing: Permission[]) => PERMISSIONS.filter((p) => !missing.includes(p));

async function call<M extends MethodName>(backend: Backend, method: M, payload: unknown) {
  return backend.dispatch(method, payload);
}

// ---- fixtures ---------------------------------------------------------------------------------------

async function anAction(title = 'CAP Cuisine') {
  return api['actions.save']({ title, plannedMinutes: 600 * 60, modality: 'presentiel', certificationCode: 'RNCP37859', level: 3, nsfCode: '221' });
}
async function aPlace(postcode = '75011', city = 'Paris') {
  return api['places.save']({ name: `Site ${city}`, postcode, city });
}
async function aTrainee(lastName: string, firstName = 'Test', extra: Record<string, unknown> = {}) {
  return api['trainees.save']({ lastName, firstName, birthDate: '1990-01-01', fictitious: true, ...extra });
}
/** Mon–Wed, 08:30–12:00 and 13:00–16:30: 210 minutes each half-day. */
const MON_TO_WED = [1, 2, 3].flatMap((weekday) => [
  { weekday, halfDay: 'am' as const, start: '08:30', end: '12:00' },
  { weekday, halfDay: 'pm' as const, start: '13:00', end: '16:30' },
]);
async function aCohort(capacity = 12, extra: Record<string, unknown> = {}) {
  const action = await anAction();
  return api['sessions.save']({ actionId: action.id, label: 'Promotion novembre', mode: 'cohort', capacity, startDate: '2026-11-02', endDate: '2026-11-27', ...extra });
}

// ---- organisation, catalogue, people ----------------------------------------------------------------

describe('organisation', () => {
  it('is empty at first, then saved, read back and updated in place', async () => {
    expect(await api['organisation.get']()).toBeNull();
    const saved = await api['organisation.save']({
      name: 'Les Ateliers', siret: '732 829 320 00074', nda: '11 75 55555 55', postcode: '75011', city: 'Paris', email: 'contact@ateliers.example',
    });
    expect(saved).toMatchObject({ name: 'Les Ateliers', siret: '73282932000074', nda: '11755555555', timeZone: 'Europe/Paris', qualiopiValidUntil: null, phone: null });
    expect(saved.createdAt).toBe('2026-11-23T09:00:00.000Z');
    expect(saved.createdBy).toBe('local');
    expect(await api['organisation.get']()).toEqual(saved);

    tb.clock.set('2026-11-24T10:00:00Z');
    const updated = await api['organisation.save']({ name: 'Les Ateliers du Sillon', siret: '73282932000074', qualiopiValidUntil: '2027-12-31' });
    expect(updated.id).toBe(saved.id);
    expect(updated.name).toBe('Les Ateliers du Sillon');
    expect(updated.email).toBeNull();
    expect(updated.createdAt).toBe(saved.createdAt);
    expect(updated.updatedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(counts().organisation).toBe(1);
  });

  it('refuses a wrong SIRET or NDA naming the field', async () => {
    const e = await failure(api['organisation.save']({ name: 'X', siret: '73282932000075' }));
    expect(e.code).toBe('validation');
    expect(e.issues?.[0]?.path).toBe('siret');
    const nda = await failure(api['organisation.save']({ name: 'X', siret: '73282932000074', nda: '123' }));
    expect(nda.message).toMatch(/numéro de déclaration d'activité/);
  });
});

describe('actions', () => {
  it('saves, lists, gets and updates an action', async () => {
    const a = await anAction('CAP Cuisine');
    const b = await anAction('BP Boulanger');
    expect(a).toMatchObject({ title: 'CAP Cuisine', plannedMinutes: 36000, modality: 'presentiel', nature: 'action-de-formation', code: null });
    expect((await api['actions.list']()).map((x) => x.title)).toEqual(['BP Boulanger', 'CAP Cuisine']);
    expect(await api['actions.get']({ id: a.id })).toEqual(a);
    const changed = await api['actions.save']({ id: b.id, title: 'BP Boulanger (2027)', plannedMinutes: 60, modality: 'mixte' });
    expect(changed.id).toBe(b.id);
    expect(changed.title).toBe('BP Boulanger (2027)');
    expect(await failure(api['actions.get']({ id: tb.ctx.newId() }))).toMatchObject({ code: 'not_found' });
  });

  it('refuses a malformed certification code and an update of an unknown action', async () => {
    const e = await failure(api['actions.save']({ title: 'X', plannedMinutes: 60, modality: 'presentiel', certificationCode: 'RNC12' }));
    expect(e.message).toMatch(/code RNCP\/RS/);
    const unknown = await failure(api['actions.save']({ id: tb.ctx.newId(), title: 'X', plannedMinutes: 60, modality: 'presentiel' }));
    expect(unknown.code).toBe('not_found');
    expect(counts().actions).toBe(0);
  });
});

describe('places', () => {
  it('takes the holiday zone from the postcode unless given', async () => {
    expect((await aPlace('67400', 'Illkirch-Graffenstaden')).holidayZone).toBe('67');
    expect((await aPlace('57000', 'Metz')).holidayZone).toBe('57');
    expect((await aPlace('97110', 'Pointe-à-Pitre')).holidayZone).toBe('GP');
    expect((await aPlace('49300', 'Cholet')).holidayZone).toBe('metropole');
    const forced = await api['places.save']({ name: 'Annexe', postcode: '75011', city: 'Paris', holidayZone: '68', qpv: true });
    expect(forced).toMatchObject({ holidayZone: '68', qpv: true, zrr: false });
    expect(await api['places.list']()).toHaveLength(5);
  });

  it('updates a place and recomputes its zone from a new postcode', async () => {
    const p = await aPlace('75011', 'Paris');
    const moved = await api['places.save']({ id: p.id, name: p.name, postcode: '68100', city: 'Mulhouse' });
    expect(moved.id).toBe(p.id);
    expect(moved.holidayZone).toBe('68');
    expect(await failure(api['places.save']({ id: tb.ctx.newId(), name: 'X', postcode: '75011', city: 'Paris' }))).toMatchObject({ code: 'not_found' });
  });

  it('refuses a postcode that is not 5 digits, naming « code postal »', async () => {
    const e = await failure(api['places.save']({ name: 'X', postcode: '6740', city: 'Illkirch' }));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/code postal/);
  });
});

describe('trainers', () => {
  it('saves and lists trainers by name, and updates one', async () => {
    const w = await api['trainers.save']({ lastName: 'Weber', firstName: 'Thomas', kind: 'internal' });
    await api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'external', siret: '44306184100047', email: 'm.klein@example.org' });
    expect((await api['trainers.list']()).map((t) => t.lastName)).toEqual(['Klein', 'Weber']);
    const updated = await api['trainers.save']({ id: w.id, lastName: 'Weber', firstName: 'Tom', kind: 'internal' });
    expect(updated).toMatchObject({ id: w.id, firstName: 'Tom', siret: null, email: null });
  });

  it('refuses an unknown kind and a bad e-mail', async () => {
    expect((await failure(api['trainers.save']({ lastName: 'A', firstName: 'B', kind: 'freelance' as never }))).issues?.[0]?.path).toBe('kind');
    expect((await failure(api['trainers.save']({ lastName: 'A', firstName: 'B', kind: 'internal', email: 'pas-un-mail' }))).message).toMatch(/e-mail/);
  });
});

describe('companies', () => {
  it('saves a company and refuses a second one with the same SIRET (conflict)', async () => {
    const c = await api['companies.save']({ name: 'Menuiserie du Bocage', siret: '44306184100047', headcount: 14 });
    expect(c).toMatchObject({ siret: '44306184100047', headcount: 14, postcode: null });
    const e = await failure(api['companies.save']({ name: 'Autre', siret: '443 061 841 00047' }));
    expect(e.code).toBe('conflict');
    expect(e.issues).toEqual([{ path: 'siret', message: expect.any(String) }]);
    expect(counts().companies).toBe(1);
  });

  it('lets a company keep its own SIRET on update but not take another one', async () => {
    const a = await api['companies.save']({ name: 'A', siret: '44306184100047' });
    const b = await api['companies.save']({ name: 'B', siret: '73282932000074' });
    expect((await api['companies.save']({ id: a.id, name: 'A renamed', siret: '44306184100047' })).name).toBe('A renamed');
    expect((await failure(api['companies.save']({ id: b.id, name: 'B', siret: '44306184100047' }))).code).toBe('conflict');
    expect((await api['companies.list']()).map((c) => c.name)).toEqual(['A renamed', 'B']);
  });
});

describe('trainees', () => {
  it('saves, searches and pages trainees', async () => {
    for (const name of ['Benali', 'Diallo', 'Martin', 'Nguyen']) await aTrainee(name);
    const all = await api['trainees.list']();
    expect(all.total).toBe(4);
    expect(all.rows.map((t) => t.lastName)).toEqual(['Benali', 'Diallo', 'Martin', 'Nguyen']);
    const page = await api['trainees.list']({ limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.rows.map((t) => t.lastName)).toEqual(['Diallo', 'Martin']);
    const found = await api['trainees.list']({ search: 'ngu' });
    expect(found).toMatchObject({ total: 1, rows: [{ lastName: 'Nguyen' }] });
  });

  it('checks the NIR key and shows the NIR to users allowed to read sensitive data', async () => {
    const t = await aTrainee('Renaud', 'Julien', { nir: '1 79 04 49 355 007 71' });
    // Issue #12: reads show it masked; « Afficher » (trainees.revealNir, audited) shows it whole.
    expect(t).toMatchObject({ nir: null, nirOnFile: true, nirMasked: '1 79 •• •• ••• ••• 71' });
    expect((await api['trainees.get']({ id: t.id })).nirMasked).toBe('1 79 •• •• ••• ••• 71');
    expect((await api['trainees.revealNir']({ id: t.id })).nir).toBe('179044935500771');
    const e = await failure(aTrainee('Renaud', 'Paul', { nir: '179044935500772' }));
    expect(e.issues?.[0]?.path).toBe('nir');
    expect(e.message).toMatch(/NIR/);
  });

  it('masks the NIR for a user without people.sensitive.read', async () => {
    const t = await aTrainee('Renaud', 'Julien', { nir: '179044935500771' });
    const restricted = await as(allBut('people.sensitive.read'));
    const got = await call(restricted, 'trainees.get', { id: t.id });
    expect(got).toMatchObject({ ok: true, value: { id: t.id, lastName: 'Renaud', nir: null } });
    const list = await call(restricted, 'trainees.list', {});
    expect(list.ok && (list.value as { rows: { nir: string | null }[] }).rows.map((r) => r.nir)).toEqual([null]);
    // Still stored, and still visible to the local user.
    expect((await api['trainees.revealNir']({ id: t.id })).nir).toBe('179044935500771');
  });

  it('a user who cannot see the NIR does not erase it by saving the trainee', async () => {
    const t = await aTrainee('Renaud', 'Julien', { nir: '179044935500771' });
    const restricted = await as(allBut('people.sensitive.read'));
    // The form shows the masked NIR (null) and sends it back with the change.
    const saved = await call(restricted, 'trainees.save', { id: t.id, lastName: 'Renaud', firstName: 'Julien-Pierre', birthDate: '1990-01-01', nir: null });
    expect(saved).toMatchObject({ ok: true, value: { firstName: 'Julien-Pierre', nir: null } });
    const stored = await api['trainees.get']({ id: t.id });
    expect(stored.firstName).toBe('Julien-Pierre');
    expect((await api['trainees.revealNir']({ id: t.id })).nir).toBe('179044935500771');
  });

  it('refuses an implausible birth date and an unknown trainee', async () => {
    expect((await failure(aTrainee('Old', 'Man', { birthDate: '1850-01-01' }))).message).toMatch(/date de naissance/);
    expect((await failure(api['trainees.get']({ id: tb.ctx.newId() }))).code).toBe('not_found');
  });
});

// ---- sessions and slots ---------------------------------------------------------------------------------

describe('sessions', () => {
  it('saves a cohort and a rolling session and lists them with their figures', async () => {
    const action = await anAction();
    const place = await aPlace('67400', 'Illkirch');
    const cohort = await api['sessions.save']({ actionId: action.id, label: 'Promo', mode: 'cohort', capacity: 12, startDate: '2026-11-02', endDate: '2026-11-27', placeId: place.id });
    const rolling = await api['sessions.save']({ actionId: action.id, label: 'Entrées permanentes', mode: 'rolling', capacity: 8, startDate: '2026-09-01', endDate: '2027-06-30' });
    expect(cohort).toMatchObject({ mode: 'cohort', placeId: place.id, capacity: 12 });
    expect(rolling).toMatchObject({ mode: 'rolling', placeId: null });
    await api['slots.generate']({ sessionId: cohort.id, from: '2026-11-02', to: '2026-11-27', timetable: MON_TO_WED });
    const list = await api['sessions.list']();
    expect(list.map((s) => s.label)).toEqual(['Promo', 'Entrées permanentes']); // most recent start first
    expect(list[0]).toMatchObject({ actionTitle: 'CAP Cuisine', enrolled: 0, slotCount: 22, plannedMinutes: 22 * 210 });
    expect(await api['sessions.list']({ search: 'perman' })).toHaveLength(1);
    const page = await api['sessions.get']({ id: cohort.id });
    expect(page.place?.id).toBe(place.id);
    expect(page.slots).toHaveLength(22);
    expect(page.action.id).toBe(action.id);
  });

  it('refuses an unknown action or place, an end before the start, and dates leaving slots outside', async () => {
    const action = await anAction();
    const base = { actionId: action.id, label: 'Promo', mode: 'cohort' as const, capacity: 12, startDate: '2026-11-02', endDate: '2026-11-27' };
    expect(await failure(api['sessions.save']({ ...base, actionId: tb.ctx.newId() }))).toMatchObject({ code: 'not_found', issues: [{ path: 'actionId' }] });
    expect(await failure(api['sessions.save']({ ...base, placeId: tb.ctx.newId() }))).toMatchObject({ code: 'not_found', issues: [{ path: 'placeId' }] });
    expect(await failure(api['sessions.save']({ ...base, endDate: '2026-11-01' }))).toMatchObject({ code: 'validation', issues: [{ path: 'endDate' }] });
    const s = await api['sessions.save'](base);
    await api['slots.generate']({ sessionId: s.id, from: '2026-11-23', to: '2026-11-27', timetable: MON_TO_WED });
    const e = await failure(api['sessions.save']({ ...base, id: s.id, endDate: '2026-11-20' }));
    expect(e.code).toBe('business');
    expect((await api['sessions.get']({ id: s.id })).session.endDate).toBe('2026-11-27');
  });
});

describe('slots.generate', () => {
  it('skips 11 November, counts what it made, and creates nothing twice', async () => {
    const s = await aCohort();
    const first = await api['slots.generate']({ sessionId: s.id, from: '2026-11-02', to: '2026-11-27', timetable: MON_TO_WED });
    // Mondays–Wednesdays of 2–27 November: 12 days, minus Wednesday 11 November, × 2 half-days.
    expect(first).toEqual({ created: 22, skippedHolidays: [{ date: '2026-11-11', name: 'Armistice 1918' }], skippedExisting: 0, overPlanned: null });
    const slots = (await api['sessions.get']({ id: s.id })).slots;
    expect(slots.map((x) => x.date)).not.toContain('2026-11-11');
    expect(slots.every((x) => x.minutes === 210 && x.modality === 'presentiel' && !x.cancelled)).toBe(true);

    const again = await api['slots.generate']({ sessionId: s.id, from: '2026-11-02', to: '2026-11-27', timetable: MON_TO_WED });
    expect(again.created).toBe(0);
    expect(again.skippedExisting).toBe(22);
    expect(counts().slots).toBe(22);

    // Adding Thursday mornings only creates the new half-days.
    const more = await api['slots.generate']({
      sessionId: s.id, from: '2026-11-02', to: '2026-11-27', timetable: [...MON_TO_WED, { weekday: 4, halfDay: 'am', start: '09:00', end: '12:00' }],
    });
    expect(more).toMatchObject({ created: 4, skippedExisting: 22 });
    expect(counts().slots).toBe(26);
  });

  it('is refused outside the session dates, naming from or to, and writes nothing', async () => {
    const s = await aCohort();
    const before = counts();
    const early = await failure(api['slots.generate']({ sessionId: s.id, from: '2026-11-01', to: '2026-11-27', timetable: MON_TO_WED }));
    expect(early).toMatchObject({ code: 'business', issues: [{ path: 'from' }] });
    expect(early.message).toMatch(/02\/11\/2026 au 27\/11\/2026/); // dates as people read them (#8 item 19)
    const late = await failure(api['slots.generate']({ sessionId: s.id, from: '2026-11-02', to: '2026-11-30', timetable: MON_TO_WED }));
    expect(late).toMatchObject({ code: 'business', issues: [{ path: 'to' }] });
    expect(counts()).toEqual(before);
  });

  it("uses the holiday zone of the session's place: Good Friday is off in Alsace, not in Paris", async () => {
    const action = await anAction();
    const alsace = await aPlace('67400', 'Illkirch');
    const paris = await aPlace('75011', 'Paris');
    const friday = [{ weekday: 5, halfDay: 'am' as const, start: '09:00', end: '12:00' }];
    const base = { actionId: action.id, mode: 'cohort' as const, capacity: 5, startDate: '2026-03-30', endDate: '2026-04-10' };
    const inAlsace = await api['sessions.save']({ ...base, label: 'Alsace', placeId: alsace.id });
    const inParis = await api['sessions.save']({ ...base, label: 'Paris', placeId: paris.id });
    const a = await api['slots.generate']({ sessionId: inAlsace.id, from: base.startDate, to: base.endDate, timetable: friday });
    const p = await api['slots.generate']({ sessionId: inParis.id, from: base.startDate, to: base.endDate, timetable: friday });
    expect(a).toMatchObject({ created: 1, skippedHolidays: [{ date: '2026-04-03' }] });
    expect(p).toMatchObject({ created: 2, skippedHolidays: [] });
    // An explicit zone wins over the place's.
    const forced = await api['sessions.save']({ ...base, label: 'Forcé', placeId: paris.id });
    expect((await api['slots.generate']({ sessionId: forced.id, from: base.startDate, to: base.endDate, timetable: friday, holidayZone: '57' })).created).toBe(1);
    // The slots carry the session's place.
    expect((await api['sessions.get']({ id: inAlsace.id })).slots.every((x) => x.placeId === alsace.id)).toBe(true);
  });

  it('links the given trainers and refuses an unknown one without writing', async () => {
    const s = await aCohort();
    const t = await api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
    await api['slots.generate']({ sessionId: s.id, from: '2026-11-02', to: '2026-11-06', timetable: MON_TO_WED, trainerIds: [t.id], modality: 'distanciel' });
    const slots = (await api['sessions.get']({ id: s.id })).slots;
    expect(slots).toHaveLength(6);
    expect(slots.every((x) => x.trainerIds.length === 1 && x.trainerIds[0] === t.id && x.modality === 'distanciel')).toBe(true);
    const before = counts();
    const e = await failure(api['slots.generate']({ sessionId: s.id, from: '2026-11-09', to: '2026-11-13', timetable: MON_TO_WED, trainerIds: [tb.ctx.newId()] }));
    expect(e).toMatchObject({ code: 'not_found', issues: [{ path: 'trainerIds' }] });
    expect(counts()).toEqual(before);
  });

  it('refuses a timetable with the same half-day twice, naming the line', async () => {
    const s = await aCohort();
    const e = await failure(api['slots.generate']({
      sessionId: s.id, from: '2026-11-02', to: '2026-11-27',
      timetable: [{ weekday: 1, halfDay: 'am', start: '08:30', end: '12:00' }, { weekday: 1, halfDay: 'am', start: '09:00', end: '12:00' }],
    }));
    expect(e.code).toBe('validation');
    expect(e.issues?.[0]?.path).toBe('timetable.1.halfDay');
    expect(e.message).toMatch(/demi-journée \(ligne 2\)/);
  });
});

describe('slots.assign', () => {
  it('sets the place and replaces the trainers of the chosen slots only', async () => {
    const s = await aCohort();
    await api['slots.generate']({ sessionId: s.id, from: '2026-11-02', to: '2026-11-06', timetable: MON_TO_WED });
    const [klein, weber] = [
      await api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' }),
      await api['trainers.save']({ lastName: 'Weber', firstName: 'Thomas', kind: 'internal' }),
    ];
    const place = await aPlace('49300', 'Cholet');
    const slots = (await api['sessions.get']({ id: s.id })).slots;
    const chosen = slots.slice(0, 2).map((x) => x.id);

    expect(await api['slots.assign']({ slotIds: chosen, placeId: place.id, trainerIds: [klein.id, weber.id] })).toEqual({ updated: 2 });
    let after = (await api['sessions.get']({ id: s.id })).slots;
    for (const x of after) {
      if (chosen.includes(x.id)) {
        expect(x.placeId).toBe(place.id);
        expect([...x.trainerIds].sort()).toEqual([klein.id, weber.id].sort());
      } else {
        expect(x.placeId).toBeNull();
        expect(x.trainerIds).toEqual([]);
      }
    }
    // Trainers given replace the current ones; the place is kept when not given.
    await api['slots.assign']({ slotIds: [chosen[0]!], trainerIds: [weber.id] });
    after = (await api['sessions.get']({ id: s.id })).slots;
    expect(after.find((x) => x.id === chosen[0])).toMatchObject({ placeId: place.id, trainerIds: [weber.id] });
    // null clears the place.
    await api['slots.assign']({ slotIds: [chosen[0]!], placeId: null });
    after = (await api['sessions.get']({ id: s.id })).slots;
    expect(after.find((x) => x.id === chosen[0])?.placeId).toBeNull();
  });

  it('refuses unknown slots, places or trainers and writes nothing', async () => {
    const s = await aCohort();
    await api['slots.generate']({ sessionId: s.id, from: '2026-11-02', to: '2026-11-06', timetable: MON_TO_WED });
    const slotId = (await api['sessions.get']({ id: s.id })).slots[0]!.id;
    const before = counts();
    expect(await failure(api['slots.assign']({ slotIds: [slotId, tb.ctx.newId()], trainerIds: [] }))).toMatchObject({ code: 'not_found', issues: [{ path: 'slotIds' }] });
    expect(await failure(api['slots.assign']({ slotIds: [slotId], placeId: tb.ctx.newId() }))).toMatchObject({ code: 'not_found', issues: [{ path: 'placeId' }] });
    expect(await failure(api['slots.assign']({ slotIds: [] }))).toMatchObject({ code: 'validation', issues: [{ path: 'slotIds' }] });
    expect(counts()).toEqual(before);
  });
});

// ---- enrolments -------------------------------------------------------------------------------------------

describe('enrolments.create', () => {
  it('enrols a trainee in a cohort with its dates and the minutes of its slots', async () => {
    const s = await aCohort();
    await api['slots.generate']({ sessionId: s.id, from: '2026-11-02', to: '2026-11-27', timetable: MON_TO_WED });
    const t = await aTrainee('Benali', 'Nadia');
    const company = await api['companies.save']({ name: 'Le Rhin Gourmand', siret: '44306184100047' });
    const e = await api['enrolments.create']({ sessionId: s.id, traineeId: t.id, companyId: company.id, funderCode: 'REGION', fileNumber: 'GE-001' });
    expect(e).toMatchObject({
      sessionId: s.id, traineeId: t.id, companyId: company.id, funderCode: 'REGION', fileNumber: 'GE-001',
      plannedStart: '2026-11-02', plannedEnd: '2026-11-27', plannedMinutes: 22 * 210, status: 'planned', entryDate: null, exitDate: null,
    });
    const page = await api['sessions.get']({ id: s.id });
    expect(page.enrolments).toHaveLength(1);
    expect(page.enrolments[0]).toMatchObject({ traineeName: 'Benali Nadia', companyName: 'Le Rhin Gourmand', history: [{ status: 'planned', effectiveDate: '2026-11-02' }] });
    expect((await api['sessions.list']())[0]?.enrolled).toBe(1);
  });

  it('defaults planned minutes to the uncancelled slots within the enrolment window', async () => {
    const action = await anAction();
    const s = await api['sessions.save']({ actionId: action.id, label: 'EP', mode: 'rolling', capacity: 8, startDate: '2026-11-02', endDate: '2026-11-27' });
    await api['slots.generate']({ sessionId: s.id, from: '2026-11-02', to: '2026-11-27', timetable: MON_TO_WED });
    tb.raw.prepare("UPDATE slots SET cancelled = 1 WHERE date = '2026-11-16' AND half_day = 'am'").run();
    const t = await aTrainee('Renaud', 'Julien');
    // 9–20 November: Mon 9, Tue 10, Mon 16, Tue 17, Wed 18 (11th is a holiday) = 5 days × 2 − 1 cancelled.
    const e = await api['enrolments.create']({ sessionId: s.id, traineeId: t.id, funderCode: 'FRANCE_TRAVAIL', plannedStart: '2026-11-09', plannedEnd: '2026-11-20' });
    expect(e.plannedMinutes).toBe(9 * 210);
    const given = await api['enrolments.create']({ sessionId: s.id, traineeId: (await aTrainee('Fabre', 'Léa')).id, funderCode: 'CPF', plannedStart: '2026-11-09', plannedEnd: '2026-11-20', plannedMinutes: 1234 });
    expect(given.plannedMinutes).toBe(1234);
  });

  it('rolling sessions need the enrolment’s own dates (validation naming plannedStart / plannedEnd)', async () => {
    const action = await anAction();
    const s = await api['sessions.save']({ actionId: action.id, label: 'EP', mode: 'rolling', capacity: 8, startDate: '2026-09-01', endDate: '2027-06-30' });
    const t = await aTrainee('Renaud');
    const before = counts();
    const noStart = await failure(api['enrolments.create']({ sessionId: s.id, traineeId: t.id, funderCode: 'REGION' }));
    expect(noStart).toMatchObject({ code: 'validation', issues: [{ path: 'plannedStart' }] });
    const noEnd = await failure(api['enrolments.create']({ sessionId: s.id, traineeId: t.id, funderCode: 'REGION', plannedStart: '2026-10-01' }));
    expect(noEnd).toMatchObject({ code: 'validation', issues: [{ path: 'plannedEnd' }] });
    const outside = await failure(api['enrolments.create']({ sessionId: s.id, traineeId: t.id, funderCode: 'REGION', plannedStart: '2026-08-01', plannedEnd: '2026-12-01' }));
    expect(outside).toMatchObject({ code: 'business', issues: [{ path: 'plannedStart' }] });
    expect(counts()).toEqual(before);
  });

  it('refuses the same trainee twice (conflict) and a full session (business)', async () => {
    const s = await aCohort(2);
    const [a, b, c] = [await aTrainee('A'), await aTrainee('B'), await aTrainee('C')];
    const ea = await api['enrolments.create']({ sessionId: s.id, traineeId: a.id, funderCode: 'OPCO' });
    const twice = await failure(api['enrolments.create']({ sessionId: s.id, traineeId: a.id, funderCode: 'CPF' }));
    expect(twice).toMatchObject({ code: 'conflict', issues: [{ path: 'traineeId' }] });
    expect(twice.message).toMatch(/déjà inscrit/);
    await api['enrolments.create']({ sessionId: s.id, traineeId: b.id, funderCode: 'OPCO' });
    const before = counts();
    const full = await failure(api['enrolments.create']({ sessionId: s.id, traineeId: c.id, funderCode: 'OPCO' }));
    expect(full).toMatchObject({ code: 'business', issues: [{ path: 'sessionId' }] });
    expect(full.message).toMatch(/complète \(2 places\)/);
    expect(counts()).toEqual(before);
    // A trainee who left frees a place.
    await api['enrolments.setStatus']({ enrolmentId: ea.id, status: 'exited', effectiveDate: '2026-11-02', reason: 'abandon' });
    expect((await api['enrolments.create']({ sessionId: s.id, traineeId: c.id, funderCode: 'OPCO' })).status).toBe('planned');
  });

  it('refuses unknown session, trainee, company or funder', async () => {
    const s = await aCohort();
    const t = await aTrainee('A');
    expect(await failure(api['enrolments.create']({ sessionId: tb.ctx.newId(), traineeId: t.id, funderCode: 'OPCO' }))).toMatchObject({ code: 'not_found', issues: [{ path: 'sessionId' }] });
    expect(await failure(api['enrolments.create']({ sessionId: s.id, traineeId: tb.ctx.newId(), funderCode: 'OPCO' }))).toMatchObject({ code: 'not_found', issues: [{ path: 'traineeId' }] });
    expect(await failure(api['enrolments.create']({ sessionId: s.id, traineeId: t.id, companyId: tb.ctx.newId(), funderCode: 'OPCO' }))).toMatchObject({ code: 'not_found', issues: [{ path: 'companyId' }] });
    expect(await failure(api['enrolments.create']({ sessionId: s.id, traineeId: t.id, funderCode: 'MECENE' }))).toMatchObject({ code: 'validation', issues: [{ path: 'funderCode' }] });
    expect(counts().enrolments).toBe(0);
  });
});

describe('enrolments.setStatus', () => {
  async function enrolled() {
    const s = await aCohort();
    const t = await aTrainee('Benali', 'Nadia', { nir: '269054958815780' });
    return api['enrolments.create']({ sessionId: s.id, traineeId: t.id, funderCode: 'REGION', fileNumber: 'GE-001' });
  }
  const outbox = () =>
    tb.raw.prepare('SELECT record_type, record_id, version, payload FROM outbox ORDER BY seq').all() as { record_type: string; record_id: string; version: number; payload: string }[];
  const statusRows = () => (tb.raw.prepare('SELECT count(*) AS n FROM enrolment_statuses').get() as { n: number }).n;

  it('follows the allowed path planned → entered → suspended → entered → exited', async () => {
    const e = await enrolled();
    const entered = await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-02' });
    expect(entered).toMatchObject({ status: 'entered', entryDate: '2026-11-02', exitDate: null });
    expect((await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'suspended', effectiveDate: '2026-11-10', note: 'Arrêt maladie' })).status).toBe('suspended');
    expect((await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-16' })).entryDate).toBe('2026-11-02');
    const exited = await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'exited', effectiveDate: '2026-11-27', reason: 'completed', outcome: 'certified' });
    expect(exited).toMatchObject({ status: 'exited', entryDate: '2026-11-02', exitDate: '2026-11-27' });
    const history = (await api['sessions.get']({ id: e.sessionId })).enrolments[0]!.history;
    expect(history.map((h) => [h.status, h.effectiveDate])).toEqual([
      ['planned', '2026-11-02'], ['entered', '2026-11-02'], ['suspended', '2026-11-10'], ['entered', '2026-11-16'], ['exited', '2026-11-27'],
    ]);
    expect(history[2]?.note).toBe('Arrêt maladie');
    expect(history[4]).toMatchObject({ reason: 'completed', outcome: 'certified' });
  });

  it('refuses forbidden transitions and writes nothing', async () => {
    const e = await enrolled();
    const before = counts();
    const suspendPlanned = await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status: 'suspended', effectiveDate: '2026-11-05' }));
    expect(suspendPlanned).toMatchObject({ code: 'business', issues: [{ path: 'status' }] });
    expect(suspendPlanned.message).toBe('Passage impossible du statut « prévu » au statut « suspendu ».');
    expect((await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status: 'planned', effectiveDate: '2026-11-05' }))).code).toBe('business');
    expect(counts()).toEqual(before);

    await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'exited', effectiveDate: '2026-11-05', reason: 'abandon' });
    for (const status of ['entered', 'suspended', 'exited'] as const) {
      const again = await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status, effectiveDate: '2026-11-20', reason: 'other' }));
      expect(again.code, status).toBe('business');
      expect(again.message).toMatch(/« sorti »/);
    }
  });

  it('refuses a date before the current status', async () => {
    const e = await enrolled();
    await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-09' });
    const before = counts();
    const early = await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status: 'suspended', effectiveDate: '2026-11-08' }));
    expect(early).toMatchObject({ code: 'business', issues: [{ path: 'effectiveDate' }] });
    expect(early.message).toMatch(/09\/11\/2026/); // dates as people read them (#8 item 19)
    expect(counts()).toEqual(before);
    // The same day is allowed.
    expect((await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'suspended', effectiveDate: '2026-11-09' })).status).toBe('suspended');
  });

  it('an exit requires a reason (validation naming « motif »)', async () => {
    const e = await enrolled();
    const before = counts();
    const noReason = await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status: 'exited', effectiveDate: '2026-11-20' }));
    expect(noReason.code).toBe('validation');
    expect(noReason.issues?.[0]?.path).toBe('reason');
    expect(noReason.message).toMatch(/motif/);
    expect(counts()).toEqual(before);
  });

  it('queues every change in the outbox with increasing versions', async () => {
    const e = await enrolled();
    expect(outbox()).toEqual([]); // creation alone is not sent
    await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-02' });
    await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'suspended', effectiveDate: '2026-11-10' });
    await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'exited', effectiveDate: '2026-11-12', reason: 'employment', outcome: 'employment-cdi' });
    const rows = outbox();
    expect(rows.map((r) => [r.record_type, r.record_id, r.version])).toEqual([
      ['enrolment', e.id, 1], ['enrolment', e.id, 2], ['enrolment', e.id, 3],
    ]);
    const payloads = rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
    expect(payloads.map((p) => p.status)).toEqual(['entered', 'suspended', 'exited']);
    expect(payloads[2]).toMatchObject({
      enrolmentId: e.id, entryDate: '2026-11-02', exitDate: '2026-11-12', exitReason: 'employment',
      // Issue #12: queued sealed, opened only on the way out (test/integration/personal-data.test.ts).
      trainee: { lastName: 'Benali', nir: expect.stringMatching(/^enc:v1:/) }, funder: { code: 'REGION', fileNumber: 'GE-001' },
      action: { title: 'CAP Cuisine', rncp: 'RNCP37859' }, plannedMinutes: 0,
    });
    // Versions count per record.
    const other = await api['enrolments.create']({ sessionId: e.sessionId, traineeId: (await aTrainee('Autre')).id, funderCode: 'OPCO' });
    await api['enrolments.setStatus']({ enrolmentId: other.id, status: 'entered', effectiveDate: '2026-11-03' });
    expect(outbox().at(-1)).toMatchObject({ record_id: other.id, version: 1 });
  });

  it('writes the status and its outbox row in the same transaction', async () => {
    const e = await enrolled();
    tb.raw.exec("CREATE TRIGGER outbox_down BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END;");
    const before = counts();
    const updatedAt = (tb.raw.prepare('SELECT updated_at AS u FROM enrolments').get() as { u: string }).u;
    tb.clock.set('2026-11-25T08:00:00Z');
    const e2 = await failure(api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-02' }));
    // A database refusal reaches people in French, never as SQLite's own text.
    expect(e2.code).toBe('business');
    expect(e2.message).toMatch(/refusée par une règle de la base/);
    expect(e2.message).not.toMatch(/outbox unavailable/);
    expect(counts()).toEqual(before);
    expect(statusRows()).toBe(1);
    expect((tb.raw.prepare('SELECT updated_at AS u FROM enrolments').get() as { u: string }).u).toBe(updatedAt);
    expect((await api['sessions.get']({ id: e.sessionId })).enrolments[0]?.status).toBe('planned');
    tb.raw.exec('DROP TRIGGER outbox_down;');
    expect((await api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-02' })).status).toBe('entered');
    expect(outbox()).toHaveLength(1);
  });

  it('refuses an unknown enrolment', async () => {
    expect(await failure(api['enrolments.setStatus']({ enrolmentId: tb.ctx.newId(), status: 'entered', effectiveDate: '2026-11-02' }))).toMatchObject({ code: 'not_found' });
  });
});

describe('enrolment_statuses is append-only', () => {
  it('refuses UPDATE and DELETE at the database level', async () => {
    const s = await aCohort();
    const e = await api['enrolments.create']({ sessionId: s.id, traineeId: (await aTrainee('A')).id, funderCode: 'OPCO' });
    const raw = tb.raw;
    expect(() => raw.prepare("UPDATE enrolment_statuses SET status = 'exited', reason = 'other'").run()).toThrow(/append-only/);
    expect(() => raw.prepare("UPDATE enrolment_statuses SET effective_date = '2020-01-01' WHERE enrolment_id = ?").run(e.id)).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM enrolment_statuses').run()).toThrow(/append-only/);
    expect(raw.prepare('SELECT status, effective_date AS d FROM enrolment_statuses').all()).toEqual([{ status: 'planned', d: '2026-11-02' }]);
  });

  it('refuses an exit row without a reason even when written directly', async () => {
    const s = await aCohort();
    const e = await api['enrolments.create']({ sessionId: s.id, traineeId: (await aTrainee('A')).id, funderCode: 'OPCO' });
    expect(() =>
      tb.raw.prepare("INSERT INTO enrolment_statuses (id, enrolment_id, status, effective_date, created_at, created_by) VALUES ('x', ?, 'exited', '2026-11-05', 'a', 'b')").run(e.id),
    ).toThrow(/CHECK/);
  });
});

// ---- dispatch: permissions, unknown methods, malformed payloads -----------------------------------------

describe('dispatch', () => {
  it('refuses a user without sessions.write with code forbidden, and writes nothing', async () => {
    const action = await anAction();
    const s = await aCohort();
    const restricted = await as(allBut('sessions.write'));
    const before = counts();
    const save = await call(restricted, 'sessions.save', { actionId: action.id, label: 'X', mode: 'cohort', capacity: 1, startDate: '2026-11-02', endDate: '2026-11-27' });
    expect(save).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(!save.ok && save.error.message).toBe("Votre compte ne permet pas de modifier les sessions et leurs créneaux : opération refusée, rien n'a été modifié.");
    const gen = await call(restricted, 'slots.generate', { sessionId: s.id, from: '2026-11-02', to: '2026-11-27', timetable: MON_TO_WED });
    expect(gen).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Even a malformed payload is answered "forbidden": the permission is checked first.
    expect(await call(restricted, 'slots.assign', { nope: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Nothing changed but the audit log: three refusals, each one event and its ledger entry.
    expect(counts()).toEqual({ ...before, audit_events: before.audit_events! + 3, ledger: before.ledger! + 3 });
    // Reading is still allowed.
    const list = await call(restricted, 'sessions.list', {});
    expect(list.ok).toBe(true);
  });

  it('a user without any permission cannot even read', async () => {
    const nobody = await as([]);
    for (const method of ['system.info', 'actions.list', 'trainees.list', 'demo.load'] as const) {
      expect(await call(nobody, method, {}), method).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('the local user holds every permission', () => {
    expect([...LOCAL_USER.permissions].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('answers unknown_method for a name outside the contract', async () => {
    for (const name of ['sessions.drop', 'toString', '__proto__', 'constructor', '', 42, null]) {
      const r = await tb.dispatch(name, {});
      expect(r, String(name)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
    const r = await tb.dispatch('sessions.drop', {});
    expect(!r.ok && r.error.message).toBe('Méthode inconnue : sessions.drop.');
  });

  it('system.info gives the versions and the data folder', async () => {
    const info = await api['system.info']();
    const device = (tb.raw.prepare("SELECT value FROM sync_settings WHERE key = 'device_id'").get() as { value: string } | undefined)?.value ?? null;
    expect(info).toEqual({ appVersion: APP_VERSION, schemaVersion: LATEST_SCHEMA_VERSION, dataDir: tb.dataDir, deviceId: device });
    expect(tb.raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  });

  describe('malformed payloads → validation naming the field, nothing written', () => {
    let ids: { action: string; session: string; trainee: string; enrolment: string };
    beforeEach(async () => {
      const action = await anAction();
      const session = await api['sessions.save']({ actionId: action.id, label: 'P', mode: 'cohort', capacity: 3, startDate: '2026-11-02', endDate: '2026-11-27' });
      const trainee = await aTrainee('A');
      const enrolment = await api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, funderCode: 'OPCO' });
      ids = { action: action.id, session: session.id, trainee: trainee.id, enrolment: enrolment.id };
    });

    const cases: [MethodName, () => unknown, string][] = [
      ['sessions.save', () => ({ actionId: ids.action, label: 'X', mode: 'cohort', capacity: '3', startDate: '2026-11-02', endDate: '2026-11-27' }), 'capacity'],
      ['sessions.save', () => ({ actionId: ids.action, mode: 'cohort', capacity: 3, startDate: '2026-11-02', endDate: '2026-11-27' }), 'label'],
      ['sessions.save', () => ({ actionId: ids.action, label: 'X', mode: 'weekly', capacity: 3, startDate: '2026-11-02', endDate: '2026-11-27' }), 'mode'],
      ['sessions.save', () => ({ actionId: 'abc', label: 'X', mode: 'cohort', capacity: 3, startDate: '2026-11-02', endDate: '2026-11-27' }), 'actionId'],
      ['slots.generate', () => ({ sessionId: ids.session, from: '2026-11-02', to: '2026-11-27', timetable: [] }), 'timetable'],
      ['slots.generate', () => ({ sessionId: ids.session, from: '2026-11-02', to: '2026-11-27', timetable: [{ weekday: 8, halfDay: 'am', start: '08:00', end: '12:00' }] }), 'timetable.0.weekday'],
      ['slots.generate', () => ({ sessionId: ids.session, from: '2026-11-02', to: '2026-11-27', timetable: [{ weekday: 1, halfDay: 'am', start: '12:00', end: '08:00' }] }), 'timetable.0.end'],
      ['slots.generate', () => ({ sessionId: ids.session, from: '2 novembre', to: '2026-11-27', timetable: MON_TO_WED }), 'from'],
      ['enrolments.create', () => ({ sessionId: ids.session, traineeId: ids.trainee }), 'funderCode'],
      ['enrolments.create', () => ({ sessionId: ids.session, traineeId: ids.trainee, funderCode: 'OPCO', plannedStart: '2026-11-20', plannedEnd: '2026-11-10' }), 'plannedEnd'],
      ['enrolments.create', () => ({ sessionId: ids.session, traineeId: ids.trainee, funderCode: 'OPCO', plannedMinutes: -5 }), 'plannedMinutes'],
      ['enrolments.setStatus', () => ({ enrolmentId: ids.enrolment, status: 'gone', effectiveDate: '2026-11-05' }), 'status'],
      ['enrolments.setStatus', () => ({ enrolmentId: ids.enrolment, status: 'entered' }), 'effectiveDate'],
      ['trainees.save', () => ({ lastName: 42, firstName: 'A', birthDate: '1990-01-01' }), 'lastName'],
      ['companies.save', () => ({ name: 'X' }), 'siret'],
      ['places.save', () => ({ name: 'X', postcode: '75011', city: 'Paris', qpv: 'oui' }), 'qpv'],
      ['actions.save', () => ({ title: 'X', plannedMinutes: 1.5, modality: 'presentiel' }), 'plannedMinutes'],
      ['trainees.list', () => ({ limit: 0 }), 'limit'],
      ['demo.load', () => ({ force: true }), ''],
    ];

    it.each(cases)('%s refuses a payload with a bad %s', async (method, payload, field) => {
      const before = counts();
      const r = await tb.dispatch(method, payload());
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('validation');
      expect(r.error.message).toMatch(/^Saisie invalide — /);
      expect(r.error.issues?.map((i) => i.path)).toContain(field);
      expect(counts()).toEqual(before);
    });

    it('refuses payloads that are not objects at all', async () => {
      const before = counts();
      for (const payload of ['sessions', 42, [1, 2], true]) {
        const r = await tb.dispatch('sessions.save', payload);
        expect(r, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'validation' } });
      }
      expect(await tb.dispatch('sessions.save', undefined)).toMatchObject({ ok: false, error: { code: 'validation' } });
      expect(counts()).toEqual(before);
    });
  });
});
