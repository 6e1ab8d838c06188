import type { rgpdContract } from '../../../shared/contract/rgpd';
import type { HandlersOf } from '../handler';
import { erasurePreview, eraseTrainee, purgeDueErasures } from './erase';
import { exportTrainee } from './export';

/** The RGPD rights of a trainee: access (export) and erasure within the funders' retention. */
export const rgpdHandlers: HandlersOf<typeof rgpdContract> = {
  'rgpd.export': (ctx, q) => exportTrainee(ctx, q.traineeId),
  'rgpd.erasePreview': (ctx, q) => erasurePreview(ctx, q.traineeId),
  'rgpd.erase': (ctx, q) => eraseTrainee(ctx, q),
  'rgpd.purgeDue': (ctx) => purgeDueErasures(ctx),
};
