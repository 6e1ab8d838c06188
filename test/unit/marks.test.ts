import { describe, expect, it } from 'vitest';
import { ABSENCE_CATEGORIES, ATTENDANCE_CATEGORIES, isAbsence, isPresence, PRESENCE_CATEGORIES, type AttendanceCategory } from '../../shared/domain/categories';
import { CATEGORY_FIELDS, checkMark, takesField, type CaptureMethod, type MarkFields } from '../../shared/domain/marks';

const SLOT = 180;

/** The smallest valid mark of each category on a 180-minute slot, and the minutes it attends. */
const VALID: Record<AttendanceCategory, { mark: Partial<MarkFields>; minutes: number }> = {
  present: { mark: {}, minutes: 180 },
  late: { mark: { lateMinutes: 20 }, minutes: 160 },
  'early-leave': { mark: { earlyMinutes: 45 }, minutes: 135 },
  remote: { mark: { remoteMinutes: 150 }, minutes: 150 },
  excused: { mark: { method: 'none', hasSignature: false, reason: 'Convocation' }, minutes: 0 },
  unexcused: { mark: { method: 'none', hasSignature: false }, minutes: 0 },
};

function mark(category: AttendanceCategory, over: Partial<MarkFields> = {}): MarkFields {
  return {
    lateMinutes: 0, earlyMinutes: 0, remoteMinutes: null, reason: null, documentId: null, method: 'signature', hasSignature: true, proxyName: null, checkedBy: null, hasPin: false, hasQrScan: false,
    ...VALID[category].mark,
    ...over,
  };
}

describe('attendance categories', () => {
  it('split into presences and absences, each category in exactly one', () => {
    expect([...PRESENCE_CATEGORIES, ...ABSENCE_CATEGORIES].sort()).toEqual([...ATTENDANCE_CATEGORIES].sort());
    for (const c of ATTENDANCE_CATEGORIES) expect(isAbsence(c)).toBe(!isPresence(c));
    expect(isAbsence(undefined) || isPresence(undefined)).toBe(false);
  });
});

