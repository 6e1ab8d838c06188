import type { z } from 'zod';
import type { accountsContract } from '../../../shared/contract/accounts';
import { PASSWORD_PROBLEM_TEXT, passwordProblem, throttleMinutes, UNLOCK_PIN_MAX_FAILURES } from '../../../shared/domain/accounts';
import { AppError } from '../../../shared/errors';
import { ROLE_LABELS, type Role } from '../../../shared/permissions';
import type { Account, accountInput, AuthStatus } from '../../../shared/schemas/accounts';
import { recordAudit } from '../audit/audit';
import { ANONYMOUS, inTransaction, LOCAL_USER, type Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { loadDemo } from '../demo/demo';
import { DEMO_ACCOUNTS_SETTING } from '../demo/demo-accounts';
import type { HandlersOf } from '../handler';
import { hashSecret, secretMatches } from './hashing';
import { endSession, endSessionsOf, LOCK_AFTER_SETTING, lockAfterMinutes, openSession, userOf, type UserRow } from './sessions';

/**
 * Accounts and sign-in (issue #12). Secrets are checked outside any transaction (scrypt takes a tenth of a
 * second: the connection stays free), then what follows from the answer is written in one.
 */

const WRONG_CREDENTIALS = 'Identifiant ou mot de passe incorrect.';

const ACCOUNT_SQL = `SELECT u.*, t.last_name || ' ' || t.first_name AS trainer_name, tu.last_name || ' ' || tu.first_name AS tutor_name
  FROM users u LEFT JOIN trainers t ON t.id = u.trainer_id LEFT JOIN tutors tu ON tu.id = u.tutor_id`;
type AccountRow = UserRow & { trainer_name: string | null; tutor_name: string | null };

function accountView(row: AccountRow): Account {
  return {
    id: row.id,
    login: row.login ?? '',
    name: row.name,
    email: row.email,
    role: row.role as Role,
    active: row.active === 1,
    trainerId: row.trainer_id,
    trainerName: row.trainer_name,
    tutorId: row.tutor_id,
    tutorName: row.tutor_name,
    hasPin: row.pin_hash !== null,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
    version: Number(row.version),
  };
}

function accountRow(raw: Raw, where: 'id' | 'login', value: string): AccountRow | undefined {
  return raw.get<AccountRow>(`${ACCOUNT_SQL} WHERE u.${where} = ? AND u.role IS NOT NULL`, value);
}

function anyAccount(raw: Raw): boolean {
  return raw.get('SELECT 1 FROM users WHERE login IS NOT NULL AND role IS NOT NULL LIMIT 1') !== undefined;
}

/** Where the caller stands: first run, signed out, locked or signed in, and what its role may do. */
export async function authStatus(ctx: Ctx): Promise<AuthStatus> {
  return withRaw(ctx.db, (raw) => {
    const row = ctx.user.id === ANONYMOUS.id ? undefined : accountRow(raw, 'id', ctx.user.id);
    const locked = ctx.session?.locked ?? false;
    const pinFailures = ctx.session ? (raw.get<{ n: number }>('SELECT pin_failures AS n FROM auth_sessions WHERE id = ?', ctx.session.id)?.n ?? 0) : 0;
    return {
      setupNeeded: !anyAccount(raw),
      signedIn: row !== undefined,
      locked,
      pinUnlock: locked && row?.pin_hash != null && pinFailures < UNLOCK_PIN_MAX_FAILURES,
      account: row ? accountView(row) : null,
      // A locked session may do nothing but unlock: the screens learn no permission until then.
      permissions: row && !locked ? [...ctx.user.permissions] : [],
      lockAfterMinutes: lockAfterMinutes(raw),
      demoAccounts: raw.get('SELECT 1 FROM sync_settings WHERE key = ?', DEMO_ACCOUNTS_SETTING) !== undefined,
    };
  });
}

/** The status of the session just opened, seen as its account. */
async function statusAs(ctx: Ctx, userId: string, sessionId: string): Promise<AuthStatus> {
  const row = await withRaw(ctx.db, (raw) => raw.get<UserRow>('SELECT * FROM users WHERE id = ?', userId));
  return authStatus({ ...ctx, user: userOf(row!), session: { id: sessionId, transport: ctx.transport ?? 'test', locked: false } });
}

function checkNewPassword(password: string, login: string, field: string): void {
  const problem = passwordProblem(password, login);
  if (problem !== 'ok') throw new AppError('validation', `Mot de passe — ${PASSWORD_PROBLEM_TEXT[problem]}`, [{ path: field, message: PASSWORD_PROBLEM_TEXT[problem] }]);
}

function minutesText(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}

/** Opens a session for `userId` in the caller's transaction and answers its status and token. */
async function signedInAs(tx: Ctx, userId: string): Promise<{ status: AuthStatus; token: string }> {
  const sessionId = tx.newId();
  const token = await withRaw(tx.db, (raw) => openSession(raw, userId, tx.transport ?? 'test', sessionId, tx.now().toISOString()));
  return { status: await statusAs(tx, userId, sessionId), token };
}

async function signIn(ctx: Ctx, input: { login: string; password: string }) {
  const row = await withRaw(ctx.db, (raw) => raw.get<UserRow>('SELECT * FROM users WHERE login = ? AND role IS NOT NULL', input.login));
  const nowMs = ctx.now().getTime();
  if (row?.locked_until && Date.parse(row.locked_until) > nowMs) {
    const left = Math.ceil((Date.parse(row.locked_until) - nowMs) / 60_000);
    const message = `Trop d'essais de mot de passe pour ce compte : réessayez dans ${minutesText(left)}.`;
    await recordAudit(ctx, 'auth.signIn', { outcome: 'refused', userId: row.id, login: input.login, summary: message });
    throw new AppError('business', message, [{ path: 'password', message }]);
  }
  // Always one scrypt, for a known login or not: the answer's timing does not tell which logins exist.
  const matches = await secretMatches(input.password, row?.password_hash ?? null);
  if (!row || !matches) {
    await inTransaction(ctx, async (tx) => {
      if (row) {
        const failures = row.failed_attempts + 1;
        const lock = throttleMinutes(failures);
        await withRaw(tx.db, (raw) =>
          raw.run('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?', failures, lock ? new Date(nowMs + lock * 60_000).toISOString() : null, row.id),
        );
      }
      await recordAudit(tx, 'auth.signIn', { outcome: 'failure', userId: row?.id ?? null, login: input.login, summary: WRONG_CREDENTIALS });
    });
    throw new AppError('validation', WRONG_CREDENTIALS, [{ path: 'password', message: WRONG_CREDENTIALS }]);
  }
  if (!row.active) {
    const message = "Ce compte est désactivé : adressez-vous à l'administrateur de Sillon de votre organisme.";
    await recordAudit(ctx, 'auth.signIn', { outcome: 'refused', userId: row.id, login: input.login, summary: message });
    throw new AppError('business', message, [{ path: 'login', message }]);
  }
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    await withRaw(tx.db, (raw) => raw.run('UPDATE users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = ? WHERE id = ?', at, row.id));
    await recordAudit(tx, 'auth.signIn', { userId: row.id, login: row.login ?? undefined, summary: `Connexion (${transportText(tx)}).` });
    return signedInAs(tx, row.id);
  });
}

