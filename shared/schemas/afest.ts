import { z } from 'zod';
import { COMPETENCE_LEVELS, COMPLIANCE_CODES, EVALUATION_KINDS, LEADERS, SEQUENCE_KINDS, minutesBetween } from '../domain/afest';
import { signatureInput } from './attendance';
import { audit, email, id, instant, isoDate, minutes, optionalText, phone, requiredText, time } from './common';

/**
 * AFEST (issue #11): tutors, the set-up of an AFEST, its sequences (work situations, reflective sequences),
 * evaluations, the programme rules and the compliance panel. The rules themselves live in shared/domain/afest.ts.
 */

const sequenceKind = z.enum(SEQUENCE_KINDS, { error: 'Nature de la séquence : mise en situation de travail ou séquence réflexive.' });
const evaluationKind = z.enum(EVALUATION_KINDS, { error: "Nature de l'évaluation : intermédiaire ou finale." });
const leader = z.enum(LEADERS, { error: 'Animée par : le tuteur ou le formateur animateur.' });
const level = z.enum(COMPETENCE_LEVELS, { error: 'Niveau : acquis, en cours ou non acquis.' });
const longText = optionalText(4000);
const plannedMinutes = minutes.max(20_000 * 60, { error: 'Durée invraisemblable.' }).nullish().transform((v) => v ?? null);

/** A company tutor (*tuteur désigné*): an employee of the partner company, not a trainer of the training body. */
export const tutorInput = z.object({
  id: id.optional(),
  companyId: id,
  lastName: requiredText(100),
  firstName: requiredText(100),
  jobTitle: optionalText(120),
  email,
  phone,
  /** Training received as a tutor, experience. */
  tutorTraining: optionalText(1000),
});
export type TutorInput = z.input<typeof tutorInput>;
export const tutor = tutorInput.extend({ id, companyName: z.string(), learners: z.number().int(), ...audit });
export type Tutor = z.infer<typeof tutor>;

/** A target competence, optionally tied to a block of the certification (RNCP « bloc de compétences »). */
export const competenceInput = z.object({ id: id.optional(), label: requiredText(300), blockCode: optionalText(40) });

/**
 * An AFEST's set-up. Everything but the enrolment and the title may wait: the compliance panel says what is
 * missing, and logging a work situation is refused until the analysis and the designation are dated.
 */
const afestFields = z.object({
  id: id.optional(),
  /** The version read, for a change: a change made meanwhile elsewhere is refused rather than overwritten. */
  version: z.number().int().positive().optional(),
  enrolmentId: id,
  programmeId: id.nullish().transform((v) => v ?? null),
  title: requiredText(200),
  companyId: id.nullish().transform((v) => v ?? null),
  tutorId: id.nullish().transform((v) => v ?? null),
  tutorDesignatedOn: isoDate.nullish().transform((v) => v ?? null),
  tutorAcceptedOn: isoDate.nullish().transform((v) => v ?? null),
  facilitatorId: id.nullish().transform((v) => v ?? null),
  conventionRef: optionalText(100),
  analysisDate: isoDate.nullish().transform((v) => v ?? null),
  workSituations: longText,
  tasks: longText,
  criticalPoints: longText,
  adaptations: longText,
  safetyPoints: longText,
  assessmentPlan: longText,
  plannedMinutes,
  pathwayMinutes: plannedMinutes,
  startDate: isoDate.nullish().transform((v) => v ?? null),
  endDate: isoDate.nullish().transform((v) => v ?? null),
  competences: z.array(competenceInput).max(60, { error: '60 compétences visées au plus.' }).default([]),
});
export const afestInput = afestFields
  .refine((a) => !a.tutorAcceptedOn || !a.tutorDesignatedOn || a.tutorAcceptedOn >= a.tutorDesignatedOn, { path: ['tutorAcceptedOn'], error: "L'acceptation du tuteur ne peut précéder sa désignation." })
  .refine((a) => !a.startDate || !a.endDate || a.endDate >= a.startDate, { path: ['endDate'], error: 'La date de fin précède la date de début.' })
  .refine((a) => a.plannedMinutes === null || a.pathwayMinutes === null || a.plannedMinutes <= a.pathwayMinutes, { path: ['pathwayMinutes'], error: "Le parcours ne peut durer moins que l'AFEST qu'il contient." });
export type AfestInput = z.input<typeof afestInput>;

const timeRange = <T extends { start: string; end: string }>(v: T) => minutesBetween(v.start, v.end) > 0;

