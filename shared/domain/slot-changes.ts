import type { AttendanceCategory } from './categories';
import { attendedMinutes } from './realised-hours';

/**
 * What becomes of a recorded mark when its slot's times change (a correction of a countersigned slot, or a
 * change of a slot whose roll call has begun). The marks store the minutes they attend, so the slot's new
 * length is applied to each: the mark is superseded by a copy with recounted minutes (same status, same
 * capture, same signature). A late arrival, early departure or connection time longer than the new slot no
 * longer makes sense: the slot change is refused until that mark is corrected.
 */
export interface RecordedMarkFigures {
  category: AttendanceCategory;
  lateMinutes: number;
  earlyMinutes: number;
  remoteMinutes: number | null;
  minutes: number;
}

export type Recount =
  | { ok: true; minutes: number; changed: boolean }
  | { ok: false; field: 'lateMinutes' | 'earlyMinutes' | 'remoteMinutes'; value: number };

/**
 * @example recountMark(150, { category: 'late', lateMinutes: 20, earlyMinutes: 0, remoteMinutes: null, minutes: 160 })
 * // { ok: true, minutes: 130, changed: true }
 */
export function recountMark(slotMinutes: number, mark: RecordedMarkFigures): Recount {
  for (const field of ['lateMinutes', 'earlyMinutes', 'remoteMinutes'] as const) {
    const value = mark[field];
    if (value !== null && value > slotMinutes) return { ok: false, field, value };
  }
  const minutes = attendedMinutes(slotMinutes, mark);
  return { ok: true, minutes, changed: minutes !== mark.minutes };
}
