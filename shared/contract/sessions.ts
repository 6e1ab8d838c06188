import { z } from 'zod';
import { id, isoDate } from '../schemas/common';
import { place } from '../schemas/organisation';
import { trainer } from '../schemas/people';
import {
  action,
  assignSlotsInput,
  cancelSlotInput,
  correctSlotInput,
  enrolment,
  enrolmentInput,
  enrolmentStatusEntry,
  enrolmentStatusInput,
  generateSlotsInput,
  session,
  sessionInput,
  slot,
  updateSlotInput,
} from '../schemas/training';
import { byId, mutation, query } from './define';

export const sessionSummary = session.extend({
  actionTitle: z.string(),
  enrolled: z.number().int(),
  slotCount: z.number().int(),
  plannedMinutes: z.number().int(),
});

export const enrolmentRow = enrolment.extend({
  traineeName: z.string(),
  companyName: z.string().nullable(),
  history: z.array(enrolmentStatusEntry),
});

export const sessionPage = z.object({
  session,
  action,
  place: place.nullable(),
  slots: z.array(slot),
  enrolments: z.array(enrolmentRow),
  trainers: z.array(trainer),
  places: z.array(place),
});
export type SessionPage = z.infer<typeof sessionPage>;

/** Sessions, their half-day slots and their enrolments (*inscriptions*). */
export const sessionsContract = {
  'sessions.list': query('sessions.read', z.object({ actionId: id.optional(), search: z.string().max(100).optional() }).default({}), z.array(sessionSummary)),
  'sessions.get': query('sessions.read', byId, sessionPage),
  'sessions.save': mutation('sessions.write', sessionInput, session),
  'slots.generate': mutation('sessions.write', generateSlotsInput, z.object({
    created: z.number().int(),
    skippedHolidays: z.array(z.object({ date: isoDate, name: z.string() })),
    skippedExisting: z.number().int(),
    /** The session's slots (all of them, after generation) exceed the action's planned minutes: a warning. */
    overPlanned: z.object({ generated: z.number().int(), planned: z.number().int(), over: z.number().int() }).nullable(),
  })),
  'slots.assign': mutation('sessions.write', assignSlotsInput, z.object({ updated: z.number().int() })),
  /** A slot not yet countersigned, changed freely; `recounted`: marks superseded with the new length's minutes. */
  'slots.update': mutation('sessions.write', updateSlotInput, z.object({ recounted: z.number().int() })),
  /** A countersigned slot's times, place, trainers: through a recorded correction (evidence), reason required. */
  'slots.correct': mutation('sessions.write', correctSlotInput, z.object({ correctionId: id, recounted: z.number().int() })),
  'slots.cancel': mutation('sessions.write', cancelSlotInput, z.object({ cancelled: z.literal(true) })),
  'slots.reinstate': mutation('sessions.write', z.object({ slotId: id }), z.object({ cancelled: z.literal(false) })),
  'enrolments.create': mutation('enrolments.write', enrolmentInput, enrolment),
  'enrolments.setStatus': mutation('enrolments.write', enrolmentStatusInput, enrolment),
} as const;
