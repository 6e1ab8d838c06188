import type { sessionsContract } from '../../../shared/contract/sessions';
import type { HandlersOf } from '../handler';
import { createEnrolment, setEnrolmentStatus } from './enrolments';
import { assignSlots, generateSlots, getSessionPage, listSessions, saveSession } from './sessions';

export const sessionsHandlers: HandlersOf<typeof sessionsContract> = {
  'sessions.list': listSessions,
  'sessions.get': (ctx, { id }) => getSessionPage(ctx, id),
  'sessions.save': saveSession,
  'slots.generate': generateSlots,
  'slots.assign': assignSlots,
  'enrolments.create': createEnrolment,
  'enrolments.setStatus': setEnrolmentStatus,
};
