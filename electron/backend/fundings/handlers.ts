import type { fundingsContract } from '../../../shared/contract/fundings';
import type { HandlersOf } from '../handler';
import { getContract, listContracts, ruptureContract, saveContract } from './contracts';
import { listFundings, saveFundings } from './lines';

export const fundingsHandlers: HandlersOf<typeof fundingsContract> = {
  'fundings.list': listFundings,
  'fundings.save': saveFundings,
  'contracts.list': listContracts,
  'contracts.get': (ctx, { id }) => getContract(ctx, id),
  'contracts.save': saveContract,
  'contracts.rupture': ruptureContract,
};
