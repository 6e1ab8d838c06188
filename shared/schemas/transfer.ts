import { z } from 'zod';
import { funderDocumentInput, organisationInput, placeInput } from './organisation';
import { companyInput, traineeInput, trainerInput } from './people';
import { actionInput, ENROLMENT_STATUSES, EXIT_REASONS, HALF_DAYS, modality, OUTCOMES, SESSION_MODES, timetableEntry } from './training';
import { isoDate, minutes, optionalText, requiredText, time } from './common';
import { funderInput } from './funding-reference';

/**
 * The import / export file: JSON Lines, one record per line, in dependency order. `ref` names a record
 * so later lines can point at it (`action`, `session`, `trainee`…); refs are local to the file. The format
 * is documented in docs/import-format.md.
 */
const ref = z.string({ error: 'Référence obligatoire.' }).min(1, { error: 'Référence obligatoire.' }).max(80);
const noId = { id: z.undefined({ error: "Pas d'identifiant interne dans un fichier d'import : utilisez « ref »." }).optional() };

export const transferLine = z.discriminatedUnion(
  'type',
  [
    organisationInput.extend({ type: z.literal('organisation') }),
    placeInput.extend({ type: z.literal('place'), ref, ...noId }),
    trainerInput.extend({ type: z.literal('trainer'), ref, ...noId }),
    companyInput.extend({ type: z.literal('company'), ref, ...noId }),
    traineeInput.extend({ type: z.literal('trainee'), ref, ...noId }),
    actionInput.extend({ type: z.literal('action'), ref, ...noId }),
    z.object({
      type: z.literal('session'),
      ref,
      action: ref,
      label: requiredText(200),
      mode: z.enum(SESSION_MODES, { error: 'Type de session : cohort ou rolling.' }),
      capacity: z.number().int().min(1),
      startDate: isoDate,
      endDate: isoDate,
      place: ref.optional(),
      /** Optional weekly timetable: slots are generated over the session's dates, holidays skipped. */
      timetable: z.array(timetableEntry).optional(),
      trainers: z.array(ref).optional(),
    }),
    z.object({
      type: z.literal('slot'),
      session: ref,
      date: isoDate,
      halfDay: z.enum(HALF_DAYS),
      start: time,
      end: time,
      modality,
      place: ref.nullish(),
      trainers: z.array(ref).default([]),
      cancelled: z.boolean().default(false),
    }),
    z.object({
      type: z.literal('enrolment'),
      ref: ref.optional(),
      session: ref,
      trainee: ref,
      company: ref.nullish(),
      funderCode: requiredText(40),
      fileNumber: optionalText(60),
      plannedStart: isoDate.optional(),
      plannedEnd: isoDate.optional(),
      plannedMinutes: minutes.optional(),
      statuses: z
        .array(
          z.object({
            status: z.enum(ENROLMENT_STATUSES),
            effectiveDate: isoDate,
            reason: z.enum(EXIT_REASONS).nullish(),
            outcome: z.enum(OUTCOMES).nullish(),
            note: optionalText(500),
          }),
        )
        .default([]),
    }),
    /** A funder the enrolments or funder documents below name: created when its code is new, else updated. */
    funderInput.omit({ create: true }).extend({ type: z.literal('funder') }),
    /** A funder's logo (base64 PNG or JPEG) and required mentions, printed on its documents. */
    funderDocumentInput.extend({ type: z.literal('funder-document') }),
  ],
  { error: 'Type de ligne inconnu : organisation, place, trainer, company, trainee, action, session, slot, enrolment, funder ou funder-document.' },
);
export type TransferLine = z.output<typeof transferLine>;
