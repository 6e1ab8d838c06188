/**
 * Funders, programmes and their dated rule versions (issue #10): the reference data a manager keeps and the
 * claim engine reads. Rule versions are append-only (`programme_rules` triggers): a correction is a new row
 * that `replaces_id` the old one, refused once a claim past draft used the old one.
 */
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { overlapProblem, replacedIds, versionInForce, versionState, windowText } from '../../../shared/domain/funding-reference';
import { fundingRule, type FundingRule } from '../../../shared/schemas/funding';
import type { FunderRecord, Programme, RuleVersion, funderInput, programmeInput, ruleVersionInput } from '../../../shared/schemas/funding-reference';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';
import type { ProgrammeRuleTable, ProgrammeTable } from '../db/schema';
import { todayOf } from '../organisation/organisation';

export async function listFunderRecords(ctx: Ctx): Promise<FunderRecord[]> {
  const rows = await ctx.db
    .selectFrom('funders')
    .leftJoin('programmes', (j) => j.onRef('programmes.funderCode', '=', 'funders.code').on('programmes.deletedAt', 'is', null))
    .select(['funders.code', 'funders.name', 'funders.kind', 'funders.payerCategory', 'funders.siret', 'funders.address', 'funders.postcode', 'funders.city', 'funders.active'])
    .select((eb) => eb.fn.count<number>('programmes.id').as('programmeCount'))
    .groupBy('funders.code')
    .orderBy('funders.name')
    .execute();
  return rows.map((r) => ({ ...r, active: r.active === 1, programmeCount: Number(r.programmeCount) }));
}

export async function saveFunder(ctx: Ctx, data: z.output<typeof funderInput>): Promise<FunderRecord> {
  const { code, create, active, ...fields } = data;
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.db.selectFrom('funders').select('code').where('code', '=', code).executeTakeFirst();
    const row = { ...fields, active: active ? 1 : 0 };
    if (create) {
      if (existing) throw new AppError('conflict', `Le code ${code} est déjà celui d'un financeur.`, [{ path: 'code', message: 'Code déjà pris.' }]);
      await tx.db.insertInto('funders').values({ code, ...row }).execute();
    } else {
      if (!existing) throw new AppError('not_found', `Financeur inconnu : ${code}.`, [{ path: 'code', message: 'Financeur inconnu.' }]);
      await tx.db.updateTable('funders').set(row).where('code', '=', code).execute();
    }
    return (await listFunderRecords(tx)).find((f) => f.code === code)!;
  });
}

function toVersion(row: Selectable<ProgrammeRuleTable>, all: Selectable<ProgrammeRuleTable>[], frozen: ReadonlySet<string>, today: string): RuleVersion {
  const replaced = replacedIds(all);
  return {
    id: row.id,
    programmeId: row.programmeId,
    validFrom: row.validFrom,
    validTo: row.validTo,
    rule: fundingRule.parse(JSON.parse(row.rule)),
    note: row.note,
    replacesId: row.replacesId,
    replacedById: all.find((o) => o.replacesId === row.id)?.id ?? null,
    state: versionState(row, replaced, today),
    frozen: frozen.has(row.id),
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}

/** The rule ids used by a claim that left draft: those versions can no longer be corrected. */
export async function frozenRuleIds(ctx: Ctx, programmeIds: readonly string[]): Promise<Set<string>> {
  if (programmeIds.length === 0) return new Set();
  const rows = await ctx.db
    .selectFrom('claimLines')
    .innerJoin('claims', 'claims.id', 'claimLines.claimId')
    .innerJoin('programmeRules', 'programmeRules.id', 'claimLines.ruleId')
    .select('claimLines.ruleId')
    .distinct()
    .where('claims.status', '<>', 'draft')
    .where('programmeRules.programmeId', 'in', programmeIds)
    .execute();
  return new Set(rows.map((r) => r.ruleId!));
}

async function toProgrammes(ctx: Ctx, rows: Selectable<ProgrammeTable>[]): Promise<Programme[]> {
  const ids = rows.map((r) => r.id);
  const rules = ids.length === 0 ? [] : await ctx.db.selectFrom('programmeRules').selectAll().where('programmeId', 'in', ids).orderBy('validFrom').orderBy('createdAt').execute();
  const frozen = await frozenRuleIds(ctx, ids);
  const today = await todayOf(ctx);
  return rows.map((p) => {
    const own = rules.filter((r) => r.programmeId === p.id);
    const versions = own.map((r) => toVersion(r, own, frozen, today));
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      region: p.region,
      funderCode: p.funderCode,
      euCofunded: p.euCofunded === 1,
      source: p.source,
      versions,
      inForceId: versionInForce(own, today)?.id ?? null,
      version: p.version,
      updatedAt: p.updatedAt,
    };
  });
}

