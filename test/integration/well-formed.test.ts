import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import { illFormedPath, isWellFormedText } from '../../shared/well-formed';
import { testBackend, type TestBackend } from '../helpers/backend';

/*
 * Issue #9 §2: a lone surrogate in a legitimate write. SQLite stores U+FFFD in its place, so an evidence
 * row hashed with the surrogate fails verification for ever. Refused at validation, naming the field.
 */

const LONE = 'Malade \uD83D'; // the first half of 😷, cut off
let b: TestBackend;

beforeEach(async () => {
  b = await testBackend('2026-11-23T09:00:00Z');
  await b.api['demo.load']({});
});
afterEach(async () => b.cleanup());

async function openSlot() {
  const session = (await b.api['sessions.list']({})).find((s) => s.label.includes('étoiles'))!;
  const slot = (await b.api['sessions.get']({ id: session.id })).slots.find((s) => s.date === '2026-11-23')!;
  return b.api['attendance.rollCall']({ slotId: slot.id });
}

describe('text that is not well-formed Unicode', () => {
  it('tells lone surrogates from pairs', () => {
    expect(isWellFormedText('Malade 😷 — ok')).toBe(true);
    expect(isWellFormedText('\uD83D')).toBe(false);
    expect(isWellFormedText('\uDE37x')).toBe(false);
    expect(illFormedPath({ marks: [{ reason: 'ok' }, { reason: LONE }] })).toEqual(['marks', 1, 'reason']);
    expect(illFormedPath({ ['k\uDC00']: 1 })).toEqual(['k\uDC00']);
    expect(illFormedPath({ a: ['😷', { b: 'é' }] })).toBeNull();
  });

  it('is refused in an evidence write, naming the field, and the ledger stays clean', async () => {
    const rc = await openSlot();
    const before = (b.raw.prepare('SELECT count(*) AS n FROM attendance_marks').get() as { n: number }).n;
    const r = await b.dispatch('attendance.record', {
      slotId: rc.slot.id, submissionId: uuidv7(),
      marks: [{ enrolmentId: rc.rows[0]!.enrolmentId, kind: 'excused', method: 'none', reason: LONE }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toBe(
      "Saisie invalide — motif (ligne 1) : texte mal formé : il contient un caractère incomplet (la moitié d'un emoji ou d'un symbole, souvent après un copier-coller) ; retapez ce texte.",
    );
    expect(r.error.issues?.[0]?.path).toBe('marks.0.reason');
    expect((b.raw.prepare('SELECT count(*) AS n FROM attendance_marks').get() as { n: number }).n).toBe(before);
    // The same reason with its emoji whole is recorded, and verifies.
    await b.api['attendance.record']({
      slotId: rc.slot.id, submissionId: uuidv7(),
      marks: [{ enrolmentId: rc.rows[0]!.enrolmentId, kind: 'excused', method: 'none', reason: 'Malade 😷' }],
    });
    expect(verifyLedger(b.raw)).toMatchObject({ ok: true, problems: [] });
  });

  it('is refused in every method (here a trainee name) and in an import line', async () => {
    const r = await b.dispatch('trainees.save', { lastName: 'Durand\uDE00', firstName: 'Léa', birthDate: '2000-01-01' });
    expect(!r.ok && r.error.issues?.[0]?.path).toBe('lastName');
    const line = JSON.stringify({ type: 'place', ref: 'p1', name: 'Salle \uD800', postcode: '75001', city: 'Paris' });
    const imported = await b.dispatch('data.import', { text: `${line}\n` });
    expect(!imported.ok && imported.error.message).toMatch(/^Fichier refusé, rien n'a été importé — ligne 1, nom : texte mal formé/);
  });

  it('would otherwise make verify report tampering for ever (the attack, played on the file)', () => {
    // Why the refusal: SQLite reads such text back changed (U+FFFD in place of the half character), so a row
    // hashed as given no longer matches its own stored content.
    const stored = b.raw.prepare('SELECT ? AS v').get(LONE) as { v: string };
    expect(stored.v).not.toBe(LONE);
    expect(stored.v.startsWith('Malade \uFFFD')).toBe(true);
  });
});
