import type { MethodName } from '../../../shared/contract';
import type { AuditAction } from '../../../shared/schemas/audit';

/**
 * The contract methods whose every successful call a person makes is written to the audit log (issue #12): exports
 * of data, documents printed, claim validations, corrections and withdrawals of evidence. Sign-ins, account changes,
 * refusals and NIR displays are logged where they happen (auth/, dispatch.ts, people/). Calls made in-process by
 * tests and tools (no session) are not a person's and are not logged.
 */
export const AUDITED: Partial<Record<MethodName, { action: AuditAction; what: string }>> = {
  'data.export': { action: 'data.export', what: 'Export complet des données (JSON Lines)' },
  'sync.exportDead': { action: 'data.export', what: 'Export des envois en échec' },
  'sync.exportFile': { action: 'data.export', what: 'Fichier de lot pour un financeur' },
  'claims.bundle': { action: 'data.export', what: 'Dossier ZIP de la demande de paiement' },
  'documents.attendanceSheet': { action: 'document.printed', what: "Feuille d'émargement" },
  'documents.blankSheet': { action: 'document.printed', what: "Feuille d'émargement vierge" },
  'documents.monthlyStatement': { action: 'document.printed', what: 'Relevé mensuel de présence' },
  'claims.document': { action: 'document.printed', what: 'Document de la demande de paiement' },
  'afest.dossier': { action: 'document.printed', what: 'Dossier AFEST' },
  'claims.validate': { action: 'claim.validated', what: 'Demande de paiement validée' },
  'attendance.correct': { action: 'evidence.corrected', what: 'Présence corrigée' },
  'slots.correct': { action: 'evidence.corrected', what: 'Créneau corrigé après clôture' },
  'afest.correctSequence': { action: 'evidence.corrected', what: 'Séquence AFEST corrigée' },
  'afest.withdrawSequence': { action: 'evidence.corrected', what: 'Séquence AFEST retirée' },
  'afest.withdrawEvaluation': { action: 'evidence.corrected', what: 'Évaluation AFEST retirée' },
  'auth.saveSettings': { action: 'auth.settings', what: 'Réglages de connexion (verrouillage après inactivité)' },
  'backups.take': { action: 'backup.taken', what: 'Sauvegarde prise à la demande' },
  'backups.export': { action: 'backup.exported', what: 'Sauvegarde exportée, chiffrée par une phrase de passe' },
};

/** The record a call is about, from its input: the first id-like field. */
export function subjectOf(input: unknown): { subjectType?: string; subjectId?: string } {
  if (!input || typeof input !== 'object') return {};
  for (const key of ['claimId', 'id', 'markId', 'slotId', 'sequenceId', 'evaluationId', 'afestId', 'sessionId', 'enrolmentId']) {
    const v = (input as Record<string, unknown>)[key];
    if (typeof v === 'string') return { subjectType: key === 'id' ? undefined : key.replace(/Id$/, ''), subjectId: v } as { subjectType?: string; subjectId: string };
  }
  return {};
}
