import type { organisationContract } from '../../../shared/contract/organisation';
import type { HandlersOf } from '../handler';
import { listFunderDocuments, saveFunderDocument } from './funder-documents';
import { getOrganisation, saveOrganisation } from './organisation';

export const organisationHandlers: HandlersOf<typeof organisationContract> = {
  'organisation.get': (ctx) => getOrganisation(ctx),
  'organisation.save': saveOrganisation,
  'organisation.funderDocuments': (ctx) => listFunderDocuments(ctx),
  'organisation.saveFunderDocument': saveFunderDocument,
};
