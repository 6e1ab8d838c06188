import type { peopleContract } from '../../../shared/contract/people';
import type { HandlersOf } from '../handler';
import { findNamesakes, getTrainee, listCompanies, listTrainees, listTrainers, saveCompany, saveTrainee, saveTrainer } from './people';

export const peopleHandlers: HandlersOf<typeof peopleContract> = {
  'trainers.list': (ctx, { search }) => listTrainers(ctx, search),
  'trainers.save': saveTrainer,
  'companies.list': (ctx, { search }) => listCompanies(ctx, search),
  'companies.save': saveCompany,
  'trainees.list': listTrainees,
  'trainees.get': (ctx, { id }) => getTrainee(ctx, id),
  'trainees.save': (ctx, { confirmDuplicate, ...data }) => saveTrainee(ctx, data, { confirmDuplicate: confirmDuplicate ?? false }),
  'trainees.namesakes': findNamesakes,
};