function transportText(ctx: Ctx): string {
  return { app: 'application', preview: 'navigateur', cli: 'ligne de commande', test: 'test' }[ctx.transport ?? 'test'];
}

/** A new account's row; the caller checked the input and hashed the password. */
function insertAccount(raw: Raw, a: { id: string; login: string; name: string; email: string | null; role: Role; trainerId: string | null; tutorId: string | null; hash: string | null }, by: string | null, at: string): void {
  raw.run(
    `INSERT INTO users (id, name, login, active, created_at, updated_at, role, email, password_hash, trainer_id, tutor_id, failed_attempts, password_changed_at, created_by, updated_by, version)
     VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 1)`,
    a.id, a.name, a.login, at, at, a.role, a.email, a.hash, a.trainerId, a.tutorId, at, by, by,
  );
}

const FIRST_ACCOUNT_EXISTS = 'Le premier compte existe déjà : connectez-vous avec votre identifiant (ou demandez un compte à votre administrateur).';

async function setup(ctx: Ctx, input: { login: string; name: string; email: string | null; password: string }) {
  checkNewPassword(input.password, input.login, 'password');
  const hash = await hashSecret(input.password);
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const id = tx.newId();
    await withRaw(tx.db, (raw) => {
      if (anyAccount(raw)) throw new AppError('business', FIRST_ACCOUNT_EXISTS);
      insertAccount(raw, { id, login: input.login, name: input.name, email: input.email, role: 'admin', trainerId: null, tutorId: null, hash }, null, at);
    });
    const self = { ...tx, user: { ...ANONYMOUS, id } };
    await recordAudit(self, 'auth.setup', { userId: id, login: input.login, subjectType: 'account', subjectId: id, summary: `Premier compte administrateur créé : ${input.name} (${input.login}).` });
    return signedInAs(tx, id);
  });
}

