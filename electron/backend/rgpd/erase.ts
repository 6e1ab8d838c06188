import type { z } from 'zod';
import { todayIn } from '../../../shared/domain/dates';
import { ERASED_BIRTH_DATE, ERASED_NOW, erasedName, KEPT_UNTIL_PURGE, purgeDue, retentionPlan, type RetentionPlan } from '../../../shared/domain/retention';
import { traineeSearchKey } from '../../../shared/domain/search';
import { isoToDisplay } from '../../../shared/domain/date-text';
import { AppError } from '../../../shared/errors';
import type { eraseInput, ErasurePreview, ErasureStatus, PurgeResult } from '../../../shared/schemas/rgpd';
import { recordAudit } from '../audit/audit';
import { inTransaction, stampVersion, type Ctx } from '../context';
import { rawAll, withRaw, type Raw } from '../db/raw';
import type { SqlRow } from '../db/schema';
import { personName, slug } from '../documents/format';
import { redactClaimLabelsIn, redactEvidenceIn, type Redaction, type RedactionContext } from '../evidence/redact';
import { organisationTimeZone } from '../organisation/organisation';
import { getTrainee } from '../people/people';
import { enrolmentsOf, retentionFacts } from './facts';
import { scrubSentRecords } from './sent-records';

/**
 * The right to erasure (RGPD art. 17) within the funders' retention (art. 17.3.b), in two steps:
 *
 * **The erasure** (`rgpd.erase`), at once, in one transaction: everything no funder needs goes — contact data,
 * NIR and its blind index, sensitive fields, France Travail id, the roll-call PIN, roll-call drafts, the NIR and
 * France Travail id inside the copies already sent kept in the sync queue, and the login of connection-log lines
 * that justify no hour. The erasure is recorded (`rgpd_erasures`) with its retention plan (shared/domain/retention.ts)
 * and the day the rest may be anonymised, and written to the audit log — without the person's name.
 *
 * **The purge** (`rgpd.purgeDue`, at start-up and daily: schedule.ts), once that day has come (computed again from
 * the facts of the day, never earlier than recorded): the trainee becomes « Personne effacée n », born 01/01/1900,
 * and the personal content of the evidence is blanked — signature images, reasons of absence, attached pieces,
 * connection logins, certificate PDFs, the name in frozen claim lines and in audit lines, the names in copies sent.
 *
 * **Why the evidence ledger stays intact.** Trainees are not covered by the ledger (evidence/track.ts tracks slots,
 * attendance kinds and AFEST set-ups, not people), so their row changes freely. Evidence rows are never deleted:
 * marks, closures, statuses, sequences keep every hour, date and id funders and auditors count — they hold no name,
 * and once the trainee row is anonymised they point to no one. What evidence holds of the person itself is blanked
 * through evidence/redact.ts: each blanking is first recorded as evidence (chained and sealed), with the row's hash
 * before and after, and `ledger.verify` accepts a changed row only along such a recorded chain. So the ledger still
 * catches any change made behind the app's back, before and after the purge.
 *
 * Both steps run with `PRAGMA secure_delete` on, and the write-ahead log is checkpointed and truncated after, so
 * the values erased do not linger in the database file's free space or its -wal (privacy/startup.ts does the same).
 */

type EraseInput = z.output<typeof eraseInput>;
type ErasureRow = SqlRow<'rgpd_erasures'>;

const PSEUDONYM_SLUG = (n: number) => `personne-effacee-${n}`;
const ERASED_PIECE = 'pièce effacée (RGPD)';

export async function erasureStatusOf(ctx: Ctx, traineeId: string): Promise<ErasureStatus | null> {
  const [row] = await rawAll<ErasureRow & { requester: string | null }>(
    ctx.db,
    'SELECT e.*, u.name AS requester FROM rgpd_erasures e LEFT JOIN users u ON u.id = e.requested_by WHERE e.trainee_id = ?',
    traineeId,
  );
  if (!row) return null;
  return { number: row.number, reason: row.reason, requestedAt: row.requested_at, requestedBy: row.requester ?? row.requested_by, purgeFrom: row.purge_from, purgedAt: row.purged_at };
}

