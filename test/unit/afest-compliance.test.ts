import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPLIANCE_CODES,
  DEFAULT_AFEST_RULES,
  afestCompliance,
  currentVersions,
  formatPermille,
  meetsShare,
  minutesBetween,
  overlaps,
  sequenceProblems,
  sharePermille,
  type AfestRules,
  type AfestSetupFacts,
  type ComplianceCode,
  type ComplianceInput,
  type SequenceCandidate,
  type SequenceFacts,
} from '../../shared/domain/afest';
import { localise } from '../../shared/messages';

/**
 * The AFEST rules of D.6313-3-2 and of the programmes, one by one: every compliance code passing and failing
 * (and not applicable / pending where it can be), then the refusals of a sequence before it is written.
 * Expected figures are worked by hand from the rule, in the comments; messages are checked on key words.
 */

const h = (hours: number) => hours * 60;

/** A compliant AFEST: analysis 05/02, tutor designated 02/02 and accepted 03/02, first MST 09/02, SR 10/02. */
const setup: AfestSetupFacts = {
  companyId: 'co1',
  tutorId: 'tu1',
  tutorDesignatedOn: '2026-02-02',
  tutorAcceptedOn: '2026-02-03',
  facilitatorId: 'fa1',
  conventionRef: 'CONV-2026-014',
  analysisDate: '2026-02-05',
  workSituations: 'Accueil et prise en charge du client au comptoir.',
  tasks: 'Réceptionner, conseiller, encaisser.',
  competences: 3,
  // The compliant template: 350 h of AFEST in a 410 h pathway.
  plannedMinutes: h(350),
  pathwayMinutes: h(410),
};
const rules: AfestRules = { minSharePercent: 70, facilitatorDistinct: true };

const mst = (recordId: string, date: string, start = '09:00', end = '16:00', extra: Partial<SequenceFacts> = {}): SequenceFacts => ({
  id: `${recordId}v1`, recordId, kind: 'work-situation', date, start, end, minutes: minutesBetween(start, end), ledBy: 'tutor', leaderId: 'tu1', outOfProduction: false, reviewedIds: [], ...extra,
});
const sr = (recordId: string, date: string, start = '10:00', end = '11:30', extra: Partial<SequenceFacts> = {}): SequenceFacts => ({
  id: `${recordId}v1`, recordId, kind: 'reflective', date, start, end, minutes: minutesBetween(start, end), ledBy: 'facilitator', leaderId: 'fa1', outOfProduction: true, reviewedIds: ['m1'], ...extra,
});

// MST 09/02 09:00–16:00 = 7 h = 420 min; SR 10/02 10:00–11:30 = 90 min.
const base: ComplianceInput = {
  setup,
  rules,
  sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10')],
  evaluations: [{ date: '2026-03-20', kind: 'final' }],
  // 420 + 90 = 510 min of AFEST done, 120 min of other modules: 510 / 630 = 80,95… % ≥ 70 %.
  realised: { afestMinutes: 510, otherMinutes: 120 },
};

function input(change: { setup?: Partial<AfestSetupFacts>; rules?: Partial<AfestRules> } & Partial<Omit<ComplianceInput, 'setup' | 'rules'>> = {}): ComplianceInput {
  return { ...base, ...change, setup: { ...base.setup, ...change.setup }, rules: { ...base.rules, ...change.rules } };
}
const check = (i: ComplianceInput, code: ComplianceCode) => afestCompliance(i).checks.find((c) => c.code === code)!;

describe('afestCompliance: the base AFEST', () => {
  it('passes every check, once each, in the order of COMPLIANCE_CODES', () => {
    const report = afestCompliance(base);
    expect(report.checks.map((c) => c.code)).toEqual([...COMPLIANCE_CODES]);
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report.compliant).toBe(true);
    // Planned: 350 h / 410 h = 21 000 / 24 600 = 0,85365… → 853 ‰; realised: 510 / 630 = 0,80952… → 809 ‰.
    expect(report.share).toEqual({ plannedPermille: 853, realisedPermille: 809, minPercent: 70 });
  });

  it('ties each check to its component of D.6313-3-2', () => {
    const components = Object.fromEntries(afestCompliance(base).checks.map((c) => [c.code, c.component]));
    expect(components).toEqual({
      analysis: 1, 'analysis-before-first-mst': 1, 'tutor-designated': 2, 'designation-before-first-mst': 2, 'reflective-phases': 3, 'reflective-distinct': 3,
      'reflective-by-facilitator': 3, evaluation: 4, 'partner-company': null, convention: null, 'share-planned': null, 'share-realised': null,
    });
  });
});

