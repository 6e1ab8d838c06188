import { ZodError } from 'zod';
import { AppError, fieldLabel, type ApiError, type ApiErrorCode, type FieldIssue } from '../../../shared/errors';
import { enrolmentInput, enrolmentStatusInput, generateSlotsInput, sessionInput } from '../../../shared/schemas/training';
import { transferLine, type TransferLine } from '../../../shared/schemas/transfer';
import { inTransaction, type Ctx } from '../context';
import { ILL_FORMED_TEXT, illFormedPath } from '../../../shared/well-formed';
import { toApiError } from '../dispatch';
import { saveAction, savePlace } from '../catalogue/catalogue';
import { createEnrolment, setEnrolmentStatus } from '../sessions/enrolments';
import { listFunderDocuments, saveFunderDocument } from '../organisation/funder-documents';
import { saveFunder } from '../funding/reference';
import { saveOrganisation } from '../organisation/organisation';
import { maySeeSensitive, nirPlace, openSensitive, saveCompany, saveTrainee, saveTrainer } from '../people/people';
import { withRaw } from '../db/raw';
import { cipherOf, keyOrRefuse } from '../privacy/data-key';
import { primaryFundingId } from '../sessions/fundings';
import { createSlot, generateSlots, saveSession } from '../sessions/sessions';

export interface ImportReport {
  lines: number;
  created: Record<string, number>;
}

const REF_KINDS: Partial<Record<TransferLine['type'], string>> = {
  place: 'lieu', trainer: 'formateur', company: 'entreprise', trainee: 'stagiaire', action: 'action', session: 'session', enrolment: 'inscription',
};

/**
 * Imports a JSON Lines file whole or not at all: every line is parsed and validated first, refs are
 * resolved, then everything is written in one transaction. Errors name the line and the field.
 */
export async function importLines(ctx: Ctx, text: string): Promise<ImportReport> {
  const parsed: { line: number; record: TransferLine }[] = [];
  const issues: FieldIssue[] = [];
  const refs = new Map<string, string>(); // `${type}:${ref}` → type, to check references before writing
  const addIssue = (line: number, path: readonly PropertyKey[], message: string) => {
    issues.push({ path: `ligne ${line}${path.length ? `.${path.map(String).join('.')}` : ''}`, message: `ligne ${line}, ${fieldLabel(path)} : ${message}` });
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || issues.length >= 50) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      // JSON.parse speaks English (« Expected property name or '}' … »): people read French, with the place when known.
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      addIssue(line, [], `JSON invalide${at ? ` vers le caractère ${Number(at) + 1}` : ''} : vérifiez les guillemets, les virgules et les accolades.`);
      return;
    }
    const illFormed = illFormedPath(json);
    if (illFormed) {
      addIssue(line, illFormed, ILL_FORMED_TEXT);
      return;
    }
    const result = transferLine.safeParse(json);
    if (!result.success) {
      for (const issue of result.error.issues.slice(0, 3)) addIssue(line, issue.path, issue.message);
      return;
    }
    const record = result.data;
    const need = (kind: TransferLine['type'], value: string | null | undefined, field: string) => {
      if (value && !refs.has(`${kind}:${value}`)) addIssue(line, [field], `référence « ${value} » inconnue (${REF_KINDS[kind]} à déclarer sur une ligne précédente).`);
    };
    switch (record.type) {
      case 'session':
        need('action', record.action, 'action');
        need('place', record.place, 'placeId');
        record.trainers?.forEach((t) => need('trainer', t, 'trainerIds'));
        break;
      case 'slot':
        need('session', record.session, 'sessionId');
        need('place', record.place, 'placeId');
        record.trainers.forEach((t) => need('trainer', t, 'trainerIds'));
        if (record.end <= record.start) addIssue(line, ['end'], "l'heure de fin doit suivre l'heure de début.");
        break;
      case 'enrolment':
        need('session', record.session, 'sessionId');
        need('trainee', record.trainee, 'traineeId');
        need('company', record.company, 'companyId');
        break;
    }
    if ('ref' in record && record.ref) {
      const key = `${record.type}:${record.ref}`;
      if (refs.has(key)) addIssue(line, ['ref'], `référence « ${record.ref} » déjà utilisée.`);
      refs.set(key, record.type);
    }
    parsed.push({ line, record });
  });
  if (issues.length > 0) {
    throw new AppError('validation', `Fichier refusé, rien n'a été importé — ${issues[0]!.message}`, issues);
  }
  if (parsed.length === 0) throw new AppError('validation', "Fichier refusé : il ne contient aucune ligne.");

  const created: Record<string, number> = {};
  const ids = new Map<string, string>();
  const idOf = (kind: string, ref: string | null | undefined) => (ref ? ids.get(`${kind}:${ref}`)! : null);
  await inTransaction(ctx, async (tx) => {
    for (const { line, record } of parsed) {
      try {
        const id = await writeLine(tx, record, idOf);
        if (id && 'ref' in record && record.ref) ids.set(`${record.type}:${record.ref}`, id);
        created[record.type] = (created[record.type] ?? 0) + 1;
      } catch (e) {
        throw refusedAt(line, e);
      }
    }
  });
  return { lines: parsed.length, created };
}

