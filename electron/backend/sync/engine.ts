/**
 * The sync engine: one single-flight loop per receiver that drains its queue batch by batch, following
 * shared/design/exchange-protocol.md. Each step is
 *
 *   transaction (pick the unresolved batch, or build and save a new one) → network → transaction (outcome)
 *
 * so a network call never happens inside a transaction, and a crash anywhere leaves a state the next run
 * resumes from: an `in_flight` batch that was maybe sent is first asked for (GET /v1/batches/{id}), then
 * resent as is. Time (ctx.now) and randomness (jitter) are injectable; so is `fetch`.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import { thisDevice } from '../evidence/devices';
import { cipherOf } from '../privacy/data-key';
import { bodyForWire } from '../privacy/payload';
import { APP_VERSION } from '../version';
import { DEFAULT_RETRY_POLICY, backoffMs, type RetryPolicy } from './backoff';
import {
  PROTOCOL_LIMITS,
  ResultMismatchError,
  applyResults,
  buildBatch,
  failBatch,
  killBatch,
  killUnsentRelatives,
  markOffline,
  markSent,
  openBatch,
  pauseReceiver,
  scheduleRetry,
  splitBatch,
  type ApplySummary,
  type BatchLimits,
  type BatchRow,
  type Sender,
} from './batches';
import { getBatch, getReference, postBatch, type HttpDeps, type HttpOutcome } from './connectors/http';
import { importReferenceProgrammes } from '../funding/import';
import { REFERENCE_CATALOGUES, catalogueState, noteCatalogue, storeCatalogue, type ReferenceOutcome } from './reference';
import { getReceiver, listReceivers, type ReceiverRow } from './receivers';
import { rawTransaction, syncDb } from './schema';
import { FileKeySecretStore, type SecretStore } from './secret-store';
import { systemErrorMessage } from '../system-errors';

export interface SyncOptions {
  fetch: typeof fetch;
  /** Uniform in [0, 1): the jitter of the backoff. */
  random: () => number;
  policy: RetryPolicy;
  limits: BatchLimits;
  secrets: SecretStore;
  software: string;
  /** While started: a run of every receiver this often (the timer trigger). */
  intervalMs: number;
  /** While started: a burst of local changes triggers one run after this quiet time. */
  changeDebounceMs: number;
  /** While started: reference catalogues are refreshed this often (and at start-up). */
  referenceEveryMs: number;
  catalogues: readonly string[];
  /** Unexpected failures of a run (bugs, disk full): logged, the loop survives. */
  onError: (receiverId: string, error: unknown) => void;
}

export type StepOutcome =
  | { kind: 'idle' }
  | { kind: 'sent'; batchId: string; records: number; summary: ApplySummary; recovered: boolean }
  | { kind: 'split'; batchId: string; into: string[] }
  | { kind: 'dead'; batchId: string; records: number; reason: string }
  /**
   * Try again at `until`. `cause`: the receiver is busy (429/503, it said when), it answered with a fault
   * (5xx, unreadable 200, 413 on a batch that cannot shrink), it gave no answer at all (timeout, connection
   * lost: maybe delivered), or the batch is `scheduled` after an earlier one of these.
   */
  | { kind: 'wait'; until: Date; reason: string; cause: WaitCause }
  | { kind: 'offline'; until: Date; reason: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'error'; message: string };

export type WaitCause = 'busy' | 'fault' | 'no_answer' | 'scheduled';

export interface StepOptions {
  /** Ignore the batch's scheduled retry time and send now: a person asked (the CLI's `sync`). */
  now?: boolean;
}

export interface Progress {
  running: boolean;
  /** Records settled (acked, rejected or dead) by the current or last run. */
  done: number;
  batches: number;
  last: StepOutcome | null;
}

