import { ZodError } from 'zod';
import { contract, isMethodName } from '../../shared/contract';
import { randomBytes } from 'node:crypto';
import { AppError, fieldLabel, LINK_TO_NOTHING, validationError, type ApiError, type ApiResult } from '../../shared/errors';
import { localiseError, type Locale } from '../../shared/messages';
import { ILL_FORMED_TEXT, illFormedPath, isWellFormedText } from '../../shared/well-formed';
import { fromSqliteError } from './db/errors';
import { ANONYMOUS, type Ctx } from './context';
import type { Access } from '../../shared/contract/define';
import { PERMISSION_LABELS, ROLE_LABELS } from '../../shared/permissions';
import { recordAudit } from './audit/audit';
import { AUDITED, subjectOf } from './audit/audited';
import { checkScope, cutToScope } from './auth/scope';
import { handlers } from './handlers';
import { systemErrorMessage } from './system-errors';

/**
 * The backend's single entry: method name + raw payload → validated, permission-checked, dispatched.
 * Never throws: every failure comes back as an ApiResult with a French message naming the field.
 */
export async function dispatch(ctx: Ctx, method: unknown, payload: unknown, options: { locale?: Locale } = {}): Promise<ApiResult<unknown>> {
  const locale = options.locale ?? ctx.locale ?? 'fr';
  if (options.locale) ctx = { ...ctx, locale: options.locale };
  try {
    if (!isMethodName(method)) {
      // Echo a name only when it is a short, well-formed string: never « [object Object] » nor a lone surrogate.
      const shown = typeof method === 'string' && method.length <= 80 && isWellFormedText(method) ? method : 'absente ou illisible';
      throw new AppError('unknown_method', `Méthode inconnue : ${shown}.`);
    }
    const def = contract[method];
    // A damaged database is open read-only: every write gets the sentence saying so, nothing is attempted. A big
    // file still being checked in the background: the write waits for the verdict (db/integrity.ts).
    if (def.write && ctx.readOnly) throw new AppError('business', ctx.readOnly);
    if (def.write && ctx.integrity) await ctx.integrity.beforeWrite();
    await checkAccess(ctx, method, def.permission);
    // Text SQLite cannot store as given (a lone surrogate) is refused before anything reads it, naming the field.
    const illFormed = illFormedPath(payload);
    if (illFormed) {
      throw new AppError('validation', `Saisie invalide — ${fieldLabel(illFormed)} : ${ILL_FORMED_TEXT}`, [{ path: illFormed.map(String).join('.'), message: ILL_FORMED_TEXT }]);
    }
    const parsed = def.input.safeParse(payload ?? undefined);
    if (!parsed.success) {
      const invalid = validationError(parsed.error);
      // A query's id that matches nothing came from a link (a bookmark, an old address): no « Saisie invalide ».
      if (!def.write && parsed.error.issues[0]?.message === LINK_TO_NOTHING) throw new AppError('not_found', LINK_TO_NOTHING, invalid.issues);
      throw invalid;
    }
    // A trainer's or tutor's account reaches only its own records (auth/scope.ts).
    await checkScope(ctx, method, parsed.data);
    const handler = handlers[method] as (ctx: Ctx, input: unknown) => Promise<unknown>;
    const value = await cutToScope(ctx, method, await handler(ctx, parsed.data));
    const audited = AUDITED[method];
    if (audited && ctx.session) await recordAudit(ctx, audited.action, { method, summary: `${audited.what}.`, ...subjectOf(parsed.data) });
    // The output schema is the contract's promise to the UI; a breach is a backend bug, reported as such.
    const out = def.output.safeParse(value);
    if (!out.success) {
      throw new AppError('internal', `Réponse non conforme au contrat pour ${method} : ${out.error.issues[0]?.path.join('.')} ${out.error.issues[0]?.message}`);
    }
    return { ok: true, value: out.data };
  } catch (e) {
    // Dates as JJ/MM/AAAA, and in English the message table's English (shared/messages.ts).
    return { ok: false, error: localiseError(toApiError(e), locale) };
  }
}

/**
 * Whether the caller may call the method (shared/permissions.ts): before sign-in only the methods open to anyone,
 * then what the account's role grants. A refusal to a signed-in account is written to the audit log.
 */
async function checkAccess(ctx: Ctx, method: string, access: Access): Promise<void> {
  if (access === 'anyone') return;
  if (ctx.user.id === ANONYMOUS.id) throw new AppError('unauthenticated', NOT_SIGNED_IN);
  if (access === 'signed-in' || ctx.user.permissions.has(access)) return;
  const role = ctx.user.role ? ROLE_LABELS[ctx.user.role] : null;
  const message = `${role ? `Votre rôle (${role})` : 'Votre compte'} ne permet pas de ${PERMISSION_LABELS[access]} : opération refusée, rien n'a été modifié.`;
  try {
    await recordAudit(ctx, 'permission.refused', { method, outcome: 'refused', summary: message });
  } catch (e) {
    // The refusal stands even when it cannot be logged (a busy or read-only file): say why in the log.
    process.stderr.write(`[sillon] refus non journalisé (${method}) : ${e instanceof Error ? e.message : String(e)}\n`);
  }
  throw new AppError('forbidden', message);
}

export const NOT_SIGNED_IN = 'Vous n\'êtes pas connecté (ou votre session a pris fin) : connectez-vous pour continuer ; rien n\'a été modifié.';

/**
 * Any failure as the error a person reads. **Important**: raw messages (SQLite's, a stack's) never reach
 * people; an unexpected one is logged with a reference that the French message repeats.
 */
export function toApiError(e: unknown): ApiError {
  if (e instanceof AppError) return e.toJSON();
  if (e instanceof ZodError) return validationError(e).toJSON();
  const sqlite = fromSqliteError(e);
  if (sqlite) return sqlite.toJSON();
  const system = systemErrorMessage(e);
  if (system) return { code: 'internal', message: system };
  const ref = randomBytes(4).toString('hex');
  process.stderr.write(`[sillon] erreur interne ${ref} : ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return { code: 'internal', message: `Erreur interne (référence ${ref}) : l'opération n'a pas abouti et rien n'a été enregistré. Le détail est dans le journal de Sillon.` };
}
