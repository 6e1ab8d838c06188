import type { peopleContract } from '../../../shared/contract/people';
import type { HandlersOf } from '../handler';
import { clearPin, pinStatus, setPin } from './pins';
import { findNamesakes, getTrainee, listCompanies, listTrainees, listTrainers, revealNir, saveCompany, saveTrainee, saveTrainer } from './people';

export const peopleHandlers: HandlersOf<typeof peopleContract> = {
  'trainers.list': (ctx, { search }) => listTrainers(ctx, search),
  'trainers.save': saveTrainer,
  'companies.list': (ctx, { search }) => listCompanies(ctx, search),
  'companies.save': saveCompany,
  'trainees.list': listTrainees,
  'trainees.get': (ctx, { id }) => getTrainee(ctx, id),
  'trainees.revealNir': (ctx, { id }) => revealNir(ctx, id),
  'trainees.save': (ctx, { confirmDuplicate, ...data }) => saveTrainee(ctx, data, { confirmDuplicate: confirmDuplicate ?? false }),
  'trainees.namesakes': findNamesakes,
  'pins.status': (ctx, { personKind, personId }) => pinStatus(ctx, personKind, personId),
  'pins.set': (ctx, { personKind, personId, pin }) => setPin(ctx, personKind, personId, pin),
  'pins.clear': (ctx, { personKind, personId }) => clearPin(ctx, personKind, personId),
};
