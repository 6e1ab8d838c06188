import { z } from 'zod';
import { audit, holidayZone, id, isoDate, minutes, optionalText, requiredText, time } from './common';
import { HALF_DAY_MISMATCH, halfDayFits } from '../domain/half-days';
import { ENROLMENT_STATUSES, type EnrolmentStatus } from '../domain/enrolment-status';

export const MODALITIES = ['presentiel', 'distanciel', 'mixte', 'afest'] as const;
export type Modality = (typeof MODALITIES)[number];
export const modality = z.enum(MODALITIES, { error: 'Modalité : présentiel, distanciel, mixte ou AFEST.' });

/** Nature of the action, as printed on the *certificat de réalisation*. */
export const NATURES = ['action-de-formation', 'bilan-de-competences', 'vae', 'apprentissage'] as const;

/** A training action (*action de formation*), e.g. "CAP Cuisine". */
export const actionInput = z.object({
  id: id.optional(),
  title: requiredText(200),
  code: optionalText(40),
  certificationCode: optionalText(20).refine((v) => v === null || /^(RNCP|RS)\d{1,6}$/.test(v), {
    error: 'Code de certification invalide : RNCP ou RS suivi de chiffres (ex. RNCP37859).',
  }),
  /** Certification level 1–8 (*cadre national des certifications*); null for RS or non-certifying. */
  level: z.number().int().min(1, { error: 'Niveau : de 1 à 8.' }).max(8, { error: 'Niveau : de 1 à 8.' }).nullish().transform((v) => v ?? null),
  nsfCode: optionalText(5).refine((v) => v === null || /^\d{3}[a-z]?$/.test(v), {
    error: 'Code NSF invalide : 3 chiffres suivis éventuellement d’une lettre (ex. 221 ou 221t).',
  }),
  plannedMinutes: minutes.refine((m) => m > 0, { error: 'La durée prévue doit être positive.' }),
  modality,
  nature: z.enum(NATURES).default('action-de-formation'),
});
export type ActionInput = z.input<typeof actionInput>;
export const action = actionInput.extend({ id, ...audit });
export type Action = z.infer<typeof action>;

/** A cohort has fixed dates; rolling entries (*entrées/sorties permanentes*) give each enrolment its own. */
export const SESSION_MODES = ['cohort', 'rolling'] as const;

export const sessionInput = z
  .object({
    id: id.optional(),
    actionId: id,
    label: requiredText(200),
    mode: z.enum(SESSION_MODES, { error: 'Type de session : cohorte ou entrées/sorties permanentes.' }),
    capacity: z.number().int().min(1, { error: 'La capacité doit être d’au moins 1 place.' }).max(10_000),
    startDate: isoDate,
    endDate: isoDate,
    placeId: id.nullish().transform((v) => v ?? null),
  })
  .refine((s) => s.endDate >= s.startDate, { path: ['endDate'], error: 'La date de fin précède la date de début.' });
export type SessionInput = z.input<typeof sessionInput>;
export const session = z.object({
  id,
  actionId: id,
  label: z.string(),
  mode: z.enum(SESSION_MODES),
  capacity: z.number().int(),
  startDate: isoDate,
  endDate: isoDate,
  placeId: id.nullable(),
  ...audit,
});
export type Session = z.infer<typeof session>;

export const HALF_DAYS = ['am', 'pm'] as const;

/** A half-day slot (*créneau*, *demi-journée*). */
export const slot = z.object({
  id,
  sessionId: id,
  date: isoDate,
  halfDay: z.enum(HALF_DAYS),
  start: time,
  end: time,
  minutes,
  modality,
  placeId: id.nullable(),
  trainerIds: z.array(id),
  cancelled: z.boolean(),
  /** Why it was cancelled, when cancelled in the app (an import gives no reason). */
  cancelReason: z.string().nullable(),
  /** The trainer countersigned it (it has a closure): its times, place and trainers change only by correction. */
  countersigned: z.boolean(),
  /** Attendance is recorded on it (marks exist): it can no longer be cancelled. */
  marked: z.boolean(),
  /** How many recorded corrections it has had. */
  corrections: z.number().int(),
});
export type Slot = z.infer<typeof slot>;

export const timetableEntry = z
  .object({
    weekday: z.number().int().min(1, { error: 'Jour : de 1 (lundi) à 7 (dimanche).' }).max(7, { error: 'Jour : de 1 (lundi) à 7 (dimanche).' }),
    halfDay: z.enum(HALF_DAYS, { error: 'Demi-journée : matin (am) ou après-midi (pm).' }),
    start: time,
    end: time,
  })
  .refine((e) => e.end > e.start, { path: ['end'], error: "L'heure de fin doit suivre l'heure de début." })
  .refine((e) => halfDayFits(e.halfDay, e.start, e.end), { path: ['halfDay'], error: HALF_DAY_MISMATCH });
export type TimetableEntryInput = z.input<typeof timetableEntry>;

