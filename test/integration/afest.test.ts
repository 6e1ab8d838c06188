import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/backend/evidence/verify';
import type { SignatureInput } from '../../shared/schemas/attendance';
import type { SequenceInput } from '../../shared/schemas/afest';
import { testBackend, type TestBackend } from '../helpers/backend';
import { syncBench } from '../helpers/sync';

/**
 * Issue #11: the AFEST log as append-only evidence. A learner of a Parcours TPME (fictitious) in a joinery; the
 * tutor is designated on 2 November 2026 and the analysis dated 30 October; today is Monday 23 November 2026.
 *
 * By hand: MST 09:00–16:00 = 7 h = 420 min; SR 16:30–18:00 = 1 h 30 = 90 min; evaluation 10:00–10:30 = 30 min.
 */
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const signature: SignatureInput = { strokes: [[[1, 1, 0], [5, 8, 16]]], pngBase64: PNG_1x1 };

let b: TestBackend;
let ids: { enrolment: string; company: string; tutor: string; facilitator: string; programme: string; afest: string; competences: string[] };

const count = (sql: string, ...params: unknown[]) => (b.raw.prepare(sql).get(...params) as { n: number }).n;

async function fixture(organisation = true): Promise<void> {
  if (organisation) await b.api['organisation.save']({ name: 'OF Test', siret: '73282932000074', city: 'Nantes', postcode: '44000' });
  const company = await b.api['companies.save']({ name: 'Menuiserie du Bocage (fictive)', siret: '99900210810001', city: 'Cholet', postcode: '49300' });
  const trainer = await b.api['trainers.save']({ lastName: 'Vasseur', firstName: 'Claire', kind: 'internal' });
  const action = await b.api['actions.save']({ title: 'Parcours TPME — menuisier', plannedMinutes: 600 * 60, modality: 'afest' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'TPME Cholet', mode: 'cohort', capacity: 8, startDate: '2026-10-01', endDate: '2027-06-30' });
  const trainee = await b.api['trainees.save']({ lastName: 'Rolland', firstName: 'Julien', birthDate: '1979-04-02' });
  const enrolment = await b.api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, companyId: company.id, funderCode: 'REGION' });
  const programme = await b.api['programmes.save']({ code: 'TPME-T', name: 'Parcours TPME', funderCode: 'REGION' });
  const tutor = await b.api['afest.saveTutor']({ companyId: company.id, lastName: 'Lebrun', firstName: 'Patrick', jobTitle: "Chef d'atelier", tutorTraining: 'Formation tuteur AFEST, 2 jours, 2025' });
  const page = await b.api['afest.save']({
    enrolmentId: enrolment.id, programmeId: programme.id, title: 'Pose de menuiseries intérieures', companyId: company.id, tutorId: tutor.id,
    tutorDesignatedOn: '2026-11-02', tutorAcceptedOn: '2026-11-02', facilitatorId: trainer.id, conventionRef: 'CONV-2026-014', analysisDate: '2026-10-30',
    workSituations: 'Pose de bloc-porte, poste atelier 2', tasks: 'Lecture de plan ; réglages machine ; pose', criticalPoints: 'Aplomb', adaptations: 'Rythme réduit',
    safetyPoints: 'EPI, machines', plannedMinutes: 360 * 60, pathwayMinutes: 600 * 60, competences: [{ label: "Contrôler l'aplomb" }, { label: 'Ordonner le montage', blockCode: 'BC02' }],
  });
  ids = {
    enrolment: enrolment.id, company: company.id, tutor: tutor.id, facilitator: trainer.id, programme: programme.id, afest: page.afest.id,
    competences: page.afest.competences.map((c) => c.id),
  };
}

function mst(date: string, start = '09:00', end = '16:00'): SequenceInput {
  return {
    afestId: ids.afest, kind: 'work-situation', date, start, end, ledBy: 'tutor', workstation: 'Atelier 2', tasks: 'Pose de bloc-porte',
    intendedLearning: 'Poser un bloc-porte d’aplomb', observations: 'Bonne lecture de plan', competenceIds: [ids.competences[0]!], learnerSignature: signature, leaderSignature: signature,
  };
}
function sr(date: string, reviewedIds: string[], start = '16:30', end = '18:00'): SequenceInput {
  return {
    afestId: ids.afest, kind: 'reflective', date, start, end, ledBy: 'facilitator', outOfProduction: true, reviewedIds, gapExpected: 'Aplomb à 1 mm',
    gapDone: 'Écart de 3 mm', gapAcquired: 'Contrôle au niveau', verbalised: "Contrôle d'aplomb ; ordre de montage", nextSteps: 'Refaire sur poste 3',
    learnerSignature: signature, leaderSignature: signature,
  };
}

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as { api: { message: string; issues?: { path: string; message: string }[] } }).api;
  }
  throw new Error('expected a refusal');
};

