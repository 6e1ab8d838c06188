/**
 * The queue's bookkeeping, each function one synchronous step of a transaction (see `rawTransaction`):
 * build a batch from the due items and save it before it is sent, record an attempt, split, fail, kill,
 * and apply a receiver's per-record results. Prepared statements, because 100 000 records go through here.
 */
import type { Raw } from '../db/raw';
import { readLedgerHead, type LedgerHead } from '../evidence/head';
import type { BatchState, ItemResult, ItemState, RecordType } from './schema';

/** The protocol's limits for one batch. */
export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
}
export const PROTOCOL_LIMITS: BatchLimits = Object.freeze({ maxRecords: 500, maxBytes: 2 * 1024 * 1024 });

export interface Sender {
  siret: string;
  nda: string | null;
  software: string;
  deviceId: string;
  /**
   * The evidence ledger's head (count + last entry's seal) when the batch was built: an external copy that
   * lets a cut or emptied ledger be caught (docs/ledger-head.md). Set by buildBatch / splitBatch.
   */
  ledgerHead?: LedgerHead;
}

/** The sender with the ledger's head as it is now, in the batch's transaction. */
function withHead(raw: Raw, sender: Sender): Sender {
  return { ...sender, ledgerHead: readLedgerHead(raw) };
}

export interface BatchRow {
  id: string;
  receiverId: string;
  body: string;
  recordCount: number;
  bodyBytes: number;
  state: BatchState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

export interface RecordError {
  path: string;
  code: string;
  message: string;
}

/** One per-record answer of POST /v1/batches. */
export interface RecordResult {
  recordId: string;
  version: number;
  status: 'accepted' | 'duplicate' | 'superseded' | 'rejected';
  receiverRef?: string | null | undefined;
  errors?: RecordError[] | null | undefined;
}

export interface ApplySummary {
  accepted: number;
  duplicate: number;
  superseded: number;
  rejected: number;
}

/** The receiver answered for other records than the batch holds: never guess, stop and report. */
export class ResultMismatchError extends Error {}

const BATCH_COLUMNS = `id, receiver_id AS receiverId, body, record_count AS recordCount, body_bytes AS bodyBytes, state, attempts,
  next_attempt_at AS nextAttemptAt, last_error AS lastError, sent_at AS sentAt, created_at AS createdAt`;

// The due-items query: each record's latest pending version, oldest first. Older pending versions of
// the same record are left out: the protocol wants at most one version of a record per batch, in
// increasing order, and the latest one carries the record's whole current state.
export const DUE_ITEMS_SQL = `
      SELECT i.seq, i.record_id AS recordId, i.version, i.record_type AS recordType, o.payload
      FROM sync_items i JOIN outbox o ON o.seq = i.seq
      WHERE i.receiver_id = ? AND i.state = 'pending'
        AND NOT EXISTS (SELECT 1 FROM sync_items j
                        WHERE j.receiver_id = i.receiver_id AND j.record_id = i.record_id AND j.version > i.version AND j.state = 'pending')
      ORDER BY i.seq
      LIMIT ?`;

function statements(raw: Raw) {
  return {
    due: raw.prepare(DUE_ITEMS_SQL),
    openBatch: raw.prepare(`SELECT ${BATCH_COLUMNS} FROM sync_batches WHERE receiver_id = ? AND state = 'in_flight' ORDER BY rowid LIMIT 1`),
    batchById: raw.prepare(`SELECT ${BATCH_COLUMNS} FROM sync_batches WHERE id = ?`),
    insertBatch: raw.prepare(`
      INSERT INTO sync_batches (id, receiver_id, body, record_count, body_bytes, state, attempts, parent_id, file_name, file_status, created_at)
      VALUES (?, ?, ?, ?, ?, 'in_flight', 0, ?, ?, ?, ?)`),
    takeItem: raw.prepare(`
      UPDATE sync_items SET state = 'in_flight', batch_id = ?, attempts = 0, next_attempt_at = NULL, last_error = NULL, updated_at = ?
      WHERE receiver_id = ? AND seq = ?`),
    rejectLocally: raw.prepare(`
      UPDATE sync_items SET state = 'rejected', result = 'too_large', errors = ?, updated_at = ? WHERE receiver_id = ? AND seq = ?`),
    batchItems: raw.prepare(`
      SELECT i.seq, i.record_id AS recordId, i.version, i.record_type AS recordType, o.payload
      FROM sync_items i JOIN outbox o ON o.seq = i.seq WHERE i.batch_id = ? ORDER BY i.seq`),
    // The same without payloads: what applying results needs.
    batchKeys: raw.prepare(`SELECT seq, record_id AS recordId, version FROM sync_items WHERE batch_id = ? ORDER BY seq`),
    batchStateOf: raw.prepare(`SELECT state FROM sync_batches WHERE id = ?`),
    markSent: raw.prepare(`UPDATE sync_batches SET sent_at = coalesce(sent_at, ?) WHERE id = ?`),
    markUnsent: raw.prepare(`UPDATE sync_batches SET sent_at = NULL WHERE id = ?`),
    parentOf: raw.prepare(`SELECT parent_id AS parentId FROM sync_batches WHERE id = ?`),
    // The batches split from one root, at any depth, that are still open and were never sent.
    unsentRelatives: raw.prepare(`
      WITH RECURSIVE family(id) AS (SELECT ? UNION SELECT b.id FROM sync_batches b JOIN family f ON b.parent_id = f.id)
      SELECT ${BATCH_COLUMNS} FROM sync_batches WHERE id IN (SELECT id FROM family) AND id <> ? AND state = 'in_flight' AND sent_at IS NULL
      ORDER BY rowid`),
    receiverAttempt: raw.prepare(`UPDATE sync_receivers SET last_attempt_at = ? WHERE id = ?`),
    batchRetry: raw.prepare(`UPDATE sync_batches SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?`),
    itemsRetry: raw.prepare(`UPDATE sync_items SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE batch_id = ? AND state = 'in_flight'`),
    batchState: raw.prepare(`UPDATE sync_batches SET state = ?, last_error = coalesce(?, last_error), next_attempt_at = NULL WHERE id = ?`),
    batchAcked: raw.prepare(`UPDATE sync_batches SET state = 'acked', response = ?, acked_at = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?`),
    itemsBackToPending: raw.prepare(`
      UPDATE sync_items SET state = 'pending', batch_id = NULL, next_attempt_at = NULL, last_error = ?, updated_at = ? WHERE batch_id = ? AND state = 'in_flight'`),
    itemsDead: raw.prepare(`UPDATE sync_items SET state = 'dead', last_error = ?, next_attempt_at = NULL, updated_at = ? WHERE batch_id = ? AND state = 'in_flight'`),
    itemAcked: raw.prepare(`
      UPDATE sync_items SET state = 'acked', result = ?, receiver_ref = ?, errors = NULL, last_error = NULL, next_attempt_at = NULL, acked_at = ?, updated_at = ?
      WHERE receiver_id = ? AND seq = ?`),
    itemRejected: raw.prepare(`
      UPDATE sync_items SET state = 'rejected', result = 'rejected', errors = ?, last_error = NULL, next_attempt_at = NULL, updated_at = ?
      WHERE receiver_id = ? AND seq = ?`),
    // Older versions never sent share the fate of the version that carried the record's state.
    cover: raw.prepare(`
      UPDATE sync_items SET state = ?, result = 'covered', covered_by = ?, acked_at = ?, updated_at = ?
      WHERE receiver_id = ? AND record_id = ? AND version < ? AND state = 'pending'`),
    receiverSuccess: raw.prepare(`UPDATE sync_receivers SET last_success_at = ?, last_error = NULL, offline_since = NULL WHERE id = ?`),
    receiverError: raw.prepare(`UPDATE sync_receivers SET last_error = ? WHERE id = ?`),
    receiverOffline: raw.prepare(`UPDATE sync_receivers SET offline_since = coalesce(offline_since, ?), last_error = ? WHERE id = ?`),
    receiverPause: raw.prepare(`
      UPDATE sync_receivers SET paused = 1, paused_kind = ?, paused_reason = ?, paused_at = ?, last_error = ? WHERE id = ?`),
  };
}
type Statements = ReturnType<typeof statements>;

// Keyed by the connection's Raw (one per connection), so prepared once per database.
const cache = new WeakMap<Raw, Statements>();
function st(raw: Raw): Statements {
  let s = cache.get(raw);
  if (!s) {
    s = statements(raw);
    cache.set(raw, s);
  }
  return s;
}

interface DueRow {
  seq: number;
  recordId: string;
  version: number;
  recordType: RecordType;
  payload: string;
}

/** One record as it appears in `records` of a batch body. The payload text is the outbox's, verbatim. */
function recordJson(r: DueRow): string {
  return `{"recordId":${JSON.stringify(r.recordId)},"version":${r.version},"type":${JSON.stringify(r.recordType)},"payload":${r.payload}}`;
}

function bodyOf(batchId: string, sentAt: string, sender: Sender, records: readonly string[]): string {
  const head = JSON.stringify({ batchId, sentAt, sender });
  return `${head.slice(0, -1)},"records":[${records.join(',')}]}`;
}

export function openBatch(raw: Raw, receiverId: string): BatchRow | null {
  return (st(raw).openBatch.get(receiverId) as BatchRow | undefined) ?? null;
}

export function batchById(raw: Raw, batchId: string): BatchRow | null {
  return (st(raw).batchById.get(batchId) as BatchRow | undefined) ?? null;
}

export interface BuildOptions {
  receiverId: string;
  batchId: string;
  now: Date;
  sender: Sender;
  limits: BatchLimits;
  file?: { name: string } | undefined;
  /** About to be posted: the batch counts as maybe sent from this commit on (a crash → ask before resending). */
  sending?: boolean;
}

/**
 * Takes the due items of a receiver into a new batch and saves its body, in the caller's transaction.
 * A record too large to fit any batch on its own is rejected here (code `too_large`): sending it could
 * only ever earn a 413. Returns null when nothing is due.
 */
export function buildBatch(raw: Raw, o: BuildOptions): BatchRow | null {
  const s = st(raw);
  const at = o.now.toISOString();
  const sender = withHead(raw, o.sender);
  const rows = s.due.all(o.receiverId, o.limits.maxRecords) as DueRow[];
  const emptyBytes = Buffer.byteLength(bodyOf(o.batchId, at, sender, []));
  const records: string[] = [];
  const taken: DueRow[] = [];
  let bytes = emptyBytes;
  for (const row of rows) {
    const json = recordJson(row);
    const size = Buffer.byteLength(json) + (records.length > 0 ? 1 : 0);
    if (emptyBytes + Buffer.byteLength(json) > o.limits.maxBytes) {
      const mib = (Buffer.byteLength(json) / 1024 / 1024).toFixed(1);
      const errors: RecordError[] = [
        { path: 'payload', code: 'too_large', message: `Enregistrement trop volumineux (${mib} Mio) pour tenir dans un lot de ${o.limits.maxBytes / 1024 / 1024} Mio : allégez-le (pièces jointes), ce qui en fera une nouvelle version.` },
      ];
      s.rejectLocally.run(JSON.stringify(errors), at, o.receiverId, row.seq);
      continue;
    }
    if (bytes + size > o.limits.maxBytes) break;
    records.push(json);
    taken.push(row);
    bytes += size;
  }
  if (taken.length === 0) return null;
  const body = bodyOf(o.batchId, at, sender, records);
  const bodyBytes = Buffer.byteLength(body);
  s.insertBatch.run(o.batchId, o.receiverId, body, taken.length, bodyBytes, null, o.file?.name ?? null, o.file ? 'exported' : null, at);
  for (const row of taken) s.takeItem.run(o.batchId, at, o.receiverId, row.seq);
  if (o.sending) {
    s.markSent.run(at, o.batchId);
    s.receiverAttempt.run(at, o.receiverId);
  }
  return {
    id: o.batchId,
    receiverId: o.receiverId,
    body,
    recordCount: taken.length,
    bodyBytes,
    state: 'in_flight',
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    sentAt: o.sending ? at : null,
    createdAt: at,
  };
}

/** The records of a batch, in body order (seq order, as built). */
export function batchItems(raw: Raw, batchId: string): DueRow[] {
  return st(raw).batchItems.all(batchId) as DueRow[];
}

/** Just before a POST: the batch may now have reached the receiver (a crash from here on means "ask first"). */
export function markSent(raw: Raw, batch: BatchRow, now: Date): void {
  const at = now.toISOString();
  st(raw).markSent.run(at, batch.id);
  st(raw).receiverAttempt.run(at, batch.receiverId);
}

/** Records when to try the same batch again; `counted` adds one to its attempts (unknown outcomes). */
export function scheduleRetry(raw: Raw, batch: BatchRow, o: { attempts: number; nextAt: Date; error: string; now: Date }): void {
  const s = st(raw);
  const next = o.nextAt.toISOString();
  s.batchRetry.run(o.attempts, next, o.error, batch.id);
  s.itemsRetry.run(o.attempts, next, o.error, o.now.toISOString(), batch.id);
  s.receiverError.run(o.error, batch.receiverId);
}

/**
 * The receiver could not be reached: nothing was delivered. `unsent`: no earlier attempt could have
 * delivered this batch either, so it is marked not sent (its records count as waiting, not in progress);
 * it stays saved and goes out as is, under the same id, once the receiver answers.
 */
export function markOffline(raw: Raw, batch: BatchRow, o: { nextAt: Date; error: string; now: Date; unsent?: boolean }): void {
  scheduleRetry(raw, batch, { attempts: batch.attempts, nextAt: o.nextAt, error: o.error, now: o.now });
  if (o.unsent) st(raw).markUnsent.run(batch.id);
  st(raw).receiverOffline.run(o.now.toISOString(), o.error, batch.receiverId);
}

/** Too many unknown outcomes: the batch and its records are dead — kept, listed, exportable, never resent. */
export function killBatch(raw: Raw, batch: BatchRow, o: { attempts: number; error: string; now: Date }): void {
  const s = st(raw);
  const at = o.now.toISOString();
  const items = s.batchKeys.all(batch.id) as { seq: number; recordId: string; version: number }[];
  s.batchRetry.run(o.attempts, null, o.error, batch.id);
  s.itemsRetry.run(o.attempts, null, o.error, at, batch.id);
  s.batchState.run('dead', o.error, batch.id);
  s.itemsDead.run(o.error, at, batch.id);
  for (const it of items) s.cover.run('dead', it.version, null, at, batch.receiverId, it.recordId, it.version);
  s.receiverError.run(o.error, batch.receiverId);
}

/**
 * The open, never-sent batches split from the same root as `batch` die with it (the receiver refuses even
 * one record as too large: they can only meet the same fault). Returns how many records died this way.
 */
export function killUnsentRelatives(raw: Raw, batch: BatchRow, o: { error: string; now: Date }): number {
  const s = st(raw);
  let root = batch.id;
  for (let p = s.parentOf.get(root) as { parentId: string | null } | undefined; p?.parentId; p = s.parentOf.get(root) as { parentId: string | null } | undefined) {
    root = p.parentId;
  }
  let records = 0;
  for (const b of s.unsentRelatives.all(root, batch.id) as BatchRow[]) {
    killBatch(raw, b, { attempts: b.attempts, error: o.error, now: o.now });
    records += b.recordCount;
  }
  return records;
}

/**
 * 400 / 409: the receiver refuses the batch itself and nothing was stored. The batch is abandoned, its
 * records go back to pending (they will travel again under a new batch id once the queue is resumed), and
 * the receiver's queue stops with a reason to report.
 */
export function failBatch(raw: Raw, batch: BatchRow, o: { error: string; reason: string; now: Date }): void {
  const s = st(raw);
  const at = o.now.toISOString();
  s.batchState.run('failed', o.error, batch.id);
  s.itemsBackToPending.run(o.error, at, batch.id);
  s.receiverPause.run('protocol', o.reason, at, o.error, batch.receiverId);
}

export function pauseReceiver(raw: Raw, receiverId: string, o: { kind: 'auth' | 'protocol'; reason: string; now: Date }): void {
  st(raw).receiverPause.run(o.kind, o.reason, o.now.toISOString(), o.reason, receiverId);
}

/**
 * 413: the batch is replaced by its two halves under new batch ids (saved here, sent next). The caller
 * never splits a batch of a single record (within the protocol's limits, a 413 on it is the receiver's
 * fault); were it asked to, it refuses.
 */
export function splitBatch(
  raw: Raw,
  batch: BatchRow,
  o: { now: Date; sender: Sender; newId: () => string; error: string },
): BatchRow[] {
  const s = st(raw);
  const at = o.now.toISOString();
  const items = batchItems(raw, batch.id);
  if (items.length <= 1) throw new Error(`Lot ${batch.id} : un lot d'un seul enregistrement ne peut pas être scindé.`);
  s.batchState.run('split', o.error, batch.id);
  const mid = Math.ceil(items.length / 2);
  const sender = withHead(raw, o.sender);
  return [items.slice(0, mid), items.slice(mid)].map((half) => {
    const id = o.newId();
    const body = bodyOf(id, at, sender, half.map(recordJson));
    s.insertBatch.run(id, batch.receiverId, body, half.length, Buffer.byteLength(body), batch.id, null, null, at);
    for (const it of half) s.takeItem.run(id, at, batch.receiverId, it.seq);
    return batchById(raw, id)!;
  });
}

/**
 * Applies the receiver's per-record results of one batch, all or nothing (the caller's transaction).
 * accepted / duplicate / superseded → acked (receiverRef kept); rejected → rejected with the receiver's
 * errors, never resent as is. Returns null when the batch was already settled (another process did it).
 */
export function applyResults(
  raw: Raw,
  batch: BatchRow,
  o: { results: readonly RecordResult[]; response: string; now: Date },
): ApplySummary | null {
  const s = st(raw);
  const current = s.batchStateOf.get(batch.id) as { state: BatchState } | undefined;
  if (!current || current.state !== 'in_flight') return null;
  const at = o.now.toISOString();
  const items = s.batchKeys.all(batch.id) as { seq: number; recordId: string; version: number }[];
  if (items.length !== o.results.length) {
    throw new ResultMismatchError(`Le destinataire a répondu pour ${o.results.length} enregistrements ; le lot en contient ${items.length}.`);
  }
  const summary: ApplySummary = { accepted: 0, duplicate: 0, superseded: 0, rejected: 0 };
  items.forEach((it, i) => {
    const r = o.results[i]!;
    if (r.recordId !== it.recordId || r.version !== it.version) {
      throw new ResultMismatchError(`Résultat n° ${i + 1} pour ${r.recordId} v${r.version}, attendu ${it.recordId} v${it.version}.`);
    }
    summary[r.status]++;
    let fate: ItemState;
    if (r.status === 'rejected') {
      fate = 'rejected';
      s.itemRejected.run(JSON.stringify(r.errors ?? []), at, batch.receiverId, it.seq);
    } else {
      fate = 'acked';
      s.itemAcked.run(r.status satisfies ItemResult, r.receiverRef ?? null, at, at, batch.receiverId, it.seq);
    }
    s.cover.run(fate, it.version, fate === 'acked' ? at : null, at, batch.receiverId, it.recordId, it.version);
  });
  s.batchAcked.run(o.response, at, batch.id);
  s.receiverSuccess.run(at, batch.receiverId);
  return summary;
}
