import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { rowDraft, type RowDraft, type saveDraftInput } from '../../../shared/schemas/rollcall-draft';
import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { EXPECTED_ENROLMENTS_SQL } from './attendance';
import { thisDevice } from '../evidence/devices';
import { requireCipher } from '../privacy/data-key';
import { isSealed, type Place } from '../privacy/field-cipher';

/**
 * A draft may hold a reason of absence (health data): kept sealed, bound to its slot and trainee, as a JSON string
 * (the column only takes JSON).
 */
const draftPlace = (slotId: string, enrolmentId: string): Place => ({ table: 'rollcall_drafts', column: 'draft', rowId: `${slotId}/${enrolmentId}` });

/*
 * Drafts of a roll call in progress (migrations/0005_rollcall_drafts.ts): each row of the screen is kept
 * as it is taken, so a reload, a crash or a flat battery loses nothing. Not evidence: no ledger, no outbox;
 * checked by the mark rules only when recorded. `attendance.record` consumes the drafts of the rows it
 * records, closing the slot drops whatever is left.
 */

/** The drafts of an open slot, as the screen left them. */
export async function listDrafts(ctx: Ctx, slotId: string): Promise<{ enrolmentId: string; draft: RowDraft; updatedAt: string }[]> {
  return withRaw(ctx.db, (raw) =>
    raw
      .all<{ enrolment_id: string; draft: string; updated_at: string }>('SELECT enrolment_id, draft, updated_at FROM rollcall_drafts WHERE slot_id = ? ORDER BY updated_at, enrolment_id', slotId)
      .flatMap((r) => {
        // A draft the screen of another version left in a shape this one no longer reads is dropped, not fatal;
        // so is one that no longer opens (another key) — a draft is not evidence.
        let value: unknown = JSON.parse(r.draft);
        if (typeof value === 'string' && isSealed(value)) {
          try {
            value = JSON.parse(requireCipher(raw).open(value, draftPlace(slotId, r.enrolment_id)));
          } catch {
            return [];
          }
        }
        const parsed = rowDraft.safeParse(value);
        return parsed.success ? [{ enrolmentId: r.enrolment_id, draft: parsed.data, updatedAt: r.updated_at }] : [];
      }),
  );
}

/** Keeps the draft of one row (`draft: null` drops it). Only on an open slot, for a trainee expected there. */
export async function saveDraft(ctx: Ctx, data: z.output<typeof saveDraftInput>): Promise<{ savedAt: string }> {
  return withRaw(ctx.db, (raw) => {
    const slot = raw.get<{ cancelled: number }>('SELECT cancelled FROM slots WHERE id = ?', data.slotId);
    if (!slot) throw new AppError('not_found', 'Créneau introuvable.', [{ path: 'slotId', message: 'Créneau inconnu.' }]);
    const at = ctx.now().toISOString();
    if (data.draft === null) {
      raw.run('DELETE FROM rollcall_drafts WHERE slot_id = ? AND enrolment_id = ?', data.slotId, data.enrolmentId);
      return { savedAt: at };
    }
    if (slot.cancelled) throw new AppError('business', 'Ce créneau est annulé : aucune présence ne peut y être saisie.', [{ path: 'slotId', message: 'Créneau annulé.' }]);
    if (raw.get('SELECT 1 FROM slot_closures WHERE slot_id = ?', data.slotId)) {
      throw new AppError('business', 'Ce créneau est clos : la saisie en cours ne peut plus être gardée, utilisez une correction.', [{ path: 'slotId', message: 'Créneau clos.' }]);
    }
    if (!raw.all<{ id: string }>(EXPECTED_ENROLMENTS_SQL, data.slotId).some((e) => e.id === data.enrolmentId)) {
      throw new AppError('validation', "Ce stagiaire n'est pas attendu sur ce créneau (inscription hors dates, sortie ou autre session).", [{ path: 'enrolmentId', message: 'Stagiaire non attendu.' }]);
    }
    raw.run(
      `INSERT INTO rollcall_drafts (slot_id, enrolment_id, draft, device_id, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (slot_id, enrolment_id) DO UPDATE SET draft = excluded.draft, device_id = excluded.device_id, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      data.slotId, data.enrolmentId, JSON.stringify(requireCipher(raw).seal(JSON.stringify(data.draft), draftPlace(data.slotId, data.enrolmentId))), thisDevice(raw, at, () => ctx.newId()), at, ctx.user.id,
    );
    return { savedAt: at };
  });
}

/** Drops the drafts a roll call just recorded (`enrolmentIds`), or every draft of a slot being closed. */
export function consumeDrafts(raw: Raw, slotId: string, enrolmentIds?: readonly string[]): void {
  if (!enrolmentIds) {
    raw.run('DELETE FROM rollcall_drafts WHERE slot_id = ?', slotId);
    return;
  }
  for (const enrolmentId of enrolmentIds) raw.run('DELETE FROM rollcall_drafts WHERE slot_id = ? AND enrolment_id = ?', slotId, enrolmentId);
}
