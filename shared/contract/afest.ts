import { z } from 'zod';
import {
  afestInput,
  afestPage,
  afestRule,
  afestRuleInput,
  afestSummary,
  attachmentInput,
  correctSequenceInput,
  evaluation,
  evaluationInput,
  sequence,
  sequenceInput,
  tutor,
  tutorHome,
  tutorInput,
  withdrawInput,
} from '../schemas/afest';
import { id, isoDate } from '../schemas/common';
import { byId, mutation, none, query } from './define';

const printedDossier = z.object({ fileName: z.string(), base64: z.string(), shortHash: z.string().regex(/^[0-9a-f]{12}$/), printId: z.string() });

/**
 * AFEST (*action de formation en situation de travail*, D.6313-3-2): tutors, the set-up, the sequence log
 * (work situations and reflective sequences, signed, append-only evidence), evaluations with attachments,
 * the programmes' AFEST rules, the compliance panel, tutor mode and the dossier.
 */
export const afestContract = {
  'afest.tutors': query('afest.read', z.object({ companyId: id.optional() }).strict().default({}), z.array(tutor)),
  'afest.saveTutor': mutation('afest.manage', tutorInput, tutor),
  'afest.list': query('afest.read', z.object({ enrolmentId: id.optional(), tutorId: id.optional() }).strict().default({}), z.array(afestSummary)),
  'afest.get': query('afest.read', byId, afestPage),
  'afest.save': mutation('afest.manage', afestInput, afestPage),
  /** Logs a work situation or a reflective sequence, signed by the learner and by who ran it. */
  'afest.recordSequence': mutation('afest.write', sequenceInput, sequence),
  /** A new version of a sequence, with its reason: the previous version stays in the log and the ledger. */
  'afest.correctSequence': mutation('afest.write', correctSequenceInput, sequence),
  'afest.withdrawSequence': mutation('afest.write', withdrawInput, sequence),
  'afest.recordEvaluation': mutation('afest.write', evaluationInput, evaluation),
  'afest.withdrawEvaluation': mutation('afest.write', withdrawInput, evaluation),
  'afest.uploadAttachment': mutation('afest.write', attachmentInput, z.object({ id, sha256: z.string(), name: z.string(), mime: z.string(), size: z.number().int() })),
  'afest.attachment': query('afest.read', byId, z.object({ id, name: z.string(), mime: z.string(), sha256: z.string(), base64: z.string() })),
  'afest.signature': query('afest.read', byId, z.object({ id, pngBase64: z.string() })),
  'afest.rules': query('afest.read', none, z.array(afestRule)),
  'afest.saveRule': mutation('funding.write', afestRuleInput, afestRule),
  /**
   * Tutor mode: the tutor chosen at its start (until sign-in: renderer/src/lib/acting-tutor.ts keeps the choice)
   * sees only their learners and today's sequences.
   */
  'afest.tutorHome': query('afest.read', z.object({ tutorId: id, date: isoDate.optional() }), tutorHome),
  /** The AFEST dossier (funder, Qualiopi indicator 28): set-up, analysis, signed log, evaluations, compliance; QR. */
  'afest.dossier': mutation('afest.read', byId, printedDossier),
} as const;
