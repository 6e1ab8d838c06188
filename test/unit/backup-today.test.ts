import { describe, expect, it } from 'vitest';
import { hasBackupOn, lastBackup, type BackupReason, type RetentionEntry } from '../../shared/domain/backup-retention';

/**
 * « La dernière sauvegarde » and « une sauvegarde aujourd'hui » (the backups screen's warning, the daily schedule's
 * trigger): any reason but `restore`, days of the organisation's time zone.
 */
const entry = (file: string, takenAt: string, reason: BackupReason): RetentionEntry => ({ file, takenAt, reason });

describe("the last backup and today's", () => {
  it('takes the newest by time, whatever the order, and never a base a restore replaced', () => {
    const list = [
      entry('a', '2026-11-20T08:00:00.000Z', 'daily'),
      entry('b', '2026-11-23T09:00:00.000Z', 'restore'),
      entry('c', '2026-11-22T17:45:00.000Z', 'manual'),
      entry('d', '2026-11-21T08:00:00.000Z', 'claim'),
    ];
    expect(lastBackup(list)?.file).toBe('c');
    expect(lastBackup([...list].reverse())?.file).toBe('c');
    expect(lastBackup([entry('b', '2026-11-23T09:00:00.000Z', 'restore')])).toBeNull();
    expect(lastBackup([])).toBeNull();
  });

  it("tells the day in the organisation's time zone: 23:30 UTC is already the next day in Paris, not in Cayenne", () => {
    // Paris is UTC+1 in November: 23:30 UTC on the 23rd is 00:30 on the 24th. Cayenne is UTC−3: 20:30 on the 23rd.
    const list = [entry('late', '2026-11-23T23:30:00.000Z', 'daily')];
    expect(hasBackupOn(list, '2026-11-24', 'Europe/Paris')).toBe(true);
    expect(hasBackupOn(list, '2026-11-23', 'Europe/Paris')).toBe(false);
    expect(hasBackupOn(list, '2026-11-23', 'America/Cayenne')).toBe(true);
    expect(hasBackupOn(list, '2026-11-24', 'America/Cayenne')).toBe(false);
  });

  it('counts a manual, pre-migration or pre-claim backup as the day’s, a replaced base not', () => {
    for (const reason of ['daily', 'manual', 'migration', 'claim'] as const) {
      expect(hasBackupOn([entry('x', '2026-11-23T09:00:00.000Z', reason)], '2026-11-23', 'Europe/Paris')).toBe(true);
    }
    expect(hasBackupOn([entry('x', '2026-11-23T09:00:00.000Z', 'restore')], '2026-11-23', 'Europe/Paris')).toBe(false);
    expect(hasBackupOn([], '2026-11-23', 'Europe/Paris')).toBe(false);
  });
});
