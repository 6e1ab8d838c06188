import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { SyncReceiver, syncReceiverInput } from '../../../shared/schemas/sync';
import { inTransaction, stampNew, stampUpdate, type Ctx } from '../context';
import { rawAll, rawRun } from '../db/raw';
import type { SecretStore } from './secret-store';
import { RECORD_TYPES, syncDb, type RecordType, type SyncReceiverTable } from './schema';

export type ReceiverRow = SyncReceiverTable;

export function toView(r: ReceiverRow): SyncReceiver {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    hasToken: r.tokenSealed !== null,
    recordTypes: parseTypes(r.recordTypes),
    paused: r.paused === 1,
    pausedKind: r.pausedKind,
    pausedReason: r.pausedReason,
    lastSuccessAt: r.lastSuccessAt,
  };
}

function parseTypes(json: string): RecordType[] {
  const list = JSON.parse(json) as unknown[];
  return RECORD_TYPES.filter((t) => list.includes(t));
}

export async function listReceivers(ctx: Ctx): Promise<ReceiverRow[]> {
  return syncDb(ctx).selectFrom('syncReceivers').selectAll().where('archivedAt', 'is', null).orderBy('name').orderBy('id').execute();
}

export async function getReceiver(ctx: Ctx, id: string): Promise<ReceiverRow> {
  const r = await syncDb(ctx).selectFrom('syncReceivers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('not_found', 'Destinataire introuvable.', [{ path: 'receiverId', message: 'Destinataire inconnu.' }]);
  return r;
}

/**
 * Adds or edits a receiver. A new receiver gets every record already in the outbox of the types it
 * routes (its queue starts complete), and so does a type added later. The token is sealed by `secrets`
 * and never read back by the UI; omitting it keeps the stored one.
 */
export async function saveReceiver(ctx: Ctx, secrets: SecretStore, input: z.output<typeof syncReceiverInput>): Promise<ReceiverRow> {
  return inTransaction(ctx, async (tx) => {
    const db = syncDb(tx);
    const existing = input.id ? await db.selectFrom('syncReceivers').selectAll().where('id', '=', input.id).executeTakeFirst() : undefined;
    if (input.kind === 'http' && !input.token && !existing?.tokenSealed) {
      throw new AppError('validation', "Le jeton d'accès délivré par le destinataire est obligatoire.", [{ path: 'token', message: 'Jeton obligatoire.' }]);
    }
    if (input.url) {
      const clash = await db.selectFrom('syncReceivers').select(['id', 'name']).where('url', '=', input.url).executeTakeFirst();
      if (clash && clash.id !== existing?.id) {
        throw new AppError('conflict', `Cette adresse est déjà celle du destinataire « ${clash.name} ».`, [{ path: 'url', message: 'Adresse déjà utilisée.' }]);
      }
    }
    const tokenSealed = input.token ? secrets.seal(input.token) : (existing?.tokenSealed ?? null);
    const recordTypes = JSON.stringify(input.recordTypes);
    const id = existing?.id ?? input.id ?? tx.newId();
    if (existing) {
      // A new token is the "sign in again" a 401/403 asked for: the queue resumes by itself.
      const signedIn = input.token !== undefined && existing.pausedKind === 'auth';
      await db
        .updateTable('syncReceivers')
        .set({
          name: input.name,
          kind: input.kind,
          url: input.kind === 'http' ? input.url : null,
          tokenSealed,
          recordTypes,
          ...(signedIn ? { paused: 0, pausedKind: null, pausedReason: null, pausedAt: null } : {}),
          ...stampUpdate(tx),
        })
        .where('id', '=', id)
        .execute();
    } else {
      await db
        .insertInto('syncReceivers')
        .values({
          id,
          name: input.name,
          kind: input.kind,
          url: input.kind === 'http' ? input.url : null,
          tokenSealed,
          recordTypes,
          paused: 0,
          pausedKind: null,
          pausedReason: null,
          pausedAt: null,
          lastSuccessAt: null,
          lastAttemptAt: null,
          lastError: null,
          offlineSince: null,
          archivedAt: null,
          ...stampNew(tx),
        })
        .execute();
    }
    await routeQueued(tx, id, recordTypes);
    return getReceiver(tx, id);
  });
}

/** Routes what is already in the outbox to a receiver; OR IGNORE keeps the state of records already routed. */
async function routeQueued(tx: Ctx, id: string, recordTypes: string): Promise<void> {
  await rawRun(
    tx.db,
    `INSERT OR IGNORE INTO sync_items (receiver_id, seq, record_type, record_id, version, state, updated_at)
       SELECT ?, seq, record_type, record_id, version, 'pending', ? FROM outbox
       WHERE record_type IN (SELECT value FROM json_each(?))`,
    id,
    tx.now().toISOString(),
    recordTypes,
  );
}

/** Archived receivers, for "Afficher les archivés / Restaurer". */
export async function archivedReceivers(ctx: Ctx): Promise<{ id: string; label: string; archivedAt: string }[]> {
  const rows = await syncDb(ctx).selectFrom('syncReceivers').select(['id', 'name', 'url', 'archivedAt']).where('archivedAt', 'is not', null).orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, label: r.url ? `${r.name} (${r.url})` : r.name, archivedAt: r.archivedAt! }));
}