describe('checkMark', () => {
  it.each(ATTENDANCE_CATEGORIES)('accepts the minimal %s mark and gives its attended minutes', (category) => {
    expect(checkMark(category, SLOT, mark(category))).toMatchObject({ ok: true, category, minutes: VALID[category].minutes });
  });

  it('refuses an unknown status and nothing else', () => {
    expect(checkMark(undefined, SLOT, mark('present', { lateMinutes: 999 }))).toEqual({ ok: false, issues: [{ field: 'kind', code: 'unknown' }] });
  });

  // Each minutes field given to every category that does not take it.
  const minuteFields = [['lateMinutes', 10], ['earlyMinutes', 10], ['remoteMinutes', 10]] as const;
  it.each(ATTENDANCE_CATEGORIES.flatMap((c) => minuteFields.filter(([f]) => CATEGORY_FIELDS[c][f] === 'refused').map(([f, v]) => [c, f, v] as const)))(
    '%s refuses %s',
    (category, field, value) => {
      expect(checkMark(category, SLOT, mark(category, { [field]: value }))).toEqual({ ok: false, issues: [{ field, code: 'refused' }] });
    },
  );

  it('refuses late minutes on a present mark (the defect of issue #7)', () => {
    expect(checkMark('present', SLOT, mark('present', { lateMinutes: 15 }))).toEqual({ ok: false, issues: [{ field: 'lateMinutes', code: 'refused' }] });
  });

  it.each([
    ['late', 'lateMinutes', 0, 'required'],
    ['late', 'lateMinutes', 181, 'above-slot'],
    ['late', 'lateMinutes', 180, null], // the whole slot late is still a (zero-minute) late mark
    ['late', 'lateMinutes', 2.5, 'invalid'],
    ['late', 'lateMinutes', Number.NaN, 'invalid'],
    ['early-leave', 'earlyMinutes', 0, 'required'],
    ['early-leave', 'earlyMinutes', -5, 'invalid'],
    ['early-leave', 'earlyMinutes', 200, 'above-slot'],
    ['remote', 'remoteMinutes', 999, 'above-slot'],
    ['remote', 'remoteMinutes', 0, null],
    ['remote', 'remoteMinutes', 180, null],
    ['remote', 'remoteMinutes', null, null], // no log: the whole slot counts
  ] as const)('%s with %s = %s → %s', (category, field, value, code) => {
    const r = checkMark(category, SLOT, mark(category, { [field]: value }));
    if (code === null) expect(r.ok).toBe(true);
    else expect(r).toEqual({ ok: false, issues: [{ field, code }] });
  });

  it('counts a remote mark without connection time as the whole slot, and with it as given', () => {
    expect(checkMark('remote', SLOT, mark('remote', { remoteMinutes: null }))).toMatchObject({ ok: true, minutes: 180 });
    expect(checkMark('remote', SLOT, mark('remote', { remoteMinutes: 95 }))).toMatchObject({ ok: true, minutes: 95 });
  });

  it.each([
    ['excused', { reason: null }, [{ field: 'reason', code: 'required' }]],
    ['excused', { reason: '   ' }, [{ field: 'reason', code: 'required' }]],
    ['excused', { documentId: 'doc' }, []],
    ['unexcused', { reason: 'Sans nouvelles' }, []],
    ['unexcused', { documentId: 'doc' }, [{ field: 'documentId', code: 'refused' }]],
    ['present', { reason: 'Train' }, [{ field: 'reason', code: 'refused' }]],
    ['excused', { method: 'signature', hasSignature: true }, [{ field: 'method', code: 'refused' }]],
  ] as const)('%s with %j', (category, over, issues) => {
    const r = checkMark(category, SLOT, mark(category, over as Partial<MarkFields>));
    expect(r.ok ? [] : r.issues).toEqual(issues);
  });

  // Presences need a capture method, each with its own evidence.
  it.each([
    ['none', {}, [{ field: 'method', code: 'required' }]],
    ['signature', { hasSignature: false }, [{ field: 'signature', code: 'required' }]],
    ['pin', { hasSignature: false }, [{ field: 'pin', code: 'required' }]],
    ['pin', { hasSignature: false, hasPin: true }, []],
    ['pin', { hasSignature: true, hasPin: true }, [{ field: 'signature', code: 'refused' }]],
    ['qr', { hasSignature: false }, [{ field: 'qrScanId', code: 'required' }]],
    ['qr', { hasSignature: false, hasQrScan: true, proxyName: 'Tuteur' }, [{ field: 'proxyName', code: 'refused' }]],
    ['signature', { hasSignature: true, hasPin: true, hasQrScan: true }, [{ field: 'pin', code: 'refused' }, { field: 'qrScanId', code: 'refused' }]],
    ['paper', { hasSignature: false }, [{ field: 'documentId', code: 'required' }, { field: 'checkedBy', code: 'required' }]],
    ['paper', { hasSignature: false, documentId: 'scan', checkedBy: 'Claire' }, []],
    ['proxy', { hasSignature: false }, [{ field: 'proxyName', code: 'required' }]],
    ['proxy', { hasSignature: false, proxyName: '  Mme Roth ', checkedBy: 'Claire' }, [{ field: 'checkedBy', code: 'refused' }]],
  ] as const)('a presence captured by %s with %j', (method, over, issues) => {
    for (const category of PRESENCE_CATEGORIES) {
      const r = checkMark(category, SLOT, mark(category, { method: method as CaptureMethod, hasSignature: false, ...over }));
      expect(r.ok ? [] : r.issues).toEqual(issues);
    }
  });

  it('trims the texts it keeps', () => {
    const r = checkMark('present', SLOT, mark('present', { method: 'proxy', hasSignature: false, proxyName: '  Mme Roth ' }));
    expect(r.ok && r.mark.proxyName).toBe('Mme Roth');
  });

  it('reports every issue of a mark, in screen order', () => {
    const r = checkMark('present', SLOT, mark('present', { lateMinutes: 5, remoteMinutes: 999, method: 'paper', hasSignature: true }));
    expect(r.ok ? [] : r.issues.map((i) => `${i.field}.${i.code}`)).toEqual(['lateMinutes.refused', 'remoteMinutes.refused', 'documentId.required', 'signature.refused', 'checkedBy.required']);
  });

  it('takesField agrees with checkMark: a field it says is not taken is refused', () => {
    const values = { lateMinutes: 10, earlyMinutes: 10, remoteMinutes: 10, reason: 'x', documentId: 'd', signature: true, checkedBy: 'x', proxyName: 'x' } as const;
    for (const category of ATTENDANCE_CATEGORIES) {
      for (const method of isAbsence(category) ? (['none'] as const) : (['signature', 'pin', 'qr', 'paper', 'proxy'] as const)) {
        for (const [field, value] of Object.entries(values) as [keyof typeof values, unknown][]) {
          if (takesField(category, method, field)) continue;
          const over = field === 'signature' ? { hasSignature: true } : { [field]: value };
          const r = checkMark(category, SLOT, mark(category, { method, hasSignature: method === 'signature', documentId: method === 'paper' ? 'scan' : null, checkedBy: method === 'paper' ? 'c' : null, proxyName: method === 'proxy' ? 'p' : null, ...over }));
          expect(r.ok ? [] : r.issues, `${category}/${method}/${field}`).toContainEqual({ field, code: 'refused' });
        }
      }
    }
  });
});

describe('PIN and QR rules (shared/domain/capture-proof.ts)', () => {
  it('a PIN is 4 to 6 digits', async () => {
    const { pinProblem } = await import('../../shared/domain/capture-proof');
    expect(['', '123', '1234', '123456', '1234567', '12a4', ' 1234'].map(pinProblem)).toEqual(['empty', 'length', 'ok', 'ok', 'length', 'digits', 'digits']);
  });

  it('the 5th wrong PIN in a row locks it 5 minutes, then counting starts again', async () => {
    const { afterPinFailure, pinLock } = await import('../../shared/domain/capture-proof');
    let state = { failures: 0, lockedUntilMs: null as number | null };
    for (let i = 1; i <= 4; i++) {
      state = afterPinFailure(state, 1000);
      expect(state).toEqual({ failures: i, lockedUntilMs: null });
    }
    state = afterPinFailure(state, 1000);
    expect(state).toEqual({ failures: 0, lockedUntilMs: 1000 + 5 * 60_000 });
    expect(pinLock(state, 1000 + 4 * 60_000 + 1)).toEqual({ locked: true, minutesLeft: 1 });
    expect(pinLock(state, 1000 + 5 * 60_000)).toEqual({ locked: false });
  });

  it('a QR code is valid from its issue up to, not at, its expiry; typed codes are normalised', async () => {
    const { qrCodeValid, normaliseQrCode, isQrCodeShape } = await import('../../shared/domain/capture-proof');
    expect([999, 1000, 180_999, 181_000].map((now) => qrCodeValid(1000, 181_000, now))).toEqual([false, true, true, false]);
    expect(normaliseQrCode(' ab3-k9z ')).toBe('AB3K9Z');
    expect(['AB3K9Z', 'AB3K9', 'AB0K9Z', 'ABIK9Z'].map(isQrCodeShape)).toEqual([true, false, false, false]);
  });
});
