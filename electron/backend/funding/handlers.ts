import type { fundingContract } from '../../../shared/contract/funding';
import type { HandlersOf } from '../handler';
import { importReferenceProgrammes } from './import';
import { addRuleVersion, listFunderRecords, listProgrammes, saveFunder, saveProgramme } from './reference';

export const fundingHandlers: HandlersOf<typeof fundingContract> = {
  'funders.list': (ctx) => listFunderRecords(ctx),
  'funders.save': saveFunder,
  'programmes.list': (ctx, filter) => listProgrammes(ctx, filter),
  'programmes.save': (ctx, data) => saveProgramme(ctx, data),
  'programmes.importReference': (ctx, { receiverId }) => importReferenceProgrammes(ctx, receiverId),
  'programmeRules.add': addRuleVersion,
};
