import type { z } from 'zod';
import { checkFundingLines, type FundingReference } from '../../../shared/domain/funding-lines';
import { AppError } from '../../../shared/errors';
import type { FundingLine, FundingsList, fundingsOwner, fundingsSaveInput } from '../../../shared/schemas/funding-lines';
import { inTransaction, stampNew, stampUpdate, type Ctx } from '../context';
import { withRaw } from '../db/raw';
import { enqueue, LATEST_VERSION_SQL } from '../evidence/outbox';
import { enrolmentPayload, getEnrolment } from '../sessions/enrolments';

/**
 * The funding lines of an enrolment or of a whole session (`fundings`, schema 14). The first active line by
 * position stays the enrolment's *primary* funding (sessions/fundings.ts): its funder and file number are
 * the enrolment's `funderCode` / `fileNumber` shown everywhere and sent to the funders.
 */

type Owner = { enrolmentId?: string | undefined; sessionId?: string | undefined };

async function programmeChoices(ctx: Ctx) {
  return ctx.db.selectFrom('programmes').select(['id', 'code', 'name', 'funderCode']).where('deletedAt', 'is', null).orderBy('name').execute();
}

async function activeLines(ctx: Ctx, owner: Owner): Promise<FundingLine[]> {
  let q = ctx.db
    .selectFrom('fundings as f')
    .innerJoin('funders as fu', 'fu.code', 'f.funderCode')
    .leftJoin('programmes as p', 'p.id', 'f.programmeId')
    .select([
      'f.id', 'f.enrolmentId', 'f.sessionId', 'f.funderCode', 'fu.name as funderName', 'f.programmeId', 'p.name as programmeName', 'f.costType',
      'f.shareKind', 'f.shareValue', 'f.fileNumber', 'f.purchaseOrder', 'f.rateCents', 'f.position', 'f.version',
    ])
    .where('f.deletedAt', 'is', null);
  q = owner.enrolmentId ? q.where('f.enrolmentId', '=', owner.enrolmentId) : q.where('f.sessionId', '=', owner.sessionId ?? '');
  return q.orderBy('f.position').execute();
}

async function assertOwner(ctx: Ctx, owner: Owner): Promise<void> {
  if (owner.enrolmentId) {
    await getEnrolment(ctx, owner.enrolmentId);
    return;
  }
  const s = await ctx.db.selectFrom('sessions').select('id').where('id', '=', owner.sessionId ?? '').where('deletedAt', 'is', null).executeTakeFirst();
  if (!s) throw new AppError('not_found', 'Session introuvable.', [{ path: 'sessionId', message: 'Session inconnue.' }]);
}

export async function listFundings(ctx: Ctx, owner: z.output<typeof fundingsOwner>): Promise<FundingsList> {
  await assertOwner(ctx, owner);
  return { lines: await activeLines(ctx, owner), programmes: await programmeChoices(ctx) };
}

/** The funders and programmes a set is checked against (the same check as the editor's). */
export async function fundingReference(ctx: Ctx): Promise<FundingReference> {
  const funders = await ctx.db.selectFrom('funders').select(['code', 'name']).execute();
  return { funders, programmes: await programmeChoices(ctx) };
}

const COMPARED = ['funderCode', 'programmeId', 'costType', 'shareKind', 'shareValue', 'fileNumber', 'purchaseOrder', 'rateCents', 'position'] as const;

/**
 * Replaces the whole set of lines of one enrolment or one session, in one transaction. A line given with
 * the id of one of the owner's active lines updates it (its version goes up only when something changed);
 * the others are new; the owner's lines left out are tombstoned (`deleted_at`, version up). Positions follow
 * the order given. An enrolment whose primary funder or file number changed, and that the funders already
 * know (it was queued), is queued again so they keep its primary funder.
 */