async function loadDemoSignedIn(ctx: Ctx) {
  const anyone = await withRaw(ctx.db, anyAccount);
  if (anyone) throw new AppError('business', `${FIRST_ACCOUNT_EXISTS} Les données de démonstration se chargent dans une base neuve.`);
  // The demo is written by the in-process identity (as the CLI's `demo` does), then its administrator signs in.
  const counts = await loadDemo({ ...ctx, user: LOCAL_USER });
  return inTransaction(ctx, async (tx) => {
    const admin = await withRaw(tx.db, (raw) => raw.get<{ id: string }>("SELECT id FROM users WHERE login = 'admin'"));
    if (!admin) throw new AppError('internal', 'Le compte « admin » de la démonstration manque.');
    await recordAudit({ ...tx, user: { ...ANONYMOUS, id: admin.id } }, 'auth.signIn', { userId: admin.id, login: 'admin', summary: 'Démonstration chargée, connexion en administrateur.' });
    return { ...(await signedInAs(tx, admin.id)), counts };
  });
}

function requireSession(ctx: Ctx) {
  if (!ctx.session || ctx.user.id === ANONYMOUS.id) throw new AppError('unauthenticated', "Vous n'êtes pas connecté : connectez-vous pour continuer.");
  return ctx.session;
}

/** The signed-in account's own row (its hashes included: for checking a secret only). */
function ownRow(ctx: Ctx): Promise<UserRow> {
  return withRaw(ctx.db, (raw) => raw.get<UserRow>('SELECT * FROM users WHERE id = ?', ctx.user.id)!);
}

/** Checks the signed-in account's password; a wrong one counts as a failed sign-in (same throttling). */
async function checkOwnPassword(ctx: Ctx, password: string, field: string): Promise<UserRow> {
  const row = await ownRow(ctx);
  const nowMs = ctx.now().getTime();
  if (row.locked_until && Date.parse(row.locked_until) > nowMs) {
    const message = `Trop d'essais de mot de passe pour ce compte : réessayez dans ${minutesText(Math.ceil((Date.parse(row.locked_until) - nowMs) / 60_000))}.`;
    throw new AppError('business', message, [{ path: field, message }]);
  }
  if (await secretMatches(password, row.password_hash)) return row;
  await inTransaction(ctx, async (tx) => {
    const failures = row.failed_attempts + 1;
    const lock = throttleMinutes(failures);
    await withRaw(tx.db, (raw) => raw.run('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?', failures, lock ? new Date(nowMs + lock * 60_000).toISOString() : null, row.id));
    await recordAudit(tx, 'auth.unlock', { outcome: 'failure', summary: 'Mot de passe incorrect.' });
  });
  throw new AppError('validation', 'Mot de passe incorrect.', [{ path: field, message: 'Mot de passe incorrect.' }]);
}

