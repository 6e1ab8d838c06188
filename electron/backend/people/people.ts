import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import { maskNir } from '../../../shared/domain/nir';
import { isEmptySensitive, type TraineeSensitive } from '../../../shared/domain/sensitive';
import { birthDateProblem, duplicateNirMessage, duplicateWarning, sameIdentity, type Identity } from '../../../shared/domain/trainee';
import { likeContains, matchesSearch, searchTerms, traineeSearchKey } from '../../../shared/domain/search';
import { AppError } from '../../../shared/errors';
import type { Company, companyInput, Trainee, traineeInput, TraineeRow, Trainer, trainerInput } from '../../../shared/schemas/people';
import { recordAudit } from '../audit/audit';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';
import { withRaw } from '../db/raw';
import type { DB, TraineeTable } from '../db/schema';
import { todayOf } from '../organisation/organisation';
import { cipherOf, dataCipher, keyOrRefuse } from '../privacy/data-key';
import type { FieldCipher, Place } from '../privacy/field-cipher';

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

/** Whether the user may read (and so change) the NIR and the sensitive fields: administrators, managers, centre staff. */
export function maySeeSensitive(ctx: Ctx): boolean {
  return ctx.user.permissions.has('people.sensitive.read');
}

/** The places the sealed values of a trainee are bound to (privacy/field-cipher.ts). */
export const nirPlace = (traineeId: string): Place => ({ table: 'trainees', column: 'nir', rowId: traineeId });
export const sensitivePlace = (traineeId: string): Place => ({ table: 'trainees', column: 'sensitive', rowId: traineeId });

/** The blind index of a NIR (normalised): what the duplicate check looks up. */
export function nirIndexOf(cipher: FieldCipher, nir: string): string {
  return cipher.blindIndex('nir', nir);
}

/**
 * The trainee's NIR in clear, for the backend paths that must send or print it (the funders' `enrolment`
 * record); null when none is recorded. Never returned to the renderer but through {@link revealNir}.
 */
export async function traineeNir(ctx: Ctx, traineeId: string, stored?: string | null): Promise<string | null> {
  const value = stored !== undefined ? stored : ((await ctx.db.selectFrom('trainees').select('nir').where('id', '=', traineeId).executeTakeFirst())?.nir ?? null);
  if (value === null) return null;
  return (await dataCipher(ctx)).read(value, nirPlace(traineeId));
}

/** The trainee's sensitive fields in clear, or null when none are recorded (backend only). */
export function openSensitive(cipher: FieldCipher | null, traineeId: string, stored: string | null): TraineeSensitive | null {
  if (stored === null) return null;
  return JSON.parse(keyOrRefuse(cipher).read(stored, sensitivePlace(traineeId))) as TraineeSensitive;
}

/**
 * A stored trainee as a list shows it: never the NIR itself (`nir` is null), whether one is recorded, and its masked
 * form for a user who may read sensitive data. `cipher` is needed only then (null: none in this process).
 */
export function toTraineeRow(ctx: Ctx, cipher: FieldCipher | null, row: Selectable<TraineeTable>): TraineeRow {
  const { searchKey: _key, nirIndex: _index, sensitive: _sensitive, nir, ...rest } = row;
  let nirMasked: string | null = null;
  if (nir !== null && maySeeSensitive(ctx)) nirMasked = maskNir(keyOrRefuse(cipher).read(nir, nirPlace(row.id)));
  return { ...rest, qpvResident: row.qpvResident === 1, fictitious: row.fictitious === 1, nir: null, nirOnFile: nir !== null, nirMasked };
}

/** A stored trainee as its record shows it: the row, and the sensitive fields for a user who may read them. */
export function toTrainee(ctx: Ctx, cipher: FieldCipher | null, row: Selectable<TraineeTable>): Trainee {
  return { ...toTraineeRow(ctx, cipher, row), sensitive: maySeeSensitive(ctx) ? openSensitive(cipher, row.id, row.sensitive) : null };
}

/**
 * Trainees, searchable by name or France Travail id ignoring case and accents (every word of the search in
 * the folded `search_key`, see shared/domain/search.ts), in alphabetical order of the folded name, paged.
 * The index `trainees_search` (deleted_at, search_key, id) serves both: the filter reads the index alone and
 * the order needs no sort. No sensitive field; the NIR masked, and only for a user who may read sensitive data.
 */
export async function listTrainees(
  ctx: Ctx,
  query: { search?: string | undefined; limit: number; offset: number },
): Promise<{ total: number; rows: TraineeRow[] }> {
  let q = ctx.db.selectFrom('trainees').where('deletedAt', 'is', null);
  for (const word of searchTerms(query.search)) q = q.where(sql<boolean>`search_key LIKE ${likeContains(word)} ESCAPE '\\'`);
  const total = (await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
  const rows = await q.selectAll().orderBy('searchKey').orderBy('id').limit(query.limit).offset(query.offset).execute();
  const cipher = await withRaw(ctx.db, (raw) => cipherOf(raw));
  return { total, rows: rows.map((r) => toTraineeRow(ctx, cipher, r)) };
}

export async function getTrainee(ctx: Ctx, id: string): Promise<Trainee> {
  const row = await ctx.db.selectFrom('trainees').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'Stagiaire introuvable.', [{ path: 'traineeId', message: 'Stagiaire inconnu.' }]);
  return toTrainee(ctx, await withRaw(ctx.db, (raw) => cipherOf(raw)), row);
}

