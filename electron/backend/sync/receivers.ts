import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { SyncReceiver, syncReceiverInput } from '../../../shared/schemas/sync';
import { inTransaction, stampNew, stampUpdate, type Ctx } from '../context';
import { rawRun } from '../db/raw';
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
  return syncDb(ctx).selectFrom('syncReceivers').selectAll().orderBy('name').orderBy('id').execute();
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
          ...stampNew(tx),
        })
        .execute();
    }
    // Route what is already queued; OR IGNORE keeps the state of records already routed.
    await rawRun(
      tx.db,
      `INSERT OR IGNORE INTO sync_items (receiver_id, seq, record_type, record_id, version, state, updated_at)
         SELECT ?, seq, record_type, record_id, version, 'pending', ? FROM outbox
         WHERE record_type IN (SELECT value FROM json_each(?))`,
      id,
      tx.now().toISOString(),
      recordTypes,
    );
    return getReceiver(tx, id);
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