async function unlock(ctx: Ctx, input: { pin: string } | { password: string }) {
  const session = requireSession(ctx);
  if ('pin' in input) {
    const row = await ownRow(ctx);
    const failures = await withRaw(ctx.db, (raw) => raw.get<{ n: number }>('SELECT pin_failures AS n FROM auth_sessions WHERE id = ?', session.id)?.n ?? 0);
    if (!row.pin_hash || failures >= UNLOCK_PIN_MAX_FAILURES) {
      const message = row.pin_hash ? 'Trop de codes PIN erronés : saisissez votre mot de passe.' : "Ce compte n'a pas de code PIN : saisissez votre mot de passe.";
      throw new AppError('business', message, [{ path: 'pin', message }]);
    }
    if (!(await secretMatches(input.pin, row.pin_hash))) {
      await inTransaction(ctx, async (tx) => {
        await withRaw(tx.db, (raw) => raw.run('UPDATE auth_sessions SET pin_failures = pin_failures + 1 WHERE id = ?', session.id));
        await recordAudit(tx, 'auth.unlock', { outcome: 'failure', summary: 'Code PIN incorrect.' });
      });
      const left = UNLOCK_PIN_MAX_FAILURES - failures - 1;
      const message = left > 0 ? `Code PIN incorrect (encore ${left} essai${left > 1 ? 's' : ''}).` : 'Code PIN incorrect : saisissez maintenant votre mot de passe.';
      throw new AppError('validation', message, [{ path: 'pin', message }]);
    }
  } else {
    await checkOwnPassword(ctx, input.password, 'password');
  }
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    await withRaw(tx.db, (raw) => {
      raw.run('UPDATE auth_sessions SET locked_at = NULL, pin_failures = 0, last_seen_at = ? WHERE id = ?', at, session.id);
      raw.run('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?', ctx.user.id);
    });
    await recordAudit(tx, 'auth.unlock', { summary: 'pin' in input ? 'Déverrouillage par code PIN.' : 'Déverrouillage par mot de passe.' });
    return authStatus({ ...tx, session: { ...session, locked: false } });
  });
}

type AccountInput = z.output<typeof accountInput>;

function roleLinks(input: AccountInput): { trainerId: string | null; tutorId: string | null } {
  if (input.role === 'trainer' && !input.trainerId) {
    throw new AppError('validation', 'Formateur — un compte formateur est rattaché à la fiche de son formateur (il ne voit que ses sessions).', [{ path: 'trainerId', message: 'Choisissez le formateur.' }]);
  }
  if (input.role === 'tutor' && !input.tutorId) {
    throw new AppError('validation', 'Tuteur — un compte tuteur est rattaché à la fiche de son tuteur (il ne voit que ses apprenants).', [{ path: 'tutorId', message: 'Choisissez le tuteur.' }]);
  }
  return { trainerId: input.role === 'trainer' ? input.trainerId : null, tutorId: input.role === 'tutor' ? input.tutorId : null };
}