/** The JSON of an enrolment list, for `json_each(?)`: bound, never spliced into SQL. */
const idsOf = (ids: readonly string[]) => JSON.stringify(ids);

/** The connection-log keys a trainee's lines were matched by on import (attendance/connection-logs.ts). */
function loginKeys(t: { lastName: string; firstName: string; email: string | null; franceTravailId: string | null }): string[] {
  return [t.email, t.franceTravailId, `${t.lastName} ${t.firstName}`, `${t.firstName} ${t.lastName}`].filter((k): k is string => !!k).map((k) => k.toLowerCase());
}

/** What an erasure would do today, or what the one recorded does. */
export async function erasurePreview(ctx: Ctx, traineeId: string): Promise<ErasurePreview> {
  const trainee = await getTrainee(ctx, traineeId);
  const timeZone = await organisationTimeZone(ctx);
  const today = todayIn(ctx.now(), timeZone);
  const erasure = await erasureStatusOf(ctx, traineeId);
  const seen = await withRaw(ctx.db, (raw) => {
    const ids = idsOf(enrolmentsOf(raw, traineeId).map((e) => e.id));
    const count = (sql: string, ...p: unknown[]) => raw.get<{ n: number }>(sql, ...p)!.n;
    const keys = JSON.stringify(loginKeys(trainee));
    return {
      facts: retentionFacts(raw, traineeId, timeZone),
      sensitive: count('SELECT count(*) AS n FROM trainees WHERE id = ? AND sensitive IS NOT NULL', traineeId) > 0,
      pin: count("SELECT count(*) AS n FROM person_pins WHERE person_kind = 'trainee' AND person_id = ?", traineeId) > 0,
      drafts: count('SELECT count(*) AS n FROM rollcall_drafts WHERE enrolment_id IN (SELECT value FROM json_each(?))', ids) > 0,
      sent: count(`SELECT count(*) AS n FROM outbox WHERE record_type = 'enrolment' AND record_id IN (SELECT value FROM json_each(?)) AND (payload LIKE '%"nir":%' OR payload LIKE '%"franceTravailId":%')`, ids) > 0,
      looseLogins: count('SELECT count(*) AS n FROM connection_log_rows WHERE enrolment_id IS NULL AND lower(login) IN (SELECT value FROM json_each(?))', keys) > 0,
      linkedLogins: count('SELECT count(*) AS n FROM connection_log_rows WHERE enrolment_id IN (SELECT value FROM json_each(?))', ids),
    };
  });
  const plan = retentionPlan(seen.facts, today);
  const present: Record<string, boolean> = {
    contact: [trainee.email, trainee.phone, trainee.postcode, trainee.city].some((v) => v !== null),
    nir: trainee.nirOnFile,
    sensitive: seen.sensitive,
    franceTravailId: trainee.franceTravailId !== null,
    pin: seen.pin,
    drafts: seen.drafts,
    sent: seen.sent,
    logins: seen.looseLogins,
  };
  const purgeFrom = erasure && erasure.purgeFrom > plan.purgeFrom ? erasure.purgeFrom : plan.purgeFrom;
  const notes = [
    'Les sauvegardes déjà prises (gardées jusqu’à 12 mois) contiennent encore ces données jusqu’à leur rotation : restaurer une sauvegarde antérieure à l’effacement les ferait revenir, il faudrait alors effacer de nouveau.',
    'Les fichiers déjà remis (exports, lots transmis aux financeurs, documents imprimés) ne sont pas atteints : les financeurs conservent leurs propres copies sous leurs obligations.',
  ];
  if (seen.linkedLogins > 0) {
    notes.push(`${seen.linkedLogins} ligne(s) de journaux de connexion justifient des heures de formation à distance : leur identifiant de connexion (souvent l’adresse e-mail) y reste jusqu’à l’anonymisation.`);
  }
  return {
    traineeId,
    name: personName(trainee.lastName, trainee.firstName),
    erasure,
    blockers: erasure ? [] : plan.blockers,
    now: ERASED_NOW.map((i) => ({ key: i.key, label: i.label, present: present[i.key] ?? false })),
    kept: KEPT_UNTIL_PURGE.map((i) => ({ ...i })),
    items: plan.items,
    keepUntil: plan.keepUntil,
    purgeFrom,
    notes,
  };
}

