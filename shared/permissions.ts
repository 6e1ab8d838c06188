/**
 * Permissions every contract method declares, and the roles that grant them (issue #12). A role is a set of these
 * permissions, declared here and nowhere else: the backend checks the signed-in account's set on every call
 * (dispatch.ts), the renderer hides what the set lacks, and a test calls every method as every role.
 *
 * Record-level scopes are not permissions: a trainer's sessions and a tutor's learners are filtered in the backend's
 * queries (electron/backend/auth/scope.ts), from the trainer or tutor the account stands for.
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
  'afest.manage',
  'sync.read',
  'sync.write',
  'system.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'manager', 'staff', 'trainer', 'tutor', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

const READ_EVIDENCE: readonly Permission[] = [
  'organisation.read',
  'catalogue.read',
  'people.read',
  'sessions.read',
  'attendance.read',
  'funding.read',
  'claims.read',
  'afest.read',
  'sync.read',
];

/**
 * What each role may do.
 * - administrator: everything, accounts, audit log, backups included;
 * - manager (*responsable*): everything but administration — funding, claims and their validation, exports;
 * - centre staff (*personnel du centre*): the records, sessions, enrolments, roll calls and AFEST set-ups; reads
 *   funding and claims; sees the NIR and sensitive fields (they enrol people and fill funders' forms);
 * - trainer: their own sessions and slots — roll call, signatures, sheets — and the AFESTs they facilitate;
 * - tutor: their own learners' AFEST: sequences and evaluations, nothing else;
 * - auditor: reads evidence, documents and their integrity; no NIR nor sensitive field, no change.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  manager: PERMISSIONS.filter((p) => p !== 'system.admin'),
  // Listed, not derived: a permission added later is nobody's but the administrator's and manager's until given.
  staff: [
    'organisation.read',
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
    'funding.read',
    'claims.read',
    'afest.read',
    'afest.write',
    'afest.manage',
    'sync.read',
  ],
  trainer: ['organisation.read', 'catalogue.read', 'sessions.read', 'attendance.read', 'attendance.write', 'afest.read', 'afest.write'],
  tutor: ['organisation.read', 'afest.read', 'afest.write'],
  auditor: READ_EVIDENCE,
};

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What each permission allows, in French: the refusal names it (« … ne permet pas de valider les demandes de paiement »). */
export const PERMISSION_LABELS: Readonly<Record<Permission, string>> = {
  'organisation.read': "consulter l'organisme",
  'organisation.write': "modifier l'organisme et ses documents",
  'catalogue.read': 'consulter le catalogue',
  'catalogue.write': 'modifier le catalogue',
  'people.read': 'consulter les personnes',
  'people.write': 'modifier les personnes',
  'people.sensitive.read': 'voir le NIR et les données sensibles',
  'sessions.read': 'consulter les sessions',
  'sessions.write': 'modifier les sessions et leurs créneaux',
  'enrolments.write': 'inscrire et changer le statut des inscriptions',
  'attendance.read': 'consulter les présences',
  'attendance.write': "faire l'appel et corriger les présences",
  'data.import': 'importer des données',
  'data.export': 'exporter des données',
  'funding.read': 'consulter les financements',
  'funding.write': 'modifier les financements',
  'claims.read': 'consulter les demandes de paiement',
  'claims.write': 'préparer les demandes de paiement',
  'claims.validate': 'valider et transmettre les demandes de paiement',
  'afest.read': 'consulter les AFEST',
  'afest.write': 'saisir les séquences et évaluations AFEST',
  'afest.manage': 'mettre en place les AFEST et leurs tuteurs',
  'sync.read': 'consulter la synchronisation',
  'sync.write': 'régler et lancer la synchronisation',
  'system.admin': "administrer Sillon (comptes, journal d'audit, sauvegardes)",
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'administrateur',
  manager: 'responsable',
  staff: 'personnel du centre',
  trainer: 'formateur',
  tutor: 'tuteur',
  auditor: 'auditeur',
};
