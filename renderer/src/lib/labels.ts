import { passwordProblem, PASSWORD_PROBLEM_TEXT } from '../../../shared/domain/accounts';
import { asLocale, localise } from '../../../shared/messages';
import { ROLE_LABELS, type Role } from '../../../shared/permissions';
import { AUDIT_ACTION_LABELS, AUDIT_OUTCOME_LABELS, type AuditAction, type AuditOutcome } from '../../../shared/schemas/audit';
import i18n from '../i18n';

/**
 * The words of accounts and of the audit log, from their one French table in shared/ (the backend's CSV uses the
 * same), in the interface's language when shared/messages.ts knows it, capitalised for a label of their own.
 *
 * @example roleLabel('staff') // « Personnel du centre »
 */
function word(french: string): string {
  const text = localise(french, asLocale(i18n.language));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const roleLabel = (role: Role): string => word(ROLE_LABELS[role]);
export const auditActionLabel = (action: AuditAction): string => word(AUDIT_ACTION_LABELS[action]);
export const auditOutcomeLabel = (outcome: AuditOutcome): string => word(AUDIT_OUTCOME_LABELS[outcome]);

/** What a new password lacks, as the field's error (null when it follows the rule): the backend says the same. */
export function passwordError(password: string, login: string): string | undefined {
  const problem = passwordProblem(password, login);
  return problem === 'ok' ? undefined : localise(PASSWORD_PROBLEM_TEXT[problem], asLocale(i18n.language));
}