beforeEach(async () => {
  b = await testBackend('2026-11-23T09:00:00Z');
  await fixture();
});
afterEach(async () => b.cleanup());

describe('AFEST sequence log', () => {
  it('logs an MST and an SR with signatures, in the ledger and the outbox, and the engine counts them apart', async () => {
    const ledgerBefore = count('SELECT count(*) AS n FROM ledger');
    const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
    expect(m.minutes).toBe(420);
    const s = await b.api['afest.recordSequence'](sr('2026-11-16', [m.recordId]));
    expect(s.minutes).toBe(90);
    // Two signatures and the sequence, for each: 6 entries.
    expect(count('SELECT count(*) AS n FROM ledger') - ledgerBefore).toBe(6);
    expect(count("SELECT count(*) AS n FROM ledger WHERE record_type = 'afest_sequence'")).toBe(2);
    expect(count("SELECT count(*) AS n FROM signatures WHERE signer_kind = 'tutor' AND signer_id = ?", ids.tutor)).toBe(1);
    const queued = b.raw.prepare("SELECT record_id, version, payload FROM outbox WHERE record_type = 'afest-sequence' ORDER BY seq").all() as { record_id: string; version: number; payload: string }[];
    expect(queued.map((q) => [q.record_id, q.version])).toEqual([[m.recordId, 1], [s.recordId, 1]]);
    const payload = JSON.parse(queued[0]!.payload) as Record<string, unknown>;
    expect(payload).toMatchObject({ enrolmentId: ids.enrolment, kind: 'work-situation', date: '2026-11-16', minutes: 420, tutor: 'Patrick Lebrun', facilitator: 'Claire Vasseur' });
    expect(JSON.parse(queued[1]!.payload)).toMatchObject({ kind: 'reflective', minutes: 90 });

    const [row] = await b.api['hours.realised']({ enrolmentId: ids.enrolment, groupBy: [] });
    expect(row!.afest).toEqual({ 'work-situation': 420, reflective: 90, evaluation: 0 });
    expect(row!.attended).toBe(0);
    expect(row!.realised).toBe(510);
    const byModality = await b.api['hours.realised']({ enrolmentId: ids.enrolment, groupBy: ['modality'] });
    expect(byModality).toEqual([expect.objectContaining({ key: { modality: 'afest' }, byModality: { 'afest-mst': 420, 'afest-sr': 90 } })]);
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('is append-only: the database refuses to change or delete a sequence, and its learner, company and facilitator cannot be archived', async () => {
    const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
    const page = await b.api['afest.get']({ id: ids.afest });
    await b.api['afest.recordSequence'](sr('2026-11-16', [m.recordId]));
    expect((await refusal(b.api['people.archive']({ kind: 'trainer', id: ids.facilitator, archived: true }))).message).toMatch(/1 séquence\(s\) ou évaluation\(s\) AFEST/);
    for (const [kind, id] of [['trainee', page.trainee.id], ['company', ids.company]] as const) {
      expect((await refusal(b.api['people.archive']({ kind, id, archived: true }))).message).toMatch(/2 séquence\(s\) ou évaluation\(s\) AFEST/);
    }
    expect(() => b.raw.prepare('UPDATE afest_sequences SET minutes = 600 WHERE id = ?').run(m.id)).toThrow(/append-only/);
    expect(() => b.raw.prepare('DELETE FROM afest_sequences WHERE id = ?').run(m.id)).toThrow(/append-only/);
  });

  it('a correction supersedes with its author and reason, counts once, and sends version 2 of the same record', async () => {
    const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
    const { afestId: _a, kind: _k, learnerSignature: _l, leaderSignature: _s, ...fields } = mst('2026-11-16', '09:00', '15:00');
    const c = await b.api['afest.correctSequence']({ sequenceId: m.id, reason: 'Fin à 15 h, pas 16 h', ...fields });
    expect(c).toMatchObject({ recordId: m.recordId, supersedesId: m.id, minutes: 360, reason: 'Fin à 15 h, pas 16 h', createdByName: 'Utilisateur local', learnerSignatureId: m.learnerSignatureId });
    // Correcting the old version again would fork the record.
    expect((await refusal(b.api['afest.correctSequence']({ sequenceId: m.id, reason: 'x', ...fields }))).message).toMatch(/déjà été corrigée/);
    const [row] = await b.api['hours.realised']({ enrolmentId: ids.enrolment, groupBy: [] });
    expect(row!.afest['work-situation']).toBe(360);
    const page = await b.api['afest.get']({ id: ids.afest });
    expect(page.sequences.map((s) => [s.minutes, s.current])).toEqual([[420, false], [360, true]]);
    expect(b.raw.prepare('SELECT version FROM outbox WHERE record_id = ? ORDER BY version').all(m.recordId)).toEqual([{ version: 1 }, { version: 2 }]);

    // A correction that moves the sequence out of a period takes it out of that period's hours (its old version too).
    const moved = await b.api['afest.correctSequence']({ sequenceId: c.id, reason: 'Le 3, pas le 16', ...fields, date: '2026-11-03' });
    const [periodAfter] = await b.api['hours.realised']({ enrolmentId: ids.enrolment, from: '2026-11-10', to: '2026-11-30', groupBy: [] });
    expect(periodAfter?.afest['work-situation'] ?? 0).toBe(0);
    const [early] = await b.api['hours.realised']({ enrolmentId: ids.enrolment, from: '2026-11-01', to: '2026-11-09', groupBy: [] });
    expect(early!.afest['work-situation']).toBe(360);

    const w = await b.api['afest.withdrawSequence']({ id: moved.id, reason: 'Saisie en double' });
    expect(w).toMatchObject({ withdrawn: true, supersedesId: moved.id });
    const [after] = await b.api['hours.realised']({ enrolmentId: ids.enrolment, groupBy: [] });
    expect(after?.afest['work-situation'] ?? 0).toBe(0);
    expect(JSON.parse((b.raw.prepare('SELECT payload FROM outbox WHERE record_id = ? AND version = 4').get(m.recordId) as { payload: string }).payload)).toMatchObject({ withdrawn: true, reason: 'Saisie en double' });
    expect(count('SELECT count(*) AS n FROM afest_sequences WHERE record_id = ?', m.recordId)).toBe(4);
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it('refuses, in French and on the field, what D.6313-3-2 and the programme forbid, and loses nothing logged', async () => {
    const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
    const before = count('SELECT count(*) AS n FROM ledger');

    const overlap = await refusal(b.api['afest.recordSequence'](sr('2026-11-16', [m.recordId], '15:00', '16:30')));
    expect(overlap.message).toMatch(/chevauche la mise en situation de 09:00–16:00.*distincte des mises en situation/);
    expect(overlap.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'start' })]));

    const early = await refusal(b.api['afest.recordSequence'](mst('2026-10-29')));
    expect(early.message).toMatch(/avant l'analyse de l'activité \(30\/10\/2026\)/);
    const beforeDesignation = await refusal(b.api['afest.recordSequence'](mst('2026-10-31')));
    expect(beforeDesignation.message).toMatch(/avant la désignation du tuteur \(02\/11\/2026\)/);

    const byTutor = await refusal(b.api['afest.recordSequence']({ ...sr('2026-11-17', [m.recordId]), ledBy: 'tutor' }));
    expect(byTutor.message).toMatch(/animées par le formateur animateur/);
    expect(byTutor.issues?.[0]?.path).toBe('ledBy');

    const future = await refusal(b.api['afest.recordSequence'](mst('2026-11-30')));
    expect(future.message).toMatch(/dans le futur/);

    expect(count('SELECT count(*) AS n FROM ledger')).toBe(before);
    expect(count('SELECT count(*) AS n FROM afest_sequences')).toBe(1);

    // The programme may let the tutor run reflective sequences: a rule is data.
    await b.api['afest.saveRule']({ programmeId: ids.programme, minSharePercent: null, facilitatorDistinct: false });
    const ok = await b.api['afest.recordSequence']({ ...sr('2026-11-17', [m.recordId]), ledBy: 'tutor' });
    expect(ok.leaderId).toBe(ids.tutor);
  });

  it('the compliance panel turns green once the four components are there, and flags a missing convention', async () => {
    let page = await b.api['afest.get']({ id: ids.afest });
    const status = () => Object.fromEntries(page.compliance.checks.map((c) => [c.code, c.status]));
    expect(status()).toMatchObject({ analysis: 'pass', 'tutor-designated': 'pass', 'reflective-phases': 'fail', evaluation: 'fail', convention: 'pass', 'share-planned': 'na' });
    expect(page.summary.phase).toBe('engineering');

    const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
    await b.api['afest.recordSequence'](sr('2026-11-16', [m.recordId]));
    const photo = await b.api['afest.uploadAttachment']({ name: 'bloc-porte.png', mime: 'image/png', base64: PNG_1x1 });
    const ev = await b.api['afest.recordEvaluation']({
      afestId: ids.afest, kind: 'intermediate', date: '2026-11-20', start: '10:00', end: '10:30', evaluatorKind: 'facilitator',
      results: [{ competenceId: ids.competences[0]!, level: 'acquired' }, { competenceId: ids.competences[1]!, level: 'in-progress', comment: 'Ordre à revoir' }],
      attachments: [photo.id],
    });
    expect(ev.minutes).toBe(30);
    expect(ev.attachments).toEqual([expect.objectContaining({ name: 'bloc-porte.png', sha256: photo.sha256 })]);
    expect(count("SELECT count(*) AS n FROM ledger WHERE record_type = 'document' AND record_id = ?", photo.id)).toBe(1);

    page = await b.api['afest.get']({ id: ids.afest });
    expect(page.compliance.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(page.compliance.compliant).toBe(true);
    expect(page.summary).toMatchObject({ phase: 'running', compliant: true, hours: { workSituation: 420, reflective: 90, evaluation: 30, afest: 540, other: 0 } });

    // Removing the convention reference is not refused: the panel flags it, naming the field.
    page = await b.api['afest.save']({ ...page.afest, conventionRef: null });
    const convention = page.compliance.checks.find((c) => c.code === 'convention')!;
    expect(convention).toMatchObject({ status: 'fail', field: 'conventionRef' });
    expect(convention.message).toMatch(/stagiaire, non salarié/);
    expect(page.compliance.compliant).toBe(false);
    // Its previous state stays in the ledger (the set-up is tracked).
    expect(count("SELECT count(*) AS n FROM ledger WHERE record_type = 'row:afest' AND record_id = ?", ids.afest)).toBe(2);
    expect(verifyLedger(b.raw).ok).toBe(true);
  });

  it("the Nouvelle-Aquitaine 70 % rule: 350 h of AFEST in a 550 h pathway is 63,6 %, refused; 350 of 410 h passes", async () => {
    await b.api['afest.saveRule']({ programmeId: ids.programme, minSharePercent: 70, facilitatorDistinct: true, note: 'AAP AFEST Nouvelle-Aquitaine' });
    let page = await b.api['afest.get']({ id: ids.afest });
    page = await b.api['afest.save']({ ...page.afest, plannedMinutes: 350 * 60, pathwayMinutes: 550 * 60 });
    const planned = page.compliance.checks.find((c) => c.code === 'share-planned')!;
    expect(planned.status).toBe('fail');
    expect(planned.message).toMatch(/63,6 %/);
    expect(page.compliance.share).toEqual({ plannedPermille: 636, realisedPermille: null, minPercent: 70 });
    page = await b.api['afest.save']({ ...page.afest, pathwayMinutes: 410 * 60 });
    // 350 / 410 = 0,8536… → 853 ‰.
    expect(page.compliance.share.plannedPermille).toBe(853);
    expect(page.compliance.checks.find((c) => c.code === 'share-planned')!.status).toBe('pass');
    // A stale version is refused rather than overwriting the change just made.
    expect((await refusal(b.api['afest.save']({ ...page.afest, version: page.afest.version - 1 }))).message).toMatch(/modifiée entre-temps/);
  });

  it('tutor mode lists only the tutor’s learners and what was logged today', async () => {
    const other = await b.api['afest.saveTutor']({ companyId: ids.company, lastName: 'Autre', firstName: 'Anne' });
    await b.api['afest.recordSequence'](mst('2026-11-23', '08:00', '08:45'));
    const home = await b.api['afest.tutorHome']({ tutorId: ids.tutor });
    expect(home.today).toBe('2026-11-23');
    expect(home.learners).toEqual([expect.objectContaining({ traineeName: 'Rolland Julien', canLogWorkSituation: true, blocked: null, workSituationMinutes: 45 })]);
    expect(home.learners[0]!.today).toHaveLength(1);
    expect((await b.api['afest.tutorHome']({ tutorId: other.id })).learners).toEqual([]);
  });

  it('the monthly statement lists the AFEST times apart from the slots, with the engine\'s totals', async () => {
    const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
    await b.api['afest.recordSequence'](sr('2026-11-16', [m.recordId]));
    const withdrawn = await b.api['afest.recordSequence'](mst('2026-11-17', '09:00', '10:00'));
    await b.api['afest.withdrawSequence']({ id: withdrawn.id, reason: 'Saisie en double' });
    const printed = await b.api['documents.monthlyStatement']({ enrolmentId: ids.enrolment, month: '2026-11' });
    const file = join(b.dataDir, 'releve.pdf');
    writeFileSync(file, Buffer.from(printed.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Formation en situation de travail (AFEST)');
    expect(text).toMatch(/Mise en situation de travail 9 h 00–16 h 00 Patrick Lebrun 7 ?h/);
    expect(text).toMatch(/Séquence réflexive 16 h 30–18 h 00 Claire Vasseur 1 h 30/);
    // The withdrawn hour is not listed: 420 + 90 min only.
    expect(text).toMatch(/Total AFEST : mises en situation 7 ?h · séquences réflexives 1 h 30 · évaluations 0 ?h/);
    expect(text).not.toMatch(/9 h 00–10 h 00/);
  });

  it('sends each sequence to the funder receiver as an afest-sequence record, accepted, then its correction as version 2', async () => {
    await b.cleanup();
    const bench = await syncBench();
    b = bench.tb;
    try {
      await fixture(false);
      const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
      await b.api['afest.recordSequence'](sr('2026-11-16', [m.recordId]));
      await bench.drain();
      expect(bench.items().map((i) => [i.recordId, i.version, i.state, i.result])).toEqual([
        [m.recordId, 1, 'acked', 'accepted'],
        [expect.any(String), 1, 'acked', 'accepted'],
      ]);
      const { afestId: _a, kind: _k, learnerSignature: _l, leaderSignature: _s, ...fields } = mst('2026-11-16', '09:00', '15:00');
      await b.api['afest.correctSequence']({ sequenceId: m.id, reason: 'Fin à 15 h', ...fields });
      await bench.drain();
      expect(bench.items().filter((i) => i.recordId === m.recordId).map((i) => [i.version, i.result])).toEqual([[1, 'accepted'], [2, 'accepted']]);
    } finally {
      await bench.receiver.close();
      b = await testBackend('2026-11-23T09:00:00Z');
    }
  });

  it('one learner, one place at a time: a sequence over an attended slot or a timed evaluation, and an evaluation over a sequence, are refused', async () => {
    const session = await b.api['afest.get']({ id: ids.afest }).then((p) => p.summary.sessionId);
    const timetable = [{ weekday: 3, halfDay: 'am' as const, start: '08:30', end: '12:00' }];
    await b.api['slots.generate']({ sessionId: session, from: '2026-11-18', to: '2026-11-18', timetable });
    const slot = (await b.api['sessions.get']({ id: session })).slots[0]!;
    await b.api['attendance.record']({ slotId: slot.id, submissionId: '019ad000-0000-7000-8000-000000000001', marks: [{ enrolmentId: ids.enrolment, kind: 'present', method: 'signature', signature }] });
    const overSlot = await refusal(b.api['afest.recordSequence'](mst('2026-11-18', '11:00', '15:00')));
    expect(overSlot.message).toMatch(/chevauche le créneau de formation de 08:30–12:00 : l'apprenant ne peut pas être à deux endroits/);
    await b.api['afest.recordSequence'](mst('2026-11-18', '13:00', '17:00'));

    const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
    const evaluation = { afestId: ids.afest, kind: 'intermediate' as const, date: '2026-11-16', evaluatorKind: 'facilitator' as const, results: [{ competenceId: ids.competences[0]!, level: 'acquired' as const }] };
    expect((await refusal(b.api['afest.recordEvaluation']({ ...evaluation, start: '15:00', end: '17:00' }))).message).toMatch(/chevauche la mise en situation de 09:00–16:00/);
    await b.api['afest.recordEvaluation']({ ...evaluation, start: '16:00', end: '17:00' });
    expect((await refusal(b.api['afest.recordSequence'](sr('2026-11-16', [m.recordId], '16:30', '18:00')))).message).toMatch(/chevauche l'évaluation de 16:00–17:00/);
    // 4 h on the 18th + 7 h on the 16th + the 1 h evaluation, once each; the slot's 3 h 30 apart.
    const [row] = await b.api['hours.realised']({ enrolmentId: ids.enrolment, groupBy: [] });
    expect(row).toMatchObject({ attended: 210, afest: { 'work-situation': 660, reflective: 0, evaluation: 60 }, realised: 930 });
  });

  it('what the log rests on is settled: tutor, order dates, cited competences, the MSTs an SR looks back on; a learner who left logs nothing', async () => {
    const m = await b.api['afest.recordSequence'](mst('2026-11-16'));
    await b.api['afest.recordSequence'](sr('2026-11-17', [m.recordId]));
    const page = await b.api['afest.get']({ id: ids.afest });
    const other = await b.api['afest.saveTutor']({ companyId: ids.company, lastName: 'Autre', firstName: 'Anne' });
    expect((await refusal(b.api['afest.save']({ ...page.afest, tutorId: other.id }))).message).toMatch(/conduites par Patrick Lebrun : le tuteur désigné ne change plus/);
    expect((await refusal(b.api['afest.save']({ ...page.afest, tutorDesignatedOn: '2026-11-17', tutorAcceptedOn: '2026-11-17' }))).message).toMatch(/au plus tard du 16\/11\/2026/);
    expect((await refusal(b.api['afest.save']({ ...page.afest, analysisDate: null }))).issues?.[0]?.path).toBe('analysisDate');
    // Cited by the MST: its wording stays, and it stays listed; the other one may change.
    const [cited, free] = page.afest.competences;
    expect((await refusal(b.api['afest.save']({ ...page.afest, competences: [{ ...cited!, label: 'Peindre un mur' }, free!] }))).message).toMatch(/son intitulé ne change plus/);
    expect((await refusal(b.api['afest.save']({ ...page.afest, competences: [free!] }))).message).toMatch(/reste dans la liste/);
    const renamed = await b.api['afest.save']({ ...page.afest, competences: [cited!, { ...free!, label: 'Ordonner et vérifier le montage' }] });
    expect(renamed.afest.competences.map((c) => c.label)).toEqual(["Contrôler l'aplomb", 'Ordonner et vérifier le montage']);

    // The SR of the 17th looks back on the MST of the 16th: it cannot move after it nor be withdrawn first.
    const { afestId: _a, kind: _k, learnerSignature: _l, leaderSignature: _s, ...fields } = mst('2026-11-18');
    expect((await refusal(b.api['afest.correctSequence']({ sequenceId: m.id, reason: 'Date', ...fields }))).message).toMatch(/séquence réflexive du 17\/11\/2026 revient sur cette mise en situation/);
    expect((await refusal(b.api['afest.withdrawSequence']({ id: m.id, reason: 'Erreur' }))).message).toMatch(/la retirer la laisserait sans objet/);

    await b.api['enrolments.setStatus']({ enrolmentId: ids.enrolment, status: 'entered', effectiveDate: '2026-10-01' });
    await b.api['enrolments.setStatus']({ enrolmentId: ids.enrolment, status: 'exited', effectiveDate: '2026-11-19', reason: 'abandon' });
    expect((await refusal(b.api['afest.recordSequence'](mst('2026-11-20')))).message).toMatch(/n'est pas active ce jour-là/);
  });

  it("an evaluation's attachments are its own: a roll call's piece is not read back, a piece twice is refused, and only cited pieces are read back", async () => {
    const photo = await b.api['afest.uploadAttachment']({ name: 'poste.png', mime: 'image/png', base64: PNG_1x1 });
    const sick = await b.api['attendance.uploadDocument']({ name: 'arret.pdf', mime: 'application/pdf', base64: Buffer.from('%PDF-1.4 arrêt').toString('base64') });
    expect((await refusal(b.api['afest.attachment']({ id: sick.id }))).message).toMatch(/introuvable/);
    expect((await refusal(b.api['afest.attachment']({ id: photo.id }))).message).toMatch(/introuvable/);
    const evaluation = { afestId: ids.afest, kind: 'final' as const, date: '2026-11-20', evaluatorKind: 'tutor' as const, results: [{ competenceId: ids.competences[0]!, level: 'acquired' as const }] };
    expect((await refusal(b.api['afest.recordEvaluation']({ ...evaluation, attachments: [photo.id, photo.id] }))).issues?.[0]?.path).toBe('attachments.1');
    await b.api['afest.recordEvaluation']({ ...evaluation, attachments: [photo.id] });
    expect((await b.api['afest.attachment']({ id: photo.id })).sha256).toBe(photo.sha256);
  });
});
