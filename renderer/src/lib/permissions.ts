import { useMemo } from 'react';
import type { Permission } from '../../../shared/permissions';
import { useAuth } from './auth';

/**
 * What the signed-in user may do, for screens that show or hide a part (the trainee's NIR and sensitive fields):
 * the permissions of the account's role, from `auth.status` (lib/auth.tsx). Hiding is a courtesy: the backend
 * checks every call again.
 *
 * @example
 * const may = usePermissions();
 * if (may.has('people.sensitive.read')) …
 */
export function usePermissions(): ReadonlySet<Permission> {
  const { status } = useAuth();
  return useMemo(() => new Set(status.permissions), [status.permissions]);
}
