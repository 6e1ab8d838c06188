import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contract, isMethodName, METHOD_NAMES } from '../../shared/contract';
import { AppError, fieldLabel, validationError } from '../../shared/errors';
import { PERMISSIONS } from '../../shared/permissions';
import { handlers } from '../../electron/backend/handlers';
import { APP_VERSION } from '../../electron/backend/version';

const ACTION_ID = '01900000-0000-7000-8000-000000000001';

function invalid(method: keyof typeof contract, payload: unknown): AppError {
  const parsed = contract[method].input.safeParse(payload);
  expect(parsed.success, `${method} should refuse ${JSON.stringify(payload)}`).toBe(false);
  return validationError(parsed.error!);
}

describe('contract and handler table', () => {
  it('every contract method has a handler and every handler a contract method', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(contract).sort());
    for (const name of METHOD_NAMES) expect(typeof handlers[name], name).toBe('function');
  });

  it('every method declares a known permission, an input and an output schema', () => {
    for (const [name, def] of Object.entries(contract)) {
      // A permission of the role table, or one of the two open levels (before sign-in: the sign-in itself).
      expect([...PERMISSIONS, 'signed-in', 'anyone'], name).toContain(def.permission);
      expect(typeof def.input.safeParse, name).toBe('function');
      expect(typeof def.output.safeParse, name).toBe('function');
      expect(typeof def.write, name).toBe('boolean');
    }
  });

  it('reads are queries and changes are mutations', () => {
    for (const name of METHOD_NAMES) {
      const verb = name.split('.')[1]!;
      if (/^(list|get|info)$/.test(verb)) expect(contract[name].write, name).toBe(false);
      if (/^(save|generate|assign|create|setStatus|load)$/.test(verb)) expect(contract[name].write, name).toBe(true);
    }
  });

  it('method definitions are frozen', () => {
    expect(Object.isFrozen(contract['sessions.save'])).toBe(true);
  });

  it('isMethodName accepts contract names only, not inherited properties', () => {
    expect(isMethodName('sessions.list')).toBe(true);
    expect(isMethodName('sessions.drop')).toBe(false);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName(42)).toBe(false);
  });
});

