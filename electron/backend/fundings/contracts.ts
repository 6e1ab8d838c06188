import { sql } from 'kysely';
import type { z } from 'zod';
import { isValidSiret } from '../../../shared/domain/siret';
import { AppError } from '../../../shared/errors';
import type { ApprenticeshipContract, contractInput, contractsFilter, ruptureInput } from '../../../shared/schemas/funding-lines';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';

/**
 * Apprenticeship contracts (`apprenticeship_contracts`, schema 14): the apprentice through an enrolment, the
 * employer (a company with its SIRET), diploma and RNCP code, dates, the OPCO that pays the coût contrat
 * (NPEC, cents a year), the training site (a place: its QPV/ZRR flags drive the Region's majorations) and the
 * rupture. The coût contrat is pro-rated by the claim engine, not here.
 */

function baseQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('apprenticeshipContracts as c')
    .innerJoin('enrolments as e', 'e.id', 'c.enrolmentId')
    .innerJoin('trainees as t', 't.id', 'e.traineeId')
    .innerJoin('sessions as s', 's.id', 'e.sessionId')
    .innerJoin('companies as co', 'co.id', 'c.employerId')
    .innerJoin('funders as fu', 'fu.code', 'c.funderCode')
    .leftJoin('programmes as p', 'p.id', 'c.programmeId')
    .leftJoin('programmes as mp', 'mp.id', 'c.majorationProgrammeId')
    .leftJoin('places as pl', 'pl.id', 'c.placeId')
    .select([
      'c.id', 'c.enrolmentId', 'c.employerId', 'c.contractNumber', 'c.diploma', 'c.rncpCode', 'c.startDate', 'c.endDate', 'c.funderCode', 'c.programmeId',
      'c.npecCents', 'c.majorationProgrammeId', 'c.placeId', 'c.ruptureDate', 'c.ruptureReason', 'c.version',
      sql<string>`t.last_name || ' ' || t.first_name`.as('apprenticeName'),
      's.id as sessionId', 's.label as sessionLabel', 'co.name as employerName', 'co.siret as employerSiret', 'fu.name as funderName',
      'p.name as programmeName', 'mp.name as majorationProgrammeName', 'pl.name as placeName', 'pl.qpv', 'pl.zrr',
    ])
    .where('c.deletedAt', 'is', null);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;
const toContract = ({ qpv, zrr, ...r }: Row): ApprenticeshipContract => ({ ...r, siteQpv: qpv === 1, siteZrr: zrr === 1 });

export async function listContracts(ctx: Ctx, filter: z.output<typeof contractsFilter>): Promise<ApprenticeshipContract[]> {
  let q = baseQuery(ctx);
  if (filter.funderCode) q = q.where('c.funderCode', '=', filter.funderCode);
  if (filter.enrolmentId) q = q.where('c.enrolmentId', '=', filter.enrolmentId);
  return (await q.orderBy('t.lastName').orderBy('t.firstName').orderBy('c.startDate').execute()).map(toContract);
}

export async function getContract(ctx: Ctx, id: string): Promise<ApprenticeshipContract> {
  const row = await baseQuery(ctx).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', "Contrat d'apprentissage introuvable.", [{ path: 'id', message: 'Contrat inconnu.' }]);
  return toContract(row);
}

function refuse(path: string, message: string, code: 'validation' | 'not_found' | 'business' = 'validation'): never {
  throw new AppError(code, message, [{ path, message }]);
}

async function checkProgramme(ctx: Ctx, path: string, programmeId: string | null, funderCode: string | null): Promise<void> {
  if (!programmeId) return;
  const p = await ctx.db.selectFrom('programmes').select(['name', 'funderCode']).where('id', '=', programmeId).where('deletedAt', 'is', null).executeTakeFirst();
  if (!p) refuse(path, 'Dispositif inconnu.', 'not_found');
  if (funderCode && p.funderCode !== funderCode) refuse(path, `Le dispositif « ${p.name} » appartient à un autre financeur que celui du contrat.`);
}

/** Creates or changes a contract; a contract already broken keeps its rupture, which must stay within it. */
export async function saveContract(ctx: Ctx, data: z.output<typeof contractInput>): Promise<ApprenticeshipContract> {
  return inTransaction(ctx, async (tx) => {
    const { id, ...row } = data;
    const enrolment = await tx.db.selectFrom('enrolments').select('id').where('id', '=', row.enrolmentId).where('deletedAt', 'is', null).executeTakeFirst();
    if (!enrolment) refuse('enrolmentId', 'Inscription inconnue : choisissez l’apprenti parmi les inscriptions.', 'not_found');
    const employer = await tx.db.selectFrom('companies').select(['name', 'siret']).where('id', '=', row.employerId).where('deletedAt', 'is', null).executeTakeFirst();
    if (!employer) refuse('employerId', 'Employeur inconnu : choisissez une entreprise.', 'not_found');
    if (!employer.siret || !isValidSiret(employer.siret)) refuse('employerId', `L'employeur ${employer.name} n'a pas de SIRET valide : complétez sa fiche entreprise.`);
    const funder = await tx.db.selectFrom('funders').select('code').where('code', '=', row.funderCode).executeTakeFirst();
    if (!funder) refuse('funderCode', `Financeur inconnu : ${row.funderCode}.`);
    await checkProgramme(tx, 'programmeId', row.programmeId, row.funderCode);
    await checkProgramme(tx, 'majorationProgrammeId', row.majorationProgrammeId, null);
    if (row.placeId) {
      const place = await tx.db.selectFrom('places').select('id').where('id', '=', row.placeId).where('deletedAt', 'is', null).executeTakeFirst();
      if (!place) refuse('placeId', 'Lieu de formation inconnu.', 'not_found');
    }
    if (id) {
      const old = await tx.db.selectFrom('apprenticeshipContracts').select(['ruptureDate']).where('id', '=', id).where('deletedAt', 'is', null).executeTakeFirst();
      if (!old) refuse('id', "Contrat d'apprentissage introuvable.", 'not_found');
      if (old.ruptureDate && (old.ruptureDate < row.startDate || old.ruptureDate > row.endDate)) {
        refuse(old.ruptureDate < row.startDate ? 'startDate' : 'endDate', `Le contrat a été rompu le ${old.ruptureDate} : cette date doit rester entre son début et sa fin.`, 'business');
      }
      await tx.db.updateTable('apprenticeshipContracts').set({ ...row, ...stampVersion(tx) }).where('id', '=', id).execute();
      return getContract(tx, id);
    }
    const newId = tx.newId();
    await tx.db.insertInto('apprenticeshipContracts').values({ id: newId, ...row, ruptureDate: null, ruptureReason: null, ...stampNew(tx) }).execute();
    return getContract(tx, newId);
  });
}

/** Records the rupture of a contract: its date within [start, end] and the reason. */
export async function ruptureContract(ctx: Ctx, data: z.output<typeof ruptureInput>): Promise<ApprenticeshipContract> {
  return inTransaction(ctx, async (tx) => {
    const c = await getContract(tx, data.id);
    if (data.date < c.startDate || data.date > c.endDate) {
      refuse('date', `La date de rupture doit être comprise entre le début (${c.startDate}) et la fin (${c.endDate}) du contrat.`, 'business');
    }
    await tx.db.updateTable('apprenticeshipContracts').set({ ruptureDate: data.date, ruptureReason: data.reason, ...stampVersion(tx) }).where('id', '=', c.id).execute();
    return getContract(tx, c.id);
  });
}