/** What a sequence states, logged or corrected. */
const sequenceFields = {
  date: isoDate,
  start: time,
  end: time,
  ledBy: leader,
  workstation: optionalText(200),
  tasks: longText,
  intendedLearning: longText,
  observations: longText,
  outOfProduction: z.boolean().default(false),
  /** Record ids of the work situations a reflective sequence looks back on. */
  reviewedIds: z.array(z.uuid({ error: 'Mise en situation inconnue.' })).max(50).default([]),
  competenceIds: z.array(id).max(60).default([]),
  gapExpected: longText,
  gapDone: longText,
  gapAcquired: longText,
  verbalised: longText,
  nextSteps: longText,
};

/** A sequence as logged: who signed it comes with it (the learner and the person who ran it). */
export const sequenceInput = z.object({
  afestId: id,
  kind: sequenceKind,
  ...sequenceFields,
  learnerSignature: signatureInput,
  leaderSignature: signatureInput,
  /** When the screen captured the signatures, on its own clock (kept beside the backend's time). */
  signedAt: instant.optional(),
}).refine(timeRange, { path: ['end'], error: "L'heure de fin doit suivre l'heure de début." });
export type SequenceInput = z.input<typeof sequenceInput>;

/** A correction: a new version of the record with its reason; the signatures stand (the same sequence, restated). */
export const correctSequenceInput = z.object({
  sequenceId: id,
  reason: requiredText(500),
  ...sequenceFields,
}).refine(timeRange, { path: ['end'], error: "L'heure de fin doit suivre l'heure de début." });
export type CorrectSequenceInput = z.input<typeof correctSequenceInput>;

export const withdrawInput = z.object({ id, reason: requiredText(500) });

/** Where a version of an append-only AFEST record stands, and who wrote it. */
const versionFields = {
  withdrawn: z.boolean(),
  supersedesId: z.string().nullable(),
  reason: z.string().nullable(),
  /** In force: no later version supersedes it and it is not withdrawn. */
  current: z.boolean(),
  createdAt: instant,
  createdBy: z.string(),
  createdByName: z.string(),
};

/** One version of a sequence, as the log shows it. */
export const sequence = z.object({
  id,
  recordId: z.uuid(),
  afestId: id,
  kind: sequenceKind,
  date: isoDate,
  start: time,
  end: time,
  minutes: z.number().int(),
  ledBy: leader,
  leaderId: id,
  leaderName: z.string(),
  workstation: z.string().nullable(),
  tasks: z.string().nullable(),
  intendedLearning: z.string().nullable(),
  observations: z.string().nullable(),
  outOfProduction: z.boolean(),
  reviewedIds: z.array(z.string()),
  competenceIds: z.array(z.string()),
  gapExpected: z.string().nullable(),
  gapDone: z.string().nullable(),
  gapAcquired: z.string().nullable(),
  verbalised: z.string().nullable(),
  nextSteps: z.string().nullable(),
  learnerSignatureId: z.string().nullable(),
  leaderSignatureId: z.string().nullable(),
  ...versionFields,
});
export type Sequence = z.infer<typeof sequence>;

export const competenceResult = z.object({ competenceId: id, level, comment: optionalText(1000) });

export const evaluationInput = z.object({
  afestId: id,
  kind: evaluationKind,
  date: isoDate,
  start: time.nullish().transform((v) => v ?? null),
  end: time.nullish().transform((v) => v ?? null),
  evaluatorKind: leader,
  method: optionalText(200),
  comment: longText,
  results: z.array(competenceResult).min(1, { error: 'Évaluez au moins une compétence visée.' }).max(60),
  /** Documents uploaded first (afest.uploadAttachment): photos, work produced, grids. */
  attachments: z.array(id).max(20, { error: '20 pièces jointes au plus.' }).default([]),
  learnerSignature: signatureInput.optional(),
  evaluatorSignature: signatureInput.optional(),
  signedAt: instant.optional(),
})
  .refine((e) => (e.start === null) === (e.end === null), { path: ['end'], error: "Indiquez l'heure de début et l'heure de fin, ou aucune des deux." })
  .refine((e) => e.start === null || e.end === null || minutesBetween(e.start, e.end) > 0, { path: ['end'], error: "L'heure de fin doit suivre l'heure de début." });
export type EvaluationInput = z.input<typeof evaluationInput>;

export const evaluation = z.object({
  id,
  recordId: z.uuid(),
  afestId: id,
  kind: evaluationKind,
  date: isoDate,
  start: time.nullable(),
  end: time.nullable(),
  minutes: z.number().int(),
  evaluatorKind: leader,
  evaluatorId: id,
  evaluatorName: z.string(),
  method: z.string().nullable(),
  comment: z.string().nullable(),
  results: z.array(z.object({ competenceId: id, level, comment: z.string().nullable() })),
  attachments: z.array(z.object({ id, name: z.string(), mime: z.string(), sha256: z.string(), size: z.number().int() })),
  learnerSignatureId: z.string().nullable(),
  evaluatorSignatureId: z.string().nullable(),
  ...versionFields,
});
export type Evaluation = z.infer<typeof evaluation>;

