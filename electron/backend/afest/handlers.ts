import type { afestContract } from '../../../shared/contract/afest';
import type { HandlersOf } from '../handler';
import {
  afestPage,
  correctSequence,
  listAfestRules,
  listAfests,
  listTutors,
  readAttachment,
  readSignature,
  recordEvaluation,
  recordSequence,
  saveAfest,
  saveAfestRule,
  saveTutor,
  tutorHome,
  uploadAttachment,
  withdrawEvaluation,
  withdrawSequence,
} from './afest';
import { printAfestDossier } from './dossier';

export const afestHandlers: HandlersOf<typeof afestContract> = {
  'afest.tutors': listTutors,
  'afest.saveTutor': saveTutor,
  'afest.list': listAfests,
  'afest.get': (ctx, { id }) => afestPage(ctx, id),
  'afest.save': saveAfest,
  'afest.recordSequence': recordSequence,
  'afest.correctSequence': correctSequence,
  'afest.withdrawSequence': withdrawSequence,
  'afest.recordEvaluation': recordEvaluation,
  'afest.withdrawEvaluation': withdrawEvaluation,
  'afest.uploadAttachment': uploadAttachment,
  'afest.attachment': (ctx, { id }) => readAttachment(ctx, id),
  'afest.signature': (ctx, { id }) => readSignature(ctx, id),
  'afest.rules': (ctx) => listAfestRules(ctx),
  'afest.saveRule': saveAfestRule,
  'afest.tutorHome': tutorHome,
  'afest.dossier': printAfestDossier,
};
