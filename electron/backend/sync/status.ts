/** What the sync page and `sync status` read: counts per state, the records of a state, exports. */
import { sql } from 'kysely';
import type { z } from 'zod';
import { toCsv, type CsvCell } from '../../../shared/format/csv';
import type { SyncReceiverStatus, SyncRecordRow, syncRecordsInput } from '../../../shared/schemas/sync';
import type { Ctx } from '../context';
import { rawAll, withRaw, type Raw } from '../db/raw';
import type { SyncEngine } from './engine';
import { getReceiver, listReceivers, toView, type ReceiverRow } from './receivers';
import type { ItemState, RecordType } from './schema';
import { frenchDatesIn } from '../../../shared/domain/date-text';
import { cipherOf } from '../privacy/data-key';
import { openPayloadText } from '../privacy/payload';

const TYPE_NAMES: Record<string, string> = { enrolment: 'Inscription', attendance: 'Émargement', 'afest-sequence': 'Séquence AFEST', claim: 'Demande de paiement' };

const NEWER = `NOT EXISTS (SELECT 1 FROM sync_items j WHERE j.receiver_id = i.receiver_id AND j.record_id = i.record_id AND j.version > i.version)`;

export type StateCounts = Record<ItemState, number>;

/** A receiver's items per state: answered from the covering index sync_items_due alone. */
export const STATE_COUNTS_SQL = 'SELECT state, count(*) AS n FROM sync_items WHERE receiver_id = ? GROUP BY state';

/**
 * An open batch of an API receiver that is not sent: the last attempt found the receiver unreachable and no
 * earlier one reached it. Its records are shown as waiting ("en attente"), not in progress: they never left.
 * (A file connector's batch is "in progress" from its export on: the file is in the user's hands.)
 */
const UNSENT_BATCH = `state = 'in_flight' AND sent_at IS NULL AND file_name IS NULL`;
const UNSENT_ITEM = `EXISTS (SELECT 1 FROM sync_batches b WHERE b.id = i.batch_id AND b.${UNSENT_BATCH.replace(/ AND /g, ' AND b.')})`;

export async function countsOf(ctx: Ctx, receiverId: string): Promise<StateCounts> {
  const counts: StateCounts = { pending: 0, in_flight: 0, acked: 0, rejected: 0, dead: 0 };
  const rows = await rawAll<{ state: ItemState; n: number }>(ctx.db, STATE_COUNTS_SQL, receiverId);
  for (const r of rows) counts[r.state] = r.n;
  const [unsent] = await rawAll<{ n: number }>(ctx.db, `SELECT coalesce(sum(record_count), 0) AS n FROM sync_batches WHERE receiver_id = ? AND ${UNSENT_BATCH}`, receiverId);
  counts.pending += unsent!.n;
  counts.in_flight -= unsent!.n;
  return counts;
}

/** The condition on `sync_items i` of a state as shown to people (see UNSENT_BATCH). */
function shownState(state: ItemState): string {
  if (state === 'pending') return `(i.state = 'pending' OR (i.state = 'in_flight' AND ${UNSENT_ITEM}))`;
  if (state === 'in_flight') return `(i.state = 'in_flight' AND NOT ${UNSENT_ITEM})`;
  return `i.state = '${state}'`;
}

async function statusOf(ctx: Ctx, engine: SyncEngine, r: ReceiverRow): Promise<SyncReceiverStatus> {
  const c = await countsOf(ctx, r.id);
  const toFix = { rejected: 0, dead: 0 };
  const rows = await rawAll<{ state: 'rejected' | 'dead'; n: number }>(
    ctx.db,
    `SELECT state, count(*) AS n FROM sync_items i WHERE receiver_id = ? AND state IN ('rejected', 'dead') AND ${NEWER} GROUP BY state`,
    r.id,
  );
  for (const row of rows) toFix[row.state] = row.n;
  const open = await ctx.db
    .selectFrom('syncBatches')
    .select((eb) => eb.fn.min('nextAttemptAt').as('next'))
    .where('receiverId', '=', r.id)
    .where('state', '=', 'in_flight')
    .executeTakeFirstOrThrow();
  const p = engine.progress(r.id);
  return {
    receiver: toView(r),
    counts: { pending: c.pending, inFlight: c.in_flight, acked: c.acked, rejected: c.rejected, dead: c.dead },
    toFix,
    running: p.running,
    progress: { done: p.done, remaining: c.pending + c.in_flight },
    nextAttemptAt: open.next,
    lastError: r.lastError,
    offlineSince: r.offlineSince,
  };
}