/**
 * Archives (`archived: true`) a receiver created by mistake, or restores it. Refused while anything was ever
 * sent to it: a batch (saved batches may have been sent; their bodies are the evidence of what was sent) or
 * a record with a fate there (acked, rejected, dead). Archived, it gets no new records (the `outbox_route`
 * trigger of 0008) and the engine skips it; restored, it gets what was queued meanwhile.
 */
export async function setReceiverArchived(ctx: Ctx, input: { id: string; archived: boolean }): Promise<{ id: string; archived: boolean }> {
  const { id, archived } = input;
  return inTransaction(ctx, async (tx) => {
    const db = syncDb(tx);
    const r = await db.selectFrom('syncReceivers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new AppError('not_found', 'Destinataire introuvable.', [{ path: 'id', message: 'Destinataire inconnu.' }]);
    if (archived === (r.archivedAt !== null)) return { id, archived };
    if (!archived) {
      await db.updateTable('syncReceivers').set({ archivedAt: null, ...stampUpdate(tx) }).where('id', '=', id).execute();
      await routeQueued(tx, id, r.recordTypes);
      return { id, archived };
    }
    const [sent] = await rawAll<{ batches: number; settled: number }>(
      tx.db,
      `SELECT (SELECT count(*) FROM sync_batches WHERE receiver_id = ?) AS batches,
              (SELECT count(*) FROM sync_items WHERE receiver_id = ? AND state IN ('acked', 'rejected', 'dead')) AS settled`,
      id,
      id,
    );
    const batches = sent?.batches ?? 0;
    const settled = sent?.settled ?? 0;
    if (batches > 0 || settled > 0) {
      const what = [
        batches > 0 ? `a déjà reçu ${batches} envoi(s)` : null,
        settled > 0 ? `a déjà traité ${settled} enregistrement(s) (acceptés, rejetés ou abandonnés)` : null,
      ].filter((x) => x !== null);
      throw new AppError('business', `Le destinataire « ${r.name} » ne peut pas être archivé : il ${what.join(' et ')}. Il reste dans l'historique ; mettez-le en pause pour ne plus rien lui envoyer.`);
    }
    await db.updateTable('syncReceivers').set({ archivedAt: tx.now().toISOString(), ...stampUpdate(tx) }).where('id', '=', id).execute();
    return { id, archived };
  });
}

export async function pauseReceiver(ctx: Ctx, id: string): Promise<ReceiverRow> {
  return inTransaction(ctx, async (tx) => {
    const r = await getReceiver(tx, id);
    if (r.paused) return r;
    await syncDb(tx)
      .updateTable('syncReceivers')
      .set({ paused: 1, pausedKind: 'user', pausedReason: 'Mis en pause par un utilisateur.', pausedAt: tx.now().toISOString(), ...stampUpdate(tx) })
      .where('id', '=', id)
      .execute();
    return getReceiver(tx, id);
  });
}

/** Resumes the queue and lifts any wait, so the next run tries at once. */
export async function resumeReceiver(ctx: Ctx, id: string): Promise<ReceiverRow> {
  return inTransaction(ctx, async (tx) => {
    await getReceiver(tx, id);
    const db = syncDb(tx);
    await db
      .updateTable('syncReceivers')
      .set({ paused: 0, pausedKind: null, pausedReason: null, pausedAt: null, offlineSince: null, ...stampUpdate(tx) })
      .where('id', '=', id)
      .execute();
    await db.updateTable('syncBatches').set({ nextAttemptAt: null }).where('receiverId', '=', id).where('state', '=', 'in_flight').execute();
    return getReceiver(tx, id);
  });
}
