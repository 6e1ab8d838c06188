import { AppError } from '../../../shared/errors';
import type { ArchiveKind } from '../../../shared/contract/archive';
import { inTransaction, stampVersion, type Ctx } from '../context';
import { rawAll } from '../db/raw';
import { track } from '../evidence/track';

/**
 * Archiving a record created by mistake (issue #8 item 9). The archive is the row's `deleted_at` tombstone
 * of schema 4 (every list and picker already hides those rows; a change bumps `version`), set only while
 * no evidence hangs on the record: attendance marks, signatures, closed roll calls, connection logs,
 * printed documents, records queued for a funder. Evidence is never touched; a refusal says in French
 * what hangs on the record. Restoring clears the tombstone (and those of the rows archived with it).
 */

/** The kinds archived through their `deleted_at` tombstone (a receiver has its own, sync/receivers.ts). */
type RecordKind = Exclude<ArchiveKind, 'receiver'>;

const TABLE: Record<RecordKind, 'trainees' | 'companies' | 'trainers' | 'places' | 'actions' | 'sessions'> = {
  trainee: 'trainees',
  company: 'companies',
  trainer: 'trainers',
  place: 'places',
  action: 'actions',
  session: 'sessions',
};
const WHAT: Record<RecordKind, string> = {
  trainee: 'Ce stagiaire',
  company: 'Cette entreprise',
  trainer: 'Ce formateur',
  place: 'Ce lieu',
  action: 'Cette action de formation',
  session: 'Cette session',
};

/** Enrolments and slots a record reaches, as SQL sub-selects over `?` = the record's id. */
const ENROLMENTS_OF: Partial<Record<RecordKind, string>> = {
  trainee: 'SELECT id FROM enrolments WHERE trainee_id = ?',
  company: 'SELECT id FROM enrolments WHERE company_id = ?',
  session: 'SELECT id FROM enrolments WHERE session_id = ?',
};
const SLOTS_OF: Partial<Record<RecordKind, string>> = {
  session: 'SELECT id FROM slots WHERE session_id = ?',
  place: 'SELECT id FROM slots WHERE place_id = ? UNION SELECT s.id FROM slots s JOIN sessions x ON x.id = s.session_id WHERE x.place_id = ?',
  trainer: 'SELECT slot_id FROM slot_trainers WHERE trainer_id = ? AND deleted_at IS NULL',
};

/** The evidence counts that forbid archiving, each with its French wording. */
async function evidenceOn(ctx: Ctx, kind: RecordKind, id: string): Promise<string[]> {
  const checks: { label: (n: number) => string; sql: string; params: unknown[] }[] = [];
  const enrolments = ENROLMENTS_OF[kind];
  if (enrolments) {
    checks.push(
      { label: (n) => `${n} marque(s) de présence`, sql: `SELECT count(*) AS n FROM attendance_marks WHERE enrolment_id IN (${enrolments})`, params: [id] },
      { label: (n) => `${n} enregistrement(s) transmis ou à transmettre aux financeurs`, sql: `SELECT count(*) AS n FROM outbox WHERE record_id IN (${enrolments}) OR record_id IN (SELECT id FROM attendance_records WHERE enrolment_id IN (${enrolments}))`, params: [id, id] },
      { label: (n) => `${n} ligne(s) de journaux de connexion`, sql: `SELECT count(*) AS n FROM connection_log_rows WHERE enrolment_id IN (${enrolments})`, params: [id] },
      { label: (n) => `${n} séquence(s) ou évaluation(s) AFEST`, sql: `SELECT (SELECT count(*) FROM afest_sequences WHERE enrolment_id IN (${enrolments})) + (SELECT count(*) FROM afest_evaluations WHERE enrolment_id IN (${enrolments})) AS n`, params: [id, id] },
    );
  }
  // An AFEST's partner company or facilitator is named by its signed log (issue #11).
  if (kind === 'company') {
    checks.push({ label: (n) => `${n} séquence(s) ou évaluation(s) AFEST`, sql: 'SELECT count(*) AS n FROM afest_sequences q JOIN afests a ON a.id = q.afest_id JOIN enrolments e ON e.id = a.enrolment_id WHERE a.company_id = ? AND e.company_id IS NOT ?', params: [id, id] });
    checks.push({ label: (n) => `${n} AFEST dont elle est l'entreprise partenaire`, sql: 'SELECT count(*) AS n FROM afests WHERE company_id = ? AND deleted_at IS NULL', params: [id] });
  }
  if (kind === 'trainer') {
    checks.push({ label: (n) => `${n} séquence(s) ou évaluation(s) AFEST`, sql: "SELECT (SELECT count(*) FROM afest_sequences WHERE led_by = 'facilitator' AND leader_id = ?) + (SELECT count(*) FROM afest_evaluations WHERE evaluator_kind = 'facilitator' AND evaluator_id = ?) AS n", params: [id, id] });
    checks.push({ label: (n) => `${n} AFEST dont il est le formateur animateur`, sql: 'SELECT count(*) AS n FROM afests WHERE facilitator_id = ? AND deleted_at IS NULL', params: [id] });
  }
  const slots = SLOTS_OF[kind];
  if (slots) {
    const params = kind === 'place' ? [id, id] : [id];
    checks.push(
      { label: (n) => `${n} marque(s) de présence`, sql: `SELECT count(*) AS n FROM attendance_marks WHERE slot_id IN (${slots})`, params },
      { label: (n) => `${n} émargement(s) clôturé(s)`, sql: `SELECT count(*) AS n FROM slot_closures WHERE slot_id IN (${slots})`, params },
    );
  }
  if (kind === 'trainee' || kind === 'trainer') {
    checks.push({ label: (n) => `${n} signature(s)`, sql: 'SELECT count(*) AS n FROM signatures WHERE signer_kind = ? AND signer_id = ?', params: [kind, id] });
  }
  if (kind === 'trainer') {
    checks.push({ label: (n) => `${n} émargement(s) clôturé(s)`, sql: 'SELECT count(*) AS n FROM slot_closures WHERE trainer_id = ?', params: [id] });
  }
  // A printed, registered document names the records it was printed for in its parameters.
  checks.push({ label: (n) => `${n} document(s) imprimé(s) enregistré(s)`, sql: `SELECT count(*) AS n FROM printed_documents WHERE instr(params, ?) > 0`, params: [id] });

  const found = new Map<string, number>();
  for (const c of checks) {
    const [row] = await rawAll<{ n: number }>(ctx.db, c.sql, ...c.params);
    const n = row?.n ?? 0;
    if (n > 0) {
      const label = c.label(n);
      const key = label.replace(/^\d+ /, '');
      found.set(key, (found.get(key) ?? 0) + n);
    }
  }
  return [...found].map(([label, n]) => `${n} ${label}`);
}

