import { z } from 'zod';
import { listSearch, pageQuery } from '../schemas/common';
import { company, companyInput, trainee, traineeInput, trainer, trainerInput } from '../schemas/people';
import { byId, mutation, query } from './define';

/** Trainers, companies, trainees. */
export const peopleContract = {
  'trainers.list': query('people.read', listSearch, z.array(trainer)),
  'trainers.save': mutation('people.write', trainerInput, trainer),
  'companies.list': query('people.read', listSearch, z.array(company)),
  'companies.save': mutation('people.write', companyInput, company),
  'trainees.list': query('people.read', pageQuery.default({ limit: 10_000, offset: 0 }), z.object({ total: z.number().int(), rows: z.array(trainee) })),
  'trainees.get': query('people.read', byId, trainee),
  'trainees.save': mutation('people.write', traineeInput, trainee),
} as const;