/**
 * A write-time failure of one line (a service's refusal, a schema re-check, a database constraint), as
 * the refusal of the whole file naming that line and, when known, the field.
 */
function refusedAt(line: number, e: unknown): AppError {
  let code: ApiErrorCode;
  let message: string;
  let field: string | undefined;
  if (e instanceof ZodError) {
    const first = e.issues[0];
    code = 'validation';
    message = first?.message ?? 'donnée invalide.';
    field = first?.path.length ? first.path.map(String).join('.') : undefined;
  } else {
    const api: ApiError = toApiError(e);
    code = api.code;
    message = api.message;
    field = api.issues?.[0]?.path;
  }
  return new AppError(code, `Fichier refusé, rien n'a été importé — ligne ${line}${field ? `, ${fieldLabel(field.split('.'))}` : ''} : ${message}`, [
    { path: `ligne ${line}${field ? `.${field}` : ''}`, message },
  ]);
}

async function writeLine(tx: Ctx, r: TransferLine, idOf: (kind: string, ref: string | null | undefined) => string | null): Promise<string | null> {
  switch (r.type) {
    case 'organisation': {
      const { type: _t, ...data } = r;
      await saveOrganisation(tx, data);
      return null;
    }
    case 'funder': {
      const { type: _t, ...data } = r;
      const exists = await tx.db.selectFrom('funders').select('code').where('code', '=', data.code).executeTakeFirst();
      await saveFunder(tx, { ...data, create: !exists });
      return null;
    }
    case 'funder-document': {
      const { type: _t, ...data } = r;
      await saveFunderDocument(tx, data);
      return null;
    }
    case 'place': {
      const { type: _t, ref: _r, ...data } = r;
      return (await savePlace(tx, data)).id;
    }
    case 'trainer': {
      const { type: _t, ref: _r, ...data } = r;
      return (await saveTrainer(tx, data)).id;
    }
    case 'company': {
      const { type: _t, ref: _r, ...data } = r;
      return (await saveCompany(tx, data)).id;
    }
    case 'trainee': {
      const { type: _t, ref: _r, ...data } = r;
      return (await saveTrainee(tx, data)).id;
    }
    case 'action': {
      const { type: _t, ref: _r, ...data } = r;
      return (await saveAction(tx, data)).id;
    }
    case 'session': {
      const session = await saveSession(
        tx,
        sessionInput.parse({ actionId: idOf('action', r.action), label: r.label, mode: r.mode, capacity: r.capacity, startDate: r.startDate, endDate: r.endDate, placeId: idOf('place', r.place) }),
      );
      if (r.timetable?.length) {
        await generateSlots(tx, generateSlotsInput.parse({ sessionId: session.id, from: r.startDate, to: r.endDate, timetable: r.timetable, trainerIds: (r.trainers ?? []).map((t) => idOf('trainer', t)) }));
      }
      return session.id;
    }
    case 'slot':
      return createSlot(tx, {
        sessionId: idOf('session', r.session)!, date: r.date, halfDay: r.halfDay, start: r.start, end: r.end, modality: r.modality,
        placeId: idOf('place', r.place), trainerIds: r.trainers.map((t) => idOf('trainer', t)!), cancelled: r.cancelled,
      });
    case 'enrolment': {
      const e = await createEnrolment(
        tx,
        enrolmentInput.parse({ sessionId: idOf('session', r.session), traineeId: idOf('trainee', r.trainee), companyId: idOf('company', r.company), funderCode: r.funderCode, fileNumber: r.fileNumber, plannedStart: r.plannedStart, plannedEnd: r.plannedEnd, plannedMinutes: r.plannedMinutes }),
      );
      for (const s of r.statuses) {
        if (s.status === 'planned') continue; // the creation already recorded it
        await setEnrolmentStatus(tx, enrolmentStatusInput.parse({ enrolmentId: e.id, ...s }));
      }
      return e.id;
    }
  }
}

