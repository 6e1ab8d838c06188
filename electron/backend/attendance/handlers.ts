import type { attendanceContract } from '../../../shared/contract/attendance';
import type { HandlersOf } from '../handler';
import { closeSlot, correctMark, getRollCall, listKinds, markHistory, recordRollCall, saveKind, slotSignatures, slotsOfDay, uploadDocument } from './attendance';
import { listDrafts, saveDraft } from './drafts';
import { localise } from '../../../shared/messages';
import { runChecks } from './checks';
import { connectionTotals, importConnectionLog } from './connection-logs';
import { queryHours } from './hours';
import { issueQrCode, scanQrCode } from './qr';

export const attendanceHandlers: HandlersOf<typeof attendanceContract> = {
  'attendance.kinds': (ctx) => listKinds(ctx),
  'attendance.saveKind': saveKind,
  'attendance.day': (ctx, { date }) => slotsOfDay(ctx, date),
  'attendance.rollCall': (ctx, { slotId }) => getRollCall(ctx, slotId),
  'attendance.drafts': (ctx, { slotId }) => listDrafts(ctx, slotId),
  'attendance.saveDraft': saveDraft,
  'attendance.signatures': (ctx, { slotId }) => slotSignatures(ctx, slotId),
  'attendance.issueQr': (ctx, { slotId }) => issueQrCode(ctx, slotId),
  'attendance.scanQr': scanQrCode,
  'attendance.record': recordRollCall,
  'attendance.close': closeSlot,
  'attendance.correct': correctMark,
  'attendance.history': (ctx, { slotId, enrolmentId }) => markHistory(ctx, slotId, enrolmentId),
  'attendance.uploadDocument': uploadDocument,
  'attendance.importLog': importConnectionLog,
  'attendance.connectionTotals': (ctx, { sessionId }) => connectionTotals(ctx, sessionId),
  'hours.realised': queryHours,
  'checks.run': async (ctx, q) => (await runChecks(ctx, q)).map((f) => ({ ...f, message: localise(f.message, ctx.locale ?? 'fr') })),
};
