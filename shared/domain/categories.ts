/**
 * The fixed attendance categories every configurable status (`attendance_kinds`) belongs to. Documents,
 * checks, the roll call and the hours engine reason on categories, never on the configurable codes.
 */
export const ATTENDANCE_CATEGORIES = ['present', 'late', 'early-leave', 'excused', 'unexcused', 'remote'] as const;
export type AttendanceCategory = (typeof ATTENDANCE_CATEGORIES)[number];

/** Whole-slot absences: nothing attended, nothing signed. */
export const ABSENCE_CATEGORIES = ['excused', 'unexcused'] as const satisfies readonly AttendanceCategory[];
/** The trainee was there (or connected) for at least part of the slot: a presence is signed. */
export const PRESENCE_CATEGORIES = ['present', 'late', 'early-leave', 'remote'] as const satisfies readonly AttendanceCategory[];

export function isAbsence(category: AttendanceCategory | undefined): category is (typeof ABSENCE_CATEGORIES)[number] {
  return category !== undefined && (ABSENCE_CATEGORIES as readonly string[]).includes(category);
}

export function isPresence(category: AttendanceCategory | undefined): category is (typeof PRESENCE_CATEGORIES)[number] {
  return category !== undefined && (PRESENCE_CATEGORIES as readonly string[]).includes(category);
}
