import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import type { RollCall, SignatureInput } from '../../shared/schemas/attendance';
import type { RowDraft } from '../../shared/schemas/rollcall-draft';
import { testBackend, type TestBackend } from '../helpers/backend';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const signature: SignatureInput = { strokes: [[[1, 1, 0], [5, 8, 16]]], pngBase64: PNG_1x1 };

let b: TestBackend;
let call: RollCall;

const draft = (over: Partial<RowDraft> = {}): RowDraft => ({
  kind: 'present', lateMinutes: '', earlyMinutes: '', remoteMinutes: '', reason: '', document: null, method: 'signature',
  signature: null, signedAt: null, scan: null, checkedBy: '', proxyName: '', qrScan: null, ...over,
});

/** Rows of the evidence tables and of the outbox: a draft must add to none of them. */
const evidenceCount = () => (b.raw.prepare(`SELECT (SELECT count(*) FROM ledger) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM attendance_marks) + (SELECT count(*) FROM signatures) AS n`).get() as { n: number }).n;

beforeEach(async () => {
  b = await testBackend('2026-11-23T09:00:00Z');
  await b.api['demo.load']({});
  const sessions = await b.api['sessions.list']({});
  const cuisine = sessions.find((s) => s.label.includes('étoiles'))!;
  const page = await b.api['sessions.get']({ id: cuisine.id });
  call = await b.api['attendance.rollCall']({ slotId: page.slots.find((s) => s.date >= '2026-11-23')!.id });
});
afterEach(async () => b.cleanup());

