import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import { databaseFile } from '../../electron/backend/paths';
import type { MarkInput } from '../../shared/schemas/attendance';
import { testBackend, type TestBackend } from '../helpers/backend';

// Real PIN and QR capture (issue #9, §1): each attack of the issue fails before the change — a PIN capture
// with a wrong PIN (or none), a QR code reused after it expired or taken from another slot.
let b: TestBackend;
let w: { slot: Record<string, string>; ana: string; anaTrainee: string; bruno: string; brunoTrainee: string; trainerId: string };

/** 16–17 Nov 2026, mornings 09:00–12:00, two trainees entered on the 16th, one trainer. */
async function world() {
  await b.api['organisation.save']({ name: 'OF test', siret: '73282932000074' });
  const trainer = await b.api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
  const action = await b.api['actions.save']({ title: 'Bureautique', plannedMinutes: 900, modality: 'presentiel' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 2, startDate: '2026-11-16', endDate: '2026-11-17' });
  const timetable = [1, 2].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' }));
  await b.api['slots.generate']({ sessionId: session.id, from: '2026-11-16', to: '2026-11-17', timetable, trainerIds: [trainer.id] });
  const enrol = async (lastName: string) => {
    const t = await b.api['trainees.save']({ lastName, firstName: 'Zoé', birthDate: '1990-01-01' });
    const e = await b.api['enrolments.create']({ sessionId: session.id, traineeId: t.id, funderCode: 'REGION' });
    await b.api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-16' });
    return [e.id, t.id] as const;
  };
  const [ana, anaTrainee] = await enrol('Arnaud');
  const [bruno, brunoTrainee] = await enrol('Bernard');
  const page = await b.api['sessions.get']({ id: session.id });
  w = { slot: Object.fromEntries(page.slots.map((s) => [s.date, s.id])), ana, anaTrainee, bruno, brunoTrainee, trainerId: trainer.id };
}

const apiError = (p: Promise<unknown>) => p.then(() => null, (e: { api: { code: string; message: string; issues?: { path: string; message: string }[] } }) => e.api);
const count = (sql: string) => (b.raw.prepare(sql).get() as { n: number }).n;
const record = (marks: MarkInput[], slot = '2026-11-16', close?: Record<string, unknown>) =>
  b.api['attendance.record']({ slotId: w.slot[slot]!, submissionId: uuidv7(), marks, ...(close ? { close: close as never } : {}) });

beforeEach(async () => {
  b = await testBackend('2026-11-16T08:55:00Z');
  await world();
});
afterEach(async () => b.cleanup());

