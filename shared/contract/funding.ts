import { z } from 'zod';
import {
  funderInput,
  funderRecord,
  programme,
  programmeInput,
  programmeList,
  referenceImportInput,
  referenceImportResult,
  ruleVersionInput,
} from '../schemas/funding-reference';
import { mutation, none, query } from './define';

/** Funders, their programmes (*dispositifs*) and each programme's dated rule versions (issue #10). */
export const fundingContract = {
  'funders.list': query('funding.read', none, z.array(funderRecord)),
  /** Creates (`create: true`) or updates the funder of this code. */
  'funders.save': mutation('funding.write', funderInput, funderRecord),
  /** Programmes with every rule version (history included) and the one in force today. */
  'programmes.list': query('funding.read', programmeList, z.array(programme)),
  'programmes.save': mutation('funding.write', programmeInput, programme),
  /** Turns the receivers' `programmes` catalogue into programmes (source `reference`) and versions. */
  'programmes.importReference': mutation('funding.write', referenceImportInput, referenceImportResult),
  /** A new rule version; with `replacesId`, a correction of that one (append-only: the old row stays). */
  'programmeRules.add': mutation('funding.write', ruleVersionInput, programme),
} as const;
