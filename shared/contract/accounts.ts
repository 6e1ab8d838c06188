import { z } from 'zod';
import { account, accountInput, auditFilter, authSettings, authStatus, changePasswordInput, setPinInput, setupInput, signedIn, signInInput, unlockInput } from '../schemas/accounts';
import { auditEvent } from '../schemas/audit';
import { demoCounts } from './system';
import { byId, mutation, none, query } from './define';

/**
 * Accounts, sign-in and the audit log (issue #12). The sign-in methods answer a token that the host (the app's
 * backend process, the preview bridge, the CLI) keeps and sends with every later call: the page never sees it.
 */
export const accountsContract = {
  'auth.status': query('anyone', none, authStatus),
  /** The first run: the administrator's own account, only while no account exists. */
  'auth.setup': mutation('anyone', setupInput, signedIn),
  /** The first run, the other way: the demo data with one account per role (password « demo »). */
  'auth.loadDemo': mutation('anyone', none, signedIn.extend({ counts: demoCounts })),
  'auth.signIn': mutation('anyone', signInInput, signedIn),
  'auth.signOut': mutation('anyone', none, authStatus),
  'auth.lock': mutation('signed-in', none, authStatus),
  'auth.unlock': mutation('signed-in', unlockInput, authStatus),
  'auth.setPin': mutation('signed-in', setPinInput, authStatus),
  'auth.changePassword': mutation('signed-in', changePasswordInput, authStatus),
  'auth.settings': query('signed-in', none, authSettings),
  'auth.saveSettings': mutation('system.admin', authSettings, authSettings),
  'accounts.list': query('system.admin', none, z.array(account)),
  'accounts.get': query('system.admin', byId, account),
  'accounts.save': mutation('system.admin', accountInput, account),
  'audit.list': query('system.admin', auditFilter, z.object({ events: z.array(auditEvent), more: z.boolean() })),
  /** The filtered log as CSV (French Excel: semicolons, BOM); the export itself is logged. */
  'audit.exportCsv': mutation('system.admin', auditFilter, z.object({ fileName: z.string(), csv: z.string(), count: z.number().int() })),
} as const;
