/**
 * `trainee-search`: `trainees.list` with a search typed without accents (« helene lef », « lefevre »,
 * « dupont ca », « ft10005 ») through the real dispatch — zod validation, the folded `search_key` and its index
 * `trainees_search`, the first page of 50 and the total — on 100 000 trainees, against the same answer worked
 * out by hand: every live trainee read from SQLite and folded, filtered, sorted and paged in JavaScript.
 *
 * Iterations alternate service and baseline after a warm-up, so both see the same cache state.
 */
import type Database from 'better-sqlite3';
import { startBackend } from '../electron/backend/backend';
import { matchesSearch, traineeSearchKey } from '../shared/domain/search';
import { BENCH_USER, ids, referenceInserts, STAMP } from './fixtures';
import { alternatingLatencies, benchLine, call, note, now, scaled, tempDir, type Bench } from './lib';

const NAME = 'trainee-search';
const PAGE = 50;
const SEARCHES = ['helene lef', 'lefevre', 'dupont ca', 'ft10005'];

const LAST_NAMES = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'LEFÈVRE', 'Faure', 'André', 'Œuvray', "N'Diaye"];
const FIRST_NAMES = ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Sarah', 'Lucas', 'Hugo', 'Louis', 'Nathan', 'Gabriel', 'Jules', 'Emma', 'Jade', 'Hélène', 'Alice', 'Arthur', 'Adam', 'Raphaël', 'Jean-Éric'];

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same database. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` trainees by raw INSERTs in one transaction, each with the search key a save writes. */
function buildDatabase(raw: Database.Database, n: number): void {
  const rand = rng(8);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  referenceInserts(raw);
  const ins = raw.prepare(
    `INSERT INTO trainees (id, last_name, first_name, birth_date, nir, france_travail_id, email, phone, postcode, city, qpv_resident, fictitious, search_key, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, NULL, ?, NULL, NULL, '93200', 'Saint-Denis', 0, 1, ?, ?, ?, ?, ?)`,
  );
  raw.transaction(() => {
    ids(n).forEach((id, i) => {
      const last = pick(LAST_NAMES);
      const first = pick(FIRST_NAMES);
      const ft = `FT${1_000_000 + i}`;
      ins.run(id, last, first, `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`, ft, traineeSearchKey(last, first, ft), STAMP, BENCH_USER, STAMP, BENCH_USER);
    });
  })();
  raw.pragma('optimize');
}

interface Row {
  id: string;
  last_name: string;
  first_name: string;
  france_travail_id: string | null;
}

/** The answer by hand: every live trainee, folded and filtered in JS, sorted by folded name, first page and total. */
function baselineSearch(raw: Database.Database) {
  const all = raw.prepare('SELECT * FROM trainees WHERE deleted_at IS NULL');
  return (search: string) => {
    const hits = (all.all() as Row[])
      .filter((r) => matchesSearch([r.last_name, r.first_name, r.france_travail_id], search))
      .map((r) => ({ r, key: traineeSearchKey(r.last_name, r.first_name, r.france_travail_id) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.r.id < b.r.id ? -1 : 1));
    return { total: hits.length, rows: hits.slice(0, PAGE).map((h) => h.r) };
  };
}

export const traineeSearchBench: Bench = {
  name: NAME,
  description: 'trainees.list searched without accents on 100 000 trainees vs a full scan folded in JS',
  async run() {
    const trainees = scaled(100_000, 1_000);
    const iterations = scaled(20, 8);
    const warmup = scaled(3, 2);
    const tmp = tempDir(NAME);
    const backend = await startBackend(tmp.dir);
    try {
      const raw = backend.raw;
      const t0 = now();
      buildDatabase(raw, trainees);
      note(NAME, `built ${trainees} trainees in ${((now() - t0) / 1000).toFixed(1)} s`);

      const baseline = baselineSearch(raw);
      const service = (search: string) => call(backend, 'trainees.list', { search, limit: PAGE, offset: 0 });
      // Same answers on both sides before timing anything.
      const totals: number[] = [];
      for (const search of SEARCHES) {
        const s = await service(search);
        const b = baseline(search);
        if (s.total !== b.total || s.rows.map((r) => r.id).join() !== b.rows.map((r) => r.id).join()) {
          throw new Error(`« ${search} »: service ${s.total} rows, baseline ${b.total}, or their first pages differ.`);
        }
        if (s.total === 0) throw new Error(`« ${search} » finds nobody: the data do not exercise the search.`);
        totals.push(s.total);
      }
      const plan = (raw.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM trainees WHERE deleted_at IS NULL AND search_key LIKE '%lefevre%' ESCAPE '\\'`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
      let i = 0;
      let j = 0;
      const lat = await alternatingLatencies(() => service(SEARCHES[i++ % SEARCHES.length]!), () => baseline(SEARCHES[j++ % SEARCHES.length]!), iterations, warmup);
      return benchLine(NAME, lat.p50 / lat.baselineP50, {
        p50_ms: lat.p50,
        p95_ms: lat.p95,
        baseline_p50_ms: lat.baselineP50,
        baseline_p95_ms: lat.baselineP95,
        iterations,
        trainees,
        matches: totals.join('/'),
        plan_uses_index: /USING COVERING INDEX trainees_search/.test(plan) ? 1 : 0,
      });
    } finally {
      await backend.close();
      tmp.cleanup();
    }
  },
};
