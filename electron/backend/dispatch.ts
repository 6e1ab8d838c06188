import { ZodError } from 'zod';
import { contract, isMethodName } from '../../shared/contract';
import { randomBytes } from 'node:crypto';
import { AppError, fieldLabel, LINK_TO_NOTHING, validationError, type ApiError, type ApiResult } from '../../shared/errors';
import { localiseError, type Locale } from '../../shared/messages';
import { ILL_FORMED_TEXT, illFormedPath } from '../../shared/well-formed';
import { fromSqliteError } from './db/errors';
import type { Ctx } from './context';
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
    if (!isMethodName(method)) throw new AppError('unknown_method', `Méthode inconnue : ${String(method)}.`);
    const def = contract[method];
    // A damaged database is open read-only: every write gets the sentence saying so, nothing is attempted. A big
    // file still being checked in the background: the write waits for the verdict (db/integrity.ts).
    if (def.write && ctx.readOnly) throw new AppError('business', ctx.readOnly);
    if (def.write && ctx.integrity) await ctx.integrity.beforeWrite();
    if (!ctx.user.permissions.has(def.permission)) {
      throw new AppError('forbidden', `Vous n'avez pas le droit « ${def.permission} » nécessaire pour cette opération.`);
    }
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
    const handler = handlers[method] as (ctx: Ctx, input: unknown) => Promise<unknown>;
    const value = await handler(ctx, parsed.data);
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
