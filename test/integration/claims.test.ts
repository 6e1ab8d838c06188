import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { claimsCommand } from '../../electron/backend/claims/cli-claims';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import type { FundingRuleInput } from '../../shared/schemas/funding';
import { PAYLOADS } from '../receiver/validate';
import { testBackend, type TestBackend } from '../helpers/backend';

/**
 * Claims on a small world worked out by hand: one session (Mon 9, Tue 10, Thu 12, Fri 13 November 2026, 09:00–12:00,
 * 180 min; Wed 11 is a holiday), three trainees, two funders.
 * - REGION, programme PRF-LOT1, trainee hour at 12,55 €, excused absences not paid.
 * - OPCO, programme OPCO-PDC, trainee hour at 15,00 €.
 * - MARTIN Sophie: REGION 70 % + OPCO remainder; late 20 min on the 10th.
 * - DURAND Paul: REGION; remote 90 min (connection) on the 12th; unexcused on the 13th.
 * - PETIT Léa: REGION; excused on the 10th.
 */
let b: TestBackend;
let w: { sessionId: string; trainerId: string; slots: Record<string, string>; enrol: Record<'martin' | 'durand' | 'petit', string>; region: string; opco: string; regionRule: string };

const raw = () => b.raw;
const now = () => b.clock.now.toISOString();

function insertProgramme(code: string, funder: string, rule: FundingRuleInput): { programmeId: string; ruleId: string } {
  const programmeId = uuidv7();
  const ruleId = uuidv7();
  const at = now();
  raw().prepare(`INSERT INTO programmes (id, code, funder_code, name, source, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, 'local', ?, 'local', ?, 'local')`).run(programmeId, code, funder, code, at, at);
  raw().prepare(`INSERT INTO programme_rules (id, programme_id, valid_from, valid_to, rule, created_at, created_by) VALUES (?, ?, '2026-01-01', NULL, ?, ?, 'local')`).run(ruleId, programmeId, JSON.stringify(rule), at);
  return { programmeId, ruleId };
}

async function roll(date: string, marks: { enrolmentId: string; kind: string; lateMinutes?: number; remoteMinutes?: number }[], close = true) {
  const back = now();
  b.clock.set(`${date}T09:30:00Z`);
  try {
    await b.api['attendance.record']({
      slotId: w.slots[date]!, submissionId: uuidv7(),
      marks: marks.map((m) => ({
        ...m, ...(m.kind === 'excused' ? { reason: 'Rendez-vous médical' } : {}),
        ...(['present', 'late', 'remote'].includes(m.kind) ? { method: 'proxy' as const, proxyName: 'Tuteur' } : { method: 'none' as const }),
      })),
    });
    if (close) await b.api['attendance.close']({ slotId: w.slots[date]!, trainerId: w.trainerId, method: 'paper' });
  } finally {
    b.clock.set(back);
  }
}

