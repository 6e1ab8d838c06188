import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { checkDraft, emptyDraft, formatInstant, formatTime, toMarkFields, type Draft } from '../../renderer/src/pages/attendance/model';

// The roll-call screen's model speaks the shared mark rules' codes in its own words: the key is enough here.
const t = ((key: string) => key) as unknown as TFunction;
const draft = (over: Partial<Draft>): Draft => ({ ...emptyDraft('k'), signature: { strokes: [[[1, 1, 0]]], pngBase64: '' }, ...over });

describe('roll-call row checks (shared rules, screen words)', () => {
  it.each([
    ['late', { lateMinutes: '' }, { lateMinutes: 'attendance.errors.lateMinutes' }],
    ['late', { lateMinutes: '1,5' }, { lateMinutes: 'attendance.errors.lateMinutes' }],
    ['late', { lateMinutes: '200' }, { lateMinutes: 'attendance.errors.tooManyMinutes' }],
    ['early-leave', { earlyMinutes: '30' }, {}],
    ['remote', { remoteMinutes: '999' }, { remoteMinutes: 'attendance.errors.remoteMinutes' }],
    ['remote', { remoteMinutes: '' }, {}],
    ['excused', { reason: ' ' }, { reason: 'attendance.errors.reason' }],
    ['present', { method: 'paper', signature: null }, { scan: 'attendance.errors.scan', checkedBy: 'attendance.errors.checkedBy' }],
    ['present', { method: 'proxy', signature: null }, { proxyName: 'attendance.errors.proxyName' }],
    ['present', { signature: null }, { signature: 'attendance.errors.signature' }],
  ] as const)('%s with %j', (category, over, errors) => {
    expect(checkDraft(draft(over as Partial<Draft>), category, 180, t)).toEqual(errors);
  });

  it('a row switched from late to present sends no late minutes, so the backend has nothing to refuse', () => {
    const d = draft({ lateMinutes: '20', remoteMinutes: '50', reason: 'Train' });
    expect(toMarkFields(d, 'present')).toMatchObject({ lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, reason: null });
    expect(checkDraft(d, 'present', 180, t)).toEqual({});
  });

  it('a correction may keep the drawn signature', () => {
    expect(checkDraft(draft({ signature: null }), 'present', 180, t, { keepsSignature: true })).toEqual({});
  });
});

describe('times shown in the training body zone', () => {
  // 12:30 UTC on 16 Nov 2026: 13:30 in Paris (UTC+1 in winter), 09:30 in Cayenne (UTC−3), 16:30 in Réunion (UTC+4).
  it.each([
    ['Europe/Paris', '13:30'],
    ['America/Cayenne', '09:30'],
    ['Indian/Reunion', '16:30'],
  ])('%s → %s', (zone, time) => {
    expect(formatTime('2026-11-16T12:30:00Z', 'fr', zone)).toBe(time);
    expect(formatInstant('2026-11-16T12:30:00Z', 'fr', zone)).toBe(`16/11/2026 ${time}`);
  });
});
