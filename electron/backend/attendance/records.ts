import { v5 as uuidv5 } from 'uuid';
import type { Raw } from '../db/raw';

/**
 * Sillon's namespace for attendance record ids. **Never change it**: funders know records by these ids.
 */
export const ATTENDANCE_RECORD_NAMESPACE = '17927eef-05cf-4644-808a-d8e1d927f2d1';

/**
 * The id of the attendance record of one trainee (enrolment) on one slot: a UUIDv5 of the pair, not a
 * UUIDv7. The one deliberate exception to "UUIDv7 everywhere": two devices marking the same trainee on
 * the same slot while offline must make versions of **one** funder record, so the id is derived from what
 * they share, not drawn. Records that existed before schema 4 keep their (UUIDv7) ids: they were sent.
 */
export function attendanceRecordId(slotId: string, enrolmentId: string): string {
  return uuidv5(`attendance:${slotId}:${enrolmentId}`, ATTENDANCE_RECORD_NAMESPACE);
}

/** The record of (slot, enrolment), made on first use, inside the caller's transaction. Returns its id. */
export function attendanceRecord(raw: Raw, userId: string, slotId: string, enrolmentId: string, at: string): string {
  const existing = raw.get<{ id: string }>('SELECT id FROM attendance_records WHERE slot_id = ? AND enrolment_id = ?', slotId, enrolmentId);
  if (existing) return existing.id;
  const id = attendanceRecordId(slotId, enrolmentId);
  raw.run('INSERT INTO attendance_records (id, slot_id, enrolment_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)', id, slotId, enrolmentId, at, userId);
  return id;
}
