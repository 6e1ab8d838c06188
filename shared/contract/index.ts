import type { z } from 'zod';
import { accountsContract } from './accounts';
import { afestContract } from './afest';
import { archiveContract } from './archive';
import { backupsContract } from './backups';
import { attendanceContract } from './attendance';
import { catalogueContract } from './catalogue';
import { claimsContract } from './claims';
import type { ContractFragment, MethodDef } from './define';
import { documentsContract } from './documents';
import { evidenceContract } from './evidence';
import { fundingsContract } from './fundings';
import { fundingContract } from './funding';
import { organisationContract } from './organisation';
import { peopleContract } from './people';
import { rgpdContract } from './rgpd';
import { sessionsContract } from './sessions';
import { syncContract } from './sync';
import { systemContract } from './system';
import { transferContract } from './transfer';

export type { MethodDef } from './define';
export { demoCounts } from './system';
export { enrolmentRow, sessionPage, sessionSummary, type SessionPage } from './sessions';

/**
 * Every capability's fragment, in menu order. Adding a capability is one line here and one in the backend's
 * handler registry (electron/backend/handlers.ts).
 */
const fragments = [
  systemContract,
  organisationContract,
  catalogueContract,
  fundingContract,
  peopleContract,
  sessionsContract,
  attendanceContract,
  documentsContract,
  evidenceContract,
  syncContract,
  transferContract,
  archiveContract,
  fundingsContract,
  claimsContract,
  afestContract,
  accountsContract,
  backupsContract,
  rgpdContract,
] as const satisfies readonly ContractFragment[];

type Merge<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]] ? H & Merge<R> : unknown;
type Merged = Merge<typeof fragments>;

function merge(list: readonly ContractFragment[]): Merged {
  const all: Record<string, MethodDef> = {};
  for (const fragment of list) {
    for (const [name, def] of Object.entries(fragment)) {
      // Two capabilities claiming one name would silently shadow each other: refuse at start-up.
      if (Object.hasOwn(all, name)) throw new Error(`Contract: method ${name} is declared twice`);
      all[name] = def;
    }
  }
  return Object.freeze(all) as Merged;
}

/**
 * Every method of the API. The preload builds `window.api` from these names, the main process parses every
 * payload against `input`, and the backend dispatches through one handler table keyed by the same names.
 */
export const contract: { readonly [K in keyof Merged]: Merged[K] } = merge(fragments);

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

/** The typed client both window.api (IPC) and the preview's HTTP client implement. */
export type Api = { [M in MethodName]: (input?: MethodInput<M>) => Promise<MethodOutput<M>> };

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