/**
 * The whole NIR of a trainee, shown on an explicit action and written to the audit log (`nir.viewed`) in the same
 * transaction: no display without its trace. Only for a user who may read sensitive data (checked again here).
 */
export async function revealNir(ctx: Ctx, id: string): Promise<{ nir: string }> {
  if (!maySeeSensitive(ctx)) throw new AppError('forbidden', 'Afficher le NIR demande le droit de voir les données sensibles : opération refusée.');
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db.selectFrom('trainees').select(['id', 'nir', 'lastName', 'firstName']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('not_found', 'Stagiaire introuvable.', [{ path: 'id', message: 'Stagiaire inconnu.' }]);
    if (row.nir === null) throw new AppError('not_found', 'Aucun NIR n’est enregistré pour ce stagiaire.', [{ path: 'nir', message: 'Aucun NIR enregistré.' }]);
    const nir = (await dataCipher(tx)).read(row.nir, nirPlace(row.id));
    await recordAudit(tx, 'nir.viewed', {
      subjectType: 'trainee',
      subjectId: row.id,
      summary: `NIR affiché : ${row.lastName.toLocaleUpperCase('fr-FR')} ${row.firstName}.`,
      method: 'trainees.revealNir',
    });
    return { nir };
  });
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
 * only (looked up by its blind index: stored NIRs are sealed), and a namesake born the same day saved only once
 * the user has confirmed it is another person.
 */
async function checkTrainee(
  ctx: Ctx,
  id: string | undefined,
  data: z.output<typeof traineeInput>,
  nirIndex: string | null,
  confirmDuplicate: boolean,
): Promise<void> {
  const today = await todayOf(ctx);
  const firstEntry = id
    ? (await ctx.db.selectFrom('enrolments').select((eb) => eb.fn.min('plannedStart').as('start')).where('traineeId', '=', id).where('deletedAt', 'is', null).executeTakeFirst())?.start
    : null;
  const birth = birthDateProblem(data.birthDate, today, firstEntry ?? today);
  if (birth) throw new AppError('validation', birth, [{ path: 'birthDate', message: birth }]);
  if (nirIndex) {
    const holder = await ctx.db
      .selectFrom('trainees')
      .select(['id', 'lastName', 'firstName', 'deletedAt'])
      .where('nirIndex', '=', nirIndex)
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

const SENSITIVE_WRITE_REFUSED = 'Le NIR et les données sensibles ne se modifient qu’avec le droit de les voir : laissez ces champs vides, rien n’a été modifié.';

/**
 * Creates or updates a trainee in one transaction. The NIR and the sensitive fields are sealed before they reach
 * the database (bound to the row's id), the NIR with its blind index. Left out on an update, they are kept; `null`
 * erases them. A user who may not read them can neither set nor erase them: sent back empty (as that user's form
 * shows them), they are kept; a value is refused.
 */
export async function saveTrainee(ctx: Ctx, data: z.output<typeof traineeInput>, options: { confirmDuplicate?: boolean } = {}): Promise<Trainee> {
  const { id, nir, sensitive: given, ...fields } = data;
  // Nothing recorded is no sensitive data: stored as NULL, not as an empty sealed object.
  const sensitive = given && isEmptySensitive(given) ? null : given;
  const allowed = maySeeSensitive(ctx);
  if (!allowed && (nir || sensitive)) {
    throw new AppError('forbidden', SENSITIVE_WRITE_REFUSED, [{ path: nir ? 'nir' : 'sensitive', message: SENSITIVE_WRITE_REFUSED }]);
  }
  // Without the right, an empty NIR or empty sensitive fields mean "as shown": nothing to change.
  const newNir = allowed ? nir : undefined;
  const newSensitive = allowed ? sensitive : undefined;
  return inTransaction(ctx, async (tx) => {
    const cipher = newNir || newSensitive ? await dataCipher(tx) : null;
    const nirIndex = newNir && cipher ? nirIndexOf(cipher, newNir) : null;
    await checkTrainee(tx, id, data, nirIndex, options.confirmDuplicate ?? false);
    const traineeId = id ?? tx.newId();
    const row: Partial<Omit<TraineeTable, 'id' | keyof ReturnType<typeof stampNew>>> = {
      ...fields,
      qpvResident: fields.qpvResident ? 1 : 0,
      fictitious: fields.fictitious ? 1 : 0,
      searchKey: traineeSearchKey(fields.lastName, fields.firstName, fields.franceTravailId),
      ...(newNir !== undefined ? { nir: newNir && cipher ? cipher.seal(newNir, nirPlace(traineeId)) : null, nirIndex } : {}),
      ...(newSensitive !== undefined ? { sensitive: newSensitive && cipher ? cipher.seal(JSON.stringify(newSensitive), sensitivePlace(traineeId)) : null } : {}),
    };
    if (id) {
      const res = await tx.db.updateTable('trainees').set({ ...row, ...stampVersion(tx) }).where('id', '=', id).executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw new AppError('not_found', 'Stagiaire introuvable.');
    } else {
      await tx.db.insertInto('trainees').values({ id: traineeId, ...row, ...stampNew(tx) } as never).execute();
    }
    return getTrainee(tx, traineeId);
  });
}

export type { DB };