export const generateSlotsInput = z
  .object({
    sessionId: id,
    from: isoDate,
    to: isoDate,
    timetable: z.array(timetableEntry).min(1, { error: 'Le planning hebdomadaire est vide.' }).max(14),
    modality: modality.optional(),
    placeId: id.nullish(),
    trainerIds: z.array(id).max(10).default([]),
    holidayZone: holidayZone.optional(),
  })
  .refine((g) => g.to >= g.from, { path: ['to'], error: 'La date de fin précède la date de début.' })
  .refine((g) => g.to <= addYears(g.from, 5), { path: ['to'], error: 'Période trop longue : 5 ans au plus.' })
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    g.timetable.forEach((e, i) => {
      const key = `${e.weekday}:${e.halfDay}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['timetable', i, 'halfDay'], message: 'Cette demi-journée figure deux fois dans le planning.' });
      seen.add(key);
    });
  });
export type GenerateSlotsInput = z.input<typeof generateSlotsInput>;

function addYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

export const assignSlotsInput = z.object({
  slotIds: z.array(id).min(1, { error: 'Aucun créneau sélectionné.' }).max(5000),
  placeId: id.nullish(),
  trainerIds: z.array(id).max(10).optional(),
});

/** The reason of a slot's correction or cancellation: said in words, kept with the evidence. */
export const slotReason = requiredText(500);

/** « Modifier » a slot not yet countersigned: every field as it should be. */
export const updateSlotInput = z
  .object({
    slotId: id,
    date: isoDate,
    halfDay: z.enum(HALF_DAYS, { error: 'Demi-journée : matin (am) ou après-midi (pm).' }),
    start: time,
    end: time,
    placeId: id.nullable(),
    trainerIds: z.array(id).max(10),
  })
  .refine((s) => s.end > s.start, { path: ['end'], error: "L'heure de fin doit suivre l'heure de début." })
  .refine((s) => halfDayFits(s.halfDay, s.start, s.end), { path: ['halfDay'], error: HALF_DAY_MISMATCH });
export type UpdateSlotInput = z.input<typeof updateSlotInput>;

/** « Corriger » a countersigned slot: its times, place and trainers, with the reason (date and half-day stay). */
export const correctSlotInput = z
  .object({
    slotId: id,
    start: time,
    end: time,
    placeId: id.nullable(),
    trainerIds: z.array(id).max(10),
    reason: slotReason,
  })
  .refine((s) => s.end > s.start, { path: ['end'], error: "L'heure de fin doit suivre l'heure de début." });
export type CorrectSlotInput = z.input<typeof correctSlotInput>;

export const cancelSlotInput = z.object({ slotId: id, reason: slotReason });
export type CancelSlotInput = z.input<typeof cancelSlotInput>;

export { ENROLMENT_STATUSES, type EnrolmentStatus };

/** Why a trainee left, as funders and the BPF ask. */
export const EXIT_REASONS = ['completed', 'abandon', 'employment', 'health', 'exclusion', 'force-majeure', 'other'] as const;
export const OUTCOMES = ['certified', 'partially-certified', 'not-certified', 'employment-cdi', 'employment-cdd', 'further-training', 'none', 'unknown'] as const;

/** An enrolment (*inscription*): one trainee in one session, funded by one funder under a file number. */
export const enrolmentInput = z
  .object({
    id: id.optional(),
    sessionId: id,
    traineeId: id,
    companyId: id.nullish().transform((v) => v ?? null),
    funderCode: requiredText(40),
    fileNumber: optionalText(60),
    plannedStart: isoDate.optional(),
    plannedEnd: isoDate.optional(),
    plannedMinutes: minutes.optional(),
  })
  .refine((e) => !e.plannedStart || !e.plannedEnd || e.plannedEnd >= e.plannedStart, {
    path: ['plannedEnd'],
    error: 'La date de fin précède la date de début.',
  });
export type EnrolmentInput = z.input<typeof enrolmentInput>;

export const enrolmentStatusInput = z
  .object({
    enrolmentId: id,
    status: z.enum(ENROLMENT_STATUSES, { error: 'Statut : prévu, entré, suspendu ou sorti.' }),
    effectiveDate: isoDate,
    reason: z.enum(EXIT_REASONS).nullish().transform((v) => v ?? null),
    outcome: z.enum(OUTCOMES).nullish().transform((v) => v ?? null),
    note: optionalText(500),
  })
  .refine((s) => s.status !== 'exited' || s.reason !== null, { path: ['reason'], error: 'Le motif de sortie est obligatoire.' });
export type EnrolmentStatusInput = z.input<typeof enrolmentStatusInput>;

export const enrolmentStatusEntry = z.object({
  id,
  status: z.enum(ENROLMENT_STATUSES),
  effectiveDate: isoDate,
  reason: z.enum(EXIT_REASONS).nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});

export const enrolment = z.object({
  id,
  sessionId: id,
  traineeId: id,
  companyId: id.nullable(),
  funderCode: z.string(),
  fileNumber: z.string().nullable(),
  plannedStart: isoDate,
  plannedEnd: isoDate,
  /** The duration planned: the agreed one, else the minutes of the session's slots in the enrolment's dates. */
  plannedMinutes: minutes,
  /** The duration agreed for this enrolment when one was typed in; null: it follows the slots. */
  plannedMinutesAgreed: minutes.nullable(),
  status: z.enum(ENROLMENT_STATUSES),
  entryDate: isoDate.nullable(),
  exitDate: isoDate.nullable(),
  ...audit,
});
export type Enrolment = z.infer<typeof enrolment>;

export const funder = z.object({ code: z.string(), name: z.string(), kind: z.string() });
export type Funder = z.infer<typeof funder>;

export { holidayZone };