describe('PIN', () => {
  beforeEach(async () => {
    await b.api['pins.set']({ personKind: 'trainee', personId: w.anaTrainee, pin: '4821' });
    await b.api['pins.set']({ personKind: 'trainer', personId: w.trainerId, pin: '908172' });
  });

  it('a mark by PIN with the right PIN is recorded; with a wrong PIN it is refused naming the trainee and the field', async () => {
    const wrong = await apiError(record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '1111' }]));
    expect(wrong).toMatchObject({ code: 'validation', issues: [{ path: 'marks.0.pin' }] });
    expect(wrong!.message).toBe('PIN de Arnaud Zoé incorrect (4 essai(s) restant(s) avant blocage).');
    expect(count('SELECT count(*) AS n FROM attendance_marks')).toBe(0);

    await record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '4821' }]);
    const rc = await b.api['attendance.rollCall']({ slotId: w.slot['2026-11-16']! });
    expect(rc.rows.find((r) => r.enrolmentId === w.ana)?.mark).toMatchObject({ method: 'pin', kind: 'present' });
    // The right PIN cleared the failure count.
    expect(count("SELECT failures AS n FROM person_pins WHERE person_kind = 'trainee'")).toBe(0);
  });

  it('a mark by PIN without a PIN, or for a trainee who has none, is refused', async () => {
    expect(await apiError(record([{ enrolmentId: w.ana, kind: 'present', method: 'pin' }]))).toMatchObject({
      message: 'PIN : le stagiaire doit saisir son PIN.', issues: [{ path: 'marks.0.pin' }],
    });
    expect(await apiError(record([{ enrolmentId: w.bruno, kind: 'present', method: 'pin', pin: '4821' }]))).toMatchObject({
      message: "PIN : Bernard Zoé n'a pas de PIN. Définissez-le sur sa fiche, ou choisissez un autre mode de recueil.", issues: [{ path: 'marks.0.pin' }],
    });
    // A PIN on another method is refused, as any field the method does not take.
    expect(await apiError(record([{ enrolmentId: w.ana, kind: 'unexcused', method: 'none', pin: '4821' }]))).toMatchObject({ issues: [{ path: 'marks.0.pin' }] });
    // Not 4 to 6 digits: refused at validation.
    expect(await apiError(record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '12a4' }]))).toMatchObject({ code: 'validation', issues: [{ path: 'marks.0.pin', message: 'PIN : 4 à 6 chiffres.' }] });
    expect(count('SELECT count(*) AS n FROM attendance_marks')).toBe(0);
  });

  it('5 wrong PINs lock the PIN for 5 minutes, even the right one, then it works again', async () => {
    for (let i = 1; i <= 4; i++) {
      expect((await apiError(record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '0000' }])))!.message).toBe(`PIN de Arnaud Zoé incorrect (${5 - i} essai(s) restant(s) avant blocage).`);
    }
    expect((await apiError(record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '0000' }])))!.message).toBe('PIN de Arnaud Zoé incorrect : 5 essais erronés, PIN bloqué 5 min.');
    b.clock.set('2026-11-16T08:59:59Z'); // 4 min 59 s later: still locked, the right PIN too
    const locked = await apiError(record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '4821' }]));
    expect(locked).toMatchObject({ message: 'PIN de Arnaud Zoé bloqué après 5 essais erronés : réessayez dans 1 min, ou choisissez un autre mode de recueil.', issues: [{ path: 'marks.0.pin' }] });
    expect((await b.api['pins.status']({ personKind: 'trainee', personId: w.anaTrainee })).lockedUntil).toBe('2026-11-16T09:00:00.000Z');
    b.clock.set('2026-11-16T09:00:00Z');
    await record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '4821' }]);
    expect(count('SELECT count(*) AS n FROM attendance_marks')).toBe(1);
  });

  it('resetting replaces the PIN and keeps who set it and when', async () => {
    b.clock.set('2026-11-16T09:30:00Z');
    const status = await b.api['pins.set']({ personKind: 'trainee', personId: w.anaTrainee, pin: '135790' });
    expect(status).toEqual({ set: true, setAt: '2026-11-16T09:30:00.000Z', setBy: 'Utilisateur local', lockedUntil: null });
    expect((await apiError(record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '4821' }])))!.message).toMatch(/^PIN de Arnaud Zoé incorrect/);
    await record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '135790' }]);
    expect(await b.api['pins.clear']({ personKind: 'trainee', personId: w.anaTrainee })).toEqual({ set: false, setAt: null, setBy: null, lockedUntil: null });
  });

  it('the roll call says who has a PIN; the PIN is in no output and nowhere in clear in the file', async () => {
    const rc = await b.api['attendance.rollCall']({ slotId: w.slot['2026-11-16']! });
    expect(rc.rows.map((r) => [r.traineeName, r.hasPin])).toEqual([['Arnaud Zoé', true], ['Bernard Zoé', false]]);
    expect(rc.slot.trainers).toEqual([{ id: w.trainerId, name: 'Klein Martine', hasPin: true }]);
    await record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '4821' }, { enrolmentId: w.bruno, kind: 'unexcused', method: 'none' }], '2026-11-16', { trainerId: w.trainerId, method: 'pin', pin: '908172' });
    const outputs = JSON.stringify([
      await b.api['attendance.rollCall']({ slotId: w.slot['2026-11-16']! }),
      await b.api['pins.status']({ personKind: 'trainee', personId: w.anaTrainee }),
      await b.api['trainees.get']({ id: w.anaTrainee }),
      await b.api['trainers.list']({}),
      await b.api['attendance.history']({ slotId: w.slot['2026-11-16']!, enrolmentId: w.ana }),
    ]);
    expect(outputs).not.toMatch(/4821|908172|scrypt/);
    b.raw.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(databaseFile(b.dataDir)).toString('latin1');
    // As a value of its own, not inside a UUID, a hash or base64 (random text holds any 4 digits now and then).
    expect(file).not.toMatch(/(?<![0-9A-Za-z+/])(4821|908172)(?![0-9A-Za-z+/=])/);
    const stored = b.raw.prepare("SELECT pin_hash FROM person_pins WHERE person_kind = 'trainee'").get() as { pin_hash: string };
    expect(stored.pin_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it("countersigning by PIN checks the trainer's PIN; a wrong one closes nothing", async () => {
    await record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '4821' }, { enrolmentId: w.bruno, kind: 'unexcused', method: 'none' }]);
    const slotId = w.slot['2026-11-16']!;
    expect(await apiError(b.api['attendance.close']({ slotId, trainerId: w.trainerId, method: 'pin', pin: '4821' }))).toMatchObject({
      message: 'PIN de Klein Martine incorrect (4 essai(s) restant(s) avant blocage).', issues: [{ path: 'pin' }],
    });
    expect(await apiError(b.api['attendance.close']({ slotId, trainerId: w.trainerId, method: 'pin' }))).toMatchObject({ code: 'validation', issues: [{ path: 'pin' }] });
    expect(count('SELECT count(*) AS n FROM slot_closures')).toBe(0);
    await b.api['attendance.close']({ slotId, trainerId: w.trainerId, method: 'pin', pin: '908172' });
    expect(count('SELECT count(*) AS n FROM slot_closures')).toBe(1);
  });

  it('a correction keeps the PIN when the method stays, asks for it when the trainee never gave it', async () => {
    await record([{ enrolmentId: w.ana, kind: 'present', method: 'pin', pin: '4821' }, { enrolmentId: w.bruno, kind: 'unexcused', method: 'none' }], '2026-11-16', { trainerId: w.trainerId, method: 'pin', pin: '908172' });
    const rc = await b.api['attendance.rollCall']({ slotId: w.slot['2026-11-16']! });
    const anaMark = rc.rows.find((r) => r.enrolmentId === w.ana)!.mark!;
    await b.api['attendance.correct']({ markId: anaMark.id, kind: 'late', lateMinutes: 10, method: 'pin', correctionReason: 'Retard oublié' });
    const brunoMark = rc.rows.find((r) => r.enrolmentId === w.bruno)!.mark!;
    await b.api['pins.set']({ personKind: 'trainee', personId: w.brunoTrainee, pin: '2468' });
    expect(await apiError(b.api['attendance.correct']({ markId: brunoMark.id, kind: 'present', method: 'pin', correctionReason: 'Était là' }))).toMatchObject({ issues: [{ path: 'marks.0.pin' }] });
    expect((await apiError(b.api['attendance.correct']({ markId: brunoMark.id, kind: 'present', method: 'pin', pin: '1357', correctionReason: 'Était là' })))!.message).toMatch(/^PIN de Bernard Zoé incorrect/);
    await b.api['attendance.correct']({ markId: brunoMark.id, kind: 'present', method: 'pin', pin: '2468', correctionReason: 'Était là' });
  });
});

