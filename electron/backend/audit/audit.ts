import type { AuditAction, AuditOutcome } from '../../../shared/schemas/audit';
import { ANONYMOUS, inTransaction, type Ctx } from '../context';
import { withRaw } from '../db/raw';
import { canWriteEvidence, writeEvidenceIn } from '../evidence/writer';

export interface AuditDetails {
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  /** One French line a reader of the log understands without opening anything. */
  summary?: string | undefined;
  /** The contract method that did it, when there is one. */
  method?: string | undefined;
  outcome?: AuditOutcome | undefined;
  /** For a failed sign-in: the login as typed (there may be no account). */
  login?: string | undefined;
  /** Who, when it is not `ctx.user` (a failed sign-in has no signed-in user). `null`: nobody known. */
  userId?: string | null | undefined;
}

/**
 * Appends one event to the audit log (append-only, in the evidence ledger), in the caller's transaction when there
 * is one (so the event and what it records commit together), else in its own. Nothing is written to a damaged file
 * opened read-only, nor beside an app that keeps the ledger's key (the CLI's read-only commands): the log cannot be
 * sealed there, and an unsealed entry would read as tampering.
 */
export async function recordAudit(ctx: Ctx, action: AuditAction, details: AuditDetails = {}): Promise<void> {
  if (ctx.readOnly) return;
  await inTransaction(ctx, (tx) =>
    withRaw(tx.db, (raw) => {
      if (!canWriteEvidence(raw)) return;
      const at = tx.now().toISOString();
      const userId = details.userId === undefined ? (ctx.user.id === ANONYMOUS.id ? null : ctx.user.id) : details.userId;
      writeEvidenceIn(
        raw,
        [
          {
            type: 'audit_event',
            row: {
              id: tx.newId(),
              at,
              user_id: userId,
              login: details.login ?? null,
              action,
              outcome: details.outcome ?? 'success',
              subject_type: details.subjectType ?? null,
              subject_id: details.subjectId ?? null,
              summary: details.summary ?? null,
              method: details.method ?? null,
            },
          },
        ],
        { at },
      );
    }),
  );
}
