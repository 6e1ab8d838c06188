import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addCliAdmin, runCli } from '../helpers/cli';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../migrations';

let tmp: string;

const cli = (...args: string[]) => runCli(args);

const dataDir = (name: string) => join(tmp, name);
const count = (dir: string, table: string) => {
  const db = new Database(join(dir, 'sillon.db'), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

const GOOD = [
  { type: 'action', ref: 'cap', title: 'CAP Cuisine', plannedMinutes: 36000, modality: 'presentiel' },
  { type: 'session', ref: 's1', action: 'cap', label: 'Promo 2027', mode: 'cohort', capacity: 12, startDate: '2027-01-04', endDate: '2027-01-29', timetable: [{ weekday: 1, halfDay: 'am', start: '08:30', end: '12:00' }] },
  { type: 'trainee', ref: 't1', lastName: 'Exemple', firstName: 'Nadia', birthDate: '1992-03-14', fictitious: true },
  { type: 'enrolment', session: 's1', trainee: 't1', funderCode: 'REGION', fileNumber: 'GE-2027-001' },
].map((r) => JSON.stringify(r));

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sillon-cli-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

// Every test uses its own data folder, so they run side by side (each CLI start costs a second or two).
describe.concurrent('CLI', { timeout: 180_000 }, () => {
  it('init creates the base and exits 0', async ({ expect }) => {
    const dir = dataDir('init');
    const r = await cli('init', '--data-dir', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Base prête dans ${dir} (schéma ${LATEST_SCHEMA_VERSION}).\n`);
    expect(existsSync(join(dir, 'sillon.db'))).toBe(true);
    // Running it again is harmless.
    expect((await cli('init', `--data-dir=${dir}`)).code).toBe(0);
  });

  it('demo exits 0 and loads the data once; a second time exits 1 in French', async ({ expect }) => {
    const dir = dataDir('demo');
    const r = await cli('demo', '--data-dir', dir);
    expect(r.code, r.stderr).toBe(0);
    const m = /^Données de démonstration chargées : (\d+) actions, (\d+) sessions, (\d+) créneaux, (\d+) stagiaires, (\d+) inscriptions\.\nDemande de paiement prête à valider : Région Normandie, #Avenir \(npm run cli -- claims list\)\.\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const enrolments = Number(m![5]);
    expect(enrolments).toBeGreaterThan(0);
    expect(count(dir, 'slots')).toBe(Number(m![3]));
    expect(count(dir, 'enrolments')).toBe(enrolments);
    const again = await cli('demo', '--data-dir', dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Erreur : La base contient déjà des actions/);
    expect(count(dir, 'enrolments')).toBe(enrolments);
  });

  it('import of a bad file exits 1 with a French message naming the line and the field, and writes nothing', async ({ expect }) => {
    const dir = dataDir('bad-import');
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, [GOOD[0], GOOD[1], '{"type":"trainee",', GOOD[2], JSON.stringify({ type: 'company', ref: 'c1', name: 'X', siret: '12345678901234' })].join('\n'));
    const r = await cli('import', file, '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Erreur : Fichier refusé, rien n'a été importé — ligne 3, donnée : JSON invalide/);
    expect(r.stderr).toMatch(/\n {2}- ligne 5, SIRET : SIRET invalide/);
    expect(count(dir, 'actions')).toBe(0);
  });

  it('import of a file that fails at write time exits 1 naming the line', async ({ expect }) => {
    const dir = dataDir('late-import');
    const file = join(tmp, 'late.jsonl');
    const slot = JSON.stringify({ type: 'slot', session: 's1', date: '2027-01-05', halfDay: 'am', start: '09:00', end: '12:00', modality: 'presentiel' });
    writeFileSync(file, [GOOD[0], GOOD[1], slot, slot].join('\n'));
    const r = await cli('import', file, '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Erreur : Fichier refusé, rien n'a été importé — ligne 4/);
    expect(count(dir, 'slots')).toBe(0);
  });

  it('import of a missing file exits 1 saying so', async ({ expect }) => {
    const r = await cli('import', join(tmp, 'nope.jsonl'), '--data-dir', dataDir('missing'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Erreur : Fichier illisible/);
  });

  it('import of a good file exits 0 and reports what it created', async ({ expect }) => {
    const dir = dataDir('good-import');
    const file = join(tmp, 'good.jsonl');
    writeFileSync(file, `${GOOD.join('\n')}\n`);
    const r = await cli('import', file, '--data-dir', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Import réussi : 4 lignes (1 action, 1 session, 1 trainee, 1 enrolment).\n');
    expect(count(dir, 'slots')).toBe(4);
    const info = await cli('info', '--data-dir', dir);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('Créneaux : 4');
    expect(info.stdout).toContain('Inscriptions : 1');
    // As its help says: the data folder, the schema version and the counts.
    expect(info.stdout).toContain(`Version du schéma : ${LATEST_SCHEMA_VERSION}\n`);
  });

  it('an unknown command exits 2 with the help on stderr', async ({ expect }) => {
    const r = await cli('frobnicate', '--data-dir', dataDir('unknown'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Erreur : commande inconnue « frobnicate »/);
    expect(r.stderr).toContain('Commandes :');
    expect(existsSync(join(dataDir('unknown'), 'sillon.db'))).toBe(false);
  });

  it('help prints the usage in French and exits 0 without opening any base', async ({ expect }) => {
    const dir = dataDir('help');
    const r = await cli('help', '--data-dir', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Sillon — ligne de commande/);
    expect(r.stdout).toContain('  help ');
    expect(r.stderr).toBe('');
    expect(existsSync(join(dir, 'sillon.db'))).toBe(false);
  });

  it('a name of an object property is an unknown command too, not a crash', async ({ expect }) => {
    const r = await cli('constructor', '--data-dir', dataDir('constructor'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Erreur : commande inconnue « constructor »/);
    expect(r.stderr).toContain('Usage : npm run cli');
  });

  it('a writing command on a folder an open Sillon holds is refused in French; a reading one runs', async ({ expect }) => {
    const dir = dataDir('held');
    expect((await cli('init', '--data-dir', dir)).code).toBe(0);
    await addCliAdmin(dir); // `info` signs in: the folder needs an account before the app holds it
    const { startBackend } = await import('../../electron/backend/backend');
    const app = await startBackend(dir, { lock: 'app' });
    try {
      const demo = await cli('demo', '--data-dir', dir);
      expect(demo.code).toBe(1);
      expect(demo.stderr).toMatch(/^Erreur : Sillon est déjà ouvert sur ce dossier de données \(l'application Sillon, processus \d+\)/);
      const info = await cli('info', '--data-dir', dir);
      expect(info.code, info.stderr).toBe(0);
      expect(info.stdout).toContain('Sessions : 0');
    } finally {
      await app.close();
    }
  });

  it('no command exits 2 with the help; --help exits 0', async ({ expect }) => {
    expect((await cli()).code).toBe(2);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Sillon — ligne de commande/);
  });

  it('an unknown option exits 2', async ({ expect }) => {
    const r = await cli('init', '--frob');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Erreur : option invalide/);
  });

  it('export --out writes a file that re-imports into an empty base', async ({ expect }) => {
    const dir = dataDir('export');
    const out = join(tmp, 'export.jsonl');
    expect((await cli('demo', '--data-dir', dir)).code).toBe(0);
    const r = await cli('export', '--out', out, '--data-dir', dir);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    expect(r.stdout).toBe(`Export écrit dans ${out} (${lines.length} lignes).\n`);
    expect(lines.every((l) => typeof (JSON.parse(l) as { type?: unknown }).type === 'string')).toBe(true);
    expect(lines.filter((l) => l.includes('"type":"enrolment"'))).toHaveLength(count(dir, 'enrolments'));

    const copy = dataDir('export-copy');
    const back = await cli('import', out, '--data-dir', copy);
    expect(back.code, back.stderr).toBe(0);
    expect(count(copy, 'slots')).toBe(count(dir, 'slots'));
    expect(count(copy, 'enrolment_statuses')).toBe(count(dir, 'enrolment_statuses'));
  });

  it('export without --out writes to standard output; an empty base exports nothing', async ({ expect }) => {
    const dir = dataDir('export-stdout');
    expect((await cli('init', '--data-dir', dir)).code).toBe(0);
    const r = await cli('export', '--data-dir', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const out = join(tmp, 'empty.jsonl');
    const written = await cli('export', '--out', out, '--data-dir', dir);
    expect(written.stdout).toBe(`Export écrit dans ${out} (0 lignes).\n`);
    expect(readFileSync(out, 'utf8')).toBe('');
  });
});
