import type { sessionsContract } from '../../../shared/contract/sessions';
import type { HandlersOf } from '../handler';
import { createEnrolment, setEnrolmentStatus } from './enrolments';
import { assignSlots, generateSlots, getSessionPage, listSessions, saveSession } from './sessions';
import { cancelSlot, correctSlot, reinstateSlot, updateSlot } from './slots';

export const sessionsHandlers: HandlersOf<typeof sessionsContract> = {
  'sessions.list': listSessions,
  'sessions.get': (ctx, { id }) => getSessionPage(ctx, id),
  'sessions.save': saveSession,
  'slots.generate': generateSlots,
  'slots.assign': assignSlots,
  'slots.update': updateSlot,
  'slots.correct': correctSlot,
  'slots.cancel': cancelSlot,
  'slots.reinstate': reinstateSlot,
  'enrolments.create': createEnrolment,
  'enrolments.setStatus': setEnrolmentStatus,
};