describe('roll-call drafts', () => {
  it('keeps each row as it is taken, outside the ledger and the outbox, and gives it back', async () => {
    const before = evidenceCount();
    const [a, c] = [call.rows[0]!.enrolmentId, call.rows[1]!.enrolmentId];
    await b.api['attendance.saveDraft']({ slotId: call.slot.id, enrolmentId: a, draft: draft({ kind: 'late', lateMinutes: '15' }) });
    await b.api['attendance.saveDraft']({ slotId: call.slot.id, enrolmentId: c, draft: draft({ signature, signedAt: '2026-11-23T08:40:00.000Z' }) });
    // The same row again replaces its draft: one per trainee.
    b.clock.set('2026-11-23T09:01:00Z');
    await b.api['attendance.saveDraft']({ slotId: call.slot.id, enrolmentId: a, draft: draft({ kind: 'late', lateMinutes: '25' }) });

    const drafts = await b.api['attendance.drafts']({ slotId: call.slot.id });
    expect(drafts.map((d) => [d.enrolmentId, d.draft.kind, d.draft.lateMinutes])).toEqual([[c, 'present', ''], [a, 'late', '25']]);
    expect(drafts[0]!.draft.signature).toEqual(signature);
    expect(drafts[1]!.updatedAt).toBe('2026-11-23T09:01:00.000Z');
    expect(evidenceCount()).toBe(before);
    // Nothing is recorded yet: the roll call still shows no mark.
    expect((await b.api['attendance.rollCall']({ slotId: call.slot.id })).rows.every((r) => r.mark === null)).toBe(true);

    // « Annuler » on a row drops its draft.
    await b.api['attendance.saveDraft']({ slotId: call.slot.id, enrolmentId: c, draft: null });
    expect((await b.api['attendance.drafts']({ slotId: call.slot.id })).map((d) => d.enrolmentId)).toEqual([a]);
  });

  it('is consumed by recording the rows it holds, and the rest is dropped when the slot closes', async () => {
    const ids = call.rows.map((r) => r.enrolmentId);
    for (const id of ids.slice(0, 3)) await b.api['attendance.saveDraft']({ slotId: call.slot.id, enrolmentId: id, draft: draft() });
    // Record the first two rows only: their drafts are consumed, the third stays.
    await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: ids.slice(0, 2).map((enrolmentId) => ({ enrolmentId, kind: 'present', method: 'signature', signature })) });
    expect((await b.api['attendance.drafts']({ slotId: call.slot.id })).map((d) => d.enrolmentId)).toEqual([ids[2]]);

    await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: ids.slice(2).map((enrolmentId) => ({ enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur' })) });
    await b.api['attendance.saveDraft']({ slotId: call.slot.id, enrolmentId: ids[0]!, draft: draft({ kind: 'late', lateMinutes: '5' }) });
    await b.api['attendance.close']({ slotId: call.slot.id, trainerId: call.slot.trainers[0]!.id, method: 'paper' });
    expect(await b.api['attendance.drafts']({ slotId: call.slot.id })).toEqual([]);
    // A closed slot takes no draft: it changes only by correction.
    await expect(b.api['attendance.saveDraft']({ slotId: call.slot.id, enrolmentId: ids[0]!, draft: draft() })).rejects.toThrow(/clos/);
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('refuses a trainee not expected on the slot and an unknown slot', async () => {
    await expect(b.api['attendance.saveDraft']({ slotId: call.slot.id, enrolmentId: uuidv7(), draft: draft() })).rejects.toThrow(/pas attendu/);
    await expect(b.api['attendance.saveDraft']({ slotId: uuidv7(), enrolmentId: call.rows[0]!.enrolmentId, draft: draft() })).rejects.toThrow(/Créneau introuvable/);
  });
});

describe('corrections after closing and the trainee’s signature', () => {
  async function closed(marks: (enrolmentId: string, i: number) => Record<string, unknown>) {
    await b.api['attendance.record']({ slotId: call.slot.id, submissionId: uuidv7(), marks: call.rows.map((r, i) => ({ enrolmentId: r.enrolmentId, ...marks(r.enrolmentId, i) })) as never });
    await b.api['attendance.close']({ slotId: call.slot.id, trainerId: call.slot.trainers[0]!.id, method: 'paper' });
    return (await b.api['attendance.rollCall']({ slotId: call.slot.id })).rows;
  }

  it('keeps the original signature for a typo in late minutes, and queues the new version with its hash', async () => {
    const rows = await closed((_, i) => (i === 0 ? { kind: 'late', lateMinutes: 20, method: 'signature', signature } : { kind: 'present', method: 'signature', signature }));
    const late = rows[0]!.mark!;
    b.clock.set('2026-11-24T10:00:00Z');
    const fixed = await b.api['attendance.correct']({ markId: late.id, kind: 'late', lateMinutes: 10, method: 'signature', correctionReason: 'Faute de frappe : 10 minutes, pas 20' });
    expect(fixed).toMatchObject({ signatureId: late.signatureId, minutes: call.slot.minutes - 10, signedAt: late.signedAt });
    // Present → late keeps it too.
    const present = rows[1]!.mark!;
    const nowLate = await b.api['attendance.correct']({ markId: present.id, kind: 'late', lateMinutes: 5, method: 'signature', correctionReason: 'Arrivée à 08:35' });
    expect(nowLate.signatureId).toBe(present.signatureId);
    const payload = JSON.parse((b.raw.prepare('SELECT payload FROM outbox WHERE record_id = ? ORDER BY version DESC LIMIT 1').get(late.recordId) as { payload: string }).payload) as { minutes: number; evidence: { sha256: string } };
    const sha = (b.raw.prepare('SELECT sha256 FROM signatures WHERE id = ?').get(late.signatureId) as { sha256: string }).sha256;
    expect(payload).toMatchObject({ minutes: call.slot.minutes - 10, evidence: { method: 'signature', sha256: sha } });
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('takes a justification received later without any signature', async () => {
    const rows = await closed((_, i) => (i === 0 ? { kind: 'unexcused', method: 'none' } : { kind: 'present', method: 'proxy', proxyName: 'Tuteur' }));
    const fixed = await b.api['attendance.correct']({ markId: rows[0]!.mark!.id, kind: 'excused', method: 'none', reason: 'Certificat médical', correctionReason: 'Justificatif reçu le 25/11' });
    expect(fixed).toMatchObject({ kind: 'excused', signatureId: null, minutes: 0 });
  });

  it('asks the trainee to sign when the correction makes an absent trainee present by signature', async () => {
    const rows = await closed((_, i) => (i === 0 ? { kind: 'unexcused', method: 'none' } : { kind: 'present', method: 'proxy', proxyName: 'Tuteur' }));
    const absent = rows[0]!.mark!;
    const refused = await b.api['attendance.correct']({ markId: absent.id, kind: 'present', method: 'signature', correctionReason: 'Était là, oubli' }).catch((e: { api: { message: string; issues: { path: string }[] } }) => e.api);
    expect(refused).toMatchObject({ message: expect.stringMatching(/demande la signature du stagiaire/), issues: [{ path: 'signature' }] });
    // With the trainee's signature, it is taken; by proxy, no drawn signature is needed.
    const signed = await b.api['attendance.correct']({ markId: absent.id, kind: 'present', method: 'signature', signature, correctionReason: 'Était là, oubli' });
    expect(signed.signatureId).not.toBeNull();
    const pin = await b.api['attendance.correct']({ markId: rows[1]!.mark!.id, kind: 'late', lateMinutes: 10, method: 'proxy', proxyName: 'Tuteur', correctionReason: 'Retard oublié' });
    expect(pin.signatureId).toBeNull();
  });

  it('gives the closed roll call its signature images', async () => {
    const rows = await closed(() => ({ kind: 'present', method: 'signature', signature }));
    const images = await b.api['attendance.signatures']({ slotId: call.slot.id });
    expect(images.map((i) => i.id).sort()).toEqual(rows.map((r) => r.mark!.signatureId).sort());
    expect(images.every((i) => i.pngBase64 === PNG_1x1 && !i.closure)).toBe(true);
  });
});
