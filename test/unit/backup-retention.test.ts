import { describe, expect, it } from 'vitest';
import { planRetention, type BackupReason, type RetentionEntry } from '../../shared/domain/backup-retention';

/** One backup taken at `at` (UTC), named after that instant so the expectations read as dates. */
const entry = (at: string, reason: BackupReason = 'daily'): RetentionEntry => ({ file: `${at}-${reason}`, takenAt: at, reason });
const kept = (plan: ReturnType<typeof planRetention>) => plan.keep.map((k) => k.file);

describe('backup retention (7 daily, 4 weekly, 12 monthly)', () => {
  it('keeps 10 of 40 daily backups: the last 7 days, the newest of 4 ISO weeks, the newest of each month', () => {
    // 2026-10-15 … 2026-11-23, one a day at 08:00 UTC (09:00 or 10:00 in Paris: the same date).
    const entries: RetentionEntry[] = [];
    for (let d = Date.UTC(2026, 9, 15); d <= Date.UTC(2026, 10, 23); d += 86_400_000) entries.push(entry(`${new Date(d).toISOString().slice(0, 10)}T08:00:00.000Z`));
    expect(entries).toHaveLength(40);
    // Now: Monday 2026-11-23. Days: 17 → 23 November. ISO weeks: 23 Nov (the 23rd), 16–22 Nov (the 22nd), 9–15 Nov
    // (the 15th), 2–8 Nov (the 8th). Months: November (the 23rd), October (the 31st).
    const plan = planRetention(entries, 'Europe/Paris', new Date('2026-11-23T10:00:00Z'));
    const day = (d: string) => `2026-${d}T08:00:00.000Z-daily`;
    expect(kept(plan)).toEqual(['11-23', '11-22', '11-21', '11-20', '11-19', '11-18', '11-17', '11-15', '11-08', '10-31'].map(day));
    expect(plan.keep.find((k) => k.file === day('11-23'))!.because).toEqual(['newest', 'day', 'week', 'month']);
    expect(plan.keep.find((k) => k.file === day('11-22'))!.because).toEqual(['day', 'week']);
    expect(plan.keep.find((k) => k.file === day('11-15'))!.because).toEqual(['week']);
    expect(plan.keep.find((k) => k.file === day('10-31'))!.because).toEqual(['month']);
    expect(plan.drop).toHaveLength(30);
    expect(plan.drop[0]).toBe(day('10-15'));
    expect(plan.drop.at(-1)).toBe(day('11-16'));
  });

  it("counts days and weeks in the organisation's time zone, not in UTC", () => {
    // 23:30 UTC is 00:30 the next day in Paris (UTC+1 in November): taken 10 → 22 Nov UTC, local days 11 → 23 Nov.
    const entries: RetentionEntry[] = [];
    for (let d = 10; d <= 22; d++) entries.push(entry(`2026-11-${d}T23:30:00.000Z`));
    const plan = planRetention(entries, 'Europe/Paris', new Date('2026-11-23T12:00:00Z'));
    // Local days 17 → 23 are the files of 16 → 22 UTC; the week of 9–15 Nov (local) keeps local 15 = file of the 14th.
    expect(kept(plan)).toEqual(['22', '21', '20', '19', '18', '17', '16', '14'].map((d) => `2026-11-${d}T23:30:00.000Z-daily`));
    expect(plan.drop).toEqual(['10', '11', '12', '13', '15'].map((d) => `2026-11-${d}T23:30:00.000Z-daily`));
  });

  it('places a month boundary in the time zone: Paris and Cayenne disagree on 31 October 23:30 UTC', () => {
    const noon = entry('2026-10-31T12:00:00.000Z');
    const late = entry('2026-10-31T23:30:00.000Z'); // Paris: 1 Nov 00:30; Cayenne (UTC−3): 31 Oct 20:30
    const now = new Date('2027-01-15T10:00:00Z'); // far enough that no day or week slot reaches them
    expect(kept(planRetention([noon, late], 'Europe/Paris', now))).toEqual([late.file, noon.file]);
    const cayenne = planRetention([noon, late], 'America/Cayenne', now);
    expect(kept(cayenne)).toEqual([late.file]);
    expect(cayenne.drop).toEqual([noon.file]);
  });

  it('keeps migration, claim, manual and restore backups of the last 12 months, and no older', () => {
    const entries = [
      entry('2025-06-01T10:00:00.000Z', 'migration'), // June 2025: outside the 12 months (Dec 2025 → Nov 2026)
      entry('2025-11-30T10:00:00.000Z', 'manual'), // November 2025: outside
      entry('2025-12-01T10:00:00.000Z', 'manual'), // December 2025: the oldest month of the window
      entry('2026-03-05T09:00:00.000Z', 'daily'),
      entry('2026-03-10T09:00:00.000Z', 'claim'),
      entry('2026-03-12T09:00:00.000Z', 'restore'),
      entry('2026-03-20T09:00:00.000Z', 'daily'),
      entry('2026-11-20T09:00:00.000Z', 'daily'),
    ];
    const plan = planRetention(entries, 'Europe/Paris', new Date('2026-11-23T10:00:00Z'));
    expect(plan.keep).toEqual([
      { file: '2026-11-20T09:00:00.000Z-daily', because: ['newest', 'day', 'week', 'month'] },
      { file: '2026-03-20T09:00:00.000Z-daily', because: ['month'] },
      { file: '2026-03-12T09:00:00.000Z-restore', because: ['protected'] },
      { file: '2026-03-10T09:00:00.000Z-claim', because: ['protected'] },
      { file: '2025-12-01T10:00:00.000Z-manual', because: ['month', 'protected'] },
    ]);
    expect(plan.drop).toEqual(['2025-06-01T10:00:00.000Z-migration', '2025-11-30T10:00:00.000Z-manual', '2026-03-05T09:00:00.000Z-daily']);
  });

  it('never drops the newest backup, even older than every window', () => {
    const plan = planRetention([entry('2024-01-01T10:00:00.000Z'), entry('2024-02-01T10:00:00.000Z')], 'Europe/Paris', new Date('2026-11-23T10:00:00Z'));
    expect(plan.keep).toEqual([{ file: '2024-02-01T10:00:00.000Z-daily', because: ['newest'] }]);
    expect(plan.drop).toEqual(['2024-01-01T10:00:00.000Z-daily']);
  });

  it('keeps what it cannot place: dated after now (a clock set back) or unreadable', () => {
    const future = entry('2026-12-01T10:00:00.000Z');
    const bad: RetentionEntry = { file: 'bad', takenAt: 'hier', reason: 'daily' };
    const today = entry('2026-11-23T08:00:00.000Z');
    const old = entry('2026-11-23T07:00:00.000Z');
    const plan = planRetention([old, future, bad, today], 'Europe/Paris', new Date('2026-11-23T10:00:00Z'));
    expect(plan.keep).toEqual([
      { file: future.file, because: ['undated'] },
      { file: 'bad', because: ['undated'] },
      { file: today.file, because: ['newest', 'day', 'week', 'month'] },
    ]);
    expect(plan.drop).toEqual([old.file]);
  });

  it('keeps nothing and drops nothing for an empty folder', () => {
    expect(planRetention([], 'Europe/Paris', new Date('2026-11-23T10:00:00Z'))).toEqual({ keep: [], drop: [] });
  });
});