export async function syncStatus(ctx: Ctx, engine: SyncEngine): Promise<SyncReceiverStatus[]> {
  const out: SyncReceiverStatus[] = [];
  for (const r of await listReceivers(ctx)) out.push(await statusOf(ctx, engine, r));
  return out;
}

interface ItemRow {
  seq: number;
  recordType: RecordType;
  recordId: string;
  version: number;
  state: ItemState;
  result: string | null;
  attempts: number;
  lastError: string | null;
  receiverRef: string | null;
  errors: string | null;
  batchId: string | null;
  updatedAt: string;
  payload: string;
}

/** The records of one state, newest first, each with a French label and the page where it is fixed. */
export async function syncRecords(ctx: Ctx, input: z.output<typeof syncRecordsInput>): Promise<{ total: number; rows: SyncRecordRow[] }> {
  await getReceiver(ctx, input.receiverId);
  const latest = input.onlyLatest && (input.state === 'rejected' || input.state === 'dead') ? `AND ${NEWER}` : '';
  return withRaw(ctx.db, (raw) => {
    const where = shownState(input.state);
    const total = raw.get<{ n: number }>(`SELECT count(*) AS n FROM sync_items i WHERE i.receiver_id = ? AND ${where} ${latest}`, input.receiverId)!.n;
    const rows = raw
      .prepare(
        `SELECT i.seq, i.record_type AS recordType, i.record_id AS recordId, i.version, ? AS state, i.result, i.attempts, i.last_error AS lastError,
                i.receiver_ref AS receiverRef, i.errors, i.batch_id AS batchId, i.updated_at AS updatedAt, o.payload
         FROM sync_items i JOIN outbox o ON o.seq = i.seq
         WHERE i.receiver_id = ? AND ${where} ${latest}
         ORDER BY i.seq DESC LIMIT ? OFFSET ?`,
      )
      .all(input.state, input.receiverId, input.limit, input.offset) as ItemRow[];
    return { total, rows: rows.map((r) => describe(raw, r)) };
  });
}

function describe(raw: Raw, r: ItemRow): SyncRecordRow {
  const { label, link } = labelOf(raw, r.recordType, r.payload);
  return {
    seq: r.seq,
    recordType: r.recordType,
    recordId: r.recordId,
    version: r.version,
    state: r.state,
    result: r.result,
    attempts: r.attempts,
    lastError: r.lastError,
    receiverRef: r.receiverRef,
    errors: r.errors ? (JSON.parse(r.errors) as SyncRecordRow['errors']) : [],
    batchId: r.batchId,
    updatedAt: r.updatedAt,
    // Read by people: dates as JJ/MM/AAAA, no bare version code.
    label: `${frenchDatesIn(label)} (version ${r.version})`,
    link,
  };
}

type P = Record<string, unknown> & {
  trainee?: { lastName?: string; firstName?: string };
  action?: { title?: string };
  slot?: { date?: string; start?: string; end?: string };
  period?: { from?: string; to?: string };
};

