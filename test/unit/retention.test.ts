import { describe, expect, it } from 'vitest';
import { localise } from '../../shared/messages';
import { addYearsFrench, dayAfter, endOfAction, purgeDue, retentionPlan, stillRunning, type EnrolmentRetentionFacts } from '../../shared/domain/retention';

/*
 * Retention of a trainee's data after an erasure request (shared/domain/retention.ts). Every expected date is
 * worked out by hand from the rules: supporting pieces 6 years (10 if EU co-funded) after the later of the end of
 * the action and the last payment, same day number (a 29 February → 28 February, CPC art. 641); the certificat de
 * réalisation 3 years from 31 December of the year of the last payment; purge from the day after.
 */

const base: EnrolmentRetentionFacts = {
  enrolmentId: 'e1',
  label: 'CAP Cuisine — promotion de mars',
  status: 'exited',
  plannedEnd: '2025-07-04',
  exitDate: '2025-06-30',
  lastActivity: '2025-06-30',
  lastPayment: null,
  unpaidClaims: 0,
  certificates: 0,
  euCofunded: false,
};
const facts = (over: Partial<EnrolmentRetentionFacts>): EnrolmentRetentionFacts => ({ ...base, ...over });

describe('periods in years (CPC art. 641)', () => {
  it.each([
    ['2025-06-30', 6, '2031-06-30'],
    ['2024-02-29', 6, '2030-02-28'], // 2030 is not a leap year: the last day of February
    ['2024-02-29', 4, '2028-02-29'], // 2028 is
    ['2000-02-29', 100, '2100-02-28'], // 2100 is not (divisible by 100, not by 400)
    ['2000-02-29', 400, '2400-02-29'], // 2400 is
    ['2025-12-31', 3, '2028-12-31'],
    ['2023-01-31', 10, '2033-01-31'],
  ])('%s + %i years ends on %s', (from, years, until) => {
    expect(addYearsFrench(from, years)).toBe(until);
  });

  it.each([
    ['2031-06-30', '2031-07-01'],
    ['2028-12-31', '2029-01-01'],
    ['2030-02-28', '2030-03-01'],
    ['2028-02-28', '2028-02-29'],
    ['2028-02-29', '2028-03-01'],
    ['2100-02-28', '2100-03-01'],
  ])('the day after %s is %s', (day, next) => {
    expect(dayAfter(day)).toBe(next);
  });
});

describe('the end of the action and a running enrolment', () => {
  it('is the exit date, the planned end when not exited, or a later activity', () => {
    expect(endOfAction(base)).toBe('2025-06-30');
    expect(endOfAction(facts({ status: 'entered', exitDate: null, lastActivity: '2025-07-03' }))).toBe('2025-07-04');
    expect(endOfAction(facts({ lastActivity: '2025-07-02' }))).toBe('2025-07-02'); // a correction after the exit
  });

  it('runs until its planned end when not exited, until an exit dated later otherwise', () => {
    const entered = facts({ status: 'entered', exitDate: null });
    expect(stillRunning(entered, '2025-07-04')).toBe(true); // the last planned day still counts
    expect(stillRunning(entered, '2025-07-05')).toBe(false);
    expect(stillRunning(base, '2025-06-30')).toBe(false); // exited today: nothing more to come
    expect(stillRunning(facts({ exitDate: '2025-07-01' }), '2025-06-30')).toBe(true);
  });

  it('blocks the erasure, naming the enrolment and its end, while one is running', () => {
    const plan = retentionPlan([facts({ status: 'entered', exitDate: null })], '2025-05-02');
    expect(plan.blockers).toEqual([
      {
        enrolmentId: 'e1',
        message: "L'inscription « CAP Cuisine — promotion de mars » est en cours (fin prévue le 04/07/2025) : enregistrez d'abord la sortie du stagiaire, ses preuves de présence doivent être complètes avant l'effacement.",
      },
    ]);
  });
});

