import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForSearch, likeContains, matchesSearch, searchKeyOf, searchTerms, traineeSearchKey } from '../../shared/domain/search';

describe('foldForSearch', () => {
  it.each([
    ['Hélène', 'helene'],
    ['LEFÈVRE', 'lefevre'],
    ['Œuvray', 'oeuvray'],
    ['Lætitia', 'laetitia'],
    ['Çağla', 'cagla'],
    ['Ñúñez', 'nunez'],
    ['Straße', 'strasse'],
    ["N'Diaye", 'n diaye'],
    ['N’Diaye', 'n diaye'],
    ['Jean-Éric', 'jean eric'],
    ['  Anne   MARIE \t', 'anne marie'],
    ['ﬁfi', 'fifi'],
  ])('%s → %s', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });

  it('is idempotent and never leaves an upper-case letter or a combining mark', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const once = foldForSearch(s);
        expect(foldForSearch(once)).toBe(once);
        expect(/\p{M}/u.test(once)).toBe(false);
        expect(once).toBe(once.toLowerCase());
      }),
    );
  });
});

describe('search terms and matching', () => {
  it('splits a search into folded words', () => {
    expect(searchTerms('  Lefèvre hél ')).toEqual(['lefevre', 'hel']);
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms(undefined)).toEqual([]);
  });

  it('matches when every word is in one of the fields, in any order', () => {
    expect(matchesSearch(['LEFÈVRE', 'Hélène'], 'helene lef')).toBe(true);
    expect(matchesSearch(['LEFÈVRE', 'Hélène'], 'helene marc')).toBe(false);
    expect(matchesSearch(['LEFÈVRE', null, 'Hélène'], '')).toBe(true);
  });

  it('builds the trainee key from last name, first name and France Travail id, skipping empty fields', () => {
    expect(traineeSearchKey('LEFÈVRE', 'Hélène', null)).toBe('lefevre helene');
    expect(traineeSearchKey('Martin', 'Sophie', '1234567A')).toBe('martin sophie 1234567a');
    expect(searchKeyOf(['', null, 'A', undefined, 3])).toBe('a 3');
  });

  it('escapes LIKE wildcards', () => {
    expect(likeContains('50%')).toBe('%50\\%%');
    expect(likeContains('a_b\\')).toBe('%a\\_b\\\\%');
  });
});
