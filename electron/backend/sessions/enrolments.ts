import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import { canMove, currentStatus, statusDateProblem } from '../../../shared/domain/enrolment-status';
import { birthDateProblem } from '../../../shared/domain/trainee';
import { AppError } from '../../../shared/errors';
import type { Enrolment, EnrolmentStatus, enrolmentInput, enrolmentStatusInput } from '../../../shared/schemas/training';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';
import type { EnrolmentStatusTable, EnrolmentTable } from '../db/schema';
import { enqueue } from '../evidence/outbox';
import { writeEvidence } from '../evidence/writer';
import { addPrimaryFunding, primaryFundingId } from './fundings';
import { todayOf } from '../organisation/organisation';
import { holdsPlaceOn } from './active';
import { plannedMinutes } from './planned';
import { traineeNir } from '../people/people';
import { dataCipher } from '../privacy/data-key';
import { sealPayloadField } from '../privacy/payload';

const STATUS_FR: Record<EnrolmentStatus, string> = { planned: 'prévu', entered: 'entré', suspended: 'suspendu', exited: 'sorti' };

type History = Omit<EnrolmentStatusTable, 'enrolmentId'>[];
/** An enrolment row with its primary funding's funder and file number (sessions/fundings.ts). */
type EnrolmentRow = Selectable<EnrolmentTable> & { funderCode: string | null; fileNumber: string | null; derivedMinutes: number };

function withStatus({ derivedMinutes, ...row }: EnrolmentRow, history: History): Enrolment {
  return {
    ...row,
    plannedMinutes: derivedMinutes,
    plannedMinutesAgreed: row.plannedMinutes,
    funderCode: row.funderCode ?? '',
    status: currentStatus(history),
    entryDate: history.find((h) => h.status === 'entered')?.effectiveDate ?? null,
    exitDate: history.find((h) => h.status === 'exited')?.effectiveDate ?? null,
  };
}

async function historyOf(ctx: Ctx, enrolmentIds: readonly string[]): Promise<Map<string, History>> {
  const map = new Map<string, History>();
  if (enrolmentIds.length === 0) return map;
  const rows = await ctx.db
    .selectFrom('enrolmentStatuses')
    .selectAll()
    .where('enrolmentId', 'in', enrolmentIds)
    .orderBy('effectiveDate')
    .orderBy('id')
    .execute();
  for (const { enrolmentId, ...h } of rows) map.set(enrolmentId, [...(map.get(enrolmentId) ?? []), h]);
  return map;
}

export async function getEnrolment(ctx: Ctx, id: string): Promise<Enrolment> {
  const row = await ctx.db
    .selectFrom('enrolments as e')
    .leftJoin('fundings as pf', (j) => j.on('pf.id', '=', primaryFundingId))
    .selectAll('e')
    .select(['pf.funderCode', 'pf.fileNumber', plannedMinutes('e').as('derivedMinutes')])
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'Inscription introuvable.', [{ path: 'enrolmentId', message: 'Inscription inconnue.' }]);
  return withStatus(row, (await historyOf(ctx, [id])).get(id) ?? []);
}

/** The session page's enrolments, with trainee and company names and the status history. */
export async function listEnrolmentRows(ctx: Ctx, sessionId: string) {
  const rows = await ctx.db
    .selectFrom('enrolments as e')
    .innerJoin('trainees as t', 't.id', 'e.traineeId')
    .leftJoin('companies as c', 'c.id', 'e.companyId')
    .leftJoin('fundings as pf', (j) => j.on('pf.id', '=', primaryFundingId))
    .selectAll('e')
    .select([sql<string>`t.last_name || ' ' || t.first_name`.as('traineeName'), 'c.name as companyName', 'pf.funderCode', 'pf.fileNumber', plannedMinutes('e').as('derivedMinutes')])
    .where('e.sessionId', '=', sessionId)
    .where('e.deletedAt', 'is', null)
    .orderBy('t.lastName')
    .orderBy('t.firstName')
    .execute();
  const histories = await historyOf(ctx, rows.map((r) => r.id));
  return rows.map(({ traineeName, companyName, ...row }) => {
    const history = histories.get(row.id) ?? [];
    return { ...withStatus(row, history), traineeName, companyName, history };
  });
}