describe('QR code', () => {
  const slot16 = () => w.slot['2026-11-16']!;

  it('a code presented while valid becomes a scan the mark cites, recorded later than the code expired', async () => {
    const issued = await b.api['attendance.issueQr']({ slotId: slot16() });
    expect(issued).toMatchObject({ issuedAt: '2026-11-16T08:55:00.000Z', expiresAt: '2026-11-16T08:58:00.000Z' });
    expect(issued.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    b.clock.set('2026-11-16T08:57:59Z');
    const scan = await b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.ana, code: ` ${issued.code.slice(0, 3).toLowerCase()}-${issued.code.slice(3)} ` });
    expect(scan.scannedAt).toBe('2026-11-16T08:57:59.000Z');
    // The roll call is recorded at the end, long after the code expired: the scan stands.
    b.clock.set('2026-11-16T11:55:00Z');
    await record([{ enrolmentId: w.ana, kind: 'present', method: 'qr', qrScanId: scan.scanId }, { enrolmentId: w.bruno, kind: 'unexcused', method: 'none' }]);
    const mark = (await b.api['attendance.rollCall']({ slotId: slot16() })).rows.find((r) => r.enrolmentId === w.ana)!.mark!;
    expect(mark).toMatchObject({ method: 'qr', signedAt: '2026-11-16T08:57:59.000Z' });
    expect(b.raw.prepare('SELECT scan_id FROM mark_qr_scans WHERE mark_id = ?').get(mark.id)).toEqual({ scan_id: scan.scanId });
    expect(b.raw.prepare('SELECT enrolment_id, code_id, scanned_at, created_by FROM qr_scans').all()).toEqual([{ enrolment_id: w.ana, code_id: issued.codeId, scanned_at: '2026-11-16T08:57:59.000Z', created_by: 'local' }]);
    // The code is kept hashed only.
    expect(JSON.stringify(b.raw.prepare('SELECT * FROM qr_codes').all())).not.toContain(issued.code);
    expect(verifyLedger(b.raw).ok).toBe(true);
    expect(count("SELECT count(*) AS n FROM ledger WHERE record_type IN ('qr_scan', 'mark_qr_scan')")).toBe(2);
  });

  it('a code presented after it expired is refused (by the backend clock) and records no scan', async () => {
    const issued = await b.api['attendance.issueQr']({ slotId: slot16() });
    await b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.ana, code: issued.code });
    b.clock.set('2026-11-16T08:58:00Z');
    expect(await apiError(b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.bruno, code: issued.code }))).toMatchObject({
      code: 'validation', message: "Code QR de Bernard Zoé : ce code a expiré. Demandez au formateur d'en afficher un nouveau.", issues: [{ path: 'code' }],
    });
    expect(count('SELECT count(*) AS n FROM qr_scans')).toBe(1);
    // A renewed code works again.
    const renewed = await b.api['attendance.issueQr']({ slotId: slot16() });
    expect(renewed.expiresAt).toBe('2026-11-16T09:01:00.000Z');
    await b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.bruno, code: renewed.code });
  });

  it("another slot's code, an unknown code, a code of the wrong shape are refused", async () => {
    const other = await b.api['attendance.issueQr']({ slotId: w.slot['2026-11-17']! });
    expect((await apiError(b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.ana, code: other.code })))!.message).toBe("Code QR de Arnaud Zoé : ce code est celui d'un autre créneau.");
    const unknown = other.code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA';
    expect((await apiError(b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.ana, code: unknown })))!.message).toMatch(/code inconnu/);
    expect((await apiError(b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.ana, code: 'O0I1' })))!.message).toMatch(/6 caractères/);
    expect(count('SELECT count(*) AS n FROM qr_scans')).toBe(0);
  });

  it("a mark by QR needs a scan, of this slot and of this trainee: one trainee's scan never serves another", async () => {
    const issued = await b.api['attendance.issueQr']({ slotId: slot16() });
    const anaScan = await b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.ana, code: issued.code });
    expect(await apiError(record([{ enrolmentId: w.bruno, kind: 'present', method: 'qr' }]))).toMatchObject({ issues: [{ path: 'marks.0.qrScanId' }] });
    expect(await apiError(record([{ enrolmentId: w.bruno, kind: 'present', method: 'qr', qrScanId: anaScan.scanId }]))).toMatchObject({
      message: "QR code : ce scan est celui d'un autre stagiaire.", issues: [{ path: 'marks.0.qrScanId' }],
    });
    const next = await b.api['attendance.issueQr']({ slotId: w.slot['2026-11-17']! });
    b.clock.set('2026-11-16T08:56:00Z');
    const otherSlotScan = await b.api['attendance.scanQr']({ slotId: w.slot['2026-11-17']!, enrolmentId: w.ana, code: next.code });
    expect((await apiError(record([{ enrolmentId: w.ana, kind: 'present', method: 'qr', qrScanId: otherSlotScan.scanId }])))!.message).toBe('QR code : ce scan a été fait pour un autre créneau.');
    expect(count('SELECT count(*) AS n FROM attendance_marks')).toBe(0);
  });

  it('a closed slot issues no code and takes no scan; a correction keeping QR keeps its scan', async () => {
    const issued = await b.api['attendance.issueQr']({ slotId: slot16() });
    const scan = await b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.ana, code: issued.code });
    await record([{ enrolmentId: w.ana, kind: 'present', method: 'qr', qrScanId: scan.scanId }, { enrolmentId: w.bruno, kind: 'unexcused', method: 'none' }], '2026-11-16', { trainerId: w.trainerId, method: 'paper' });
    expect((await apiError(b.api['attendance.issueQr']({ slotId: slot16() })))!.message).toMatch(/clos/);
    expect((await apiError(b.api['attendance.scanQr']({ slotId: slot16(), enrolmentId: w.bruno, code: issued.code })))!.message).toMatch(/clos/);
    const mark = (await b.api['attendance.rollCall']({ slotId: slot16() })).rows.find((r) => r.enrolmentId === w.ana)!.mark!;
    const corrected = await b.api['attendance.correct']({ markId: mark.id, kind: 'late', lateMinutes: 5, method: 'qr', correctionReason: 'Arrivée à 9 h 05' });
    expect(b.raw.prepare('SELECT scan_id FROM mark_qr_scans WHERE mark_id = ?').get(corrected.id)).toEqual({ scan_id: scan.scanId });
    // Bruno never scanned: a correction to QR without a scan is refused.
    const bruno = (await b.api['attendance.rollCall']({ slotId: slot16() })).rows.find((r) => r.enrolmentId === w.bruno)!.mark!;
    expect(await apiError(b.api['attendance.correct']({ markId: bruno.id, kind: 'present', method: 'qr', correctionReason: 'x' }))).toMatchObject({ issues: [{ path: 'marks.0.qrScanId' }] });
    expect(verifyLedger(b.raw).ok).toBe(true);
  });
});
