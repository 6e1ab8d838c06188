import type { MethodName } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';

/**
 * Record-level scopes (issue #12): a trainer's account reaches only the sessions they teach (a slot of theirs in the
 * session) and the AFESTs they facilitate; a tutor's account only the AFESTs of which they are the designated tutor.
 * Permissions say which methods a role may call (shared/permissions.ts); this says on which records. The backend
 * applies it on every call (dispatch.ts): a record outside the scope is refused as if it did not exist for this
 * account, and lists come back cut to the scope — the renderer shows what it receives, it hides nothing itself.
 */

type Target = { kind: 'session' | 'slot' | 'enrolment' | 'mark' | 'afest' | 'sequence' | 'evaluation' | 'signature' | 'attachment' | 'tutor'; id: string };
type In = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const one = (kind: Target['kind'], v: unknown): Target[] => (str(v) ? [{ kind, id: str(v)! }] : []);

/**
 * What each scoped method's input points at. A method not listed here and not in LISTS either needs no scope (it
 * reads reference data, e.g. the attendance kinds) or is out of reach of the scoped roles (shared/permissions.ts).
 * `null`: the call must name a record in scope (a global query such as every session's hours is refused).
 */
const TARGETS: Partial<Record<MethodName, (i: In) => Target[] | null>> = {
  'sessions.get': (i) => one('session', i.id),
  'attendance.rollCall': (i) => one('slot', i.slotId),
  'attendance.drafts': (i) => one('slot', i.slotId),
  'attendance.saveDraft': (i) => [...one('slot', i.slotId), ...one('enrolment', i.enrolmentId)],
  'attendance.signatures': (i) => one('slot', i.slotId),
  'attendance.issueQr': (i) => one('slot', i.slotId),
  'attendance.scanQr': (i) => [...one('slot', i.slotId), ...one('enrolment', i.enrolmentId)],
  'attendance.record': (i) => one('slot', i.slotId),
  'attendance.close': (i) => one('slot', i.slotId),
  'attendance.correct': (i) => one('mark', i.markId),
  'attendance.history': (i) => [...one('slot', i.slotId), ...one('enrolment', i.enrolmentId)],
  'attendance.importLog': (i) => one('session', i.sessionId),
  'attendance.connectionTotals': (i) => one('session', i.sessionId),
  'hours.realised': (i) => {
    const t = [...one('session', i.sessionId), ...one('enrolment', i.enrolmentId), ...one('afest', i.afestId)];
    return t.length ? t : null;
  },
  'documents.attendanceSheet': (i) => one('session', i.sessionId),
  'documents.blankSheet': (i) => one('session', i.sessionId),
  'documents.monthlyStatement': (i) => one('enrolment', i.enrolmentId),
  'afest.get': (i) => one('afest', i.id),
  'afest.dossier': (i) => one('afest', i.id),
  'afest.recordSequence': (i) => one('afest', i.afestId),
  'afest.recordEvaluation': (i) => one('afest', i.afestId),
  'afest.correctSequence': (i) => one('sequence', i.sequenceId),
  'afest.withdrawSequence': (i) => one('sequence', i.id),
  'afest.withdrawEvaluation': (i) => one('evaluation', i.id),
  'afest.attachment': (i) => one('attachment', i.id),
  'afest.signature': (i) => one('signature', i.id),
  'afest.tutorHome': (i) => one('tutor', i.tutorId),
};

/** Lists cut to the scope after the query: each answer row says which session or AFEST it belongs to. */
const LISTS: Partial<Record<MethodName, (row: In) => Target>> = {
  'sessions.list': (r) => ({ kind: 'session', id: String(r.id) }),
  'sessions.archived': (r) => ({ kind: 'session', id: String(r.id) }),
  'attendance.day': (r) => ({ kind: 'session', id: String(r.sessionId) }),
  'checks.run': (r) => ({ kind: 'session', id: String((r.link as In).sessionId) }),
  'afest.list': (r) => ({ kind: 'afest', id: String(r.id) }),
  'afest.tutors': (r) => ({ kind: 'tutor', id: String(r.id) }),
};

/** The sessions a trainer teaches: at least one slot of theirs, not removed. */
const TRAINER_SESSIONS = `SELECT DISTINCT s.session_id FROM slot_trainers st JOIN slots s ON s.id = st.slot_id WHERE st.trainer_id = ? AND st.deleted_at IS NULL`;

interface Scope {
  sessions: ReadonlySet<string>;
  afests: ReadonlySet<string>;
  tutors: ReadonlySet<string>;
}

