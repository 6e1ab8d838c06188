import { z } from 'zod';
import { id, isoDate, listSearch, pageQuery } from '../schemas/common';
import { company, companyInput, trainee, traineeInput, traineeRow, trainer, trainerInput } from '../schemas/people';
import { byId, mutation, query } from './define';
import { pinPerson, pinStatus, setPinInput } from '../schemas/pins';

/** Trainers, companies, trainees. */
export const peopleContract = {
  'trainers.list': query('people.read', listSearch, z.array(trainer)),
  'trainers.save': mutation('people.write', trainerInput, trainer),
  'companies.list': query('people.read', listSearch, z.array(company)),
  'companies.save': mutation('people.write', companyInput, company),
  /** Rows without the sensitive fields; the NIR masked (`nirMasked`) for a user who may read sensitive data. */
  'trainees.list': query('people.read', pageQuery.default({ limit: 10_000, offset: 0 }), z.object({ total: z.number().int(), rows: z.array(traineeRow) })),
  /** The record; its sensitive fields only for a user who may read them; the NIR masked, never whole. */
  'trainees.get': query('people.read', byId, trainee),
  /**
   * The whole NIR of a trainee, on an explicit action (« Afficher »): each display is written to the audit log
   * (`nir.viewed`), hence a write.
   */
  'trainees.revealNir': mutation('people.sensitive.read', byId, z.object({ nir: z.string() })),
  /**
   * A namesake born the same day (accents and case aside) is refused with a `conflict` naming it, unless
   * `confirmDuplicate` says the user checked it is another person; the same NIR twice is always refused.
   */
  'trainees.save': mutation('people.write', traineeInput.extend({ confirmDuplicate: z.boolean().optional() }), trainee),
  /** Trainees that look like the same person (same names and birth date), for the warning with a link. */
  'trainees.namesakes': query(
    'people.read',
    z.object({ id: id.optional(), lastName: z.string().max(100), firstName: z.string().max(100), birthDate: isoDate }),
    z.array(z.object({ id, lastName: z.string(), firstName: z.string(), birthDate: isoDate })),
  ),
  /** Whether a trainee or trainer has a PIN, since when, set by whom: never the PIN itself. */
  'pins.status': query('people.read', pinPerson, pinStatus),
  /** Sets or resets (replaces) a PIN of 4 to 6 digits; only its scrypt hash is kept. */
  'pins.set': mutation('people.write', setPinInput, pinStatus),
  'pins.clear': mutation('people.write', pinPerson, pinStatus),
} as const;