const recordError = z.looseObject({
  path: z.string().catch(''),
  code: z.string().catch('invalid'),
  message: z.string().catch(''),
});
const batchResponse = z.looseObject({
  batchId: z.string(),
  results: z.array(
    z.looseObject({
      recordId: z.string(),
      version: z.number().int(),
      status: z.enum(['accepted', 'duplicate', 'superseded', 'rejected']),
      receiverRef: z.string().nullish(),
      errors: z.array(recordError).nullish(),
    }),
  ),
});

export class SyncEngine {
  readonly #ctx: Ctx;
  #options: SyncOptions;
  readonly #running = new Map<string, Promise<StepOutcome>>();
  readonly #again = new Set<string>();
  readonly #wakes = new Map<string, NodeJS.Timeout>();
  readonly #progress = new Map<string, Progress>();
  /** Batches this process has posted: any other `in_flight` batch with a send time was cut off by a crash. */
  readonly #attempted = new Set<string>();
  /** Batches this process has actually handed to `fetch` (a batch saved ahead is attempted, not posted). */
  readonly #posted = new Set<string>();
  #interval: NodeJS.Timeout | null = null;
  #referenceTimer: NodeJS.Timeout | null = null;
  #debounce: NodeJS.Timeout | null = null;
  #started = false;
  #stopped = false;
  readonly #abort = new AbortController();