/**
 * Enrols a trainee in a session with a funder and a file number (its one funding line). A cohort gives its dates; rolling
 * entries need the enrolment's own. Planned minutes follow the slots in the enrolment's window unless a
 * duration is agreed (sessions/planned.ts): nothing is computed here, so slots generated later count.
 */
export async function createEnrolment(ctx: Ctx, data: z.output<typeof enrolmentInput>): Promise<Enrolment> {
  return inTransaction(ctx, async (tx) => {
    const session = await tx.db.selectFrom('sessions').selectAll().where('id', '=', data.sessionId).executeTakeFirst();
    if (!session) throw new AppError('not_found', 'Session introuvable.', [{ path: 'sessionId', message: 'Session inconnue.' }]);
    const trainee = await tx.db.selectFrom('trainees').select(['id', 'lastName', 'firstName', 'birthDate']).where('id', '=', data.traineeId).executeTakeFirst();
    if (!trainee) throw new AppError('not_found', 'Stagiaire introuvable.', [{ path: 'traineeId', message: 'Stagiaire inconnu.' }]);
    if (data.companyId) {
      const c = await tx.db.selectFrom('companies').select('id').where('id', '=', data.companyId).executeTakeFirst();
      if (!c) throw new AppError('not_found', 'Entreprise introuvable.', [{ path: 'companyId', message: 'Entreprise inconnue.' }]);
    }
    const funder = await tx.db.selectFrom('funders').select('code').where('code', '=', data.funderCode).executeTakeFirst();
    if (!funder) throw new AppError('validation', `Financeur inconnu : ${data.funderCode}.`, [{ path: 'funderCode', message: 'Financeur inconnu.' }]);
    const twice = await tx.db
      .selectFrom('enrolments')
      .select('id')
      .where('sessionId', '=', data.sessionId)
      .where('traineeId', '=', data.traineeId)
      .executeTakeFirst();
    if (twice) {
      throw new AppError('conflict', `${trainee.lastName} ${trainee.firstName} est déjà inscrit(e) à cette session.`, [
        { path: 'traineeId', message: 'Déjà inscrit(e).' },
      ]);
    }
    // Places taken today: a suspended trainee keeps the place, an exit frees it the day after.
    const active = await tx.db
      .selectFrom('enrolments as e')
      .select(sql<number>`count(*)`.as('n'))
      .where('e.sessionId', '=', data.sessionId)
      .where(holdsPlaceOn('e', await todayOf(tx)))
      .executeTakeFirstOrThrow();
    if (active.n >= session.capacity) {
      throw new AppError('business', `La session est complète (${session.capacity} places).`, [{ path: 'sessionId', message: 'Session complète.' }]);
    }
    if (session.mode === 'rolling' && (!data.plannedStart || !data.plannedEnd)) {
      throw new AppError('validation', 'En entrées/sorties permanentes, chaque inscription a ses propres dates.', [
        { path: data.plannedStart ? 'plannedEnd' : 'plannedStart', message: 'Date obligatoire.' },
      ]);
    }
    const plannedStart = data.plannedStart ?? session.startDate;
    const plannedEnd = data.plannedEnd ?? session.endDate;
    if (plannedStart < session.startDate || plannedEnd > session.endDate) {
      throw new AppError('business', `Les dates de l'inscription doivent rester dans celles de la session (${session.startDate} au ${session.endDate}).`, [
        { path: plannedStart < session.startDate ? 'plannedStart' : 'plannedEnd', message: 'Hors des dates de la session.' },
      ]);
    }
    // Old enough on the day of entry (shared/domain/trainee.ts), whatever was true when the record was made.
    const tooYoung = birthDateProblem(trainee.birthDate, await todayOf(tx), plannedStart);
    if (tooYoung) throw new AppError('business', `${trainee.lastName} ${trainee.firstName} : ${tooYoung}`, [{ path: 'traineeId', message: tooYoung }]);
    const id = data.id ?? tx.newId();
    const stamp = stampNew(tx);
    await tx.db
      .insertInto('enrolments')
      .values({
        id,
        sessionId: data.sessionId,
        traineeId: data.traineeId,
        companyId: data.companyId,
        plannedStart,
        plannedEnd,
        plannedMinutes: data.plannedMinutes ?? null,
        ...stamp,
      })
      .execute();
    await addPrimaryFunding(tx, id, data.funderCode, data.fileNumber);
    await writeEvidence(
      tx,
      [{ type: 'enrolment_status', row: { id: tx.newId(), enrolment_id: id, status: 'planned', effective_date: plannedStart, reason: null, outcome: null, note: null, created_at: stamp.createdAt, created_by: stamp.createdBy } }],
      { at: stamp.createdAt },
    );
    return getEnrolment(tx, id);
  });
}

