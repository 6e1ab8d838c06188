import type { catalogueContract } from '../../../shared/contract/catalogue';
import type { HandlersOf } from '../handler';
import { getAction, listActions, listFunders, listPlaces, saveAction, savePlace } from './catalogue';

export const catalogueHandlers: HandlersOf<typeof catalogueContract> = {
  'places.list': (ctx, { search }) => listPlaces(ctx, search),
  'places.save': savePlace,
  'funders.list': (ctx) => listFunders(ctx),
  'actions.list': (ctx, { search }) => listActions(ctx, search),
  'actions.get': (ctx, { id }) => getAction(ctx, id),
  'actions.save': saveAction,
};