/** A label people recognise, for the archived list and messages. */
const LABEL: Record<RecordKind, string> = {
  trainee: "last_name || ' ' || first_name",
  company: 'name',
  trainer: "last_name || ' ' || first_name",
  place: "name || ' (' || city || ')'",
  action: 'title',
  session: 'label',
};

export async function archivedRecords(ctx: Ctx, kind: RecordKind): Promise<{ id: string; label: string; archivedAt: string }[]> {
  return rawAll(ctx.db, `SELECT id, ${LABEL[kind]} AS label, deleted_at AS archivedAt FROM ${TABLE[kind]} WHERE deleted_at IS NOT NULL ORDER BY label`);
}

/** Archives (`archived: true`) or restores a record; refuses in French when evidence hangs on it. */
export async function setArchived(ctx: Ctx, input: { kind: RecordKind; id: string; archived: boolean }): Promise<{ id: string; archived: boolean }> {
  const { kind, id, archived } = input;
  const table = TABLE[kind];
  const [row] = await rawAll<{ deleted_at: string | null; label: string }>(ctx.db, `SELECT deleted_at, ${LABEL[kind]} AS label FROM ${table} WHERE id = ?`, id);
  if (!row) throw new AppError('not_found', `${WHAT[kind]} est introuvable.`, [{ path: 'id', message: 'Enregistrement inconnu.' }]);
  if (archived === (row.deleted_at !== null)) return { id, archived };
  if (!archived) {
    await ctx.db.updateTable(table).set({ deletedAt: null, ...stampVersion(ctx) } as never).where('id', '=', id).execute();
    if (kind === 'trainee' || kind === 'session') {
      // The enrolments (and a session's slots) archived with the record come back with it.
      const column = kind === 'trainee' ? 'traineeId' : 'sessionId';
      await ctx.db.updateTable('enrolments').set({ deletedAt: null, ...stampVersion(ctx) }).where(column, '=', id).where('deletedAt', '=', row.deleted_at).execute();
      if (kind === 'session') {
        await inTransaction(ctx, async (tx) => {
          const slots = await tx.db.updateTable('slots').set({ deletedAt: null, ...stampVersion(tx) }).where('sessionId', '=', id).where('deletedAt', '=', row.deleted_at).returning('id').execute();
          await track(tx, 'slot', slots.map((s) => s.id));
        });
      }
    }
    return { id, archived };
  }
  const evidence = await evidenceOn(ctx, kind, id);
  if (evidence.length > 0) {
    throw new AppError('business', `${WHAT[kind]} (${row.label}) ne peut pas être archivé${kind === 'company' || kind === 'action' || kind === 'session' ? 'e' : ''} : des preuves s'y rattachent (${evidence.join(', ')}). Les preuves ne sont jamais supprimées.`);
  }
  if (kind === 'action') {
    const sessions = await ctx.db.selectFrom('sessions').select('label').where('actionId', '=', id).where('deletedAt', 'is', null).orderBy('label').execute();
    if (sessions.length > 0) {
      throw new AppError('business', `Cette action de formation (${row.label}) a encore ${sessions.length} session(s) : ${sessions.map((s) => `« ${s.label} »`).join(', ')}. Archivez d'abord ses sessions.`);
    }
  }
  const at = ctx.now().toISOString();
  await ctx.db.updateTable(table).set({ deletedAt: at, ...stampVersion(ctx) } as never).where('id', '=', id).execute();
  // A trainee's enrolments and a session's enrolments and slots go with it (none carries evidence: checked above).
  if (kind === 'trainee' || kind === 'session') {
    const column = kind === 'trainee' ? 'traineeId' : 'sessionId';
    await ctx.db.updateTable('enrolments').set({ deletedAt: at, ...stampVersion(ctx) }).where(column, '=', id).where('deletedAt', 'is', null).execute();
    if (kind === 'session') {
      // A slot's removal is covered by the ledger (evidence/track.ts).
      await inTransaction(ctx, async (tx) => {
        const slots = await tx.db.updateTable('slots').set({ deletedAt: at, ...stampVersion(tx) }).where('sessionId', '=', id).where('deletedAt', 'is', null).returning('id').execute();
        await track(tx, 'slot', slots.map((s) => s.id));
      });
    }
  }
  return { id, archived };
}
