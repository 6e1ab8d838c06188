import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import { testBackend, type TestBackend } from '../helpers/backend';

let b: TestBackend;
let sessionId: string;

beforeEach(async () => {
  b = await testBackend('2026-11-23T09:00:00Z');
  const action = await b.api['actions.save']({ title: 'E-formation', plannedMinutes: 6000, modality: 'distanciel' });
  const s = await b.api['sessions.save']({ actionId: action.id, label: 'Classe virtuelle', mode: 'cohort', capacity: 5, startDate: '2026-11-16', endDate: '2026-11-20' });
  sessionId = s.id;
  await b.api['slots.generate']({ sessionId, from: '2026-11-16', to: '2026-11-20', timetable: [{ weekday: 2, halfDay: 'am', start: '09:00', end: '12:00' }, { weekday: 4, halfDay: 'am', start: '09:00', end: '12:00' }] });
  for (const [last, first, email] of [['Garcia', 'Inès', 'ines@exemple.fr'], ['Bernard', 'Chloé', 'chloe@exemple.fr']]) {
    const t = await b.api['trainees.save']({ lastName: last!, firstName: first!, birthDate: '1990-01-01', email });
    await b.api['enrolments.create']({ sessionId, traineeId: t.id, funderCode: 'CPF' });
  }
});
afterEach(async () => b.cleanup());

const count = (table: string) => (b.raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('connection logs', () => {
  it('imports a log, matches trainees and slots, and totals connection time per trainee', async () => {
    const csv = 'Identifiant;Début;Fin\nines@exemple.fr;2026-11-17 09:02;2026-11-17 11:47\nBernard Chloé;17/11/2026 09:10;17/11/2026 10:10\nines@exemple.fr;2026-11-19T08:00:00Z;2026-11-19T10:00:00Z\nformateur@exemple.fr;2026-11-17 08:55;2026-11-17 12:00\n';
    const r = await b.api['attendance.importLog']({ fileName: 'classe.csv', source: 'Moodle', csv });
    expect(r).toMatchObject({ rows: 4, matched: 3 });
    expect(r.unmatched).toEqual(['ligne 5 (formateur@exemple.fr)']);
    const totals = await b.api['attendance.connectionTotals']({ sessionId });
    expect(totals.map((t) => [t.traineeName, t.minutes])).toEqual([['Bernard Chloé', 60], ['Garcia Inès', 165 + 120]]);
    expect(verifyLedger(b.raw).ok).toBe(true);
    expect(() => b.raw.exec('UPDATE connection_log_rows SET minutes = 0')).toThrow(/append-only/);
  });

  it('refuses a malformed log whole, naming the line and the field', async () => {
    const csv = 'login,start,end\nines@exemple.fr,2026-11-17 09:00,2026-11-17 10:00\nchloe@exemple.fr,2026-11-17 9h,2026-11-17 10:00\n';
    // The ledger already holds the fixture's slots, statuses and attendance kinds (schema 9): nothing is added.
    const entries = count('ledger');
    await expect(b.api['attendance.importLog']({ fileName: 'x.csv', csv })).rejects.toThrow(/ligne 3, start : date-heure invalide/);
    expect(count('connection_logs') + count('connection_log_rows')).toBe(0);
    expect(count('ledger')).toBe(entries);
    await expect(b.api['attendance.importLog']({ fileName: 'x.csv', csv: 'nom,jour\na,b\n' })).rejects.toThrow(/colonne\(s\) manquante\(s\)/);
  });

  it('refuses the same file twice', async () => {
    const csv = 'email;debut;fin\nines@exemple.fr;2026-11-17 09:00;2026-11-17 10:00\n';
    await b.api['attendance.importLog']({ fileName: 'a.csv', csv });
    await expect(b.api['attendance.importLog']({ fileName: 'b.csv', csv })).rejects.toThrow(/déjà été importé/);
    expect(count('connection_logs')).toBe(1);
  });
});