describe('component 1: analysis of the work activity', () => {
  it('analysis: passes when dated, with work situations, tasks and a competence', () => {
    const c = check(base, 'analysis');
    expect(c.status).toBe('pass');
    expect(c.message).toMatch(/Analyse de l'activité de travail du 05\/02\/2026, 3 compétence\(s\) visée\(s\)/);
  });

  it('analysis: fails naming what is missing, and points at the first field to fill', () => {
    const undated = check(input({ setup: { analysisDate: null } }), 'analysis');
    expect(undated).toMatchObject({ status: 'fail', field: 'analysisDate' });
    expect(undated.message).toMatch(/incomplète : indiquez sa date\./);
    expect(check(input({ setup: { workSituations: null } }), 'analysis')).toMatchObject({ status: 'fail', field: 'workSituations' });
    expect(check(input({ setup: { competences: 0 } }), 'analysis')).toMatchObject({ status: 'fail', field: 'competences' });
    const two = check(input({ setup: { tasks: null, competences: 0 } }), 'analysis');
    expect(two).toMatchObject({ status: 'fail', field: 'tasks' });
    expect(two.message).toMatch(/indiquez les tâches et au moins une compétence visée\./);
    const all = check(input({ setup: { analysisDate: null, workSituations: null, tasks: null, competences: 0 } }), 'analysis');
    expect(all.message).toMatch(/sa date, les situations de travail retenues, les tâches et au moins une compétence visée/);
  });

  it('analysis-before-first-mst: passes before the first MST, on its day, and with no MST yet', () => {
    expect(check(base, 'analysis-before-first-mst')).toMatchObject({ status: 'pass', message: expect.stringMatching(/avant la première mise en situation \(09\/02\/2026\)/) });
    // Same day as the first MST: the rule compares dates, « 2026-02-09 > 2026-02-09 » is false.
    expect(check(input({ setup: { analysisDate: '2026-02-09' } }), 'analysis-before-first-mst').status).toBe('pass');
    expect(check(input({ sequences: [] }), 'analysis-before-first-mst')).toMatchObject({ status: 'pass', message: expect.stringMatching(/aucune mise en situation encore/) });
  });

  it('analysis-before-first-mst: fails undated, or dated after the first MST, naming the MSTs before it', () => {
    const undated = check(input({ setup: { analysisDate: null } }), 'analysis-before-first-mst');
    expect(undated).toMatchObject({ status: 'fail', field: 'analysisDate' });
    expect(undated.message).toMatch(/Datez l'analyse.*précéder la première mise en situation/);
    // Analysis on 12/02, MSTs on 09/02 (before it) and 16/02 (after): only m1 is at fault.
    const late = check(input({ setup: { analysisDate: '2026-02-12' }, sequences: [mst('m1', '2026-02-09'), mst('m2', '2026-02-16'), sr('r1', '2026-02-10')] }), 'analysis-before-first-mst');
    expect(late).toMatchObject({ status: 'fail', field: 'analysisDate', sequences: ['m1'] });
    expect(late.message).toMatch(/\(12\/02\/2026\) est datée après la première mise en situation \(09\/02\/2026\) : elle doit la précéder/);
  });

  it('reads the first MST, not the first sequence: an SR before the analysis is not a work situation', () => {
    const i = input({ setup: { analysisDate: '2026-02-08' }, sequences: [sr('r0', '2026-02-06', '10:00', '11:00', { reviewedIds: [] }), mst('m1', '2026-02-09')] });
    expect(check(i, 'analysis-before-first-mst').status).toBe('pass');
  });
});

describe('component 2: prior designation of the tutor', () => {
  it('tutor-designated: passes with the tutor and both dates', () => {
    expect(check(base, 'tutor-designated')).toMatchObject({ status: 'pass', message: expect.stringMatching(/Tuteur désigné le 02\/02\/2026, mission acceptée le 03\/02\/2026/) });
  });

  it('tutor-designated: fails naming what is missing', () => {
    const unaccepted = check(input({ setup: { tutorAcceptedOn: null } }), 'tutor-designated');
    expect(unaccepted).toMatchObject({ status: 'fail', field: 'tutorAcceptedOn' });
    expect(unaccepted.message).toMatch(/incomplète : indiquez la date d'acceptation du tuteur\./);
    const none = check(input({ setup: { tutorId: null, tutorDesignatedOn: null, tutorAcceptedOn: null } }), 'tutor-designated');
    expect(none).toMatchObject({ status: 'fail', field: 'tutorId' });
    expect(none.message).toMatch(/le tuteur, la date de désignation et la date d'acceptation du tuteur/);
    expect(check(input({ setup: { tutorDesignatedOn: null } }), 'tutor-designated').field).toBe('tutorDesignatedOn');
  });

  it('designation-before-first-mst: passes before the first MST, on its day, and with no MST yet', () => {
    expect(check(base, 'designation-before-first-mst')).toMatchObject({ status: 'pass', message: expect.stringMatching(/Tuteur désigné avant la première mise en situation \(09\/02\/2026\)/) });
    // Accepted on the day of the first MST: « 2026-02-09 > 2026-02-09 » is false.
    expect(check(input({ setup: { tutorAcceptedOn: '2026-02-09' } }), 'designation-before-first-mst').status).toBe('pass');
    expect(check(input({ sequences: [] }), 'designation-before-first-mst').message).toMatch(/aucune mise en situation encore/);
  });

  it('designation-before-first-mst: fails undated, designated after, or accepted after the first MST', () => {
    const undated = check(input({ setup: { tutorDesignatedOn: null } }), 'designation-before-first-mst');
    expect(undated).toMatchObject({ status: 'fail', field: 'tutorDesignatedOn' });
    expect(undated.message).toMatch(/doit précéder la première mise en situation/);
    // Designated 10/02 (accepted 11/02) after the MST of 09/02: the later of the two dates is shown.
    const late = check(input({ setup: { tutorDesignatedOn: '2026-02-10', tutorAcceptedOn: '2026-02-11' } }), 'designation-before-first-mst');
    expect(late).toMatchObject({ status: 'fail', field: 'tutorDesignatedOn', sequences: ['m1'] });
    expect(late.message).toMatch(/\(11\/02\/2026\) est postérieure à la première mise en situation \(09\/02\/2026\)/);
    // Designated 02/02 but accepted 10/02: the mission was not accepted before the MST of 09/02.
    const unaccepted = check(input({ setup: { tutorAcceptedOn: '2026-02-10' } }), 'designation-before-first-mst');
    expect(unaccepted).toMatchObject({ status: 'fail', field: 'tutorAcceptedOn', sequences: ['m1'] });
  });
});

describe('component 3: reflective phases', () => {
  it('reflective-phases: passes counting sequences and hours, fails with none', () => {
    // Two SRs: 90 + 45 = 135 min = « 2 h 15 ».
    const two = input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10'), sr('r2', '2026-02-11', '14:00', '14:45')] });
    expect(check(two, 'reflective-phases')).toMatchObject({ status: 'pass', message: '2 séquence(s) réflexive(s), 2 h 15.' });
    expect(check(base, 'reflective-phases').message).toMatch(/1 séquence\(s\) réflexive\(s\), 1 h 30/);
    const none = check(input({ sequences: [mst('m1', '2026-02-09')] }), 'reflective-phases');
    expect(none.status).toBe('fail');
    expect(none.message).toMatch(/Aucune séquence réflexive/);
  });

  it('reflective-distinct: passes apart from the MSTs and out of production, even right after an MST', () => {
    expect(check(base, 'reflective-distinct').status).toBe('pass');
    // [09:00, 16:00) and [16:00, 17:00) do not intersect: half-open times.
    expect(check(input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-09', '16:00', '17:00')] }), 'reflective-distinct').status).toBe('pass');
    expect(check(input({ sequences: [mst('m1', '2026-02-09')] }), 'reflective-distinct').message).toMatch(/Aucune séquence réflexive à contrôler/);
  });

  it('reflective-distinct: fails an SR at the same time as an MST, then an SR in production', () => {
    const during = check(input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-09', '15:00', '16:30'), sr('r2', '2026-02-10')] }), 'reflective-distinct');
    expect(during).toMatchObject({ status: 'fail', sequences: ['r1'] });
    expect(during.message).toMatch(/du 09\/02\/2026 15:00–16:30 en même temps qu'une mise en situation/);
    const inProduction = check(input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10', '10:00', '11:30', { outOfProduction: false })] }), 'reflective-distinct');
    expect(inProduction).toMatchObject({ status: 'fail', sequences: ['r1'] });
    expect(inProduction.message).toMatch(/du 10\/02\/2026 tenue\(s\) dans l'espace de production.*hors production/);
  });

  it('reflective-by-facilitator: passes led by the designated facilitator', () => {
    expect(check(base, 'reflective-by-facilitator')).toMatchObject({ status: 'pass', message: expect.stringMatching(/distinct du tuteur/) });
  });

  it('reflective-by-facilitator: fails with no facilitator, or an SR led by the tutor, when the programme wants the tiers', () => {
    // Even before any SR: the set-up must name the facilitator.
    const none = check(input({ setup: { facilitatorId: null }, sequences: [mst('m1', '2026-02-09')] }), 'reflective-by-facilitator');
    expect(none).toMatchObject({ status: 'fail', field: 'facilitatorId' });
    expect(none.message).toMatch(/Désignez le formateur animateur/);
    const byTutor = check(input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10', '10:00', '11:30', { ledBy: 'tutor', leaderId: 'tu1' }), sr('r2', '2026-02-12', '10:00', '11:00', { ledBy: 'tutor', leaderId: 'tu1' })] }), 'reflective-by-facilitator');
    expect(byTutor).toMatchObject({ status: 'fail', sequences: ['r1', 'r2'] });
    expect(byTutor.message).toMatch(/du 10\/02\/2026 et 12\/02\/2026 animée\(s\) par le tuteur/);
  });

  it('reflective-by-facilitator: lets the tutor lead when the programme allows it (facilitatorDistinct false)', () => {
    const i = input({ rules: { facilitatorDistinct: false }, setup: { facilitatorId: null }, sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10', '10:00', '11:30', { ledBy: 'tutor', leaderId: 'tu1' })] });
    expect(check(i, 'reflective-by-facilitator')).toMatchObject({ status: 'pass', message: expect.stringMatching(/le dispositif le permet/) });
  });

  it('reflective-by-facilitator: fails an SR led by a trainer who is not the designated facilitator', () => {
    const other = check(input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10', '10:00', '11:30', { leaderId: 'fa2' })] }), 'reflective-by-facilitator');
    expect(other).toMatchObject({ status: 'fail', field: 'facilitatorId', sequences: ['r1'] });
    expect(other.message).toMatch(/n'est pas l'animateur désigné/);
    // The same holds where the tutor may lead: a facilitator-led SR must still be by the designated one.
    expect(check(input({ rules: { facilitatorDistinct: false }, sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10', '10:00', '11:30', { leaderId: 'fa2' })] }), 'reflective-by-facilitator').status).toBe('fail');
  });
});

describe('component 4 and the conditions around', () => {
  it('evaluation: passes counting the finals, fails with none', () => {
    const two = check(input({ evaluations: [{ date: '2026-02-20', kind: 'intermediate' }, { date: '2026-03-20', kind: 'final' }] }), 'evaluation');
    expect(two).toMatchObject({ status: 'pass', message: '2 évaluation(s) dont 1 finale(s).' });
    const none = check(input({ evaluations: [] }), 'evaluation');
    expect(none.status).toBe('fail');
    expect(none.message).toMatch(/Aucune évaluation/);
  });

  it('partner-company: passes with a company, fails without', () => {
    expect(check(base, 'partner-company').status).toBe('pass');
    expect(check(input({ setup: { companyId: null } }), 'partner-company')).toMatchObject({ status: 'fail', field: 'companyId', message: expect.stringMatching(/entreprise partenaire/) });
  });

  it('convention: passes with its reference, fails without (a trainee, not an employee)', () => {
    expect(check(base, 'convention')).toMatchObject({ status: 'pass', message: expect.stringMatching(/Convention CONV-2026-014 .*non salarié/) });
    expect(check(input({ setup: { conventionRef: null } }), 'convention')).toMatchObject({ status: 'fail', field: 'conventionRef', message: expect.stringMatching(/stagiaire, non salarié/) });
  });
});

describe('programme rules: the minimum AFEST share', () => {
  it('share-planned and share-realised: not applicable without a minimum, and never blocking', () => {
    const i = input({ rules: { minSharePercent: null }, setup: { plannedMinutes: null, pathwayMinutes: null }, realised: { afestMinutes: 0, otherMinutes: 0 } });
    const report = afestCompliance(i);
    expect(report.checks.filter((c) => c.status === 'na').map((c) => c.code)).toEqual(['share-planned', 'share-realised']);
    expect(check(i, 'share-planned').message).toMatch(/ne fixe pas de part minimale/);
    expect(report.compliant).toBe(true);
    expect(DEFAULT_AFEST_RULES.minSharePercent).toBeNull();
  });

  it('share-planned: the compliant template, 350 h of 410 h, passes', () => {
    // 21 000 × 100 = 2 100 000 ≥ 70 × 24 600 = 1 722 000; 21 000 000 / 24 600 = 853,65… → 853 → « 85,3 % ».
    expect(check(base, 'share-planned')).toMatchObject({ status: 'pass', message: "350 h d'AFEST prévues sur 410 h de parcours, soit 85,3 % (au moins 70 % demandés)." });
  });

  it('share-planned: the Nouvelle-Aquitaine counter-example, 350 h of 550 h, fails at 63,6 %', () => {
    // 350 / 550 = 63,63… %: 21 000 × 1 000 / 33 000 = 636,36… → 636 ‰ → « 63,6 % »; 2 100 000 < 70 × 33 000 = 2 310 000.
    const i = input({ setup: { pathwayMinutes: h(550) } });
    const c = check(i, 'share-planned');
    expect(c).toMatchObject({ status: 'fail', field: 'plannedMinutes' });
    expect(c.message).toMatch(/350 h d'AFEST prévues sur 550 h de parcours, soit 63,6 % : le dispositif demande au moins 70 %/);
    expect(afestCompliance(i).share.plannedPermille).toBe(636);
    expect(afestCompliance(i).compliant).toBe(false);
  });

  it('share-planned: exactly 70 % passes, a minute less fails (and shows 69,9 %, never a rounded 70,0 %)', () => {
    // 70 h of 100 h: 4 200 × 100 = 420 000 ≥ 70 × 6 000 = 420 000 → pass, 700 ‰ → « 70,0 % ».
    expect(check(input({ setup: { plannedMinutes: h(70), pathwayMinutes: h(100) } }), 'share-planned')).toMatchObject({ status: 'pass', message: expect.stringMatching(/70 h d'AFEST prévues sur 100 h de parcours, soit 70,0 %/) });
    // 69 h 59 = 4 199 min: 419 900 < 420 000 → fail; 4 199 000 / 6 000 = 699,83… → 699 → « 69,9 % ».
    const below = check(input({ setup: { plannedMinutes: 4199, pathwayMinutes: h(100) } }), 'share-planned');
    expect(below.status).toBe('fail');
    expect(below.message).toMatch(/69 h 59 d'AFEST prévues sur 100 h de parcours, soit 69,9 %/);
  });

  it('share-planned: fails asking for the hours when the AFEST or the pathway has none', () => {
    expect(check(input({ setup: { plannedMinutes: null } }), 'share-planned')).toMatchObject({ status: 'fail', field: 'plannedMinutes', message: expect.stringMatching(/au moins 70 % .*indiquez les heures prévues/) });
    expect(check(input({ setup: { pathwayMinutes: null } }), 'share-planned').field).toBe('pathwayMinutes');
    // A 0-minute pathway is no total (no division by zero), the same as none.
    expect(check(input({ setup: { pathwayMinutes: 0 } }), 'share-planned').field).toBe('pathwayMinutes');
    expect(afestCompliance(input({ setup: { pathwayMinutes: 0 } })).share.plannedPermille).toBeNull();
  });

  it('share-realised: pending before any hour, pass and fail on the realised minutes', () => {
    const pending = afestCompliance(input({ realised: { afestMinutes: 0, otherMinutes: 0 } }));
    expect(pending.checks.find((c) => c.code === 'share-realised')).toMatchObject({ status: 'pending', message: expect.stringMatching(/Aucune heure réalisée encore.*au moins 70 %/) });
    expect(pending.compliant).toBe(true);
    expect(pending.share.realisedPermille).toBeNull();
    // 510 min = 8 h 30 of 630 min = 10 h 30: 51 000 ≥ 44 100; 510 000 / 630 = 809,5… → « 80,9 % ».
    expect(check(base, 'share-realised')).toMatchObject({ status: 'pass', message: "8 h 30 d'AFEST réalisées sur 10 h 30 de parcours, soit 80,9 % (au moins 70 % demandés)." });
    // 510 of 510 + 300 = 810 min (13 h 30): 51 000 < 70 × 810 = 56 700; 510 000 / 810 = 629,6… → « 62,9 % ».
    const low = afestCompliance(input({ realised: { afestMinutes: 510, otherMinutes: 300 } }));
    expect(low.checks.find((c) => c.code === 'share-realised')).toMatchObject({ status: 'fail', message: "8 h 30 d'AFEST réalisées sur 13 h 30 de parcours, soit 62,9 % : le dispositif demande au moins 70 %." });
    expect(low.share.realisedPermille).toBe(629);
  });
});

describe('the share helpers', () => {
  it('work in integers, rounding the shown share down', () => {
    expect(sharePermille(350, 550)).toBe(636);
    expect(sharePermille(350, 410)).toBe(853);
    expect(sharePermille(1, 0)).toBeNull();
    expect([formatPermille(636), formatPermille(700), formatPermille(1000), formatPermille(5), formatPermille(null)]).toEqual(['63,6 %', '70,0 %', '100,0 %', '0,5 %', '—']);
    expect([meetsShare(70, 100, 70), meetsShare(69, 100, 70), meetsShare(350, 550, 70), meetsShare(350, 410, 70)]).toEqual([true, false, false, true]);
  });

  it('never shows a share at or above the minimum when it fails, nor below when it passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 100 }), (part, total, min) => {
        const shown = sharePermille(part, total)!;
        expect(meetsShare(part, total, min)).toBe(shown >= min * 10);
      }),
    );
  });

  it('times: minutes of a range, half-open overlaps on one date', () => {
    expect([minutesBetween('09:00', '16:00'), minutesBetween('10:00', '11:30'), minutesBetween('10:00', '10:00')]).toEqual([420, 90, 0]);
    const a = { date: '2026-02-09', start: '09:00', end: '16:00' };
    expect(overlaps(a, { date: '2026-02-09', start: '15:59', end: '17:00' })).toBe(true);
    expect(overlaps(a, { date: '2026-02-09', start: '16:00', end: '17:00' })).toBe(false);
    expect(overlaps(a, { date: '2026-02-10', start: '10:00', end: '11:00' })).toBe(false);
  });

  it('currentVersions keeps chain heads, withdrawn ones left out', () => {
    const v = (id: string, supersedesId: string | null, withdrawn = false) => ({ id, supersedesId, withdrawn });
    expect(currentVersions([v('a1', null), v('a2', 'a1'), v('a3', 'a2'), v('b1', null), v('b2', 'b1', true), v('c1', null)]).map((x) => x.id)).toEqual(['a3', 'c1']);
  });
});

describe('compliant', () => {
  // Random set-ups, sequences, evaluations and hours: whatever the mix, red blocks and nothing else does.
  const date = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
  const arbitraryInput = fc.record({
    setup: fc.record({
      companyId: maybe(fc.constant('co1')), tutorId: maybe(fc.constant('tu1')), tutorDesignatedOn: maybe(date), tutorAcceptedOn: maybe(date),
      facilitatorId: maybe(fc.constantFrom('fa1', 'fa2')), conventionRef: maybe(fc.constant('CONV-1')), analysisDate: maybe(date),
      workSituations: maybe(fc.constant('x')), tasks: maybe(fc.constant('y')), competences: fc.integer({ min: 0, max: 3 }),
      plannedMinutes: maybe(fc.integer({ min: 0, max: 30_000 })), pathwayMinutes: maybe(fc.integer({ min: 0, max: 30_000 })),
    }),
    rules: fc.record({ minSharePercent: maybe(fc.integer({ min: 1, max: 100 })), facilitatorDistinct: fc.boolean() }),
    sequences: fc.array(
      fc.record({ kind: fc.constantFrom('work-situation' as const, 'reflective' as const), date, hour: fc.integer({ min: 7, max: 17 }), length: fc.integer({ min: 1, max: 4 }), ledBy: fc.constantFrom('tutor' as const, 'facilitator' as const), leaderId: fc.constantFrom('tu1', 'fa1', 'fa2'), outOfProduction: fc.boolean() }),
      { maxLength: 6 },
    ).map((list) => list.map((s, i): SequenceFacts => {
      const start = `${String(s.hour).padStart(2, '0')}:00`;
      const end = `${String(s.hour + s.length).padStart(2, '0')}:00`;
      return { id: `v${i}`, recordId: `r${i}`, kind: s.kind, date: s.date, start, end, minutes: s.length * 60, ledBy: s.ledBy, leaderId: s.leaderId, outOfProduction: s.outOfProduction, reviewedIds: [] };
    })),
    evaluations: fc.array(fc.record({ date, kind: fc.constantFrom('intermediate' as const, 'final' as const) }), { maxLength: 2 }),
    realised: fc.record({ afestMinutes: fc.integer({ min: 0, max: 20_000 }), otherMinutes: fc.integer({ min: 0, max: 20_000 }) }),
  });

  it('is false exactly when some check fails, and every code is answered once', () => {
    fc.assert(
      fc.property(arbitraryInput, (i) => {
        const report = afestCompliance(i);
        expect(report.checks.map((c) => c.code)).toEqual([...COMPLIANCE_CODES]);
        expect(report.compliant).toBe(!report.checks.some((c) => c.status === 'fail'));
        for (const c of report.checks) {
          expect(c.message.length).toBeGreaterThan(0);
          if (c.status !== 'fail') expect(c.sequences).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('turns false on a single failing rule, and back when it is fixed', () => {
    for (const broken of [input({ setup: { companyId: null } }), input({ evaluations: [] }), input({ setup: { pathwayMinutes: h(550) } })]) {
      expect(afestCompliance(broken).compliant).toBe(false);
      expect(afestCompliance(broken).checks.filter((c) => c.status === 'fail')).toHaveLength(1);
    }
    expect(afestCompliance(base).compliant).toBe(true);
  });
});

describe('sequenceProblems: refusals before anything is written', () => {
  const existing = [mst('m1', '2026-02-09'), mst('m2', '2026-02-16')];
  const candidateMst = (date: string, extra: Partial<SequenceCandidate> = {}): SequenceCandidate => ({
    kind: 'work-situation', date, start: '09:00', end: '12:00', ledBy: 'tutor', leaderId: 'tu1', outOfProduction: false, reviewedIds: [], ...extra,
  });
  const candidateSr = (date: string, extra: Partial<SequenceCandidate> = {}): SequenceCandidate => ({
    kind: 'reflective', date, start: '10:00', end: '11:30', ledBy: 'facilitator', leaderId: 'fa1', outOfProduction: true, reviewedIds: ['m1'], ...extra,
  });
  const problems = (c: SequenceCandidate, s: Partial<AfestSetupFacts> = {}, r: Partial<AfestRules> = {}, e: readonly SequenceFacts[] = existing) => sequenceProblems({ ...setup, ...s }, { ...rules, ...r }, e, c);

  it('accepts a work situation after the analysis and the designation, and an SR on a past MST', () => {
    expect(problems(candidateMst('2026-02-10'))).toEqual([]);
    // On the analysis day itself (05/02), after the designation (02/02): not before, so accepted.
    expect(problems(candidateMst('2026-02-05'))).toEqual([]);
    expect(problems(candidateSr('2026-02-10'))).toEqual([]);
  });

  it('refuses an MST dated before the analysis', () => {
    expect(problems(candidateMst('2026-02-04'))).toEqual([{ path: 'date', message: expect.stringMatching(/Mise en situation datée du 04\/02\/2026, avant l'analyse de l'activité \(05\/02\/2026\)/) }]);
  });

  it("refuses an MST dated before the tutor's designation", () => {
    // Analysis 05/02, designation moved to 06/02: an MST on 05/02 follows the one, precedes the other.
    expect(problems(candidateMst('2026-02-05'), { tutorDesignatedOn: '2026-02-06', tutorAcceptedOn: '2026-02-06' })).toEqual([
      { path: 'date', message: expect.stringMatching(/avant la désignation du tuteur \(06\/02\/2026\) : la désignation doit la précéder/) },
    ]);
  });

  it("refuses an MST between the tutor's designation and acceptance, as the panel does", () => {
    // Designated 02/02, accepted 10/02: an MST on 05/02 would turn designation-before-first-mst red.
    expect(problems(candidateMst('2026-02-05'), { tutorAcceptedOn: '2026-02-10' })).toEqual([{ path: 'date', message: expect.stringMatching(/avant la désignation du tuteur \(10\/02\/2026\)/) }]);
    expect(problems(candidateMst('2026-02-10'), { tutorAcceptedOn: '2026-02-10' })).toEqual([]);
  });

  it('never accepts an MST that the panel then shows red for its order (analysis, designation)', () => {
    const day = fc.integer({ min: 1, max: 20 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(day, fc.option(day, { nil: null }), fc.option(day, { nil: null }), fc.option(day, { nil: null }), (date, analysisDate, tutorDesignatedOn, tutorAcceptedOn) => {
        const s = { ...setup, analysisDate, tutorDesignatedOn, tutorAcceptedOn };
        if (sequenceProblems(s, rules, [], candidateMst(date)).length > 0) return;
        const panel = afestCompliance({ ...base, setup: s, sequences: [mst('m9', date)] });
        for (const code of ['analysis-before-first-mst', 'designation-before-first-mst']) expect(panel.checks.find((c) => c.code === code)!.status).toBe('pass');
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an MST with no dated analysis and no designated tutor, saying both', () => {
    const both = problems(candidateMst('2026-02-10'), { analysisDate: null, tutorId: null });
    expect(both.map((p) => p.path)).toEqual(['date', 'date']);
    expect(both[0]!.message).toMatch(/analyse de l'activité de travail n'est pas datée.*avant la première mise en situation/);
    expect(both[1]!.message).toMatch(/tuteur n'est pas désigné/);
    expect(problems(candidateMst('2026-02-10'), { tutorDesignatedOn: null })).toEqual([{ path: 'date', message: expect.stringMatching(/tuteur n'est pas désigné/) }]);
  });

  it('refuses an MST not led by the tutor, and an end not after the start', () => {
    expect(problems(candidateMst('2026-02-10', { ledBy: 'facilitator', leaderId: 'fa1' }))).toEqual([{ path: 'ledBy', message: expect.stringMatching(/sous la conduite du tuteur/) }]);
    expect(problems(candidateMst('2026-02-10', { start: '12:00', end: '12:00' }))).toEqual([{ path: 'end', message: "L'heure de fin doit suivre l'heure de début." }]);
  });

  it('refuses an SR overlapping an MST, saying it overlaps and why', () => {
    // SR 15:00–16:30 on 09/02 against m1 09:00–16:00: 15:00 < 16:00 and 09:00 < 16:30.
    const found = problems(candidateSr('2026-02-09', { start: '15:00', end: '16:30' }));
    // The overlap comes first; the MST it looks back on had not ended when it started either.
    expect(found).toEqual([
      { path: 'start', message: expect.stringMatching(/\(09\/02\/2026 15:00–16:30\) chevauche la mise en situation de 09:00–16:00 : une séquence réflexive doit être distincte/) },
      { path: 'reviewedIds', message: expect.stringMatching(/terminées avant son début/) },
    ]);
    // Right after it, 16:00–17:00: no overlap.
    expect(problems(candidateSr('2026-02-09', { start: '16:00', end: '17:00' }))).toEqual([]);
  });

  it('refuses other overlaps of the learner without the SR rule, and reports only the first', () => {
    const onMst = problems(candidateMst('2026-02-09', { start: '11:00', end: '12:00' }));
    expect(onMst).toHaveLength(1);
    expect(onMst[0]!.message).toMatch(/chevauche la mise en situation de 09:00–16:00\. Choisissez d'autres horaires/);
    const onSr = problems(candidateMst('2026-02-10', { start: '11:00', end: '12:00' }), {}, {}, [...existing, sr('r1', '2026-02-10')]);
    expect(onSr).toEqual([{ path: 'start', message: expect.stringMatching(/chevauche la séquence réflexive de 10:00–11:30\./) }]);
    const twice = problems(candidateMst('2026-02-09', { start: '11:00', end: '12:00' }), {}, {}, [...existing, sr('r1', '2026-02-09', '11:00', '12:00')]);
    expect(twice).toHaveLength(1);
  });

  it('refuses an SR led by the tutor when facilitatorDistinct, and allows it when not', () => {
    const tutorLed = candidateSr('2026-02-10', { ledBy: 'tutor', leaderId: 'tu1' });
    expect(problems(tutorLed)).toEqual([{ path: 'ledBy', message: expect.stringMatching(/animées par le formateur animateur .*pas par le tuteur/) }]);
    expect(problems(tutorLed, {}, { facilitatorDistinct: false })).toEqual([]);
  });

  it('refuses an SR led by a facilitator other than the designated one, or with none designated', () => {
    expect(problems(candidateSr('2026-02-10', { leaderId: 'fa2' }))).toEqual([{ path: 'ledBy', message: expect.stringMatching(/n'est pas le formateur animateur désigné/) }]);
    expect(problems(candidateSr('2026-02-10'), { facilitatorId: null })).toEqual([{ path: 'ledBy', message: expect.stringMatching(/Aucun formateur animateur n'est désigné/) }]);
  });

  it('refuses an SR in production', () => {
    expect(problems(candidateSr('2026-02-10', { outOfProduction: false }))).toEqual([{ path: 'outOfProduction', message: expect.stringMatching(/hors de l'espace de production/) }]);
  });

  it('refuses an SR reviewing no MST, a later MST or an unknown one; accepts an MST of the same day', () => {
    expect(problems(candidateSr('2026-02-10', { reviewedIds: [] }))).toEqual([{ path: 'reviewedIds', message: expect.stringMatching(/Choisissez la ou les mises en situation/) }]);
    // SR on 10/02 reviewing m2 of 16/02: not yet done.
    const later = { path: 'reviewedIds', message: expect.stringMatching(/mises en situation terminées : choisissez-en d'un jour précédent/) };
    expect(problems(candidateSr('2026-02-10', { reviewedIds: ['m1', 'm2'] }))).toEqual([later]);
    expect(problems(candidateSr('2026-02-10', { reviewedIds: ['nowhere'] }))).toEqual([later]);
    expect(problems(candidateSr('2026-02-16', { start: '16:30', end: '17:30', reviewedIds: ['m1', 'm2'] }))).toEqual([]);
  });

  it('does not compare a correction with its own record, but still with the others', () => {
    // Correcting m1 to 09:00–12:00: its old version 09:00–16:00 overlaps, yet is the same record.
    expect(problems(candidateMst('2026-02-09', { recordId: 'm1' }))).toEqual([]);
    expect(problems(candidateMst('2026-02-09'))).toEqual([{ path: 'start', message: expect.stringMatching(/chevauche/) }]);
    expect(problems(candidateMst('2026-02-09', { recordId: 'm2' }))).toEqual([{ path: 'start', message: expect.stringMatching(/chevauche la mise en situation de 09:00–16:00/) }]);
  });
});

describe('the AFEST sentences in English (shared/messages.ts)', () => {
  // The rule does not change with the language: French first, then its English version with nothing French left.
  const french = /[àâçéèêëîïôùûü]|\b(le|la|les|du|des|de|et|est|une?|dans|sur|avant|après|soit|aucune?|séquence|tuteur|indiquez)\b/i;

  it('writes a couple of panel verdicts in English', () => {
    const planned = check(input({ setup: { pathwayMinutes: h(550) } }), 'share-planned').message;
    expect(localise(planned, 'en')).toBe("350 h of AFEST planned out of a 550 h pathway, i.e. 63.6 %: the programme asks for at least 70 %. Increase the AFEST share or shorten the pathway's other modules.");
    const analysis = check(input({ setup: { tasks: null, competences: 0 } }), 'analysis').message;
    expect(localise(analysis, 'en')).toBe('Incomplete analysis of the work activity: enter the tasks and at least one target competence.');
    const byTutor = check(input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10', '10:00', '11:30', { ledBy: 'tutor' }), sr('r2', '2026-02-12', '10:00', '11:00', { ledBy: 'tutor' })] }), 'reflective-by-facilitator').message;
    expect(localise(byTutor, 'en')).toBe('Reflective sequence(s) of 10/02/2026 and 12/02/2026 led by the tutor: the programme asks for the facilitator. Correct who led it or withdraw the sequence.');
    for (const m of [planned, analysis, byTutor]) expect(localise(m, 'en')).not.toMatch(french);
    expect(localise(planned, 'fr')).toBe(planned);
  });

  it('takes a list apart only inside a known sentence, and only when it knows every item', () => {
    expect(localise('Désignation du tuteur incomplète : indiquez le tuteur et la date de désignation.', 'en')).toBe("Incomplete tutor's designation: enter the tutor and the designation date.");
    // An item it does not know: the list stays as written, French, rather than half translated.
    expect(localise('Désignation du tuteur incomplète : indiquez le tuteur et son adresse.', 'en')).toBe("Incomplete tutor's designation: enter le tuteur et son adresse.");
    expect(localise('Une phrase inconnue, la date de désignation et les tâches.', 'en')).toBe('Une phrase inconnue, la date de désignation et les tâches.');
  });

  it('has an English version of every sentence the rules write', () => {
    const overlapping = [mst('m1', '2026-02-09'), sr('r1', '2026-02-09', '15:00', '16:30'), sr('r2', '2026-02-09', '08:00', '10:00')];
    const panels = [
      base,
      input({ sequences: [], evaluations: [{ date: '2026-03-20', kind: 'intermediate' }], realised: { afestMinutes: 0, otherMinutes: 0 } }),
      input({ setup: { analysisDate: null, workSituations: null, tasks: null, competences: 0, tutorId: null, tutorDesignatedOn: null, tutorAcceptedOn: null, facilitatorId: null, companyId: null, conventionRef: null, plannedMinutes: null }, evaluations: [] }),
      input({ setup: { analysisDate: '2026-02-12', tutorDesignatedOn: '2026-02-10', tutorAcceptedOn: null, pathwayMinutes: h(550) }, realised: { afestMinutes: 510, otherMinutes: 300 } }),
      input({ sequences: overlapping }),
      input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10', '10:00', '11:30', { outOfProduction: false, ledBy: 'tutor' })] }),
      input({ sequences: [mst('m1', '2026-02-09'), sr('r1', '2026-02-10', '10:00', '11:30', { leaderId: 'fa2' })] }),
      input({ rules: { minSharePercent: null, facilitatorDistinct: false } }),
      input({ setup: { pathwayMinutes: null } }),
    ];
    const messages = new Set(panels.flatMap((p) => afestCompliance(p).checks.map((c) => c.message)));
    const candidates: [SequenceCandidate, Partial<AfestSetupFacts>][] = [
      [{ kind: 'work-situation', date: '2026-02-01', start: '11:00', end: '10:00', ledBy: 'facilitator', leaderId: 'fa1', outOfProduction: false, reviewedIds: [] }, {}],
      [{ kind: 'work-situation', date: '2026-02-09', start: '11:00', end: '12:00', ledBy: 'tutor', leaderId: 'tu1', outOfProduction: false, reviewedIds: [] }, { analysisDate: null, tutorId: null }],
      [{ kind: 'work-situation', date: '2026-02-05', start: '17:00', end: '18:00', ledBy: 'tutor', leaderId: 'tu1', outOfProduction: false, reviewedIds: [] }, { tutorDesignatedOn: '2026-02-06' }],
      [{ kind: 'reflective', date: '2026-02-09', start: '15:00', end: '16:30', ledBy: 'tutor', leaderId: 'tu1', outOfProduction: false, reviewedIds: [] }, {}],
      [{ kind: 'reflective', date: '2026-02-10', start: '10:00', end: '11:00', ledBy: 'facilitator', leaderId: 'fa2', outOfProduction: true, reviewedIds: ['m9'] }, {}],
      [{ kind: 'reflective', date: '2026-02-10', start: '10:00', end: '11:00', ledBy: 'facilitator', leaderId: 'fa1', outOfProduction: true, reviewedIds: ['m1'] }, { facilitatorId: null }],
    ];
    for (const [c, s] of candidates) for (const p of sequenceProblems({ ...setup, ...s }, rules, [mst('m1', '2026-02-09'), sr('r1', '2026-02-05', '08:00', '09:00')], c)) messages.add(p.message);
    // Every code's sentences, every refusal: 36 distinct sentences in these cases.
    expect(messages.size).toBeGreaterThanOrEqual(36);
    const untranslated = [...messages].filter((m) => french.test(localise(m, 'en')));
    expect(untranslated).toEqual([]);
  });
});