describe('what is kept, until when', () => {
  it('keeps the supporting pieces 6 years after the end of the action when nothing was paid', () => {
    const plan = retentionPlan([base], '2026-01-10');
    expect(plan.blockers).toEqual([]);
    expect(plan.items).toEqual([
      {
        kind: 'supporting', enrolmentId: 'e1', until: '2031-06-30', from: '2025-06-30', basis: 'end-of-action', years: 6, provisional: false,
        reason: "Pièces justificatives de « CAP Cuisine — promotion de mars » (émargements, signatures, journaux de connexion, journal AFEST, pièces de la demande de paiement) : 6 ans après la fin de l'action (30/06/2025), durée de conservation demandée par les financeurs.",
      },
    ]);
    expect(plan.keepUntil).toBe('2031-06-30');
    expect(plan.purgeFrom).toBe('2031-07-01');
  });

  it('counts from the last payment when it came after the end, and the certificate from the end of its year', () => {
    const plan = retentionPlan([facts({ lastPayment: '2025-09-15', certificates: 1 })], '2026-01-10');
    expect(plan.items.map((i) => [i.kind, i.from, i.until, i.basis, i.years])).toEqual([
      ['supporting', '2025-09-15', '2031-09-15', 'last-payment', 6],
      ['certificate', '2025-12-31', '2028-12-31', 'last-payment', 3],
    ]);
    expect(plan.items[1]!.reason).toBe("Certificat de réalisation de « CAP Cuisine — promotion de mars » : 3 ans à compter de la fin de l'année du dernier paiement (15/09/2025), clause de conservation du modèle de certificat.");
    expect(plan.keepUntil).toBe('2031-09-15');
    expect(plan.purgeFrom).toBe('2031-09-16');
  });

  it('keeps the end of the action as the start when the payment came before it (an advance)', () => {
    const plan = retentionPlan([facts({ lastPayment: '2025-03-01', certificates: 1 })], '2026-01-10');
    expect(plan.items.map((i) => [i.kind, i.until])).toEqual([
      ['supporting', '2031-06-30'],
      ['certificate', '2028-12-31'], // end of 2025 + 3 years
    ]);
  });

  it('keeps 10 years when the EU co-funds the enrolment, the certificate too', () => {
    const plan = retentionPlan([facts({ lastPayment: '2025-09-15', certificates: 1, euCofunded: true })], '2026-01-10');
    expect(plan.items.map((i) => [i.kind, i.until, i.years])).toEqual([
      ['supporting', '2035-09-15', 10],
      ['certificate', '2035-12-31', 10],
    ]);
    expect(plan.keepUntil).toBe('2035-12-31');
    expect(plan.purgeFrom).toBe('2036-01-01');
    expect(plan.items[0]!.reason).toContain('10 ans après le dernier paiement (15/09/2025), cofinancement européen');
    // In English mode, the sentences people read (shared/messages.ts).
    expect(localise(plan.items[0]!.reason, 'en')).toBe(
      'Supporting pieces of “CAP Cuisine — promotion de mars” (attendance sheets, signatures, connection logs, AFEST log, claim documents): 10 years after the last payment (15/09/2025), EU co-funding, the retention the funders require.',
    );
    expect(localise(plan.items[1]!.reason, 'en')).toBe(
      'Certificate of completion of “CAP Cuisine — promotion de mars”: 10 years from the end of the year of the last payment (15/09/2025), EU co-funding, retention clause of the certificate model.',
    );
  });

  it('counts a certificate not paid yet from the end of the action, provisionally', () => {
    const plan = retentionPlan([facts({ certificates: 1, unpaidClaims: 1 })], '2026-01-10');
    const certificate = plan.items.find((i) => i.kind === 'certificate')!;
    expect([certificate.from, certificate.until, certificate.basis, certificate.provisional]).toEqual(['2025-12-31', '2028-12-31', 'end-of-action', true]);
    expect(certificate.reason).toBe(
      "Certificat de réalisation de « CAP Cuisine — promotion de mars » : 3 ans à compter de la fin de l'année de l'action (terminée le 30/06/2025), aucun paiement n'étant encore enregistré, clause de conservation du modèle de certificat.",
    );
    expect(plan.items.find((i) => i.kind === 'supporting')!.provisional).toBe(true); // a payment after 30/06/2025 would move it
  });

  it('follows a leap day: an action ended on 29/02/2024 is kept through 28/02/2030', () => {
    const plan = retentionPlan([facts({ exitDate: '2024-02-29', plannedEnd: '2024-03-15', lastActivity: '2024-02-29' })], '2025-01-01');
    expect(plan.keepUntil).toBe('2030-02-28');
    expect(plan.purgeFrom).toBe('2030-03-01');
    expect(purgeDue(plan, '2030-02-28')).toBe(false);
    expect(purgeDue(plan, '2030-03-01')).toBe(true);
  });

  it('keeps everything until the last of several enrolments', () => {
    const plan = retentionPlan(
      [base, facts({ enrolmentId: 'e2', label: 'Remise à niveau', plannedEnd: '2026-12-18', exitDate: '2026-11-27', lastActivity: '2026-11-26', lastPayment: '2027-02-03', certificates: 2 })],
      '2027-03-01',
    );
    expect(plan.items.map((i) => [i.enrolmentId, i.kind, i.until])).toEqual([
      ['e1', 'supporting', '2031-06-30'],
      ['e2', 'supporting', '2033-02-03'],
      ['e2', 'certificate', '2030-12-31'],
    ]);
    expect(plan.keepUntil).toBe('2033-02-03');
    expect(plan.purgeFrom).toBe('2033-02-04');
  });

  it('keeps nothing for a trainee never enrolled: the purge may run at once', () => {
    const plan = retentionPlan([], '2026-11-23');
    expect(plan).toEqual({ items: [], keepUntil: null, purgeFrom: '2026-11-23', blockers: [] });
    expect(purgeDue(plan, '2026-11-23')).toBe(true);
  });
});

describe('when the purge is due', () => {
  it('waits for the day after the last day kept, and never before the date recorded at the erasure', () => {
    const plan = { purgeFrom: '2031-07-01' };
    expect(purgeDue(plan, '2031-06-30')).toBe(false);
    expect(purgeDue(plan, '2031-07-01')).toBe(true);
    // Recorded at the erasure with a later date (the facts changed since): the later one holds.
    expect(purgeDue(plan, '2031-07-01', '2031-09-16')).toBe(false);
    expect(purgeDue(plan, '2031-09-16', '2031-09-16')).toBe(true);
  });
});