  constructor(ctx: Ctx, options: Partial<SyncOptions> = {}) {
    if (ctx.db.isTransaction) throw new Error('SyncEngine needs the root context, not a transaction');
    this.#ctx = ctx;
    this.#options = {
      fetch: (...args) => globalThis.fetch(...args),
      random: Math.random,
      policy: DEFAULT_RETRY_POLICY,
      limits: PROTOCOL_LIMITS,
      secrets: new FileKeySecretStore(join(ctx.dataDir, 'sync.key')),
      software: `sillon/${APP_VERSION}`,
      intervalMs: 5 * 60_000,
      changeDebounceMs: 1_000,
      referenceEveryMs: 6 * 3_600_000,
      catalogues: REFERENCE_CATALOGUES,
      onError: (id, e) => process.stderr.write(`[sync ${id}] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`),
      ...options,
    };
  }

  get secrets(): SecretStore {
    return this.#options.secrets;
  }

  configure(options: Partial<SyncOptions>): void {
    this.#options = { ...this.#options, ...options, policy: { ...this.#options.policy, ...options.policy } };
  }

  get #http(): HttpDeps {
    return { fetch: this.#options.fetch, timeoutMs: this.#options.policy.timeoutMs, now: () => this.#ctx.now(), signal: this.#abort.signal };
  }

  // ── Triggers ────────────────────────────────────────────────────────────────────────────────────────

  /** Start-up trigger, then the timer; also refreshes the reference catalogues. Timers never hold the process. */
  start(): void {
    // A damaged database is open read-only (db/open.ts): nothing to send from it until a backup is restored.
    if (this.#started || this.#stopped || this.#ctx.readOnly) return;
    // A big file still being checked in the background (db/integrity.ts): sync writes too, so it starts after a
    // sound verdict (a damaged one sets readOnly first).
    const gate = this.#ctx.integrity;
    if (gate && gate.refusal === undefined) {
      void gate.settled.then(() => this.start());
      return;
    }
    this.#started = true;
    this.#interval = setInterval(() => void this.runAll(), this.#options.intervalMs);
    this.#interval.unref();
    this.#referenceTimer = setInterval(() => void this.refreshAllReferences(), this.#options.referenceEveryMs);
    this.#referenceTimer.unref();
    void this.runAll();
    void this.refreshAllReferences();
  }

  /** A local change was committed (its records are in the outbox): run soon, once per burst. */
  notifyChange(): void {
    if (!this.#started || this.#stopped) return;
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = null;
      void this.runAll();
    }, this.#options.changeDebounceMs);
    this.#debounce.unref();
  }

  /** The machine is back online: lift the waits caused by an unreachable receiver and run. */
  async notifyOnline(): Promise<void> {
    if (this.#stopped) return;
    const db = syncDb(this.#ctx);
    const offline = await db.selectFrom('syncReceivers').select('id').where('offlineSince', 'is not', null).execute();
    for (const { id } of offline) await this.#liftWaits(id);
    await this.runAll();
  }

  /** "Synchroniser maintenant": lifts any wait (backoff, Retry-After) and runs; resolves when the run ends. */
  async syncNow(receiverId?: string): Promise<StepOutcome[]> {
    const ids = receiverId ? [receiverId] : (await listReceivers(this.#ctx)).map((r) => r.id);
    for (const id of ids) await this.#liftWaits(id);
    return Promise.all(ids.map((id) => this.run(id)));
  }

  async runAll(): Promise<void> {
    if (this.#stopped) return;
    const receivers = await listReceivers(this.#ctx);
    await Promise.all(receivers.filter((r) => r.kind === 'http' && !r.paused).map((r) => this.run(r.id)));
  }

  /** Stops the timers and waits for the runs in progress to finish their step. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    for (const t of [this.#interval, this.#referenceTimer, this.#debounce]) if (t) clearTimeout(t);
    for (const t of this.#wakes.values()) clearTimeout(t);
    this.#wakes.clear();
    await Promise.allSettled([...this.#running.values()]);
  }

  progress(receiverId: string): Progress {
    return this.#progress.get(receiverId) ?? { running: false, done: 0, batches: 0, last: null };
  }

  // ── The loop ────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Drains one receiver's queue until it is empty, waiting or blocked. Single-flight: a trigger during a
   * run joins it, and the run goes round once more so the change is not missed.
   */
  run(receiverId: string): Promise<StepOutcome> {
    const current = this.#running.get(receiverId);
    if (current) {
      this.#again.add(receiverId);
      return current;
    }
    const p = (async () => {
      let out: StepOutcome;
      const progress: Progress = { running: true, done: 0, batches: 0, last: null };
      this.#progress.set(receiverId, progress);
      try {
        do {
          this.#again.delete(receiverId);
          out = await this.#loop(receiverId, progress);
        } while (this.#again.has(receiverId) && !this.#stopped && out.kind === 'idle');
      } finally {
        progress.running = false;
        this.#running.delete(receiverId);
        this.#again.delete(receiverId);
      }
      return out;
    })();
    this.#running.set(receiverId, p);
    return p;
  }

  async #loop(receiverId: string, progress: Progress): Promise<StepOutcome> {
    for (;;) {
      if (this.#stopped) return { kind: 'idle' };
      let out: StepOutcome;
      try {
        out = await this.step(receiverId);
      } catch (e) {
        this.#options.onError(receiverId, e);
        out = { kind: 'error', message: systemErrorMessage(e) ?? (e instanceof Error ? e.message : String(e)) };
      }
      progress.last = out;
      if (out.kind === 'sent' || out.kind === 'dead') {
        progress.done += out.records;
        progress.batches++;
        continue;
      }
      if (out.kind === 'split') continue;
      if ((out.kind === 'wait' || out.kind === 'offline') && this.#started) this.#wake(receiverId, out.until);
      return out;
    }
  }

  #wake(receiverId: string, until: Date): void {
    const previous = this.#wakes.get(receiverId);
    if (previous) clearTimeout(previous);
    const delay = Math.min(Math.max(0, until.getTime() - this.#ctx.now().getTime()), 2 ** 31 - 1);
    const t = setTimeout(() => {
      this.#wakes.delete(receiverId);
      void this.run(receiverId);
    }, delay);
    t.unref();
    this.#wakes.set(receiverId, t);
  }

  async #liftWaits(receiverId: string): Promise<void> {
    await rawTransaction(this.#ctx, (raw) => {
      raw.prepare(`UPDATE sync_batches SET next_attempt_at = NULL WHERE receiver_id = ? AND state = 'in_flight'`).run(receiverId);
      raw.prepare(`UPDATE sync_items SET next_attempt_at = NULL WHERE receiver_id = ? AND state = 'in_flight'`).run(receiverId);
      raw.prepare('UPDATE sync_receivers SET offline_since = NULL WHERE id = ?').run(receiverId);
    });
  }

  // ── One step ────────────────────────────────────────────────────────────────────────────────────────

  /** One unit of work: send (or recover) one batch and apply its outcome. Exposed for tests. */
  async step(receiverId: string, options: StepOptions = {}): Promise<StepOutcome> {
    const ctx = this.#ctx;
    const r = await getReceiver(ctx, receiverId);
    if (r.kind !== 'http' || !r.url || r.archivedAt !== null) return { kind: 'idle' };
    if (r.paused) return { kind: 'blocked', reason: r.pausedReason ?? 'Destinataire en pause.' };
    const token = await this.#token(r);
    if (token === null) return { kind: 'blocked', reason: (await getReceiver(ctx, receiverId)).pausedReason ?? '' };

    type Picked = { kind: 'batch'; batch: BatchRow; fresh: boolean } | { kind: 'blocked'; reason: string } | null;
    const picked = await rawTransaction(ctx, (raw): Picked => {
      const open = openBatch(raw, receiverId);
      if (open) return { kind: 'batch', batch: open, fresh: false };
      const sender = senderOf(raw, () => ctx.newId(), this.#options.software, () => ctx.now());
      if (typeof sender === 'string') {
        const due = raw.prepare(`SELECT 1 FROM sync_items WHERE receiver_id = ? AND state = 'pending' LIMIT 1`).get(receiverId);
        return due ? { kind: 'blocked', reason: sender } : null;
      }
      const built = buildBatch(raw, { receiverId, batchId: ctx.newId(), now: ctx.now(), sender, limits: this.#options.limits, sending: true });
      return built ? { kind: 'batch', batch: built, fresh: true } : null;
    });
    if (picked === null) return { kind: 'idle' };
    if (picked.kind === 'blocked') return picked;
    const batch = picked.batch;
    // Could an earlier POST of this batch have reached the receiver? Not if it was just built, not if the
    // last attempt found the receiver unreachable (sent_at cleared), not if this process saved it ahead
    // and never posted it. A batch sent by an earlier process that died is "maybe".
    const neverDelivered = picked.fresh || batch.sentAt === null || (this.#attempted.has(batch.id) && !this.#posted.has(batch.id));

    if (!picked.fresh) {
      const now = ctx.now();
      if (!options.now && batch.nextAttemptAt && new Date(batch.nextAttemptAt) > now) {
        return { kind: 'wait', until: new Date(batch.nextAttemptAt), reason: batch.lastError ?? '', cause: 'scheduled' };
      }
      if (batch.sentAt !== null && !this.#attempted.has(batch.id)) {
        // Maybe sent by a run that died before learning the outcome: ask first; resending is safe anyway.
        this.#attempted.add(batch.id);
        const asked = await getBatch(this.#http, r.url, token, batch.id);
        if (asked.kind === 'ok') return this.#settle(batch, asked.body, true);
        if (asked.kind === 'auth') return this.#handle(r, batch, asked, { neverDelivered: false, token });
      }
    }

    if (batch.sentAt === null) await rawTransaction(ctx, (raw) => markSent(raw, batch, ctx.now()));
    this.#attempted.add(batch.id);
    this.#posted.add(batch.id);
    // The stored body keeps personal data sealed (privacy/payload.ts); the receiver gets it opened, the same bytes each time.
    const wire = await withRaw(ctx.db, (raw) => bodyForWire(cipherOf(raw), batch.body));
    const outcome = await postBatch(this.#http, r.url, token, batch.id, wire);
    return this.#handle(r, batch, outcome, { neverDelivered, token });
  }

  async #token(r: ReceiverRow): Promise<string | null> {
    const reason = "Aucun jeton d'accès utilisable pour ce destinataire : saisissez le jeton qu'il vous a délivré dans la fiche du destinataire ; les envois reprendront.";
    if (!r.tokenSealed) {
      await rawTransaction(this.#ctx, (raw) => pauseReceiver(raw, r.id, { kind: 'auth', reason, now: this.#ctx.now() }));
      return null;
    }
    try {
      return this.#options.secrets.open(r.tokenSealed);
    } catch {
      await rawTransaction(this.#ctx, (raw) => pauseReceiver(raw, r.id, { kind: 'auth', reason, now: this.#ctx.now() }));
      return null;
    }
  }

  async #handle(r: ReceiverRow, batch: BatchRow, out: HttpOutcome, o: { neverDelivered: boolean; token: string }): Promise<StepOutcome> {
    // Quitting mid-request: record nothing. The batch stays in flight and the next start asks the receiver.
    if (this.#stopped && out.kind !== 'ok') return { kind: 'idle' };
    const ctx = this.#ctx;
    const now = ctx.now();
    const { policy, random } = this.#options;
    switch (out.kind) {
      case 'ok':
        return this.#settle(batch, out.body, false);
      case 'auth':
        await rawTransaction(ctx, (raw) => pauseReceiver(raw, r.id, { kind: 'auth', reason: out.message, now }));
        return { kind: 'blocked', reason: out.message };
      case 'too_large': {
        if (batch.attempts > 0) {
          // An earlier send of this very batch got no answer: the receiver may have stored it. Its stored
          // response says so; splitting would only earn records it already holds under other batch ids.
          const asked = await getBatch(this.#http, r.url!, o.token, batch.id);
          if (asked.kind === 'ok') return this.#settle(batch, asked.body, true);
          if (asked.kind === 'auth') return this.#handle(r, batch, asked, o);
          if (asked.kind !== 'not_found') {
            return this.#retry(batch, `${out.message} Impossible de savoir si le destinataire a enregistré le lot : ${'message' in asked ? asked.message : 'réponse inattendue'}`, 'fault');
          }
        }
        if (batch.recordCount <= 1) {
          // One record, within the protocol's limits (buildBatch refuses bigger ones before sending): it
          // cannot shrink, so a 413 here is the receiver's fault, not the record's. Retried, then dead.
          const kib = Math.max(1, Math.round(batch.bodyBytes / 1024));
          return this.#retry(
            batch,
            `Le destinataire refuse comme trop volumineux un lot d'un seul enregistrement (${kib} Kio, limite du protocole : ${this.#options.limits.maxBytes / 1024 / 1024} Mio) : anomalie du destinataire (${out.message})`,
            'fault',
            true,
          );
        }
        const into = await rawTransaction(ctx, (raw) => {
          const sender = senderOf(raw, () => ctx.newId(), this.#options.software, () => ctx.now());
          if (typeof sender === 'string') throw new Error(sender);
          return splitBatch(raw, batch, { now, sender, newId: () => ctx.newId(), error: out.message });
        });
        return { kind: 'split', batchId: batch.id, into: into.map((b) => b.id) };
      }
      case 'busy': {
        // Not counted towards `maxAttempts`: the receiver is alive and said when to come back.
        const until = new Date(now.getTime() + (out.retryAfterMs ?? backoffMs(batch.attempts + 1, policy, random)));
        await rawTransaction(ctx, (raw) => scheduleRetry(raw, batch, { attempts: batch.attempts, nextAt: until, error: out.message, now }));
        return { kind: 'wait', until, reason: out.message, cause: 'busy' };
      }
      case 'offline': {
        // Nothing was delivered: not an attempt. Probe again later, or at once when back online. A batch
        // no earlier attempt could have delivered is "not sent" again: its records wait, they did not leave.
        const until = new Date(now.getTime() + policy.offlineMs);
        await rawTransaction(ctx, (raw) => markOffline(raw, batch, { nextAt: until, error: out.message, now, unsent: o.neverDelivered }));
        return { kind: 'offline', until, reason: out.message };
      }
      case 'unknown':
        return this.#retry(batch, out.message, out.answered ? 'fault' : 'no_answer');
      case 'not_modified':
        return this.#retry(batch, 'Réponse inattendue du destinataire (HTTP 304).', 'fault');
      case 'not_found':
      case 'refused': {
        const status = out.kind === 'refused' ? out.status : 404;
        const reason =
          out.kind === 'refused' && out.status === 409
            ? `Le destinataire signale un conflit sur le lot ${batch.id} (${out.message}) : même identifiant de lot, contenu différent. C'est une anomalie de Sillon : la file est arrêtée ; signalez-la au support. Les enregistrements sont conservés et repartiront dans un nouveau lot à la reprise.`
            : status === 404
              ? `Adresse du destinataire introuvable (HTTP 404) : vérifiez l'URL du destinataire, puis reprenez.`
              : `Le destinataire refuse le lot ${batch.id} comme invalide (${out.message}) ; rien n'a été enregistré. La file est arrêtée : signalez l'anomalie au support. Les enregistrements sont conservés et repartiront dans un nouveau lot à la reprise.`;
        await rawTransaction(ctx, (raw) => failBatch(raw, batch, { error: out.message, reason, now }));
        return { kind: 'blocked', reason };
      }
    }
  }

  /**
   * An unknown outcome (or a receiver fault): one more attempt, the same batch again after a backoff, dead
   * after `maxAttempts`. When a batch dies because the receiver refuses even a single record as too large,
   * the never-sent batches split from the same one die with it: they would only meet the same fault.
   */
  async #retry(batch: BatchRow, message: string, cause: 'fault' | 'no_answer', tooLargeFault = false): Promise<StepOutcome> {
    const ctx = this.#ctx;
    const now = ctx.now();
    const { policy, random } = this.#options;
    const attempts = batch.attempts + 1;
    if (attempts >= policy.maxAttempts) {
      const reason = `Abandon après ${attempts} tentatives : ${message}`;
      const records = await rawTransaction(ctx, (raw) => {
        killBatch(raw, batch, { attempts, error: reason, now });
        if (!tooLargeFault) return batch.recordCount;
        const follow = `Abandonné avec le lot ${batch.id} dont il est issu : ${message}`;
        return batch.recordCount + killUnsentRelatives(raw, batch, { error: follow, now });
      });
      return { kind: 'dead', batchId: batch.id, records, reason };
    }
    const until = new Date(now.getTime() + backoffMs(attempts, policy, random));
    await rawTransaction(ctx, (raw) => scheduleRetry(raw, batch, { attempts, nextAt: until, error: message, now }));
    return { kind: 'wait', until, reason: message, cause };
  }

  /** A 200 (or the stored response of GET /v1/batches/{id}): apply every result in one transaction. */
  async #settle(batch: BatchRow, body: unknown, recovered: boolean): Promise<StepOutcome> {
    const ctx = this.#ctx;
    const now = ctx.now();
    const parsed = batchResponse.safeParse(body);
    const stop = async (why: string): Promise<StepOutcome> => {
      const reason = `Réponse du destinataire non conforme pour le lot ${batch.id} (${why}) : la file est arrêtée ; signalez l'anomalie au support. Les enregistrements repartiront dans un nouveau lot à la reprise.`;
      await rawTransaction(ctx, (raw) => failBatch(raw, batch, { error: why, reason, now }));
      return { kind: 'blocked', reason };
    };
    if (!parsed.success) return stop(`${parsed.error.issues[0]?.path.join('.')} : ${parsed.error.issues[0]?.message}`);
    if (parsed.data.batchId !== batch.id) return stop(`réponse pour le lot ${parsed.data.batchId}`);
    let summary: ApplySummary | null;
    try {
      // One commit for the acks of this batch and the saving of the next one: half the disk syncs.
      const done = await rawTransaction(ctx, (raw) => {
        const applied = applyResults(raw, batch, { results: parsed.data.results, response: JSON.stringify(body), now });
        return { applied, next: this.#stopped ? null : this.#buildNext(raw, batch.receiverId) };
      });
      summary = done.applied;
      if (done.next) this.#attempted.add(done.next.id);
    } catch (e) {
      if (e instanceof ResultMismatchError) return stop(e.message);
      throw e;
    }
    return {
      kind: 'sent',
      batchId: batch.id,
      records: batch.recordCount,
      summary: summary ?? { accepted: 0, duplicate: 0, superseded: 0, rejected: 0 },
      recovered,
    };
  }

  /** Saves the receiver's next batch, unless one is already waiting (the other half of a split). */
  #buildNext(raw: Raw, receiverId: string): BatchRow | null {
    if (openBatch(raw, receiverId)) return null;
    const sender = senderOf(raw, () => this.#ctx.newId(), this.#options.software, () => this.#ctx.now());
    if (typeof sender === 'string') return null;
    return buildBatch(raw, { receiverId, batchId: this.#ctx.newId(), now: this.#ctx.now(), sender, limits: this.#options.limits, sending: true });
  }

  // ── Reference data ──────────────────────────────────────────────────────────────────────────────────

  /** GET /v1/reference/{catalogue}?since=… with If-None-Match; stored with its cursor in one transaction. */
  async pullReference(receiverId: string, catalogue: string): Promise<ReferenceOutcome> {
    const r = await getReceiver(this.#ctx, receiverId);
    if (r.kind !== 'http' || !r.url || !r.tokenSealed) return { status: 'error', message: 'Destinataire sans API.' };
    let token: string;
    try {
      token = this.#options.secrets.open(r.tokenSealed);
    } catch {
      return { status: 'error', message: 'Jeton illisible.' };
    }
    const state = await catalogueState(this.#ctx, receiverId, catalogue);
    const cursor = state?.cursor ?? null;
    const out = await getReference(this.#http, r.url, token, catalogue, cursor, state?.etag ?? null);
    if (out.kind === 'not_modified') {
      await noteCatalogue(this.#ctx, receiverId, catalogue, null);
      return { status: 'unchanged' };
    }
    if (out.kind === 'ok') {
      const stored = await storeCatalogue(this.#ctx, { receiverId, catalogue, body: out.body, etag: out.etag, incremental: cursor !== null });
      // A changed programmes (or funders) catalogue feeds the funders' programmes and rule versions (issue #10).
      if (stored.status === 'updated' && (catalogue === 'programmes' || catalogue === 'funders')) {
        try {
          await importReferenceProgrammes(this.#ctx, receiverId);
        } catch (e) {
          this.#options.onError(receiverId, e);
        }
      }
      return stored;
    }
    const message = `Référentiel « ${catalogue} » non mis à jour : ${out.message}`;
    await noteCatalogue(this.#ctx, receiverId, catalogue, message);
    return { status: 'error', message };
  }

  async refreshAllReferences(): Promise<void> {
    if (this.#stopped) return;
    try {
      for (const r of await listReceivers(this.#ctx)) {
        if (r.kind !== 'http' || r.paused) continue;
        for (const c of this.#options.catalogues) await this.pullReference(r.id, c);
      }
    } catch (e) {
      this.#options.onError('reference', e);
    }
  }
}

/** Who sends: the training body's SIRET and NDA, this software, this installation. */
function senderOf(raw: Raw, newId: () => string, software: string, now: () => Date): Sender | string {
  const org = raw.prepare('SELECT siret, nda FROM organisation ORDER BY created_at LIMIT 1').get() as { siret: string; nda: string | null } | undefined;
  if (!org) return "Renseignez d'abord l'organisme (SIRET) : les destinataires identifient l'expéditeur par son SIRET.";
  // The installation's one device id, the same as on the evidence rows (evidence/devices.ts).
  const deviceId = thisDevice(raw, now().toISOString(), newId);
  return { siret: org.siret, nda: org.nda, software, deviceId };
}
