import { organisation, organisationInput } from '../schemas/organisation';
import { mutation, none, query } from './define';

/** The training body's own profile (*organisme de formation*). */
export const organisationContract = {
  'organisation.get': query('organisation.read', none, organisation.nullable()),
  'organisation.save': mutation('organisation.write', organisationInput, organisation),
} as const;
