import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Backend } from './backend';

/**
 * Every command goes through the app's own dispatch (validation, permission, output check): the CLI is one
 * more transport, never a side door.
 */
export async function call<M extends MethodName>(b: Backend, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await b.dispatch(method, input);
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.issues);
  return r.value as MethodOutput<M>;
}
