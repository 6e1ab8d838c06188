import { sql } from 'kysely';
import { stampNew, type Ctx } from '../context';

/**
 * The funders of an enrolment (`fundings`, schema 4). Until co-funding reaches the UI and the claims split
 * minutes between funders, an enrolment has one line, its *primary* funding: the first active line by
 * position, whose funder and file number the contract still shows as the enrolment's `funderCode` and
 * `fileNumber`.
 */

/** SQL joining enrolment `e` (or `enrolment`) to its primary funding line as `alias`. */
export function primaryFundingJoin(alias = 'pf', enrolment = 'e'): string {
  return `LEFT JOIN fundings ${alias} ON ${alias}.id = (SELECT p.id FROM fundings p WHERE p.enrolment_id = ${enrolment}.id AND p.deleted_at IS NULL ORDER BY p.position LIMIT 1)`;
}

/** The same as a Kysely expression: the primary line's id for enrolment alias `e`. */
export const primaryFundingId = sql<string>`(SELECT p.id FROM fundings p WHERE p.enrolment_id = e.id AND p.deleted_at IS NULL ORDER BY p.position LIMIT 1)`;

/** Writes the single funding line of a new enrolment: the whole of it (`remainder`) to one funder. */
export async function addPrimaryFunding(ctx: Ctx, enrolmentId: string, funderCode: string, fileNumber: string | null): Promise<void> {
  await ctx.db
    .insertInto('fundings')
    .values({ id: ctx.newId(), enrolmentId, funderCode, programme: null, fileNumber, costType: 'pedagogique', shareKind: 'remainder', shareValue: null, position: 1, ...stampNew(ctx) })
    .execute();
}