function scopeOf(raw: Raw, ctx: Ctx): Scope | null {
  const s = ctx.user.scope;
  if (!s) return null;
  const trainerId = s.trainerId ?? null;
  const tutorId = s.tutorId ?? null;
  const sessions = trainerId ? raw.all<{ session_id: string }>(TRAINER_SESSIONS, trainerId).map((r) => r.session_id) : [];
  const afests = raw.all<{ id: string; tutor_id: string | null }>(
    'SELECT id, tutor_id FROM afests WHERE (? IS NOT NULL AND facilitator_id = ?) OR (? IS NOT NULL AND tutor_id = ?)',
    trainerId, trainerId, tutorId, tutorId,
  );
  const tutors = new Set(afests.map((a) => a.tutor_id).filter((t): t is string => t !== null));
  if (tutorId) tutors.add(tutorId);
  return { sessions: new Set(sessions), afests: new Set(afests.map((a) => a.id)), tutors };
}

/** The session or AFEST a target belongs to (null: it does not exist — the service says so in its own words). */
function inScope(raw: Raw, scope: Scope, t: Target): boolean | null {
  const session = (sql: string) => {
    const row = raw.get<{ s: string }>(sql, t.id);
    return row ? scope.sessions.has(row.s) : null;
  };
  const afest = (sql: string, ...params: unknown[]) => {
    const rows = raw.all<{ a: string }>(sql, ...params);
    return rows.length ? rows.some((r) => scope.afests.has(r.a)) : null;
  };
  switch (t.kind) {
    case 'session':
      return raw.get('SELECT 1 FROM sessions WHERE id = ?', t.id) ? scope.sessions.has(t.id) : null;
    case 'slot':
      return session('SELECT session_id AS s FROM slots WHERE id = ?');
    case 'enrolment':
      return session('SELECT session_id AS s FROM enrolments WHERE id = ?');
    case 'mark':
      return session('SELECT sl.session_id AS s FROM attendance_marks m JOIN slots sl ON sl.id = m.slot_id WHERE m.id = ?');
    case 'afest':
      return raw.get('SELECT 1 FROM afests WHERE id = ?', t.id) ? scope.afests.has(t.id) : null;
    case 'sequence':
      return afest('SELECT afest_id AS a FROM afest_sequences WHERE id = ?', t.id);
    case 'evaluation':
      return afest('SELECT afest_id AS a FROM afest_evaluations WHERE id = ?', t.id);
    case 'signature':
      return afest(
        `SELECT afest_id AS a FROM afest_sequences WHERE learner_signature_id = ?1 OR leader_signature_id = ?1
         UNION SELECT afest_id FROM afest_evaluations WHERE learner_signature_id = ?1 OR evaluator_signature_id = ?1`,
        t.id,
      );
    case 'attachment':
      return afest("SELECT afest_id AS a FROM afest_evaluations WHERE instr(attachments, ?) > 0", t.id);
    case 'tutor':
      return scope.tutors.has(t.id);
  }
}

const OUT_OF_SCOPE = {
  trainer: "Cet élément ne fait pas partie de vos sessions ni des AFEST que vous accompagnez : il n'est pas accessible avec votre compte.",
  tutor: "Cet élément ne concerne pas vos apprenants : il n'est pas accessible avec votre compte de tuteur.",
};

/** Refuses a call on a record outside the account's scope; nothing to do for accounts without one. */
export async function checkScope(ctx: Ctx, method: string, input: unknown): Promise<void> {
  const targets = TARGETS[method as MethodName];
  if (!ctx.user.scope || !targets) return;
  const message = ctx.user.scope.tutorId !== undefined ? OUT_OF_SCOPE.tutor : OUT_OF_SCOPE.trainer;
  await withRaw(ctx.db, (raw) => {
    const scope = scopeOf(raw, ctx)!;
    const list = targets((input ?? {}) as In);
    if (list === null) throw new AppError('forbidden', `${message} Précisez la session, l'inscription ou l'AFEST.`);
    for (const t of list) if (inScope(raw, scope, t) === false) throw new AppError('forbidden', message);
  });
}

/** A list's rows cut to the account's scope; every other answer unchanged. */
export async function cutToScope(ctx: Ctx, method: string, value: unknown): Promise<unknown> {
  const target = LISTS[method as MethodName];
  if (!ctx.user.scope || !target || !Array.isArray(value)) return value;
  return withRaw(ctx.db, (raw) => {
    const scope = scopeOf(raw, ctx)!;
    return value.filter((row: In) => {
      const t = target(row);
      return t.kind === 'session' ? scope.sessions.has(t.id) : t.kind === 'afest' ? scope.afests.has(t.id) : scope.tutors.has(t.id);
    });
  });
}

/** For the role × method test: every method that reads or writes a scoped record is declared here. */
export const SCOPED_METHODS: ReadonlySet<string> = new Set([...Object.keys(TARGETS), ...Object.keys(LISTS)]);