export async function listProgrammes(ctx: Ctx, filter: { funderCode?: string | undefined; id?: string | undefined } = {}): Promise<Programme[]> {
  let q = ctx.db.selectFrom('programmes').selectAll().where('deletedAt', 'is', null);
  if (filter.funderCode) q = q.where('funderCode', '=', filter.funderCode.toUpperCase());
  if (filter.id) q = q.where('id', '=', filter.id);
  return toProgrammes(ctx, await q.orderBy('funderCode').orderBy('code').execute());
}

export async function getProgramme(ctx: Ctx, id: string): Promise<Programme> {
  const [p] = await listProgrammes(ctx, { id });
  if (!p) throw new AppError('not_found', 'Dispositif introuvable.', [{ path: 'programmeId', message: 'Dispositif inconnu.' }]);
  return p;
}

async function requireFunder(ctx: Ctx, code: string): Promise<void> {
  const funder = await ctx.db.selectFrom('funders').select('code').where('code', '=', code).executeTakeFirst();
  if (!funder) throw new AppError('validation', `Financeur inconnu : ${code}.`, [{ path: 'funderCode', message: 'Financeur inconnu.' }]);
}

export async function saveProgramme(ctx: Ctx, data: z.output<typeof programmeInput>, source: 'local' | 'reference' = 'local'): Promise<Programme> {
  const { id, euCofunded, ...rest } = data;
  // The EU flag is the manager's: a save that leaves it out (a reference import) keeps what is there.
  const fields = euCofunded === undefined ? rest : { ...rest, euCofunded: euCofunded ? 1 : 0 };
  return inTransaction(ctx, async (tx) => {
    await requireFunder(tx, fields.funderCode);
    let q = tx.db.selectFrom('programmes').select('id').where('code', '=', fields.code);
    if (id) q = q.where('id', '<>', id);
    if (await q.executeTakeFirst()) {
      throw new AppError('conflict', `Le code ${fields.code} est déjà celui d'un autre dispositif.`, [{ path: 'code', message: 'Code déjà pris.' }]);
    }
    let programmeId = id;
    if (programmeId) {
      const res = await tx.db.updateTable('programmes').set({ ...fields, ...stampVersion(tx) }).where('id', '=', programmeId).where('deletedAt', 'is', null).executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw new AppError('not_found', 'Dispositif introuvable.');
    } else {
      programmeId = tx.newId();
      await tx.db.insertInto('programmes').values({ id: programmeId, euCofunded: 0, ...fields, source, ...stampNew(tx) }).execute();
    }
    return getProgramme(tx, programmeId);
  });
}

/**
 * Adds a rule version; with `replacesId`, a correction of that version (which stays, marked replaced).
 * Refused: an unknown programme or version, a version already replaced or used by a claim past draft, a
 * window overlapping another current version of the programme.
 */
export async function addRuleVersion(ctx: Ctx, data: z.output<typeof ruleVersionInput>): Promise<Programme> {
  return inTransaction(ctx, async (tx) => {
    const programme = await tx.db.selectFrom('programmes').select('id').where('id', '=', data.programmeId).where('deletedAt', 'is', null).executeTakeFirst();
    if (!programme) throw new AppError('not_found', 'Dispositif introuvable.', [{ path: 'programmeId', message: 'Dispositif inconnu.' }]);
    const versions = await tx.db.selectFrom('programmeRules').selectAll().where('programmeId', '=', data.programmeId).execute();
    if (data.replacesId) {
      const old = versions.find((v) => v.id === data.replacesId);
      if (!old) throw new AppError('not_found', "La version à corriger n'appartient pas à ce dispositif.", [{ path: 'replacesId', message: 'Version inconnue.' }]);
      if (versions.some((v) => v.replacesId === old.id)) {
        throw new AppError('conflict', `La version ${windowText(old)} a déjà été remplacée : corrigez la version qui la remplace.`, [{ path: 'replacesId', message: 'Version déjà remplacée.' }]);
      }
      if ((await frozenRuleIds(tx, [data.programmeId])).has(old.id)) {
        throw new AppError('business', `La version ${windowText(old)} a servi à une demande de paiement validée : elle ne peut plus être modifiée. Ajoutez une nouvelle version pour la suite.`, [
          { path: 'replacesId', message: 'Version utilisée par une demande validée.' },
        ]);
      }
    }
    const problem = overlapProblem(data, versions);
    if (problem) throw new AppError('validation', problem, [{ path: 'validFrom', message: problem }]);
    await insertRuleVersion(tx, data.programmeId, data);
    return getProgramme(tx, data.programmeId);
  });
}

export async function insertRuleVersion(
  ctx: Ctx,
  programmeId: string,
  v: { validFrom: string; validTo: string | null; rule: FundingRule; note: string | null; replacesId: string | null },
): Promise<string> {
  const id = ctx.newId();
  const { createdAt, createdBy } = stampNew(ctx);
  await ctx.db
    .insertInto('programmeRules')
    .values({ id, programmeId, validFrom: v.validFrom, validTo: v.validTo, rule: JSON.stringify(v.rule), note: v.note, replacesId: v.replacesId, createdAt, createdBy })
    .execute();
  return id;
}
