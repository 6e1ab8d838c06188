import type { z } from 'zod';
import type { ContractFragment, MethodDef } from '../../shared/contract/define';
import type { Ctx } from './context';

/** One method's implementation: validated input in, the contract's output out. */
export type Handler<D extends MethodDef> = (ctx: Ctx, input: z.output<D['input']>) => Promise<z.input<D['output']>>;

/** A capability's fragment of the handler table, typed by its fragment of the contract. */
export type HandlersOf<F extends ContractFragment> = { [M in keyof F]: Handler<F[M]> };
