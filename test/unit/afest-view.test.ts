import { describe, expect, it } from 'vitest';
import { DEFAULT_AFEST_RULES } from '../../shared/domain/afest';
import type { Sequence } from '../../shared/schemas/afest';
import { candidateProblems, clockTime, groupRecords, hoursText, problemsByField, rulesOf, setupFacts } from '../../renderer/src/pages/afest/afestView';

/** A version of a sequence as afest.get returns it; only what the log reads varies. */
function version(over: Partial<Sequence> & Pick<Sequence, 'id' | 'recordId'>): Sequence {
  return {
    afestId: 'a', kind: 'work-situation', date: '2026-11-16', start: '09:00', end: '12:00', minutes: 180, ledBy: 'tutor', leaderId: 't', leaderName: 'Patrick Lebrun',
    workstation: null, tasks: null, intendedLearning: null, observations: null, outOfProduction: false, reviewedIds: [], competenceIds: [], gapExpected: null, gapDone: null,
    gapAcquired: null, verbalised: null, nextSteps: null, learnerSignatureId: 's1', leaderSignatureId: 's2', withdrawn: false, supersedesId: null, reason: null, current: true,
    createdAt: '2026-11-16T12:00:00.000Z', createdBy: 'u', createdByName: 'Utilisateur local', ...over,
  };
}

const SETUP = setupFacts({
  companyId: 'c', tutorId: 't', tutorDesignatedOn: '2026-11-02', tutorAcceptedOn: '2026-11-02', facilitatorId: 'f', conventionRef: 'CONV', analysisDate: '2026-10-30',
  workSituations: 'Pose', tasks: 'Plan', plannedMinutes: 350 * 60, pathwayMinutes: 410 * 60, competences: [1, 2],
});

describe('AFEST screens: the log, the live problems, the rules', () => {
  it('groups versions by record: a correction chain shows its last version, a withdrawal the content it withdrew, newest record first', () => {
    const m1 = version({ id: 'm1', recordId: 'M', current: false });
    const m2 = version({ id: 'm2', recordId: 'M', end: '11:30', minutes: 150, supersedesId: 'm1', reason: 'Fin à 11 h 30', createdAt: '2026-11-23T09:00:00.000Z' });
    const s1 = version({ id: 's1', recordId: 'S', kind: 'reflective', start: '14:00', end: '15:30', current: false });
    const s2 = version({ id: 's2', recordId: 'S', kind: 'reflective', start: '14:00', end: '15:30', supersedesId: 's1', withdrawn: true, current: false, reason: 'Doublon', createdAt: '2026-11-23T10:00:00.000Z' });
    const records = groupRecords([m1, s2, m2, s1]);
    expect(records.map((r) => r.recordId)).toEqual(['S', 'M']); // 16/11 14:00 before 16/11 09:00
    expect(records[0]).toMatchObject({ withdrawn: true, latest: { id: 's2' }, content: { id: 's1' } });
    expect(records[1]).toMatchObject({ withdrawn: false, latest: { id: 'm2', end: '11:30' }, content: { id: 'm2' } });
    expect(records[1]!.earlier.map((v) => v.id)).toEqual(['m1']);
  });

  it('says nothing while the times are half typed, then the same problems as the backend, the first one per field', () => {
    const mst = version({ id: 'm', recordId: 'M' });
    const candidate = { kind: 'reflective' as const, date: '2026-11-16', start: '11', end: '12:30', ledBy: 'facilitator' as const, leaderId: 'f', outOfProduction: true, reviewedIds: ['M'] };
    expect(candidateProblems(SETUP, DEFAULT_AFEST_RULES, [mst], candidate)).toEqual([]);
    const problems = candidateProblems(SETUP, DEFAULT_AFEST_RULES, [mst], { ...candidate, start: '11:00' });
    const byField = problemsByField(problems);
    expect(byField.start).toMatch(/^Ce créneau \(16\/11\/2026 11:00–12:30\) chevauche la mise en situation de 09:00–12:00/);
    expect(candidateProblems(SETUP, DEFAULT_AFEST_RULES, [mst], { ...candidate, start: '14:00', end: '15:30' })).toEqual([]);
    // No facilitator chosen yet: the rule that needs one says so (a null leader is nobody, not a crash).
    expect(problemsByField(candidateProblems({ ...SETUP, facilitatorId: null }, DEFAULT_AFEST_RULES, [mst], { ...candidate, start: '14:00', end: '15:30', leaderId: null })).ledBy).toMatch(/Aucun formateur animateur/);
  });

  it('reads a programme’s rules from its row, the defaults without one, the page’s while the list is loading', () => {
    const rows = [{ programmeId: 'p', programmeName: 'Parcours TPME', funderName: 'Région', minSharePercent: 70, facilitatorDistinct: false, note: null, updatedAt: '2026-11-23T09:00:00.000Z' }];
    expect(rulesOf('p', rows)).toEqual({ minSharePercent: 70, facilitatorDistinct: false });
    expect(rulesOf('other', rows)).toEqual(DEFAULT_AFEST_RULES);
    expect(rulesOf(null, rows)).toEqual(DEFAULT_AFEST_RULES);
    expect(rulesOf('p', undefined, { minSharePercent: 50, facilitatorDistinct: true, fromProgramme: true })).toEqual({ minSharePercent: 50, facilitatorDistinct: true });
  });

  it('writes hours and clock times the way the forms take them', () => {
    expect([hoursText(350 * 60), hoursText(450), hoursText(null)]).toEqual(['350', '7,5', '']);
    expect([clockTime(9 * 60), clockTime(-30), clockTime(25 * 60)]).toEqual(['09:00', '00:00', '23:59']);
  });
});
