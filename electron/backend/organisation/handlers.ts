import type { organisationContract } from '../../../shared/contract/organisation';
import type { HandlersOf } from '../handler';
import { getOrganisation, saveOrganisation } from './organisation';

export const organisationHandlers: HandlersOf<typeof organisationContract> = {
  'organisation.get': (ctx) => getOrganisation(ctx),
  'organisation.save': saveOrganisation,
};
