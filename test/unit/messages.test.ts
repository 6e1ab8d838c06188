import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSWORD_PROBLEM_TEXT } from '../../shared/domain/accounts';
import { asLocale, localise, localiseError } from '../../shared/messages';
import { PERMISSION_LABELS, ROLE_LABELS } from '../../shared/permissions';
import { AUDIT_ACTION_LABELS, AUDIT_OUTCOME_LABELS } from '../../shared/schemas/audit';

describe('the message table (shared/messages.ts)', () => {
  // Every literal message of shared/schemas has its English version (template literals aside).
  const dir = join(__dirname, '../../shared/schemas');
  const literals = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/(?:error|message): (['"])((?:(?!\1).)+)\1/g)].map((m) => m[2]!));
  it('holds every fixed sentence of the schemas in English', () => {
    expect(literals.length).toBeGreaterThan(40);
    expect([...new Set(literals)].filter((m) => localise(m, 'en') === m)).toEqual([]);
  });

  it('fills templates, translating field names and nested sentences', () => {
    expect(localise('Saisie invalide — capacité : Ce champ est limité à 200 caractères.', 'en')).toBe('Invalid input — capacity: This field is limited to 200 characters.');
    expect(localise('Saisie invalide — fin (ligne 4) : Heure invalide : format HH:MM attendu (ex. 08:30).', 'en')).toBe('Invalid input — end (line 4): Invalid time: HH:MM expected, 24-hour clock (e.g. 08:30).');
    expect(localise('Date de naissance : champ obligatoire.', 'en')).toBe('Birth date: required field.');
  });

  it('writes dates JJ/MM/AAAA in both languages and leaves unknown sentences French', () => {
    expect(localise('Créneau du 2026-12-01 09:00–12:00 : émargé mais sans la signature du formateur (non clos).', 'fr')).toBe('Créneau du 01/12/2026 09:00–12:00 : émargé mais sans la signature du formateur (non clos).');
    expect(localise('Phrase encore inconnue du 2026-12-01.', 'en')).toBe('Phrase encore inconnue du 01/12/2026.');
    const error = localiseError({ code: 'validation', message: 'Saisie invalide — date de début : Indiquez la date de début.', issues: [{ path: 'startDate', message: 'Indiquez la date de début.' }] }, 'en');
    expect(error).toEqual({ code: 'validation', message: 'Invalid input — start date: Enter the start date.', issues: [{ path: 'startDate', message: 'Enter the start date.' }] });
  });

  it('has the English of every role, permission, audit action and password rule', () => {
    const words = [ROLE_LABELS, PERMISSION_LABELS, AUDIT_ACTION_LABELS, AUDIT_OUTCOME_LABELS, PASSWORD_PROBLEM_TEXT].flatMap((table) => Object.values(table));
    expect(words.filter((w) => localise(w, 'en') === w)).toEqual([]);
    expect(localise("Votre rôle (formateur) ne permet pas de valider et transmettre les demandes de paiement : opération refusée, rien n'a été modifié.", 'en')).toBe(
      'Your role (trainer) does not allow you to validate and send payment claims: operation refused, nothing was changed.',
    );
    expect(localise('Mot de passe trop court : au moins 8 caractères.', 'en')).toBe('Password too short: at least 8 characters.');
  });

  it('reads the language the renderer sends', () => {
    expect([asLocale('en'), asLocale('en-US'), asLocale('fr'), asLocale(undefined), asLocale('de'), asLocale('english')]).toEqual(['en', 'en', 'fr', 'fr', 'fr', 'fr']);
  });
});
