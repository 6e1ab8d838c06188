import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zonedToInstant } from '../../shared/domain/dates';
import { startBridge } from '../../electron/backend/bridge';
import { toApiError } from '../../electron/backend/dispatch';
import { CHECK_CODES } from '../../shared/schemas/checks';
import { localise } from '../../shared/messages';
import { testBackend, type TestBackend } from '../helpers/backend';

/** Issue #8 item 19: no ISO date, raw code or system message reaches a person; English mode is English. */
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;
const RAW = new RegExp(`\\b(${[...CHECK_CODES, 'presentiel', 'distanciel', 'UUID', 'UUIDv7', 'ENOENT', 'EACCES'].join('|')})\\b`);
const ACTION_ID = '01900000-0000-7000-8000-000000000001';

let b: TestBackend;
beforeEach(async () => {
  b = await testBackend('2026-11-23T09:00:00Z');
});
afterEach(async () => b.cleanup());

describe('findings and messages people read', () => {
  it('findings carry no ISO date nor raw code, in French and in English', async () => {
    // A session around 11 November: a signature before entry, one outside its slot, a slot not
    // countersigned, a slot without a sheet, the trainer booked twice, hours above plan.
    const place = await b.api['places.save']({ name: 'Salle A', postcode: '75011', city: 'Paris' });
    const trainer = await b.api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
    const action = await b.api['actions.save']({ title: 'Bureautique', plannedMinutes: 600, modality: 'presentiel' });
    const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-13', placeId: place.id });
    const other = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 2', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-13', placeId: place.id });
    const timetable = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' }));
    await b.api['slots.generate']({ sessionId: session.id, from: '2026-11-09', to: '2026-11-13', timetable, trainerIds: [trainer.id] });
    await b.api['slots.generate']({ sessionId: other.id, from: '2026-11-12', to: '2026-11-12', timetable, trainerIds: [trainer.id] });
    const trainee = await b.api['trainees.save']({ lastName: 'Martin', firstName: 'Sophie', birthDate: '1990-01-01' });
    const enrolment = await b.api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION', plannedMinutes: 60 });
    await b.api['enrolments.setStatus']({ enrolmentId: enrolment.id, status: 'entered', effectiveDate: '2026-11-10' });
    const slots = Object.fromEntries((await b.api['sessions.get']({ id: session.id })).slots.map((s) => [s.date, s.id]));
    const sign = async (date: string, time: string, close = true) => {
      // The signature's time is the backend's clock: the signing happens at that instant.
      const now = b.clock.now.toISOString();
      const signedAt = zonedToInstant(date, time, 'Europe/Paris').toISOString();
      b.clock.set(signedAt);
      await b.api['attendance.record']({ slotId: slots[date]!, submissionId: uuidv7(), marks: [{ enrolmentId: enrolment.id, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt }] });
      b.clock.set(now);
      if (close) await b.api['attendance.close']({ slotId: slots[date]!, trainerId: trainer.id, method: 'paper' });
    };
    await sign('2026-11-09', '09:05');
    await sign('2026-11-10', '18:40');
    await sign('2026-11-12', '09:02', false);

    const fr = await b.dispatch('checks.run', { sessionId: session.id });
    const en = await b.dispatch('checks.run', { sessionId: session.id }, { locale: 'en' });
    if (!fr.ok || !en.ok) throw new Error('checks.run refused');
    const frFindings = fr.value as { code: string; message: string; date: string | null }[];
    const enFindings = en.value as typeof frFindings;
    expect(new Set(frFindings.map((f) => f.code))).toEqual(new Set(['signed-outside-enrolment', 'signed-outside-window', 'slot-not-countersigned', 'trainer-double-booked', 'slot-without-sheet', 'minutes-above-planned']));
    for (const f of frFindings) {
      expect(f.message).not.toMatch(ISO_DATE);
      expect(f.message).not.toMatch(RAW);
      // The day the finding is about is written JJ/MM/AAAA in its sentence.
      if (f.date) {
        const [y, m, d] = f.date.split('-');
        expect(f.message).toContain(`${d}/${m}/${y}`);
      }
    }
    expect(frFindings.find((f) => f.code === 'signed-outside-window')!.message).toBe('Martin Sophie : signature du 10/11/2026 à 18:40, hors du créneau du 10/11/2026 09:00–12:00 (±30 min).');
    expect(enFindings.map((f) => f.code)).toEqual(frFindings.map((f) => f.code));
    enFindings.forEach((f, i) => {
      expect(f.message).not.toMatch(ISO_DATE);
      expect(f.message).not.toMatch(RAW);
      expect(f.message).not.toBe(frFindings[i]!.message);
      expect(f.message).not.toMatch(/\b(présence|Créneau|signature du|réalisées|prévues|affecté)\b/);
    });
    expect(enFindings.find((f) => f.code === 'slot-without-sheet')!.message).toBe('Slot of 13/11/2026 09:00–12:00 past without a roll call (1 trainee(s) expected).');
  });

  it('an empty required date names the field, in the caller’s language', async () => {
    const input = { actionId: ACTION_ID, label: 'S', mode: 'cohort', capacity: 5, startDate: '', endDate: '2026-12-01' };
    const fr = await b.dispatch('sessions.save', input);
    const en = await b.dispatch('sessions.save', input, { locale: 'en' });
    if (fr.ok || en.ok) throw new Error('accepted an empty date');
    expect(fr.error.message).toBe('Saisie invalide — date de début : Indiquez la date de début.');
    expect(fr.error.issues).toEqual([{ path: 'startDate', message: 'Indiquez la date de début.' }]);
    expect(en.error.message).toBe('Invalid input — start date: Enter the start date.');
    expect(en.error.issues).toEqual([{ path: 'startDate', message: 'Enter the start date.' }]);
  });

  it('a bad link says it matches nothing, never « UUIDv7 »', async () => {
    const fr = await b.dispatch('sessions.get', { id: '42' });
    const en = await b.dispatch('sessions.get', { id: '42' }, { locale: 'en' });
    if (fr.ok || en.ok) throw new Error('accepted a bad id');
    expect(fr.error.message).toBe('Ce lien ne correspond à aucun enregistrement.');
    expect(en.error.message).toBe('This link matches no record.');
  });

  it('the bridge passes the renderer’s language to the backend (x-sillon-locale)', async () => {
    const { server, url } = await startBridge(b, { staticDir: b.dataDir });
    try {
      const setup = await fetch(`${url}api/auth.setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'cvasseur', name: 'Claire Vasseur', email: null, password: 'Atelier-2026!' }),
      });
      const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
      const call = async (locale: string) => {
        const res = await fetch(`${url}api/trainees.save`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-sillon-locale': locale, cookie },
          body: JSON.stringify({ lastName: 'Martin', firstName: 'Léa', birthDate: '31/02/1990' }),
        });
        return ((await res.json()) as { error: { message: string } }).error.message;
      };
      expect(await call('en')).toBe('Invalid input — birth date: Invalid date: DD/MM/YYYY expected (e.g. 01/09/2026).');
      expect(await call('fr')).toBe('Saisie invalide — date de naissance : Date invalide : format JJ/MM/AAAA attendu (ex. 01/09/2026).');
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });

  it('the printed sheet says « modalité présentiel » and its PDF title gives the week as JJ/MM/AAAA', async () => {
    await b.api['demo.load']({});
    const session = (await b.api['sessions.list']({})).find((x) => x.label === 'CAP HCR — apprentis Mende')!;
    const doc = await b.api['documents.attendanceSheet']({ sessionId: session.id, weekStart: '2026-11-23' });
    const pdf = join(b.dataDir, 'sheet.pdf');
    writeFileSync(pdf, Buffer.from(doc.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('modalité présentiel');
    expect(text).not.toMatch(RAW);
    const title = /Title:\s+(.*)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]!;
    expect(title).toBe("Feuille d'émargement — CAP HCR — apprentis Mende — semaine du 23/11/2026");
  });

  it('a system error is a French sentence, not « ENOENT »', () => {
    const e = Object.assign(new Error("ENOENT: no such file or directory, open '/media/usb/lot.json'"), { code: 'ENOENT', errno: -2, syscall: 'open', path: '/media/usb/lot.json' });
    const error = toApiError(e);
    expect(error.message).toBe('Fichier ou dossier introuvable : vérifiez le chemin, ou que le disque est bien branché.');
    expect(localise(error.message, 'en')).toBe('File or folder not found: check the path, or that the drive is plugged in.');
  });
});
