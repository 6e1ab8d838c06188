import { z } from 'zod';
import { listSearch } from '../schemas/common';
import { place, placeInput } from '../schemas/organisation';
import { action, actionInput, funder } from '../schemas/training';
import { byId, mutation, none, query } from './define';

/** Places, funders and training actions: what sessions are made of. */
export const catalogueContract = {
  'places.list': query('catalogue.read', listSearch, z.array(place)),
  'places.save': mutation('catalogue.write', placeInput, place),
  'funders.list': query('catalogue.read', none, z.array(funder)),
  'actions.list': query('catalogue.read', listSearch, z.array(action)),
  'actions.get': query('catalogue.read', byId, action),
  'actions.save': mutation('catalogue.write', actionInput, action),
} as const;