export async function saveFundings(ctx: Ctx, data: z.output<typeof fundingsSaveInput>): Promise<FundingsList> {
  return inTransaction(ctx, async (tx) => {
    const owner: Owner = data.enrolmentId ? { enrolmentId: data.enrolmentId } : { sessionId: data.sessionId };
    await assertOwner(tx, owner);
    const problems = checkFundingLines(data.lines, await fundingReference(tx), { requireOne: Boolean(data.enrolmentId) });
    if (problems.length > 0) {
      throw new AppError('validation', `Financements — ${lineNumber(problems[0]!.path)}${problems[0]!.message}`, problems);
    }
    const before = await activeLines(tx, owner);
    const primaryBefore = before[0] ? `${before[0].funderCode}|${before[0].fileNumber ?? ''}` : '';
    const existing = new Map(before.map((l) => [l.id, l]));
    const kept = new Set<string>();
    for (const [i, line] of data.lines.entries()) {
      if (line.id && existing.has(line.id)) {
        if (kept.has(line.id)) throw new AppError('validation', `Financements — ligne ${i + 1} : cette ligne est donnée deux fois.`, [{ path: `lines.${i}.id`, message: 'Ligne donnée deux fois.' }]);
        kept.add(line.id);
      }
    }
    const stamp = stampUpdate(tx);
    // Removed lines first, then kept lines out of the way (positions are unique among active lines).
    for (const old of before) {
      if (!kept.has(old.id)) {
        await tx.db.updateTable('fundings').set({ deletedAt: stamp.updatedAt, version: old.version + 1, ...stamp }).where('id', '=', old.id).execute();
      }
    }
    const offset = before.reduce((m, l) => Math.max(m, l.position), 0) + data.lines.length;
    for (const old of before) {
      if (kept.has(old.id)) await tx.db.updateTable('fundings').set({ position: old.position + offset }).where('id', '=', old.id).execute();
    }
    for (const [i, line] of data.lines.entries()) {
      const values = {
        funderCode: line.funderCode,
        programmeId: line.programmeId,
        costType: line.costType,
        shareKind: line.shareKind,
        shareValue: line.shareKind === 'remainder' ? null : line.shareValue,
        fileNumber: line.fileNumber,
        purchaseOrder: line.purchaseOrder,
        rateCents: line.rateCents,
        position: i + 1,
      };
      const old = line.id ? existing.get(line.id) : undefined;
      if (old) {
        const changed = COMPARED.some((k) => values[k] !== old[k]);
        await tx.db.updateTable('fundings').set(changed ? { ...values, version: old.version + 1, ...stamp } : { position: values.position }).where('id', '=', old.id).execute();
      } else {
        await tx.db
          .insertInto('fundings')
          .values({ id: tx.newId(), enrolmentId: owner.enrolmentId ?? null, sessionId: owner.sessionId ?? null, programme: null, ...values, ...stampNew(tx) })
          .execute();
      }
    }
    const after = await activeLines(tx, owner);
    if (owner.enrolmentId && after[0] && `${after[0].funderCode}|${after[0].fileNumber ?? ''}` !== primaryBefore) {
      const queued = await withRaw(tx.db, (raw) => raw.get<{ v: number | null }>(LATEST_VERSION_SQL, owner.enrolmentId)!.v);
      if (queued !== null) {
        const enrolment = await getEnrolment(tx, owner.enrolmentId);
        const exit = await tx.db.selectFrom('enrolmentStatuses').select('reason').where('enrolmentId', '=', enrolment.id).where('status', '=', 'exited').executeTakeFirst();
        await enqueue(tx, 'enrolment', enrolment.id, await enrolmentPayload(tx, enrolment, exit?.reason ?? null));
      }
    }
    return { lines: after, programmes: await programmeChoices(tx) };
  });
}

/** `lines.1.shareValue` → « ligne 2 : » (people count lines from 1). */
function lineNumber(path: string): string {
  const m = /^lines\.(\d+)\./.exec(path);
  return m ? `ligne ${Number(m[1]) + 1} : ` : '';
}
