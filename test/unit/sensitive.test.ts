import { describe, expect, it } from 'vitest';
import { maskNir } from '../../shared/domain/nir';
import { isEmptySensitive, sensitiveProblems, type TraineeSensitive } from '../../shared/domain/sensitive';
import { traineeSensitive } from '../../shared/schemas/people';

const NONE: TraineeSensitive = { rqth: false, rqthUntil: null, accommodations: null, benefits: [], benefitsOther: null, justiceFollowUp: null, justiceNote: null };

describe('maskNir', () => {
  it.each([
    ['269054958815780', '2 69 •• •• ••• ••• 80'],
    ['2 69 05 49 588 157 80', '2 69 •• •• ••• ••• 80'],
    ['185052a00412356', '1 85 •• •• ••• ••• 56'],
  ])('%s → %s: the sex digit, the birth year and the key', (nir, masked) => {
    expect(maskNir(nir)).toBe(masked);
  });
});

describe('sensitive fields', () => {
  it('accepts coherent fields and says nothing recorded is empty', () => {
    expect(sensitiveProblems(NONE)).toEqual([]);
    expect(isEmptySensitive(NONE)).toBe(true);
    const full: TraineeSensitive = { rqth: true, rqthUntil: '2028-06-30', accommodations: 'Rampe', benefits: ['aah', 'other'], benefitsOther: 'Prime', justiceFollowUp: 'pjj', justiceNote: 'Éducateur' };
    expect(sensitiveProblems(full)).toEqual([]);
    expect(isEmptySensitive(full)).toBe(false);
    expect(isEmptySensitive({ ...NONE, accommodations: 'Rampe' })).toBe(false);
  });

  it.each<[string, Partial<TraineeSensitive>, { path: string; message: string }[]]>([
    ['an RQTH end date without an RQTH', { rqthUntil: '2028-06-30' }, [{ path: 'rqthUntil', message: 'Fin de la RQTH : cochez d’abord « RQTH reconnue ».' }]],
    ['« Autre » not named', { benefits: ['other'] }, [{ path: 'benefitsOther', message: 'Autre prestation : précisez laquelle.' }]],
    ['a named other benefit without « Autre »', { benefits: ['rsa'], benefitsOther: 'Prime' }, [{ path: 'benefitsOther', message: 'Autre prestation : cochez d’abord « Autre ».' }]],
    ['a justice note without the service', { justiceNote: 'Suivi' }, [{ path: 'justiceNote', message: 'Suivi judiciaire : indiquez d’abord le service (SPIP ou PJJ).' }]],
  ])('refuses %s, naming the field', (_what, change, problems) => {
    expect(sensitiveProblems({ ...NONE, ...change })).toEqual(problems);
  });

  it('reads the form: defaults, benefits in the list order without repeats, unknown values refused in French', () => {
    expect(traineeSensitive.parse({})).toEqual(NONE);
    expect(traineeSensitive.parse({ benefits: ['are', 'rsa', 'are'] }).benefits).toEqual(['rsa', 'are']);
    const bad = traineeSensitive.safeParse({ benefits: ['chomage'], justiceFollowUp: 'police' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['benefits.0', 'Prestation inconnue : RSA, ASS, AAH, ARE ou autre.'],
      ['justiceFollowUp', 'Suivi judiciaire : SPIP, PJJ ou aucun.'],
    ]);
  });
});