beforeEach(async () => {
  b = await testBackend('2026-11-20T09:00:00Z');
  await b.api['organisation.save']({ name: 'OF Test', siret: '73282932000074', nda: '11755555575', legalRepresentative: 'Claire Dubois', city: 'Paris', postcode: '75011' });
  const place = await b.api['places.save']({ name: 'Salle A', postcode: '75011', city: 'Paris' });
  const trainer = await b.api['trainers.save']({ lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
  const action = await b.api['actions.save']({ title: 'Bureautique', plannedMinutes: 600, modality: 'presentiel' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-20', placeId: place.id });
  const timetable = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' }));
  await b.api['slots.generate']({ sessionId: session.id, from: '2026-11-09', to: '2026-11-13', timetable, trainerIds: [trainer.id] });
  const enrol = {} as Record<'martin' | 'durand' | 'petit', string>;
  for (const [key, last, first] of [['martin', 'Martin', 'Sophie'], ['durand', 'Durand', 'Paul'], ['petit', 'Petit', 'Léa']] as const) {
    const t = await b.api['trainees.save']({ lastName: last, firstName: first, birthDate: '1990-01-01' });
    const e = await b.api['enrolments.create']({ sessionId: session.id, traineeId: t.id, funderCode: 'REGION' });
    await b.api['enrolments.setStatus']({ enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-09' });
    enrol[key] = e.id;
  }
  const region = insertProgramme('PRF-LOT1', 'REGION', { unit: 'trainee-hour', rateCents: 1255, payerCategory: 'C-6' });
  const opco = insertProgramme('OPCO-PDC', 'OPCO', { unit: 'trainee-hour', rateCents: 1500, payerCategory: 'C-2h' });
  raw().prepare("UPDATE fundings SET programme_id = ? WHERE funder_code = 'REGION'").run(region.programmeId);
  raw().prepare("UPDATE fundings SET share_kind = 'percent', share_value = 7000 WHERE enrolment_id = ?").run(enrol.martin);
  const at = now();
  raw().prepare(`INSERT INTO fundings (id, enrolment_id, funder_code, programme_id, cost_type, share_kind, position, created_at, created_by, updated_at, updated_by)
    VALUES (?, ?, 'OPCO', ?, 'pedagogique', 'remainder', 2, ?, 'local', ?, 'local')`).run(uuidv7(), enrol.martin, opco.programmeId, at, at);
  const page = await b.api['sessions.get']({ id: session.id });
  w = { sessionId: session.id, trainerId: trainer.id, slots: Object.fromEntries(page.slots.map((s) => [s.date, s.id])), enrol, region: region.programmeId, opco: opco.programmeId, regionRule: region.ruleId };
  const { martin, durand, petit } = enrol;
  await roll('2026-11-09', [{ enrolmentId: martin, kind: 'present' }, { enrolmentId: durand, kind: 'present' }, { enrolmentId: petit, kind: 'present' }]);
  await roll('2026-11-10', [{ enrolmentId: martin, kind: 'late', lateMinutes: 20 }, { enrolmentId: durand, kind: 'present' }, { enrolmentId: petit, kind: 'excused' }]);
  await roll('2026-11-12', [{ enrolmentId: martin, kind: 'present' }, { enrolmentId: durand, kind: 'remote', remoteMinutes: 90 }, { enrolmentId: petit, kind: 'present' }]);
  await roll('2026-11-13', [{ enrolmentId: martin, kind: 'present' }, { enrolmentId: durand, kind: 'unexcused' }, { enrolmentId: petit, kind: 'present' }]);
});
afterEach(async () => b.cleanup());

const PERIOD = { from: '2026-11-01', to: '2026-11-30' };

/**
 * By hand (minutes → hours to the hundredth rounded down → × rate, half-up):
 * - MARTIN: 180 + 160 + 180 + 180 = 700 min; REGION 70 % = 490 min = 8,1666 → 8,16 h × 12,55 = 102,408 → 102,41 €;
 *   OPCO remainder 210 min = 3,50 h × 15,00 = 52,50 €.
 * - DURAND: 180 + 180 + 90 + 0 = 450 min = 7,50 h × 12,55 = 94,125 → 94,13 €.
 * - PETIT: 180 + 0 (excused, not paid) + 180 + 180 = 540 min = 9,00 h × 12,55 = 112,95 €.
 */
const REGION_LINES = [
  { who: 'martin', minutes: 490, quantityE4: 81_600, amountCents: 10_241 },
  { who: 'durand', minutes: 450, quantityE4: 75_000, amountCents: 9_413 },
  { who: 'petit', minutes: 540, quantityE4: 90_000, amountCents: 11_295 },
] as const;

describe('claims', () => {
  it('builds every line from the evidence, validates, freezes and queues the claim record', async () => {
    const page = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    expect(page.preflight.blockers).toEqual([]);
    expect(page.claim.programmeLabel).toBeNull(); // every programme of the funder
    // One programme named: the page names it (the test programmes are named after their code).
    expect((await b.api['claims.build']({ funderCode: 'REGION', programmeCode: 'PRF-LOT1', ...PERIOD })).claim.programmeLabel).toBe('PRF-LOT1 (PRF-LOT1)');
    const byEnrolment = Object.fromEntries(page.lines.map((l) => [l.enrolmentId, l]));
    for (const r of REGION_LINES) {
      expect(byEnrolment[w.enrol[r.who]]).toMatchObject({ minutes: r.minutes, quantityE4: r.quantityE4, unitPriceCents: 1255, amountCents: r.amountCents, unit: 'trainee-hour' });
    }
    expect(page.lines).toHaveLength(3);
    expect(page.claim.totalCents).toBe(10_241 + 9_413 + 11_295);
    const opco = await b.api['claims.build']({ funderCode: 'OPCO', ...PERIOD });
    expect(opco.lines.map((l) => [l.enrolmentId, l.minutes, l.quantityE4, l.amountCents])).toEqual([[w.enrol.martin, 210, 35_000, 5_250]]);

    const validated = await b.api['claims.validate']({ id: page.claim.id });
    expect(validated.claim).toMatchObject({ status: 'validated', invoiceNumber: '2026-000001'.replace(/^/, 'F') });
    expect(validated.events.map((e) => e.status)).toEqual(['validated']);
    expect(validated.difference).toEqual({ changed: false, lines: [], totalDeltaCents: 0 });
    await expect(b.api['claims.validate']({ id: page.claim.id })).rejects.toThrow(/déjà validée/);
    // Gap-free: the next validation takes the next number.
    expect((await b.api['claims.validate']({ id: opco.claim.id })).claim.invoiceNumber).toBe('F2026-000002');

    const queued = raw().prepare("SELECT payload FROM outbox WHERE record_type = 'claim' AND record_id = ?").get(page.claim.id) as { payload: string };
    const payload = JSON.parse(queued.payload) as { lines: { enrolmentId: string; quantity: number; amountCents: number }[]; totalCents: number };
    expect(payload).toMatchObject({ claimId: page.claim.id, funderCode: 'REGION', period: { from: PERIOD.from, to: PERIOD.to }, totalCents: 30_949 });
    expect(payload.lines.find((l) => l.enrolmentId === w.enrol.martin)).toMatchObject({ unit: 'trainee-hour', quantity: 8.16, unitPriceCents: 1255, amountCents: 10_241 });
    expect(PAYLOADS.claim.safeParse(payload).success).toBe(true);
    expect(verifyLedger(raw()).ok).toBe(true);
    // Frozen in the database too.
    expect(() => raw().prepare('UPDATE claim_lines SET amount_cents = 1 WHERE claim_id = ?').run(page.claim.id)).toThrow(/frozen/);
  });

  it('keeps a validated claim unchanged after a correction, shows the difference and regularises it', async () => {
    const built = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    await b.api['claims.validate']({ id: built.claim.id });
    // PETIT was in fact absent on the 12th (unexcused): 360 min = 6,00 h × 12,55 = 75,30 €, i.e. −37,65 €.
    const rc = await b.api['attendance.rollCall']({ slotId: w.slots['2026-11-12']! });
    const mark = rc.rows.find((r) => r.enrolmentId === w.enrol.petit)!.mark!;
    await b.api['attendance.correct']({ markId: mark.id, kind: 'unexcused', method: 'none', correctionReason: 'Erreur de saisie : absente ce jour-là.' });
    const after = await b.api['claims.get']({ id: built.claim.id });
    expect(after.lines).toEqual(built.lines);
    expect(after.claim.totalCents).toBe(30_949);
    expect(after.difference).toMatchObject({ changed: true, totalDeltaCents: -3_765 });
    expect(after.difference!.lines).toEqual([expect.objectContaining({ enrolmentId: w.enrol.petit, old: { quantityE4: 90_000, amountCents: 11_295 }, new: { quantityE4: 60_000, amountCents: 7_530 }, deltaQuantityE4: -30_000, deltaCents: -3_765 })]);

    const reg = await b.api['claims.regularise']({ id: built.claim.id });
    expect(reg.claim).toMatchObject({ kind: 'regularisation', regularisesId: built.claim.id, status: 'draft', totalCents: -3_765 });
    expect(reg.lines).toEqual([expect.objectContaining({ enrolmentId: w.enrol.petit, quantityE4: -30_000, unitPriceCents: 1255, amountCents: -3_765 })]);
    await expect(b.api['claims.regularise']({ id: built.claim.id })).rejects.toThrow(/déjà en brouillon/);
    const validated = await b.api['claims.validate']({ id: reg.claim.id });
    expect(validated.claim.invoiceNumber).toBe('F2026-000002');
    const payload = JSON.parse((raw().prepare("SELECT payload FROM outbox WHERE record_type = 'claim' AND record_id = ?").get(reg.claim.id) as { payload: string }).payload);
    expect(payload).toMatchObject({ kind: 'regularisation', regularisesId: built.claim.id, totalCents: -3_765, lines: [{ enrolmentId: w.enrol.petit, quantity: -3, amountCents: -3_765, previous: { quantity: 9, amountCents: 11_295 } }] });
    expect(PAYLOADS.claim.safeParse(payload).success).toBe(true);
    // Once regularised, the original claim shows no difference, and there is nothing more to regularise.
    expect((await b.api['claims.get']({ id: built.claim.id })).difference).toMatchObject({ changed: false, totalDeltaCents: 0 });
    await expect(b.api['claims.regularise']({ id: built.claim.id })).rejects.toThrow(/Aucune différence/);
    expect(verifyLedger(raw()).ok).toBe(true);
  });

  it('refuses to validate a claim whose evidence changed since it was built, until it is rebuilt', async () => {
    const built = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    const rc = await b.api['attendance.rollCall']({ slotId: w.slots['2026-11-12']! });
    const mark = rc.rows.find((r) => r.enrolmentId === w.enrol.petit)!.mark!;
    await b.api['attendance.correct']({ markId: mark.id, kind: 'unexcused', method: 'none', correctionReason: 'Absente.' });
    await expect(b.api['claims.validate']({ id: built.claim.id })).rejects.toThrow('Les présences ont changé depuis le calcul : recalculez la demande.');
    // Nothing was taken: no number, no event, still a draft.
    expect((raw().prepare('SELECT last_number FROM invoice_sequence').get() as { last_number: number }).last_number).toBe(0);
    const rebuilt = await b.api['claims.rebuild']({ id: built.claim.id });
    expect(rebuilt.claim.totalCents).toBe(30_949 - 3_765);
    expect((await b.api['claims.validate']({ id: built.claim.id })).claim.invoiceNumber).toBe('F2026-000001');
  });

  it('lists blockers (slot not countersigned, identity of the organisation) and refuses to validate', async () => {
    await b.api['organisation.save']({ name: 'OF Test', siret: '73282932000074', nda: '11755555575', legalRepresentative: null, city: 'Paris' });
    b.clock.set('2026-11-27T09:00:00Z');
    // A second week with one slot marked but not countersigned.
    await b.api['slots.generate']({ sessionId: w.sessionId, from: '2026-11-16', to: '2026-11-16', timetable: [{ weekday: 1, halfDay: 'am', start: '09:00', end: '12:00' }], trainerIds: [w.trainerId] });
    w.slots['2026-11-16'] = (await b.api['sessions.get']({ id: w.sessionId })).slots.find((s) => s.date === '2026-11-16')!.id;
    await roll('2026-11-16', [{ enrolmentId: w.enrol.martin, kind: 'present' }, { enrolmentId: w.enrol.durand, kind: 'present' }, { enrolmentId: w.enrol.petit, kind: 'present' }], false);
    const page = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    const codes = page.preflight.blockers.map((x) => x.code);
    expect(codes).toEqual(expect.arrayContaining(['not-countersigned', 'identity-organisation']));
    expect(page.preflight.blockers.find((x) => x.code === 'not-countersigned')).toMatchObject({ link: { kind: 'slot', id: w.slots['2026-11-16'] } });
    expect(page.preflight.blockers.find((x) => x.code === 'identity-organisation')!.message).toContain('représentant légal');
    await expect(b.api['claims.validate']({ id: page.claim.id })).rejects.toThrow(/Validation impossible : 2 point\(s\) bloquant\(s\)/);
    expect((await b.api['claims.get']({ id: page.claim.id })).claim.status).toBe('draft');
  });

  it('carries the coherence checks of the billed session into the pre-flight, other funders’ trainees included', async () => {
    // BERNARD Inès joins the session, funded by OPCO alone: the REGION claim never loads her marks itself.
    const t = await b.api['trainees.save']({ lastName: 'Bernard', firstName: 'Inès', birthDate: '1992-02-02' });
    const bernard = (await b.api['enrolments.create']({ sessionId: w.sessionId, traineeId: t.id, funderCode: 'OPCO' })).id;
    await b.api['enrolments.setStatus']({ enrolmentId: bernard, status: 'entered', effectiveDate: '2026-11-09' });
    await b.api['slots.generate']({ sessionId: w.sessionId, from: '2026-11-16', to: '2026-11-17', timetable: [1, 2].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' })), trainerIds: [w.trainerId] });
    for (const s of (await b.api['sessions.get']({ id: w.sessionId })).slots) w.slots[s.date] = s.id;
    // 09:00–12:00 in Paris (UTC+1) accepts signatures from 08:30 to 12:30: 20:40 and 06:10 are out.
    const signAt = async (date: string, enrolmentId: string, instant: string) => {
      b.clock.set(instant);
      await b.api['attendance.record']({ slotId: w.slots[date]!, submissionId: uuidv7(), marks: [{ enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt: instant }] });
    };
    await signAt('2026-11-16', w.enrol.martin, '2026-11-16T19:40:00.000Z');
    for (const e of [w.enrol.durand, w.enrol.petit, bernard]) await signAt('2026-11-16', e, '2026-11-16T08:05:00.000Z');
    await signAt('2026-11-17', bernard, '2026-11-17T05:10:00.000Z');
    for (const e of [w.enrol.martin, w.enrol.durand, w.enrol.petit]) await signAt('2026-11-17', e, '2026-11-17T10:55:00.000Z');
    b.clock.set('2026-11-27T09:00:00Z');
    for (const date of ['2026-11-16', '2026-11-17']) await b.api['attendance.close']({ slotId: w.slots[date]!, trainerId: w.trainerId, method: 'paper' });

    const page = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    const windows = page.preflight.blockers.filter((x) => x.code === 'check:signed-outside-window');
    expect(windows.map((x) => x.link)).toEqual([{ kind: 'slot', id: w.slots['2026-11-16'] }, { kind: 'slot', id: w.slots['2026-11-17'] }]);
    expect(windows[0]!.message).toBe('Martin Sophie : signature du 16/11/2026 à 20:40, hors du créneau du 16/11/2026 09:00–12:00 (±30 min).');
    expect(windows[1]!.message).toBe('Bernard Inès : signature du 17/11/2026 à 06:10, hors du créneau du 17/11/2026 09:00–12:00 (±30 min).');
    // The same findings as the checks screen of the session over the period (marks read there by the checks themselves).
    const screen = (await b.api['checks.run']({ sessionId: w.sessionId, ...PERIOD })).filter((f) => f.severity === 'error' && f.code !== 'slot-not-countersigned');
    expect(screen.map((f) => f.message)).toEqual(windows.map((x) => x.message));
    await expect(b.api['claims.validate']({ id: page.claim.id })).rejects.toThrow(/Validation impossible : 2 point\(s\) bloquant\(s\)/);
  });

  it('refuses bad requests in French naming the field', async () => {
    await expect(b.api['claims.build']({ funderCode: 'NOPE', ...PERIOD })).rejects.toMatchObject({ api: { message: 'Financeur inconnu « NOPE ».', issues: [{ path: 'funderCode' }] } });
    await expect(b.api['claims.build']({ funderCode: 'REGION', from: '2026-11-30', to: '2026-11-01' })).rejects.toMatchObject({ api: { issues: [{ path: 'to' }] } });
    await expect(b.api['claims.build']({ funderCode: 'REGION', programmeCode: 'OPCO-PDC', ...PERIOD })).rejects.toThrow(/n’appartient pas au financeur REGION/);
    await expect(b.api['claims.build']({ funderCode: 'REGION', from: '2026-12-01', to: '2026-12-31' })).rejects.toThrow('Aucune présence ni contrat à facturer du 01/12/2026 au 31/12/2026.');
  });

  it('follows the workflow and refuses the steps that do not exist', async () => {
    const { claim } = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    await expect(b.api['claims.advance']({ id: claim.id, status: 'submitted' })).rejects.toThrow(/brouillon/);
    await b.api['claims.validate']({ id: claim.id });
    await expect(b.api['claims.advance']({ id: claim.id, status: 'paid', amountCents: 1 })).rejects.toThrow(/validée ne peut pas passer/);
    await b.api['claims.advance']({ id: claim.id, status: 'submitted' });
    await expect(b.api['claims.advance']({ id: claim.id, status: 'partly-accepted' })).rejects.toMatchObject({ api: { issues: [{ path: 'amountCents' }] } });
    await expect(b.api['claims.advance']({ id: claim.id, status: 'partly-accepted', amountCents: 30_950 })).rejects.toThrow(/dépasse le total/);
    await b.api['claims.advance']({ id: claim.id, status: 'partly-accepted', amountCents: 30_000, note: 'Heures de Durand refusées' });
    const paid = await b.api['claims.advance']({ id: claim.id, status: 'paid', amountCents: 30_000 });
    expect(paid.claim).toMatchObject({ status: 'paid', acceptedCents: 30_000, paidCents: 30_000, totalCents: 30_949 });
    expect(paid.events.map((e) => [e.status, e.amountCents])).toEqual([['validated', 30_949], ['submitted', null], ['partly-accepted', 30_000], ['paid', 30_000]]);
    const other = await b.api['claims.build']({ funderCode: 'OPCO', ...PERIOD });
    await b.api['claims.validate']({ id: other.claim.id });
    await b.api['claims.advance']({ id: other.claim.id, status: 'submitted' });
    await b.api['claims.advance']({ id: other.claim.id, status: 'rejected' });
    await expect(b.api['claims.advance']({ id: other.claim.id, status: 'paid', amountCents: 5_250 })).rejects.toThrow('Une demande rejetée ne peut pas être payée.');
    const list = await b.api['claims.list']({ status: 'paid' });
    expect(list.totals).toEqual({ count: 1, totalCents: 30_949 });
    expect(verifyLedger(raw()).ok).toBe(true);
  });

  it('gives a funder without an API the claim record and its bundle through the file connector', async () => {
    const file = await b.api['sync.saveReceiver']({ name: 'Région (extranet)', kind: 'file', recordTypes: ['claim'] });
    const { claim } = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    await b.api['claims.validate']({ id: claim.id });
    const exported = await b.api['sync.exportFile']({ receiverId: file.id, format: 'csv' });
    expect(exported).toMatchObject({ mime: 'application/zip', records: 1 });
    const outer = unzipSync(Buffer.from(exported.contentBase64, 'base64'));
    const csvName = Object.keys(outer).find((n) => n.endsWith('.csv'))!;
    expect(strFromU8(outer[csvName]!)).toContain(claim.id);
    const bundles = Object.keys(outer).filter((n) => n.startsWith('dossiers/') && n.endsWith('.zip'));
    expect(bundles).toHaveLength(1);
    const inner = unzipSync(outer[bundles[0]!]!);
    const manifest = JSON.parse(strFromU8(inner['manifest.json']!)) as { files: { name: string; sha256: string }[] };
    // The invoice, the statement and 3 certificats, each as hashed in the manifest.
    expect(manifest.files.filter((f) => f.name.endsWith('.pdf'))).toHaveLength(5);
    for (const f of manifest.files) expect(createHash('sha256').update(inner[f.name]!).digest('hex'), f.name).toBe(f.sha256);
  });

  it('lets the ledger check notice a frozen claim changed behind the app', async () => {
    const { claim } = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    await b.api['claims.validate']({ id: claim.id });
    raw().exec('DROP TRIGGER claim_lines_frozen_u');
    raw().prepare('UPDATE claim_lines SET amount_cents = amount_cents + 100 WHERE claim_id = ? AND position = 1').run(claim.id);
    const report = verifyLedger(raw());
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ problem: 'claim-tampered', recordId: claim.id })]);
  });

  it('discards a draft only', async () => {
    const { claim } = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    await b.api['claims.discard']({ id: claim.id });
    await expect(b.api['claims.get']({ id: claim.id })).rejects.toThrow(/introuvable/);
    const again = await b.api['claims.build']({ funderCode: 'REGION', ...PERIOD });
    await b.api['claims.validate']({ id: again.claim.id });
    await expect(b.api['claims.discard']({ id: again.claim.id })).rejects.toThrow(/déjà validée/);
  });

  it('runs the CLI commands over the same services, in French', async () => {
    let out = '';
    const run = (args: string[], opts: Parameters<typeof claimsCommand>[2] = {}) => claimsCommand(b, args, opts, (t) => { out += t; });
    await run(['build'], { funder: 'REGION', from: '2026-11-01', to: '2026-11-30', programme: 'PRF-LOT1' });
    expect(out).toContain('3 ligne(s), total 309,49\u00a0€');
    expect(out).toContain('MARTIN Sophie — heures stagiaire — PRF-LOT1 : 8,16 × 12,55\u00a0€ = 102,41\u00a0€');
    expect(out).toContain('Points bloquants : 0');
    const id = /^Demande (\S+)/.exec(out)![1]!;
    out = '';
    await run(['list'], { json: true });
    expect(JSON.parse(out).totals).toEqual({ count: 1, totalCents: 30_949 });
    out = '';
    await run(['validate', id]);
    // 5 documents: the invoice, the statement and a certificat for each of the 3 trainees.
    expect(out).toBe('Demande validée : facture F2026-000001, 309,49\u00a0€, 5 document(s) figé(s).\n');
    out = '';
    await run(['show', id], { json: true });
    expect(JSON.parse(out).claim.status).toBe('validated');
    // The bundle: the path printed, the ZIP holding the 5 PDFs, the lines and a manifest whose hashes match.
    out = '';
    const dir = mkdtempSync(join(tmpdir(), 'sillon-bundle-'));
    await run(['export', id], { out: dir });
    const zipPath = out.trim().split('\n').at(-1)!.replace(/^.*?(\/\S+\.zip)$/, '$1');
    const files = unzipSync(readFileSync(zipPath));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: { name: string; sha256: string }[] };
    expect(manifest.files.filter((f) => f.name.endsWith('.pdf'))).toHaveLength(5);
    for (const f of manifest.files) expect(createHash('sha256').update(files[f.name]!).digest('hex'), f.name).toBe(f.sha256);
    rmSync(dir, { recursive: true, force: true });
    await expect(run(['build'], { funder: 'REGION', from: '2026-11-01' })).rejects.toThrow('Option --to manquante (ex. --to 2026-11-30).');
    await expect(run(['build'], { funder: 'REGION', from: '01/11/2026', to: '2026-11-30' })).rejects.toThrow(/Option --from invalide/);
    await expect(run(['build'], { funder: 'REGION', from: '2026-11-01', to: '2026-11-30', programme: 'NOPE' })).rejects.toThrow('Programme inconnu « NOPE ».');
    await expect(run(['validate'])).rejects.toThrow(/Indiquez l'identifiant/);
    await expect(run(['export', id])).rejects.toThrow(/Option --out manquante/);
  });
});