async function saveAccount(ctx: Ctx, input: AccountInput): Promise<Account> {
  const links = roleLinks(input);
  if (!input.id && !input.password) throw new AppError('validation', 'Mot de passe — indiquez le mot de passe initial du compte.', [{ path: 'password', message: 'Mot de passe initial obligatoire.' }]);
  if (input.password) checkNewPassword(input.password, input.login, 'password');
  const hash = input.password ? await hashSecret(input.password) : null;
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const id = input.id ?? tx.newId();
    const before = await withRaw(tx.db, (raw) => {
      const taken = raw.get<{ id: string }>('SELECT id FROM users WHERE login = ?', input.login);
      if (taken && taken.id !== input.id) throw new AppError('validation', `Identifiant — « ${input.login} » est déjà pris.`, [{ path: 'login', message: 'Identifiant déjà pris.' }]);
      if (links.trainerId && !raw.get('SELECT 1 FROM trainers WHERE id = ?', links.trainerId)) throw new AppError('validation', 'Formateur introuvable.', [{ path: 'trainerId', message: 'Formateur introuvable.' }]);
      if (links.tutorId && !raw.get('SELECT 1 FROM tutors WHERE id = ?', links.tutorId)) throw new AppError('validation', 'Tuteur introuvable.', [{ path: 'tutorId', message: 'Tuteur introuvable.' }]);
      return input.id ? accountRow(raw, 'id', input.id) : undefined;
    });
    if (input.id && !before) throw new AppError('not_found', 'Ce compte n’existe pas (ou plus).');
    if (before && input.version !== undefined && Number(before.version) !== input.version) {
      throw new AppError('conflict', 'Ce compte a été modifié entre-temps par quelqu’un d’autre : rechargez la page, vos saisies sont à refaire.');
    }
    const active = input.active;
    if (before && before.role === 'admin' && (input.role !== 'admin' || !active)) {
      if (before.id === ctx.user.id) throw new AppError('business', 'Vous ne pouvez pas retirer vos propres droits d’administrateur ni désactiver votre compte : un autre administrateur doit le faire.', [{ path: active ? 'role' : 'active', message: 'Impossible sur votre propre compte.' }]);
      const others = await withRaw(tx.db, (raw) => raw.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND id <> ?", before.id)!.n);
      if (others === 0) throw new AppError('business', 'Sillon doit garder au moins un administrateur actif.', [{ path: 'role', message: 'Dernier administrateur actif.' }]);
    }
    await withRaw(tx.db, (raw) => {
      if (!before) {
        insertAccount(raw, { id, login: input.login, name: input.name, email: input.email, role: input.role, ...links, hash }, ctx.user.id, at);
        return;
      }
      raw.run(
        `UPDATE users SET login = ?, name = ?, email = ?, role = ?, active = ?, trainer_id = ?, tutor_id = ?, updated_at = ?, updated_by = ?, version = version + 1,
           password_hash = coalesce(?, password_hash), password_changed_at = CASE WHEN ? IS NULL THEN password_changed_at ELSE ? END,
           failed_attempts = CASE WHEN ? IS NULL THEN failed_attempts ELSE 0 END, locked_until = CASE WHEN ? IS NULL THEN locked_until ELSE NULL END
         WHERE id = ?`,
        input.login, input.name, input.email, input.role, active ? 1 : 0, links.trainerId, links.tutorId, at, ctx.user.id, hash, hash, at, hash, hash, id,
      );
      // What changes who may do what ends the account's sessions everywhere at once.
      if (!active) endSessionsOf(raw, id, 'disabled', at);
      else if (before.role !== input.role || before.trainer_id !== links.trainerId || before.tutor_id !== links.tutorId) endSessionsOf(raw, id, 'role_changed', at, ctx.session?.id);
      else if (hash) endSessionsOf(raw, id, 'password_changed', at, ctx.session?.id);
    });
    const label = `${input.name} (${input.login}, ${ROLE_LABELS[input.role]})`;
    if (!before) await recordAudit(tx, 'account.create', { subjectType: 'account', subjectId: id, summary: `Compte créé : ${label}.` });
    else {
      if (before.active === 1 && !active) await recordAudit(tx, 'account.disable', { subjectType: 'account', subjectId: id, summary: `Compte désactivé : ${label} ; ses sessions sont fermées.` });
      if (before.active === 0 && active) await recordAudit(tx, 'account.enable', { subjectType: 'account', subjectId: id, summary: `Compte réactivé : ${label}.` });
      if (hash) await recordAudit(tx, 'account.password', { subjectType: 'account', subjectId: id, summary: `Mot de passe réinitialisé : ${label}.` });
      const changed = before.role !== input.role || before.name !== input.name || before.login !== input.login || before.email !== input.email || before.trainer_id !== links.trainerId || before.tutor_id !== links.tutorId;
      if (changed) await recordAudit(tx, 'account.update', { subjectType: 'account', subjectId: id, summary: `Compte modifié : ${label}${before.role !== input.role ? ` (rôle : ${ROLE_LABELS[before.role as Role]} → ${ROLE_LABELS[input.role]})` : ''}.` });
    }
    return withRaw(tx.db, (raw) => accountView(accountRow(raw, 'id', id)!));
  });
}