/**
 * Runs `fn` with `PRAGMA secure_delete` on (cells overwritten with zeros when freed), then puts the setting back and,
 * outside any transaction, checkpoints and truncates the write-ahead log: what was erased is left neither in the
 * file's free space nor in the -wal.
 */
async function withSecureDelete<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  const prior = await withRaw(ctx.db, (raw) => raw.get<{ secure_delete: number }>('PRAGMA secure_delete')!.secure_delete);
  await withRaw(ctx.db, (raw) => raw.run('PRAGMA secure_delete = ON'));
  try {
    return await fn();
  } finally {
    await withRaw(ctx.db, (raw) => {
      raw.run(`PRAGMA secure_delete = ${prior === 1 ? 'ON' : 'OFF'}`);
      // Best effort: a reader elsewhere (the CLI, a backup) may hold the log; the next checkpoint then does it.
      if (!raw.inTransaction) raw.get('PRAGMA wal_checkpoint(TRUNCATE)');
    });
  }
}

function redactionContext(tx: Ctx, erasureId: string): RedactionContext {
  return { erasureId, at: tx.now().toISOString(), userId: tx.user.id, newId: () => tx.newId() };
}

/** Records the erasure and removes at once what no funder needs. Refused while an enrolment is still running. */
export async function eraseTrainee(ctx: Ctx, input: EraseInput): Promise<ErasurePreview> {
  await withSecureDelete(ctx, () =>
    inTransaction(ctx, async (tx) => {
      const t = await tx.db
        .selectFrom('trainees')
        .select(['id', 'lastName', 'firstName', 'email', 'franceTravailId'])
        .where('id', '=', input.traineeId)
        .executeTakeFirst();
      if (!t) throw new AppError('not_found', 'Stagiaire introuvable.', [{ path: 'traineeId', message: 'Stagiaire inconnu.' }]);
      const done = await erasureStatusOf(tx, t.id);
      if (done) {
        const message = `Les données de ce stagiaire ont déjà été effacées (effacement n° ${done.number}, demandé le ${isoToDisplay(done.requestedAt.slice(0, 10))}).`;
        throw new AppError('conflict', message, [{ path: 'traineeId', message }]);
      }
      const timeZone = await organisationTimeZone(tx);
      const today = todayIn(tx.now(), timeZone);
      const plan = retentionPlan(await withRaw(tx.db, (raw) => retentionFacts(raw, t.id, timeZone)), today);
      if (plan.blockers.length > 0) {
        throw new AppError('business', plan.blockers.map((b) => b.message).join(' '), plan.blockers.map((b) => ({ path: 'traineeId', message: b.message })));
      }
      const at = tx.now().toISOString();
      const erasure: ErasureRow = {
        id: tx.newId(), trainee_id: t.id, number: 0, reason: input.reason, requested_at: at, requested_by: tx.user.id, purge_from: plan.purgeFrom,
        plan: JSON.stringify(plan), purged_at: null, purged_by: null,
      };
      await withRaw(tx.db, (raw) => {
        erasure.number = raw.get<{ n: number }>('SELECT coalesce(max(number), 0) + 1 AS n FROM rgpd_erasures')!.n;
        raw.run(
          'INSERT INTO rgpd_erasures (id, trainee_id, number, reason, requested_at, requested_by, purge_from, plan, purged_at, purged_by) VALUES (@id, @trainee_id, @number, @reason, @requested_at, @requested_by, @purge_from, @plan, @purged_at, @purged_by)',
          erasure,
        );
        const enrolmentIds = enrolmentsOf(raw, t.id).map((e) => e.id);
        // Connection lines matched to none of their enrolments justify no hour: their login goes now.
        const loose = raw.all<{ id: string }>('SELECT id FROM connection_log_rows WHERE enrolment_id IS NULL AND lower(login) IN (SELECT value FROM json_each(?))', JSON.stringify(loginKeys(t)));
        redactEvidenceIn(raw, redactionContext(tx, erasure.id), loose.map((r) => ({ type: 'connection_log_row', id: r.id, set: { login: PSEUDONYM_SLUG(erasure.number) } })));
        raw.run("DELETE FROM person_pins WHERE person_kind = 'trainee' AND person_id = ?", t.id);
        raw.run('DELETE FROM rollcall_drafts WHERE enrolment_id IN (SELECT value FROM json_each(?))', idsOf(enrolmentIds));
        scrubSentRecords(raw, { enrolmentIds, claimIds: [], trainee: withoutIdentifiers, documentName: (n) => n });
      });
      await tx.db
        .updateTable('trainees')
        .set({ email: null, phone: null, postcode: null, city: null, nir: null, nirIndex: null, sensitive: null, franceTravailId: null, searchKey: traineeSearchKey(t.lastName, t.firstName, null), ...stampVersion(tx) })
        .where('id', '=', t.id)
        .execute();
      const kept = plan.keepUntil
        ? `identité et preuves conservées pour les financeurs jusqu’au ${isoToDisplay(plan.keepUntil)} inclus, anonymisées à partir du ${isoToDisplay(plan.purgeFrom)}`
        : 'rien n’étant à conserver pour les financeurs, identité anonymisée aussitôt';
      await recordAudit(tx, 'rgpd.erase', {
        subjectType: 'trainee',
        subjectId: t.id,
        summary: `Effacement RGPD n° ${erasure.number} : coordonnées, NIR, données sensibles, identifiant France Travail, PIN et brouillons effacés ; ${kept}.`,
        method: 'rgpd.erase',
      });
      if (plan.keepUntil === null) await purgeIn(tx, erasure);
    }),
  );
  return erasurePreview(ctx, input.traineeId);
}

