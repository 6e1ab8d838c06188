import { describe, expect, it } from 'vitest';
import { correctionSignature } from '../../shared/domain/marks';
import { SIGNATURE_WINDOW_MINUTES, signedOutsideWindow } from '../../shared/domain/signature-window';

describe('correctionSignature: which corrections need a new drawn signature', () => {
  const signedPresent = { category: 'present', method: 'signature', hasSignature: true } as const;
  const signedLate = { category: 'late', method: 'signature', hasSignature: true } as const;
  const absent = { category: 'unexcused', method: 'none', hasSignature: false } as const;
  const byPin = { category: 'present', method: 'pin', hasSignature: false } as const;

  it('keeps the original signature for a typo in late minutes or a change between presences', () => {
    expect(correctionSignature(signedLate, { category: 'late', method: 'signature' })).toBe('kept');
    expect(correctionSignature(signedPresent, { category: 'early-leave', method: 'signature' })).toBe('kept');
    expect(correctionSignature(signedPresent, { category: 'late', method: 'signature' })).toBe('kept');
  });

  it('asks nothing for an absence, a justification received later, or a presence captured otherwise', () => {
    expect(correctionSignature(absent, { category: 'excused', method: 'none' })).toBe('none');
    expect(correctionSignature(signedPresent, { category: 'unexcused', method: 'none' })).toBe('none');
    expect(correctionSignature(absent, { category: 'present', method: 'proxy' })).toBe('none');
    expect(correctionSignature(signedPresent, { category: 'present', method: 'qr' })).toBe('none');
  });

  it('asks a new signature when the trainee never signed this slot by hand', () => {
    expect(correctionSignature(absent, { category: 'present', method: 'signature' })).toBe('new');
    expect(correctionSignature(byPin, { category: 'late', method: 'signature' })).toBe('new');
    // A mark by signature whose image is missing has nothing to keep.
    expect(correctionSignature({ category: 'present', method: 'signature', hasSignature: false }, { category: 'present', method: 'signature' })).toBe('new');
  });
});

describe('signedOutsideWindow: the out-of-hours rule of checks and of the roll-call screen', () => {
  const slot = { date: '2026-11-23', start: '08:30', end: '12:00' };
  it('is 30 minutes either side of the slot, on its day, on the training body’s wall clock', () => {
    expect(SIGNATURE_WINDOW_MINUTES).toBe(30);
    // Paris is UTC+1 in November: 07:00Z is 08:00, exactly 30 min before 08:30 → inside.
    expect(signedOutsideWindow('2026-11-23T07:00:00Z', 'Europe/Paris', slot)).toBeNull();
    // 06:59Z is 07:59, 31 min before → outside.
    expect(signedOutsideWindow('2026-11-23T06:59:00Z', 'Europe/Paris', slot)).toEqual({ date: '2026-11-23', time: '07:59' });
    // 11:30Z is 12:30, exactly 30 min after the end → inside; 11:31Z → outside.
    expect(signedOutsideWindow('2026-11-23T11:30:00Z', 'Europe/Paris', slot)).toBeNull();
    expect(signedOutsideWindow('2026-11-23T11:31:00Z', 'Europe/Paris', slot)).toEqual({ date: '2026-11-23', time: '12:31' });
    // Another day at the right hour is outside.
    expect(signedOutsideWindow('2026-11-24T08:00:00Z', 'Europe/Paris', slot)).toEqual({ date: '2026-11-24', time: '09:00' });
  });

  it('reads the hour in the zone given: 09:05 in Guadeloupe is within a 08:30 slot there', () => {
    // Guadeloupe is UTC−4: 13:05Z is 09:05 local.
    expect(signedOutsideWindow('2026-11-23T13:05:00Z', 'America/Guadeloupe', slot)).toBeNull();
    expect(signedOutsideWindow('2026-11-23T13:05:00Z', 'Europe/Paris', slot)).toEqual({ date: '2026-11-23', time: '14:05' });
  });
});
