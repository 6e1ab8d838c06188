import { z } from 'zod';
import {
  attendanceKind,
  attendanceKindInput,
  closeSlotInput,
  correctMarkInput,
  mark,
  markVersion,
  recordResult,
  recordRollCallInput,
  rollCall,
  todaySlots,
  uploadDocumentInput,
} from '../schemas/attendance';
import { checksInput, finding } from '../schemas/checks';
import { issuedQrCode, qrScan, scanQrInput } from '../schemas/pins';
import { saveDraftInput, savedDraft } from '../schemas/rollcall-draft';
import { importLogInput } from '../schemas/connection-logs';
import { id, isoDate } from '../schemas/common';
import { hoursQueryInput, hoursRow } from '../schemas/hours';
import { mutation, none, query } from './define';

/** The roll call (*émargement*), its corrections, connection logs, realised hours and coherence checks. */
export const attendanceContract = {
  'attendance.kinds': query('attendance.read', none, z.array(attendanceKind)),
  'attendance.saveKind': mutation('system.admin', attendanceKindInput, attendanceKind),
  'attendance.day': query('attendance.read', z.object({ date: isoDate }), todaySlots),
  'attendance.rollCall': query('attendance.read', z.object({ slotId: id }), rollCall),
  'attendance.drafts': query('attendance.read', z.object({ slotId: id }), z.array(savedDraft)),
  'attendance.saveDraft': mutation('attendance.write', saveDraftInput, z.object({ savedAt: z.string() })),
  'attendance.signatures': query('attendance.read', z.object({ slotId: id }), z.array(z.object({ id, pngBase64: z.string(), closure: z.boolean() }))),
  /** A new short-lived QR code for an open slot (shown by the trainer; the code in clear only in this answer). */
  'attendance.issueQr': mutation('attendance.write', z.object({ slotId: id }), issuedQrCode),
  /** A trainee presents the slot's code: checked by the backend's clock, recorded as a scan the mark cites. */
  'attendance.scanQr': mutation('attendance.write', scanQrInput, qrScan),
  'attendance.record': mutation('attendance.write', recordRollCallInput, recordResult),
  'attendance.close': mutation('attendance.write', closeSlotInput, z.object({ closureId: id, closedAt: z.string(), marks: z.number().int() })),
  'attendance.correct': mutation('attendance.write', correctMarkInput, mark),
  'attendance.history': query('attendance.read', z.object({ slotId: id, enrolmentId: id }), z.array(markVersion)),
  'attendance.uploadDocument': mutation('attendance.write', uploadDocumentInput, z.object({ id, sha256: z.string() })),
  'attendance.importLog': mutation('attendance.write', importLogInput, z.object({ logId: id, rows: z.number().int(), matched: z.number().int(), unmatched: z.array(z.string()) })),
  'attendance.connectionTotals': query('attendance.read', z.object({ sessionId: id }), z.array(z.object({ traineeId: id, traineeName: z.string(), connections: z.number().int(), minutes: z.number().int() }))),
  'hours.realised': query('attendance.read', hoursQueryInput, z.array(hoursRow)),
  'checks.run': query('attendance.read', checksInput.default({}), z.array(finding)),
} as const;
