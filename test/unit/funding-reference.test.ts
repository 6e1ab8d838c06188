import { describe, expect, it } from 'vitest';
import { overlapProblem, referenceUnit, versionInForce, versionState, windowsOverlap } from '../../shared/domain/funding-reference';

describe('rule version windows (shared/domain/funding-reference.ts)', () => {
  it.each([
    [['2026-01-01', '2026-06-30'], ['2026-07-01', null], false],
    [['2026-01-01', '2026-07-01'], ['2026-07-01', null], true],
    [['2026-01-01', null], ['2030-01-01', '2030-12-31'], true],
    [['2027-01-01', null], ['2026-01-01', '2026-12-31'], false],
    [['2026-03-01', '2026-03-31'], ['2026-01-01', '2026-12-31'], true],
  ] as const)('%j and %j overlap: %s', (a, b, expected) => {
    expect(windowsOverlap({ validFrom: a[0], validTo: a[1] }, { validFrom: b[0], validTo: b[1] })).toBe(expected);
    expect(windowsOverlap({ validFrom: b[0], validTo: b[1] }, { validFrom: a[0], validTo: a[1] })).toBe(expected);
  });

  it('ignores replaced versions and the one being corrected', () => {
    const versions = [
      { id: 'a', validFrom: '2026-01-01', validTo: '2026-12-31', replacesId: null },
      { id: 'b', validFrom: '2026-01-01', validTo: '2026-12-31', replacesId: 'a' },
    ];
    expect(overlapProblem({ validFrom: '2026-06-01', validTo: null, replacesId: 'b' }, versions)).toBeNull();
    expect(overlapProblem({ validFrom: '2026-06-01', validTo: null }, versions)).toBe('La version du 01/06/2026 sans date de fin chevauche celle du 01/01/2026 au 31/12/2026.');
    const replaced = new Set(['a']);
    expect(versions.map((v) => versionState(v, replaced, '2027-01-01'))).toEqual(['replaced', 'ended']);
    expect(versions.map((v) => versionState(v, replaced, '2025-12-31'))).toEqual(['replaced', 'future']);
    expect(versionInForce(versions, '2026-12-31')?.id).toBe('b');
    expect(versionInForce(versions, '2027-01-01')).toBeNull();
  });
});

describe("a receiver's billing unit", () => {
  it.each([['hour', 'trainee-hour'], ['HOUR', 'trainee-hour'], ['forfait', 'learner-lump-sum'], ['day', 'day'], ['per-moon', null], [undefined, null]] as const)('%s → %s', (unit, expected) => {
    expect(referenceUnit(unit)).toBe(expected);
  });
});
