import type { catalogueContract } from '../../../shared/contract/catalogue';
import type { HandlersOf } from '../handler';
import { getAction, listActions, listPlaces, saveAction, savePlace } from './catalogue';

export const catalogueHandlers: HandlersOf<typeof catalogueContract> = {
  'places.list': (ctx, { search }) => listPlaces(ctx, search),
  'places.save': savePlace,
  'actions.list': (ctx, { search }) => listActions(ctx, search),
  'actions.get': (ctx, { id }) => getAction(ctx, id),
  'actions.save': saveAction,
};
