import { ZodError } from 'zod';
import { contract, isMethodName } from '../../shared/contract';
import { AppError, validationError, type ApiResult } from '../../shared/errors';
import type { Ctx } from './context';
import { handlers } from './handlers';

/**
 * The backend's single entry: method name + raw payload → validated, permission-checked, dispatched.
 * Never throws: every failure comes back as an ApiResult with a French message naming the field.
 */
export async function dispatch(ctx: Ctx, method: unknown, payload: unknown): Promise<ApiResult<unknown>> {
  try {
    if (!isMethodName(method)) throw new AppError('unknown_method', `Méthode inconnue : ${String(method)}.`);
    const def = contract[method];
    if (!ctx.user.permissions.has(def.permission)) {
      throw new AppError('forbidden', `Vous n'avez pas le droit « ${def.permission} » nécessaire pour cette opération.`);
    }
    const parsed = def.input.safeParse(payload ?? undefined);
    if (!parsed.success) throw validationError(parsed.error);
    const handler = handlers[method] as (ctx: Ctx, input: unknown) => Promise<unknown>;
    const value = await handler(ctx, parsed.data);
    // The output schema is the contract's promise to the UI; a breach is a backend bug, reported as such.
    const out = def.output.safeParse(value);
    if (!out.success) {
      throw new AppError('internal', `Réponse non conforme au contrat pour ${method} : ${out.error.issues[0]?.path.join('.')} ${out.error.issues[0]?.message}`);
    }
    return { ok: true, value: out.data };
  } catch (e) {
    return { ok: false, error: toApiError(e) };
  }
}

export function toApiError(e: unknown) {
  if (e instanceof AppError) return e.toJSON();
  if (e instanceof ZodError) return validationError(e).toJSON();
  const message = e instanceof Error ? e.message : String(e);
  if (/UNIQUE constraint failed/.test(message)) return { code: 'conflict' as const, message: 'Cet enregistrement existe déjà (doublon refusé).' };
  if (/FOREIGN KEY constraint failed/.test(message)) return { code: 'validation' as const, message: 'Référence inconnue : un enregistrement lié est introuvable.' };
  if (/CHECK constraint failed|append-only/.test(message)) return { code: 'validation' as const, message: `Donnée refusée par la base : ${message}` };
  return { code: 'internal' as const, message: `Erreur interne : ${message}` };
}
