import { z } from 'zod';
import type { Permission } from '../permissions';
import { id } from '../schemas/common';

/**
 * Who may call a method: a signed-in account whose role grants the permission; `'signed-in'`, any signed-in
 * account (its own PIN, signing out); `'anyone'`, also before signing in (the sign-in itself, the first run).
 */
export type Access = Permission | 'signed-in' | 'anyone';

/** One API method: its input and output schemas and the permission it needs. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  permission: Access;
  /** Writes go through one transaction; reads never write. */
  write: boolean;
}

/** A read: never writes, safe to retry. */
export function query<I extends z.ZodType, O extends z.ZodType>(permission: Access, input: I, output: O): MethodDef<I, O> {
  return Object.freeze({ input, output, permission, write: false });
}

/** A write: one transaction in the backend; a committed write wakes the sync engine. */
export function mutation<I extends z.ZodType, O extends z.ZodType>(permission: Access, input: I, output: O): MethodDef<I, O> {
  return Object.freeze({ input, output, permission, write: true });
}

/** A capability's fragment of the contract: method name → definition. */
export type ContractFragment = Record<string, MethodDef>;

/** No input: `{}` or nothing. */
export const none = z.object({}).strict().default({});
export const byId = z.object({ id });