/** Exports everything in the import format (refs are the internal ids), so an export re-imports as is. */
export async function exportLines(ctx: Ctx): Promise<string> {
  const out: string[] = [];
  const put = (o: object) => out.push(JSON.stringify(o));
  const strip = <T extends object>(row: T) => {
    const { createdAt: _a, createdBy: _b, updatedAt: _c, updatedBy: _d, id: _id, version: _v, deletedAt: _x, searchKey: _k, ...rest } = row as T & {
      createdAt: unknown; createdBy: unknown; updatedAt: unknown; updatedBy: unknown; id: string; version?: unknown; deletedAt?: unknown; searchKey?: unknown;
    };
    return rest;
  };
  const org = await ctx.db.selectFrom('organisation').selectAll().executeTakeFirst();
  if (org) put({ type: 'organisation', ...strip(org) });
  for (const p of await ctx.db.selectFrom('places').selectAll().where('deletedAt', 'is', null).orderBy('id').execute()) put({ type: 'place', ref: p.id, ...strip(p), qpv: p.qpv === 1, zrr: p.zrr === 1 });
  for (const t of await ctx.db.selectFrom('trainers').selectAll().where('deletedAt', 'is', null).orderBy('id').execute()) put({ type: 'trainer', ref: t.id, ...strip(t) });
  for (const c of await ctx.db.selectFrom('companies').selectAll().where('deletedAt', 'is', null).orderBy('id').execute()) put({ type: 'company', ref: c.id, ...strip(c) });
  // The NIR and the sensitive fields, stored sealed, are exported in clear for a user who may read them (so the
  // file re-imports as is), and left out for others.
  const reveal = maySeeSensitive(ctx);
  const cipher = await withRaw(ctx.db, (raw) => cipherOf(raw));
  for (const t of await ctx.db.selectFrom('trainees').selectAll().where('deletedAt', 'is', null).orderBy('id').execute()) {
    const { nir, nirIndex: _index, sensitive, ...rest } = strip(t);
    const personal = reveal
      ? {
          nir: nir === null ? null : keyOrRefuse(cipher).read(nir, nirPlace(t.id)),
          ...(sensitive !== null ? { sensitive: openSensitive(cipher, t.id, sensitive) } : {}),
        }
      : {};
    put({ type: 'trainee', ref: t.id, ...rest, ...personal, qpvResident: t.qpvResident === 1, fictitious: t.fictitious === 1 });
  }
  for (const a of await ctx.db.selectFrom('actions').selectAll().where('deletedAt', 'is', null).orderBy('id').execute()) put({ type: 'action', ref: a.id, ...strip(a) });
  for (const s of await ctx.db.selectFrom('sessions').selectAll().where('deletedAt', 'is', null).orderBy('id').execute()) {
    put({ type: 'session', ref: s.id, action: s.actionId, label: s.label, mode: s.mode, capacity: s.capacity, startDate: s.startDate, endDate: s.endDate, ...(s.placeId ? { place: s.placeId } : {}) });
  }
  const links = await ctx.db.selectFrom('slotTrainers').selectAll().where('deletedAt', 'is', null).execute();
  const trainersOf = new Map<string, string[]>();
  for (const l of links) trainersOf.set(l.slotId, [...(trainersOf.get(l.slotId) ?? []), l.trainerId]);
  for (const s of await ctx.db.selectFrom('slots').selectAll().where('deletedAt', 'is', null).orderBy('sessionId').orderBy('date').orderBy('halfDay').execute()) {
    put({ type: 'slot', session: s.sessionId, date: s.date, halfDay: s.halfDay, start: s.startTime, end: s.endTime, modality: s.modality, place: s.placeId, trainers: (trainersOf.get(s.id) ?? []).sort(), cancelled: s.cancelled === 1 });
  }
  const statusesOf = new Map<string, object[]>();
  for (const s of await ctx.db.selectFrom('enrolmentStatuses').selectAll().orderBy('effectiveDate').orderBy('id').execute()) {
    statusesOf.set(s.enrolmentId, [...(statusesOf.get(s.enrolmentId) ?? []), { status: s.status, effectiveDate: s.effectiveDate, reason: s.reason, outcome: s.outcome, note: s.note }]);
  }
  const enrolments = await ctx.db
    .selectFrom('enrolments as e')
    .leftJoin('fundings as pf', (j) => j.on('pf.id', '=', primaryFundingId))
    .selectAll('e')
    .select(['pf.funderCode', 'pf.fileNumber'])
    .where('e.deletedAt', 'is', null)
    .orderBy('e.id')
    .execute();
  const documents = (await listFunderDocuments(ctx)).filter((f) => f.mentions || f.logo);
  // The funders named below (a base may have its own, e.g. REGION_GE), so the file re-imports into an empty base.
  const named = new Set([...enrolments.flatMap((e) => (e.funderCode ? [e.funderCode] : [])), ...documents.map((f) => f.funderCode)]);
  for (const f of await ctx.db.selectFrom('funders').selectAll().orderBy('code').execute()) {
    if (!named.has(f.code)) continue;
    put({ type: 'funder', code: f.code, name: f.name, kind: f.kind, payerCategory: f.payerCategory, siret: f.siret, address: f.address, postcode: f.postcode, city: f.city, active: f.active === 1 });
  }
  for (const f of documents) put({ type: 'funder-document', funderCode: f.funderCode, mentions: f.mentions, logo: f.logo });
  for (const e of enrolments) {
    put({
      type: 'enrolment', ref: e.id, session: e.sessionId, trainee: e.traineeId, company: e.companyId, funderCode: e.funderCode, fileNumber: e.fileNumber,
      plannedStart: e.plannedStart, plannedEnd: e.plannedEnd, ...(e.plannedMinutes !== null ? { plannedMinutes: e.plannedMinutes } : {}),
      statuses: statusesOf.get(e.id) ?? [],
    });
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