/** An `enrolment` record's trainee block without the identifiers an erasure removes at once. */
function withoutIdentifiers(block: Record<string, unknown>): Record<string, unknown> {
  const { nir: _nir, franceTravailId: _ft, ...rest } = block;
  return rest;
}

/**
 * Anonymises every erased trainee whose retention is over today (each in its own transaction), moves later the
 * purge date of those whose facts changed (a payment recorded since), and comes back to the copies in the sync
 * queue that were still to send at the erasure. Returns who was anonymised and how many still wait.
 */
export async function purgeDueErasures(ctx: Ctx): Promise<PurgeResult> {
  const pending = await rawAll<ErasureRow>(ctx.db, 'SELECT * FROM rgpd_erasures WHERE purged_at IS NULL ORDER BY number');
  const purged: PurgeResult['purged'] = [];
  let waiting = 0;
  await withSecureDelete(ctx, async () => {
    for (const e of pending) {
      const name = await purgeIfDue(ctx, e.id);
      if (name) purged.push({ traineeId: e.trainee_id, name });
      else waiting++;
    }
    await inTransaction(ctx, (tx) => withRaw(tx.db, (raw) => rescrub(raw)));
  });
  return { purged, waiting };
}

async function purgeIfDue(ctx: Ctx, erasureId: string): Promise<string | null> {
  return inTransaction(ctx, async (tx) => {
    const [e] = await rawAll<ErasureRow>(tx.db, 'SELECT * FROM rgpd_erasures WHERE id = ? AND purged_at IS NULL', erasureId);
    if (!e) return null;
    const timeZone = await organisationTimeZone(tx);
    const today = todayIn(tx.now(), timeZone);
    const plan: RetentionPlan = retentionPlan(await withRaw(tx.db, (raw) => retentionFacts(raw, e.trainee_id, timeZone)), today);
    if (!purgeDue(plan, today, e.purge_from)) {
      // A payment recorded since the erasure moves the date later; never earlier (the trigger refuses it too).
      if (plan.purgeFrom > e.purge_from) await tx.db.updateTable('rgpdErasures').set({ purgeFrom: plan.purgeFrom }).where('id', '=', e.id).execute();
      return null;
    }
    return purgeIn(tx, e);
  });
}

