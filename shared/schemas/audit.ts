import { z } from 'zod';

/**
 * What the audit log records (issue #12): sign-ins and their failures, locks, account changes, permission refusals,
 * displays of a NIR, exports, printed documents, claim validations, corrections of evidence, backups restored, RGPD
 * requests. One list, so the log's filter and its French labels cannot miss one.
 */
export const AUDIT_ACTIONS = [
  'auth.setup',
  'auth.signIn',
  'auth.signOut',
  'auth.lock',
  'auth.unlock',
  'auth.pinSet',
  'auth.settings',
  'account.create',
  'account.update',
  'account.disable',
  'account.enable',
  'account.password',
  'permission.refused',
  'nir.viewed',
  'data.export',
  'document.printed',
  'claim.validated',
  'evidence.corrected',
  'backup.taken',
  'backup.restored',
  'backup.exported',
  'rgpd.export',
  'rgpd.erase',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['success', 'failure', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const auditEvent = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  login: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  outcome: z.enum(AUDIT_OUTCOMES),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  summary: z.string().nullable(),
  method: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

/** The audit log's wording of each action, for its screen, its filter and its CSV. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  'auth.setup': 'Premier compte créé',
  'auth.signIn': 'Connexion',
  'auth.signOut': 'Déconnexion',
  'auth.lock': 'Verrouillage',
  'auth.unlock': 'Déverrouillage',
  'auth.pinSet': 'Code PIN du compte',
  'auth.settings': 'Réglages de connexion modifiés',
  'account.create': 'Compte créé',
  'account.update': 'Compte modifié',
  'account.disable': 'Compte désactivé',
  'account.enable': 'Compte réactivé',
  'account.password': 'Mot de passe changé',
  'permission.refused': 'Opération refusée',
  'nir.viewed': 'NIR affiché',
  'data.export': 'Export de données',
  'document.printed': 'Document imprimé',
  'claim.validated': 'Demande de paiement validée',
  'evidence.corrected': 'Preuve corrigée',
  'backup.taken': 'Sauvegarde',
  'backup.restored': 'Sauvegarde restaurée',
  'backup.exported': 'Sauvegarde exportée',
  'rgpd.export': 'Export RGPD',
  'rgpd.erase': 'Effacement RGPD',
};

export const AUDIT_OUTCOME_LABELS: Readonly<Record<AuditOutcome, string>> = { success: 'réussi', failure: 'échec', refused: 'refusé' };
