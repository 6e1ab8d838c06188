import type { Contract, MethodName } from '../../shared/contract';
import { afestHandlers } from './afest/handlers';
import { auditHandlers } from './audit/handlers';
import { backupsHandlers } from './backup/handlers';
import { accountsHandlers } from './auth/accounts';
import { archiveHandlers } from './archive/handlers';
import { attendanceHandlers } from './attendance/handlers';
import { catalogueHandlers } from './catalogue/handlers';
import { claimsHandlers } from './claims/handlers';
import { documentsHandlers } from './documents/handlers';
import { evidenceHandlers } from './evidence/handlers';
import { fundingsHandlers } from './fundings/handlers';
import { fundingHandlers } from './funding/handlers';
import type { Handler } from './handler';
import { organisationHandlers } from './organisation/handlers';
import { peopleHandlers } from './people/handlers';
import { rgpdHandlers } from './rgpd/handlers';
import { sessionsHandlers } from './sessions/handlers';
import { syncHandlers } from './sync/handlers';
import { systemHandlers } from './system/handlers';
import { transferHandlers } from './transfer/handlers';

/**
 * The one handler table: IPC, the HTTP bridge, the CLI and tests all dispatch through it. Each capability
 * brings its fragment, typed by its fragment of the contract; the type below refuses a missing or extra method.
 */
const table = {
  ...systemHandlers,
  ...organisationHandlers,
  ...catalogueHandlers,
  ...fundingHandlers,
  ...peopleHandlers,
  ...sessionsHandlers,
  ...attendanceHandlers,
  ...documentsHandlers,
  ...evidenceHandlers,
  ...syncHandlers,
  ...transferHandlers,
  ...archiveHandlers,
  ...fundingsHandlers,
  ...claimsHandlers,
  ...afestHandlers,
  ...accountsHandlers,
  ...auditHandlers,
  ...backupsHandlers,
  ...rgpdHandlers,
};

// A fragment's method the contract does not declare would be unreachable: refuse it at compile time.
type Undeclared = Exclude<keyof typeof table, MethodName>;
const _noUndeclared: [Undeclared] extends [never] ? true : Undeclared = true;
void _noUndeclared;

export const handlers: { readonly [M in MethodName]: Handler<Contract[M]> } = Object.freeze(table);
