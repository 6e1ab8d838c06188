import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import { birthDateProblem, duplicateNirMessage, duplicateWarning, sameIdentity, type Identity } from '../../../shared/domain/trainee';
import { likeContains, matchesSearch, searchTerms, traineeSearchKey } from '../../../shared/domain/search';
import { AppError } from '../../../shared/errors';
import type { Company, companyInput, Trainee, traineeInput, Trainer, trainerInput } from '../../../shared/schemas/people';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';
import type { DB, TraineeTable } from '../db/schema';
import { todayOf } from '../organisation/organisation';

type Table = 'trainers' | 'companies' | 'trainees';

/** Insert or update by id in one transaction; returns the id. A missing id on update is a clear error. */
async function upsert<T extends Table>(ctx: Ctx, table: T, id: string | undefined, row: object, what: string): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    if (id) {
      const res = await tx.db
        .updateTable(table as Table)
        .set({ ...row, ...stampVersion(tx) } as never)
        .where('id', '=', id)
        .executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw new AppError('not_found', `${what} introuvable.`);
      return id;
    }
    const newId = tx.newId();
    await tx.db.insertInto(table as Table).values({ id: newId, ...row, ...stampNew(tx) } as never).execute();
    return newId;
  });
}

/** The trainers; `search` keeps those whose name or e-mail has every word of it, case and accents aside. */
export async function listTrainers(ctx: Ctx, search?: string): Promise<Trainer[]> {
  const rows = await ctx.db.selectFrom('trainers').selectAll().where('deletedAt', 'is', null).orderBy('lastName').orderBy('firstName').execute();
  return rows.filter((r) => matchesSearch([r.lastName, r.firstName, r.email], search));
}

export async function saveTrainer(ctx: Ctx, data: z.output<typeof trainerInput>): Promise<Trainer> {
  const { id, ...row } = data;
  const trainerId = await upsert(ctx, 'trainers', id, row, 'Formateur');
  return ctx.db.selectFrom('trainers').selectAll().where('id', '=', trainerId).executeTakeFirstOrThrow();
}

/** The companies; `search` keeps those whose name, SIRET or town has every word of it, case and accents aside. */
export async function listCompanies(ctx: Ctx, search?: string): Promise<Company[]> {
  const rows = await ctx.db.selectFrom('companies').selectAll().where('deletedAt', 'is', null).orderBy('name').execute();
  return rows.filter((r) => matchesSearch([r.name, r.siret, r.postcode, r.city], search));
}

export async function saveCompany(ctx: Ctx, data: z.output<typeof companyInput>): Promise<Company> {
  const { id, ...row } = data;
  return inTransaction(ctx, async (tx) => {
    const clash = await tx.db.selectFrom('companies').select('id').where('siret', '=', row.siret).executeTakeFirst();
    if (clash && clash.id !== id) {
      throw new AppError('conflict', 'Une entreprise avec ce SIRET existe déjà.', [{ path: 'siret', message: 'SIRET déjà enregistré.' }]);
    }
    const companyId = await upsert(tx, 'companies', id, row, 'Entreprise');
    return tx.db.selectFrom('companies').selectAll().where('id', '=', companyId).executeTakeFirstOrThrow();
  });
}

export function toTrainee(row: Selectable<TraineeTable>): Trainee {
  const { searchKey: _key, ...rest } = row;
  return { ...rest, qpvResident: row.qpvResident === 1, fictitious: row.fictitious === 1 };
}

/**
 * Trainees, searchable by name or France Travail id ignoring case and accents (every word of the search in
 * the folded `search_key`, see shared/domain/search.ts), in alphabetical order of the folded name, paged.
 * The index `trainees_search` (deleted_at, search_key, id) serves both: the filter reads the index alone and
 * the order needs no sort. The NIR is masked unless the user may read sensitive data.
 */
