import { z } from 'zod';
import { apprenticeshipContract, contractInput, contractsFilter, fundingsList, fundingsOwner, fundingsSaveInput, ruptureInput } from '../schemas/funding-lines';
import { byId, mutation, query } from './define';

/** Funding lines of an enrolment or a whole session, and apprenticeship contracts (issue #10). */
export const fundingsContract = {
  /** The lines of one enrolment or one session, with funder and programme names, and the programmes to choose from. */
  'fundings.list': query('funding.read', fundingsOwner, fundingsList),
  /** Replaces the whole set of lines of one enrolment or session: removed lines are tombstoned, changed ones get a new version. */
  'fundings.save': mutation('funding.write', fundingsSaveInput, fundingsList),
  'contracts.list': query('funding.read', contractsFilter, z.array(apprenticeshipContract)),
  'contracts.get': query('funding.read', byId, apprenticeshipContract),
  'contracts.save': mutation('funding.write', contractInput, apprenticeshipContract),
  /** Records the contract's rupture (date within the contract, reason). */
  'contracts.rupture': mutation('funding.write', ruptureInput, apprenticeshipContract),
} as const;