/**
 * Appends a dated status (entered, suspended, exited…). History is never rewritten; a status cannot be
 * dated before the current one. Entered / suspended / exited states are queued for the funders.
 */
export async function setEnrolmentStatus(ctx: Ctx, data: z.output<typeof enrolmentStatusInput>): Promise<Enrolment> {
  return inTransaction(ctx, async (tx) => {
    const current = await getEnrolment(tx, data.enrolmentId);
    const history = (await historyOf(tx, [current.id])).get(current.id) ?? [];
    if (!canMove(current.status, data.status)) {
      throw new AppError('business', `Passage impossible du statut « ${STATUS_FR[current.status]} » au statut « ${STATUS_FR[data.status]} ».`, [
        { path: 'status', message: 'Changement de statut non permis.' },
      ]);
    }
    const session = await tx.db.selectFrom('sessions').select('endDate').where('id', '=', current.sessionId).executeTakeFirstOrThrow();
    const problem = statusDateProblem(data.status, data.effectiveDate, {
      plannedStart: current.plannedStart,
      plannedEnd: current.plannedEnd,
      sessionEnd: session.endDate,
      history,
    });
    if (problem) throw new AppError('business', problem, [{ path: 'effectiveDate', message: problem }]);
    const stamp = stampNew(tx);
    // Statuses are evidence (schema 9): the writer inserts the row with its ledger entry.
    await writeEvidence(
      tx,
      [
        {
          type: 'enrolment_status',
          row: { id: tx.newId(), enrolment_id: current.id, status: data.status, effective_date: data.effectiveDate, reason: data.reason, outcome: data.outcome, note: data.note, created_at: stamp.createdAt, created_by: stamp.createdBy },
        },
      ],
      { at: stamp.createdAt },
    );
    await tx.db.updateTable('enrolments').set(stampVersion(tx)).where('id', '=', current.id).execute();
    const updated = await getEnrolment(tx, current.id);
    await enqueue(tx, 'enrolment', updated.id, await enrolmentPayload(tx, updated, data.reason));
    return updated;
  });
}

/**
 * The `enrolment` record of the exchange protocol. The trainee's NIR, which the funders need, is queued sealed
 * (privacy/payload.ts): it is opened only in the body posted to the receiver or the file handed to the user.
 */
export async function enrolmentPayload(ctx: Ctx, e: Enrolment, exitReason: string | null) {
  const t = await ctx.db.selectFrom('trainees').selectAll().where('id', '=', e.traineeId).executeTakeFirstOrThrow();
  const nir = await traineeNir(ctx, t.id, t.nir);
  const a = await ctx.db
    .selectFrom('sessions as s')
    .innerJoin('actions as a', 'a.id', 's.actionId')
    .select(['a.id', 'a.code', 'a.title', 'a.certificationCode'])
    .where('s.id', '=', e.sessionId)
    .executeTakeFirstOrThrow();
  return {
    enrolmentId: e.id,
    trainee: {
      lastName: t.lastName,
      firstName: t.firstName,
      birthDate: t.birthDate,
      ...(nir ? { nir: sealPayloadField(await dataCipher(ctx), e.id, 'trainee.nir', nir) } : {}),
      ...(t.franceTravailId ? { franceTravailId: t.franceTravailId } : {}),
    },
    action: { code: a.code ?? a.id, title: a.title, ...(a.certificationCode ? { rncp: a.certificationCode } : {}) },
    sessionId: e.sessionId,
    funder: { code: e.funderCode, fileNumber: e.fileNumber ?? '' },
    status: e.status,
    entryDate: e.entryDate ?? e.plannedStart,
    ...(e.exitDate ? { exitDate: e.exitDate } : {}),
    ...(exitReason ? { exitReason } : {}),
    plannedMinutes: e.plannedMinutes,
  };
}