export async function listTrainees(
  ctx: Ctx,
  query: { search?: string | undefined; limit: number; offset: number },
): Promise<{ total: number; rows: Trainee[] }> {
  let q = ctx.db.selectFrom('trainees').where('deletedAt', 'is', null);
  for (const word of searchTerms(query.search)) q = q.where(sql<boolean>`search_key LIKE ${likeContains(word)} ESCAPE '\\'`);
  const total = (await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
  const rows = await q.selectAll().orderBy('searchKey').orderBy('id').limit(query.limit).offset(query.offset).execute();
  return { total, rows: rows.map((r) => maskSensitive(ctx, toTrainee(r))) };
}

export async function getTrainee(ctx: Ctx, id: string): Promise<Trainee> {
  const row = await ctx.db.selectFrom('trainees').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'Stagiaire introuvable.', [{ path: 'traineeId', message: 'Stagiaire inconnu.' }]);
  return maskSensitive(ctx, toTrainee(row));
}

/** Trainees (not archived) with the same names, accents and case aside, and the same birth date. */
export async function findNamesakes(ctx: Ctx, who: Identity & { id?: string | undefined }): Promise<(Identity & { id: string })[]> {
  const rows = await ctx.db
    .selectFrom('trainees')
    .select(['id', 'lastName', 'firstName', 'birthDate'])
    .where('birthDate', '=', who.birthDate)
    .where('deletedAt', 'is', null)
    .orderBy('lastName')
    .execute();
  return rows.filter((r) => r.id !== who.id && sameIdentity(r, who));
}

/**
 * The rules of a trainee record (shared/domain/trainee.ts), checked again here: a plausible birth date for
 * the entry (the earliest enrolment start, today for a trainee not enrolled yet), a NIR held by one trainee
 * only, and a namesake born the same day saved only once the user has confirmed it is another person.
 */
async function checkTrainee(ctx: Ctx, id: string | undefined, data: z.output<typeof traineeInput>, confirmDuplicate: boolean): Promise<void> {
  const today = await todayOf(ctx);
  const firstEntry = id
    ? (await ctx.db.selectFrom('enrolments').select((eb) => eb.fn.min('plannedStart').as('start')).where('traineeId', '=', id).where('deletedAt', 'is', null).executeTakeFirst())?.start
    : null;
  const birth = birthDateProblem(data.birthDate, today, firstEntry ?? today);
  if (birth) throw new AppError('validation', birth, [{ path: 'birthDate', message: birth }]);
  if (data.nir) {
    const holder = await ctx.db
      .selectFrom('trainees')
      .select(['id', 'lastName', 'firstName', 'deletedAt'])
      .where('nir', '=', data.nir)
      .$if(id !== undefined, (q) => q.where('id', '!=', id!))
      .executeTakeFirst();
    if (holder) {
      const message = duplicateNirMessage({ ...holder, archived: holder.deletedAt !== null });
      throw new AppError('conflict', message, [{ path: 'nir', message }]);
    }
  }
  if (!confirmDuplicate) {
    const [namesake] = await findNamesakes(ctx, { ...data, id });
    if (namesake) {
      const message = duplicateWarning(namesake);
      throw new AppError('conflict', message, [{ path: 'lastName', message }]);
    }
  }
}

export async function saveTrainee(ctx: Ctx, data: z.output<typeof traineeInput>, options: { confirmDuplicate?: boolean } = {}): Promise<Trainee> {
  const { id, ...fields } = data;
  await checkTrainee(ctx, id, data, options.confirmDuplicate ?? false);
  const row: Partial<Omit<TraineeTable, 'id' | keyof ReturnType<typeof stampNew>>> = {
    ...fields,
    qpvResident: fields.qpvResident ? 1 : 0,
    fictitious: fields.fictitious ? 1 : 0,
    searchKey: traineeSearchKey(fields.lastName, fields.firstName, fields.franceTravailId),
  };
  // A user who cannot read the NIR was shown it masked (null): sending that back must not erase it.
  if (id && row.nir === null && !ctx.user.permissions.has('people.sensitive.read')) delete row.nir;
  const traineeId = await upsert(ctx, 'trainees', id, row, 'Stagiaire');
  return getTrainee(ctx, traineeId);
}

function maskSensitive(ctx: Ctx, t: Trainee): Trainee {
  if (ctx.user.permissions.has('people.sensitive.read') || !t.nir) return t;
  return { ...t, nir: null };
}

export type { DB };