function labelOf(raw: Raw, type: RecordType, payloadText: string): { label: string; link: SyncRecordRow['link'] } {
  let p: P;
  try {
    p = JSON.parse(payloadText) as P;
  } catch {
    return { label: TYPE_NAMES[type] ?? 'Enregistrement', link: null };
  }
  const enrolment = (id: unknown) =>
    typeof id === 'string'
      ? (raw
          .prepare(`SELECT e.session_id AS sessionId, t.last_name || ' ' || t.first_name AS name FROM enrolments e JOIN trainees t ON t.id = e.trainee_id WHERE e.id = ?`)
          .get(id) as { sessionId: string; name: string } | undefined)
      : undefined;
  switch (type) {
    case 'enrolment': {
      const who = `${p.trainee?.lastName ?? ''} ${p.trainee?.firstName ?? ''}`.trim();
      return {
        label: `Inscription — ${who || 'stagiaire'}${p.action?.title ? `, ${p.action.title}` : ''}`,
        link: typeof p.sessionId === 'string' ? { page: 'session', id: p.sessionId } : null,
      };
    }
    case 'attendance': {
      const e = enrolment(p.enrolmentId);
      return {
        label: `Émargement du ${p.slot?.date ?? '?'} ${p.slot?.start ?? ''}–${p.slot?.end ?? ''}${e ? ` — ${e.name}` : ''}`,
        link: e ? { page: 'session', id: e.sessionId } : null,
      };
    }
    case 'afest-sequence': {
      const e = enrolment(p.enrolmentId);
      return { label: `Séquence AFEST du ${String(p.date ?? '?')}${e ? ` — ${e.name}` : ''}`, link: e ? { page: 'session', id: e.sessionId } : null };
    }
    case 'claim':
      return { label: `Demande de paiement ${String(p.funderCode ?? '')} du ${p.period?.from ?? '?'} au ${p.period?.to ?? '?'}`, link: null };
  }
}

/**
 * The dead records of a receiver as CSV, with their payloads, for a manual resend or a support ticket.
 * Exporting changes nothing: dead records stay in the outbox, never deleted.
 */
export async function exportDead(ctx: Ctx, receiverId: string) {
  const r = await getReceiver(ctx, receiverId);
  const rows = await rawAll<Record<string, unknown>>(
    ctx.db,
    `SELECT i.record_type AS type, i.record_id AS recordId, i.version, i.attempts, i.last_error AS lastError, i.batch_id AS batchId,
            i.updated_at AS updatedAt, o.payload
     FROM sync_items i JOIN outbox o ON o.seq = i.seq WHERE i.receiver_id = ? AND i.state = 'dead' ORDER BY i.seq`,
    receiverId,
  );
  // Personal data is queued sealed (privacy/payload.ts): opened for a user who may read it, masked for others.
  const reveal = ctx.user.permissions.has('people.sensitive.read');
  const cipher = await withRaw(ctx.db, (raw) => cipherOf(raw));
  for (const row of rows) row.payload = openPayloadText(cipher, row.recordId as string, row.payload as string, reveal);
  const columns = ['type', 'recordId', 'version', 'attempts', 'lastError', 'batchId', 'updatedAt', 'payload'];
  const text = toCsv(columns, rows.map((row) => columns.map((c) => row[c] as CsvCell)));
  const stamp = ctx.now().toISOString().slice(0, 10);
  return {
    fileName: `sillon-non-transmis-${r.name.normalize('NFD').replace(/[^a-zA-Z0-9]+/g, '-').toLowerCase()}-${stamp}.csv`,
    mime: 'text/csv; charset=utf-8',
    contentBase64: Buffer.from(text, 'utf8').toString('base64'),
    records: rows.length,
  };
}

export async function listBatches(ctx: Ctx, receiverId: string, limit: number) {
  await getReceiver(ctx, receiverId);
  return ctx.db
    .selectFrom('syncBatches')
    .select(['id', 'state', 'recordCount', 'attempts', 'nextAttemptAt', 'lastError', 'fileName', 'fileStatus', 'createdAt', 'sentAt', 'ackedAt'])
    .where('receiverId', '=', receiverId)
    .orderBy(sql`rowid`, 'desc')
    .limit(limit)
    .execute();
}