/** The purge of one erased trainee, in the caller's transaction. Returns the name the trainee keeps. */
async function purgeIn(tx: Ctx, e: ErasureRow): Promise<string> {
  const t = await tx.db.selectFrom('trainees').select(['id', 'lastName', 'firstName']).where('id', '=', e.trainee_id).executeTakeFirstOrThrow();
  const erased = erasedName(e.number);
  const rename = renamer(t, erased, e.number);
  const counts = await withRaw(tx.db, (raw) => {
    const c = redactionContext(tx, e.id);
    const enrolmentIds = enrolmentsOf(raw, t.id).map((x) => x.id);
    const mine = idsOf(enrolmentIds);
    const afestIds = raw.all<{ id: string }>('SELECT id FROM afests WHERE enrolment_id IN (SELECT value FROM json_each(?))', mine).map((a) => a.id);
    const ids = (sql: string, ...p: unknown[]) => raw.all<{ id: string }>(sql, ...p).map((r) => r.id);
    const redactions: Redaction[] = [
      // A trainee signs as the enrolment the mark or sequence belongs to (attendance.ts signatureRow).
      ...ids("SELECT id FROM signatures WHERE signer_kind = 'trainee' AND (signer_id = @trainee OR signer_id IN (SELECT value FROM json_each(@mine)))", { trainee: t.id, mine }).map((id): Redaction => ({ type: 'signature', id, set: { strokes: '[]', png: null } })),
      ...ids('SELECT id FROM attendance_marks WHERE enrolment_id IN (SELECT value FROM json_each(?)) AND reason IS NOT NULL', mine).map((id): Redaction => ({ type: 'attendance_mark', id, set: { reason: null } })),
      // A piece attached to their marks or evaluations, unless someone else's mark or evaluation cites it too.
      ...ids(
        `SELECT DISTINCT d.id FROM documents d
         WHERE (d.id IN (SELECT document_id FROM attendance_marks WHERE enrolment_id IN (SELECT value FROM json_each(@mine)))
             OR d.id IN (SELECT j.value FROM afest_evaluations v, json_each(v.attachments) j WHERE v.enrolment_id IN (SELECT value FROM json_each(@mine))))
           AND d.id NOT IN (SELECT document_id FROM attendance_marks WHERE document_id IS NOT NULL AND enrolment_id NOT IN (SELECT value FROM json_each(@mine)))
           AND d.id NOT IN (SELECT j.value FROM afest_evaluations v, json_each(v.attachments) j WHERE v.enrolment_id NOT IN (SELECT value FROM json_each(@mine)))`,
        { mine },
      ).map((id): Redaction => ({ type: 'document', id, set: { name: ERASED_PIECE, bytes: new Uint8Array(0) } })),
      ...ids('SELECT id FROM connection_log_rows WHERE enrolment_id IN (SELECT value FROM json_each(?))', mine).map((id): Redaction => ({ type: 'connection_log_row', id, set: { login: PSEUDONYM_SLUG(e.number) } })),
      ...raw
        .all<{ id: string; name: string }>("SELECT id, name FROM claim_documents WHERE kind = 'certificat' AND enrolment_id IN (SELECT value FROM json_each(?))", mine)
        .map((d): Redaction => ({ type: 'claim_document', id: d.id, set: { name: rename(d.name), bytes: new Uint8Array(0) } })),
      ...raw
        .all<{ id: string; summary: string }>('SELECT id, summary FROM audit_events WHERE summary IS NOT NULL AND subject_id IN (SELECT value FROM json_each(?))', idsOf([t.id, ...enrolmentIds, ...afestIds]))
        .filter((a) => rename(a.summary) !== a.summary)
        .map((a): Redaction => ({ type: 'audit_event', id: a.id, set: { summary: rename(a.summary) } })),
    ];
    const blanked = redactEvidenceIn(raw, c, redactions);
    // The claim lines that bill them, an apprenticeship contract of theirs included.
    const contracts = new Set(ids('SELECT id FROM apprenticeship_contracts WHERE enrolment_id IN (SELECT value FROM json_each(?))', mine));
    const theirs = new Set(enrolmentIds);
    let lines = 0;
    for (const claimId of ids('SELECT DISTINCT claim_id AS id FROM claim_lines WHERE enrolment_id IN (SELECT value FROM json_each(@mine)) OR contract_id IN (SELECT id FROM apprenticeship_contracts WHERE enrolment_id IN (SELECT value FROM json_each(@mine)))', { mine })) {
      lines += redactClaimLabelsIn(raw, c, claimId, (l) => ((l.enrolment_id && theirs.has(l.enrolment_id)) || (l.contract_id && contracts.has(l.contract_id)) ? rename(l.label) : l.label));
    }
    const claimIds = ids('SELECT DISTINCT claim_id AS id FROM claim_documents WHERE enrolment_id IN (SELECT value FROM json_each(?))', mine);
    scrubSentRecords(raw, { enrolmentIds, claimIds, trainee: pseudonymised(erased), documentName: rename });
    return { blanked, lines };
  });
  await tx.db
    .updateTable('trainees')
    .set({
      lastName: erased.lastName, firstName: erased.firstName, birthDate: ERASED_BIRTH_DATE, qpvResident: 0,
      email: null, phone: null, postcode: null, city: null, nir: null, nirIndex: null, sensitive: null, franceTravailId: null,
      searchKey: traineeSearchKey(erased.lastName, erased.firstName, null), ...stampVersion(tx),
    })
    .where('id', '=', t.id)
    .execute();
  await tx.db.updateTable('rgpdErasures').set({ purgedAt: tx.now().toISOString(), purgedBy: tx.user.id }).where('id', '=', e.id).execute();
  await recordAudit(tx, 'rgpd.erase', {
    subjectType: 'trainee',
    subjectId: t.id,
    summary: `Fin de conservation de l’effacement RGPD n° ${e.number} : identité anonymisée en « ${erased.lastName} », ${counts.blanked} preuve(s) vidée(s) de leur contenu personnel et ${counts.lines} ligne(s) de demande de paiement renommée(s), le registre des preuves gardant la trace de chaque effacement.`,
    method: 'rgpd.purgeDue',
  });
  return erased.lastName;
}

