import { z } from 'zod';
import { funderDocument, funderDocumentInput, organisation, organisationInput } from '../schemas/organisation';
import { mutation, none, query } from './define';

/** The training body's own profile (*organisme de formation*). */
export const organisationContract = {
  'organisation.get': query('organisation.read', none, organisation.nullable()),
  'organisation.save': mutation('organisation.write', organisationInput, organisation),
  /** Every funder with the logo and mentions printed on its documents (none set: null). */
  'organisation.funderDocuments': query('organisation.read', none, z.array(funderDocument)),
  'organisation.saveFunderDocument': mutation('organisation.write', funderDocumentInput, funderDocument),
} as const;
