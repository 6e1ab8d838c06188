/**
 * Search ignores case and accents in the backend (issue #8, item 6): the trainees through their folded
 * `search_key` (kept on every save, filled for existing rows by migration 0006), the short lists folded on
 * the fly; both with shared/domain/search.ts, the renderer's folding.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/backend/db/open';
import { migrations } from '../../migrations';
import { testBackend, type TestBackend } from '../helpers/backend';

let tb: TestBackend;
beforeEach(async () => {
  tb = await testBackend();
});
afterEach(async () => tb.cleanup());

const trainee = (lastName: string, firstName: string, extra: object = {}) =>
  tb.api['trainees.save']({ lastName, firstName, birthDate: '1990-01-01', qpvResident: false, ...extra });

const names = (r: { rows: { lastName: string; firstName: string }[] }) => r.rows.map((t) => `${t.lastName} ${t.firstName}`);

describe('trainees.list', () => {
  beforeEach(async () => {
    await trainee('LEFÈVRE', 'Hélène');
    await trainee('Lefebvre', 'Marc');
    await trainee('Œuvray', 'Noémie', { franceTravailId: '1234567A' });
    await trainee("N'Diaye", 'Jean-Éric');
    await trainee('Martin', 'Sophie');
  });

  it('finds « Hélène » from « helene » and « LEFÈVRE » from « lefevre », whatever the case', async () => {
    expect(names(await tb.api['trainees.list']({ search: 'helene' }))).toEqual(['LEFÈVRE Hélène']);
    expect(names(await tb.api['trainees.list']({ search: 'lefevre' }))).toEqual(['LEFÈVRE Hélène']);
    expect(names(await tb.api['trainees.list']({ search: 'HÉLÈNE' }))).toEqual(['LEFÈVRE Hélène']);
    // « lef » is in both « lefevre » and « lefebvre ».
    expect(names(await tb.api['trainees.list']({ search: 'LEF' }))).toEqual(['Lefebvre Marc', 'LEFÈVRE Hélène']);
  });

  it('needs every word, in any order, across the name fields; ligatures, apostrophes and hyphens fold too', async () => {
    expect(names(await tb.api['trainees.list']({ search: 'helene lef' }))).toEqual(['LEFÈVRE Hélène']);
    expect(names(await tb.api['trainees.list']({ search: 'marc lefevre' }))).toEqual([]);
    expect(names(await tb.api['trainees.list']({ search: 'oeuvray' }))).toEqual(['Œuvray Noémie']);
    expect(names(await tb.api['trainees.list']({ search: '1234567a' }))).toEqual(['Œuvray Noémie']);
    expect(names(await tb.api['trainees.list']({ search: 'n diaye jean eric' }))).toEqual(["N'Diaye Jean-Éric"]);
    expect(names(await tb.api['trainees.list']({ search: "n’diaye" }))).toEqual(["N'Diaye Jean-Éric"]);
  });

  it('takes % and _ literally', async () => {
    expect((await tb.api['trainees.list']({ search: '%' })).total).toBe(0);
    expect((await tb.api['trainees.list']({ search: '_' })).total).toBe(0);
  });

  it('lists in alphabetical order, case and accents aside (É with E, not after Z), and counts the matches', async () => {
    await trainee('Émile', 'Zoé');
    await trainee('Zola', 'Anne');
    const all = await tb.api['trainees.list']({});
    expect(all.total).toBe(7);
    expect(names(all)).toEqual(['Émile Zoé', 'Lefebvre Marc', 'LEFÈVRE Hélène', 'Martin Sophie', "N'Diaye Jean-Éric", 'Œuvray Noémie', 'Zola Anne']);
    const page = await tb.api['trainees.list']({ search: 'e', limit: 2, offset: 1 });
    // Every one has an e (folded): 7 matches; the page is the 2nd and 3rd.
    expect(page.total).toBe(7);
    expect(names(page)).toEqual(['Lefebvre Marc', 'LEFÈVRE Hélène']);
  });

  it('keeps the key in step with a rename, and never hands it out', async () => {
    const { rows } = await tb.api['trainees.list']({ search: 'martin' });
    const sophie = rows[0]!;
    expect(sophie).not.toHaveProperty('searchKey');
    await tb.api['trainees.save']({ ...sophie, lastName: 'Bérénice' });
    expect((await tb.api['trainees.list']({ search: 'martin' })).total).toBe(0);
    expect(names(await tb.api['trainees.list']({ search: 'berenice' }))).toEqual(['Bérénice Sophie']);
  });
});

describe('the short lists and sessions', () => {
  it('companies, trainers, places, actions and sessions take a search that ignores case and accents', async () => {
    await tb.api['demo.load']({});
    const companies = await tb.api['companies.list']({});
    const company = companies[0]!;
    const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
    expect((await tb.api['companies.list']({ search: plain(company.name) })).map((c) => c.id)).toContain(company.id);
    // The demo's « Des étoiles et des femmes » session, typed without accents.
    expect((await tb.api['sessions.list']({ search: 'ETOILES' })).map((s) => s.label)).toEqual(['Des étoiles et des femmes — promotion Grand Est']);
    const trainers = await tb.api['trainers.list']({});
    expect((await tb.api['trainers.list']({ search: plain(trainers[0]!.lastName) })).map((t) => t.id)).toContain(trainers[0]!.id);
    const places = await tb.api['places.list']({});
    expect((await tb.api['places.list']({ search: plain(places[0]!.city) })).map((p) => p.id)).toContain(places[0]!.id);
    const actions = await tb.api['actions.list']({});
    const filtered = await tb.api['actions.list']({ search: plain(actions[0]!.title) });
    expect(filtered.map((a) => a.id)).toContain(actions[0]!.id);
    expect(filtered.length).toBeLessThan(actions.length);
    expect(await tb.api['places.list']({ search: 'zzzz-nowhere' })).toEqual([]);
    // No input at all still lists everything (the pickers call without arguments).
    expect(await tb.api['places.list']()).toHaveLength(places.length);
  });
});

describe('migration 0006', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sillon-search-migration-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fills the search key of the trainees written before it', async () => {
    const file = join(dir, 'sillon.db');
    const v4 = await openDatabase(file, { migrations: migrations.filter((m) => m.version <= 4) });
    await v4.close();
    const raw = new Database(file);
    raw.exec(`INSERT INTO trainees (id, last_name, first_name, birth_date, france_travail_id, qpv_resident, fictitious, created_at, created_by, updated_at, updated_by)
      VALUES ('t1', 'LEFÈVRE', 'Hélène', '1990-01-01', '7654321B', 0, 0, '2026-01-01T00:00:00Z', 'local', '2026-01-01T00:00:00Z', 'local')`);
    raw.close();
    const latest = await openDatabase(file, { backupDir: join(dir, 'backups') });
    expect(latest.raw.prepare('SELECT search_key FROM trainees').pluck().get()).toBe('lefevre helene 7654321b');
    await latest.close();
  });
});