export const accountsHandlers: Omit<HandlersOf<typeof accountsContract>, 'audit.list' | 'audit.exportCsv'> = {
  'auth.status': (ctx) => authStatus(ctx),
  'auth.setup': (ctx, input) => setup(ctx, input),
  'auth.loadDemo': (ctx) => loadDemoSignedIn(ctx),
  'auth.signIn': (ctx, input) => signIn(ctx, input),
  'auth.signOut': async (ctx) => {
    if (ctx.session && ctx.user.id !== ANONYMOUS.id) {
      const session = ctx.session;
      await inTransaction(ctx, async (tx) => {
        await withRaw(tx.db, (raw) => endSession(raw, session.id, 'signed_out', tx.now().toISOString()));
        await recordAudit(tx, 'auth.signOut', { summary: 'Déconnexion.' });
      });
    }
    return authStatus({ ...ctx, user: ANONYMOUS, session: undefined });
  },
  'auth.lock': async (ctx) => {
    const session = requireSession(ctx);
    return inTransaction(ctx, async (tx) => {
      await withRaw(tx.db, (raw) => raw.run('UPDATE auth_sessions SET locked_at = coalesce(locked_at, ?) WHERE id = ?', tx.now().toISOString(), session.id));
      await recordAudit(tx, 'auth.lock', { summary: 'Session verrouillée.' });
      return authStatus({ ...tx, session: { ...session, locked: true } });
    });
  },
  'auth.unlock': (ctx, input) => unlock(ctx, input),
  'auth.setPin': async (ctx, input) => {
    requireSession(ctx);
    await checkOwnPassword(ctx, input.password, 'password');
    const hash = input.pin ? await hashSecret(input.pin) : null;
    return inTransaction(ctx, async (tx) => {
      await withRaw(tx.db, (raw) => raw.run('UPDATE users SET pin_hash = ?, updated_at = ?, version = version + 1 WHERE id = ?', hash, tx.now().toISOString(), ctx.user.id));
      await recordAudit(tx, 'auth.pinSet', { subjectType: 'account', subjectId: ctx.user.id, summary: hash ? 'Code PIN de déverrouillage choisi.' : 'Code PIN de déverrouillage retiré.' });
      return authStatus(tx);
    });
  },
  'auth.changePassword': async (ctx, input) => {
    const session = requireSession(ctx);
    const row = await checkOwnPassword(ctx, input.current, 'current');
    checkNewPassword(input.next, row.login ?? '', 'next');
    const hash = await hashSecret(input.next);
    return inTransaction(ctx, async (tx) => {
      const at = tx.now().toISOString();
      await withRaw(tx.db, (raw) => {
        raw.run('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?', hash, at, at, ctx.user.id);
        endSessionsOf(raw, ctx.user.id, 'password_changed', at, session.id);
      });
      await recordAudit(tx, 'account.password', { subjectType: 'account', subjectId: ctx.user.id, summary: 'Mot de passe changé par son titulaire ; ses autres sessions sont fermées.' });
      return authStatus(tx);
    });
  },
  'auth.settings': async (ctx) => ({ lockAfterMinutes: await withRaw(ctx.db, lockAfterMinutes) }),
  'auth.saveSettings': (ctx, input) =>
    inTransaction(ctx, async (tx) => {
      await withRaw(tx.db, (raw) => raw.run('INSERT INTO sync_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', LOCK_AFTER_SETTING, String(input.lockAfterMinutes)));
      return input;
    }),
  'accounts.list': (ctx) => withRaw(ctx.db, (raw) => raw.all<AccountRow>(`${ACCOUNT_SQL} WHERE u.role IS NOT NULL ORDER BY u.active DESC, u.name`).map(accountView)),
  'accounts.get': async (ctx, input) => {
    const row = await withRaw(ctx.db, (raw) => accountRow(raw, 'id', input.id));
    if (!row) throw new AppError('not_found', 'Ce compte n’existe pas (ou plus).');
    return accountView(row);
  },
  'accounts.save': (ctx, input) => saveAccount(ctx, input),
};