/** A photo or document attached to an evaluation: stored as evidence (documents), its SHA-256 in the ledger. */
export const attachmentInput = z.object({
  name: requiredText(200),
  mime: z.enum(['image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'text/plain'], { error: 'Type de fichier : photo (PNG, JPEG, WebP), PDF ou texte.' }),
  base64: z.string().min(1, { error: 'Le fichier est vide.' }).max(14_000_000, { error: 'Fichier trop lourd (10 Mo au plus).' }).regex(/^[A-Za-z0-9+/=]*$/, { error: 'Fichier illisible.' }),
});

/** A programme's AFEST rules (shared/domain/afest.ts AfestRules), edited as data. */
export const afestRuleInput = z.object({
  programmeId: id,
  minSharePercent: z.number().int().min(1, { error: 'Part minimale : entre 1 et 100 %.' }).max(100, { error: 'Part minimale : entre 1 et 100 %.' }).nullish().transform((v) => v ?? null),
  facilitatorDistinct: z.boolean(),
  note: optionalText(500),
});
export const afestRule = z.object({
  programmeId: id,
  programmeName: z.string(),
  funderName: z.string(),
  minSharePercent: z.number().int().nullable(),
  facilitatorDistinct: z.boolean(),
  note: z.string().nullable(),
  updatedAt: instant,
});

export const complianceCheck = z.object({
  code: z.enum(COMPLIANCE_CODES),
  component: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).nullable(),
  status: z.enum(['pass', 'fail', 'pending', 'na']),
  message: z.string(),
  field: z.string().nullable(),
  sequences: z.array(z.string()),
});
export const complianceReport = z.object({
  compliant: z.boolean(),
  checks: z.array(complianceCheck),
  share: z.object({ plannedPermille: z.number().int().nullable(), realisedPermille: z.number().int().nullable(), minPercent: z.number().int().nullable() }),
});

/** Realised AFEST minutes per kind (the realised-hours engine's), and the pathway's other attended minutes. */
export const afestHours = z.object({
  workSituation: z.number().int(),
  reflective: z.number().int(),
  evaluation: z.number().int(),
  afest: z.number().int(),
  other: z.number().int(),
});

/** One AFEST in the list (and in `afest list --json`). */
export const afestSummary = z.object({
  id,
  title: z.string(),
  enrolmentId: id,
  traineeId: id,
  traineeName: z.string(),
  sessionId: id,
  sessionLabel: z.string(),
  companyName: z.string().nullable(),
  tutorId: z.string().nullable(),
  tutorName: z.string().nullable(),
  facilitatorName: z.string().nullable(),
  programmeName: z.string().nullable(),
  phase: z.enum(['engineering', 'running', 'evaluated']),
  compliant: z.boolean(),
  failures: z.number().int(),
  hours: afestHours,
  share: complianceReport.shape.share,
  lastSequenceDate: isoDate.nullable(),
});
export type AfestSummary = z.infer<typeof afestSummary>;

/** The AFEST page: set-up, the log with every version, evaluations, hours and compliance. */
export const afestPage = z.object({
  afest: afestFields.extend({
    id,
    version: z.number().int(),
    competences: z.array(z.object({ id, label: z.string(), blockCode: z.string().nullable() })),
    ...audit,
  }),
  summary: afestSummary,
  trainee: z.object({ id, name: z.string(), fictitious: z.boolean() }),
  company: z.object({ id, name: z.string(), siret: z.string() }).nullable(),
  tutor: z.object({ id, name: z.string(), jobTitle: z.string().nullable(), tutorTraining: z.string().nullable(), companyName: z.string() }).nullable(),
  facilitator: z.object({ id, name: z.string() }).nullable(),
  programme: z.object({ id, name: z.string(), funderName: z.string() }).nullable(),
  rules: z.object({ minSharePercent: z.number().int().nullable(), facilitatorDistinct: z.boolean(), fromProgramme: z.boolean() }),
  sequences: z.array(sequence),
  evaluations: z.array(evaluation),
  compliance: complianceReport,
});
export type AfestPage = z.infer<typeof afestPage>;

/** Tutor mode: the chosen tutor's learners and what was logged today. */
export const tutorHome = z.object({
  tutor: z.object({ id, name: z.string(), companyName: z.string() }),
  today: isoDate,
  learners: z.array(z.object({
    afestId: id,
    title: z.string(),
    traineeId: id,
    traineeName: z.string(),
    compliant: z.boolean(),
    canLogWorkSituation: z.boolean(),
    /** Why not, when not (the analysis or the designation missing): the sentence the screen shows. */
    blocked: z.string().nullable(),
    today: z.array(sequence),
    lastSequenceDate: isoDate.nullable(),
    workSituationMinutes: z.number().int(),
  })),
});
export type TutorHome = z.infer<typeof tutorHome>;