describe('input validation gives French messages naming the field', () => {
  it('companies.save: a wrong SIRET names « SIRET »', () => {
    const e = invalid('companies.save', { name: 'Menuiserie', siret: '12345678901234' });
    expect(e.code).toBe('validation');
    expect(e.message).toBe('Saisie invalide — SIRET : SIRET invalide : le SIREN 123456789 (ses 9 premiers chiffres) a une clé de contrôle fausse.');
    expect(e.issues).toEqual([{ path: 'siret', message: expect.stringMatching(/SIRET invalide/) }]);
  });

  it('trainees.save: a missing first name names « prénom »', () => {
    const e = invalid('trainees.save', { lastName: 'Martin', birthDate: '1990-01-01' });
    expect(e.message).toBe('Saisie invalide — prénom : Ce champ est obligatoire.');
    expect(e.issues?.[0]?.path).toBe('firstName');
  });

  it('trainees.save: a bad date names « date de naissance » with the expected format', () => {
    const e = invalid('trainees.save', { lastName: 'Martin', firstName: 'Léa', birthDate: '01/02/1990' });
    expect(e.message).toBe('Saisie invalide — date de naissance : Date invalide : format JJ/MM/AAAA attendu (ex. 01/09/2026).');
  });

  it('sessions.save: an empty required date says which one (« Indiquez la date de début »)', () => {
    const e = invalid('sessions.save', { actionId: ACTION_ID, label: 'S', mode: 'cohort', capacity: 5, startDate: '', endDate: '2026-12-01' });
    expect(e.issues?.find((i) => i.path === 'startDate')?.message).toBe('Indiquez la date de début.');
    const f = invalid('sessions.save', { actionId: ACTION_ID, label: 'S', mode: 'cohort', capacity: 5, startDate: '2026-11-01' });
    expect(f.issues?.find((i) => i.path === 'endDate')?.message).toBe('Indiquez la date de fin.');
  });

  it('sessions.save: a wrong type uses zod’s French locale and names « capacité »', () => {
    const e = invalid('sessions.save', {
      actionId: ACTION_ID, label: 'Promo', mode: 'cohort', capacity: 'douze', startDate: '2026-09-01', endDate: '2026-12-18',
    });
    expect(e.issues?.map((i) => i.path)).toEqual(['capacity']);
    expect(e.message).toMatch(/^Saisie invalide — capacité : /);
    expect(e.message).toMatch(/nombre/); // French, not "expected number"
    expect(e.message).not.toMatch(/expected/i);
  });

  it('sessions.save: an end before the start names « date de fin »', () => {
    const e = invalid('sessions.save', {
      actionId: ACTION_ID, label: 'Promo', mode: 'cohort', capacity: 12, startDate: '2026-09-01', endDate: '2026-08-31',
    });
    expect(e.message).toBe('Saisie invalide — date de fin : La date de fin précède la date de début.');
  });

  it('slots.generate: a timetable error names the field and the timetable line', () => {
    const e = invalid('slots.generate', {
      sessionId: ACTION_ID, from: '2026-09-01', to: '2026-09-30',
      timetable: [
        { weekday: 1, halfDay: 'am', start: '08:30', end: '12:00' },
        { weekday: 2, halfDay: 'am', start: '8h30', end: '12:00' },
      ],
    });
    expect(e.message).toBe('Saisie invalide — début (ligne 2) : Heure invalide : format HH:MM attendu (ex. 08:30).');
    expect(e.issues?.[0]?.path).toBe('timetable.1.start');
  });

  it('enrolments.setStatus: exiting without a reason names « motif »', () => {
    const e = invalid('enrolments.setStatus', { enrolmentId: ACTION_ID, status: 'exited', effectiveDate: '2026-10-01' });
    expect(e.message).toBe('Saisie invalide — motif : Le motif de sortie est obligatoire.');
  });

  it('actions.get: a bad id says it matches nothing, not « UUIDv7 »', () => {
    const e = invalid('actions.get', { id: '42' });
    expect(e.message).toBe('Saisie invalide — identifiant : Ce lien ne correspond à aucun enregistrement.');
  });

  it('parameterless methods accept nothing and refuse unknown keys', () => {
    expect(contract['actions.list'].input.safeParse(undefined).success).toBe(true);
    expect(contract['actions.list'].input.safeParse({}).success).toBe(true);
    expect(contract['actions.list'].input.safeParse({ drop: true }).success).toBe(false);
  });

  it('validationError without issues still gives a French sentence', () => {
    const parsed = contract['actions.get'].input.safeParse({ id: 'x' });
    const error = Object.assign(Object.create(Object.getPrototypeOf(parsed.error)), parsed.error, { issues: [] });
    expect(validationError(error, 'Import').message).toBe('Import invalide.');
  });

  it('fieldLabel uses the last named segment and numbers lines from 1', () => {
    expect(fieldLabel(['plannedStart'])).toBe('début prévu');
    expect(fieldLabel(['timetable', 3, 'end'])).toBe('fin (ligne 4)');
    expect(fieldLabel(['unknownField'])).toBe('unknownField');
    expect(fieldLabel([])).toBe('donnée');
  });
});

describe('version', () => {
  it('package.json version equals APP_VERSION', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(pkg.version).toBe(APP_VERSION);
  });
});

describe('ids', () => {
  it('are valid UUIDv7, unique and strictly increasing within a process', async () => {
    const { newUuidV7 } = await import('../../electron/backend/context');
    const { validate, version } = await import('uuid');
    const ids = Array.from({ length: 5000 }, () => newUuidV7());
    expect(ids.every((i) => validate(i) && version(i) === 7)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
  });
});
