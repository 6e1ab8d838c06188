import { z } from 'zod';
import { listSearch } from '../schemas/common';
import { place, placeInput } from '../schemas/organisation';
import { action, actionInput } from '../schemas/training';
import { byId, mutation, query } from './define';

/** Places and training actions: what sessions are made of (funders: ./funding.ts). */
export const catalogueContract = {
  'places.list': query('catalogue.read', listSearch, z.array(place)),
  'places.save': mutation('catalogue.write', placeInput, place),
  'actions.list': query('catalogue.read', listSearch, z.array(action)),
  'actions.get': query('catalogue.read', byId, action),
  'actions.save': mutation('catalogue.write', actionInput, action),
} as const;