/** Replaces the trainee's name, in every form the app writes it, by the name they keep. */
function renamer(t: { lastName: string; firstName: string }, erased: { lastName: string; firstName: string }, n: number): (text: string) => string {
  const forms: [string, string][] = [
    [personName(t.lastName, t.firstName), personName(erased.lastName, erased.firstName)],
    [`${t.lastName} ${t.firstName}`, `${erased.lastName} ${erased.firstName}`],
    [`${t.firstName} ${t.lastName}`, `${erased.firstName} ${erased.lastName}`],
    [slug(`${t.lastName}-${t.firstName}`), PSEUDONYM_SLUG(n)],
  ];
  return (text) => forms.reduce((s, [from, to]) => (from ? s.split(from).join(to) : s), text);
}

function pseudonymised(erased: { lastName: string; firstName: string }): (block: Record<string, unknown>) => Record<string, unknown> {
  return (block) => ({ ...withoutIdentifiers(block), lastName: erased.lastName, firstName: erased.firstName, birthDate: ERASED_BIRTH_DATE });
}

/**
 * The copies in the sync queue that were still to send when a trainee was erased or anonymised, settled since: the
 * daily run scrubs them like the erasure or the purge would have.
 */
function rescrub(raw: Raw): void {
  for (const e of raw.all<ErasureRow>('SELECT * FROM rgpd_erasures ORDER BY number')) {
    const enrolmentIds = enrolmentsOf(raw, e.trainee_id).map((x) => x.id);
    const trainee = e.purged_at ? pseudonymised(erasedName(e.number)) : withoutIdentifiers;
    scrubSentRecords(raw, { enrolmentIds, claimIds: [], trainee, documentName: (n) => n });
  }
}
