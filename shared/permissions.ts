/**
 * Permissions every contract method declares. The role model that grants them (manager, trainer, tutor,
 * auditor…) belongs to the people-and-permissions capability; until then the local user holds all of them,
 * and the backend checks them on every call so nothing changes shape when roles arrive.
 */
export const PERMISSIONS = [
  'organisation.read',
  'organisation.write',
  'catalogue.read',
  'catalogue.write',
  'people.read',
  'people.write',
  'people.sensitive.read',
  'sessions.read',
  'sessions.write',
  'enrolments.write',
  'attendance.read',
  'attendance.write',
  'data.import',
  'data.export',
  'funding.read',
  'funding.write',
  'claims.read',
  'claims.write',
  'claims.validate',
  'afest.read',
  'afest.write',
  'sync.read',
  'sync.write',
  'system.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
