/**
 * The reference receiver of shared/design/exchange-protocol.md: a real node:http server with its own SQLite
 * database, for tests, benchmarks and demos. It implements the whole protocol — bearer token → training
 * body (SIRET), envelope checks, limits, per-type payload checks, idempotent batches (stored responses,
 * replay, 409), per-record versions, GET /v1/batches/{id}, reference catalogues with ETag — and injects
 * faults on command, programmatically (`receiver.faults`) or over `/admin/*` with the admin token.
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalJson, envelope, toErrors, validatePayload, type Envelope, type RecordError, type RecordType } from './validate';

export type Route = 'post' | 'get-batch' | 'reference';

/** One injected fault; it fires on the next `times` requests of its route (default 1). */
export type Fault =
  /** Destroy the connection: before anything is stored, or after the batch is stored (response lost). */
  | { kind: 'drop'; when: 'before' | 'after' }
  /** Answer this status without processing (500, 503 / 429 with Retry-After, 400, 401…). */
  | { kind: 'status'; status: number; retryAfter?: number | string; body?: unknown }
  /** Wait before processing, or after storing and before answering (the client may time out meanwhile). */
  | { kind: 'slow'; ms: number; when: 'before' | 'after' }
  /** Answer 200 with a body that is not what the protocol says (a broken receiver). */
  | { kind: 'garbage'; body?: string };

interface FaultRule {
  route: Route;
  fault: Fault;
  remaining: number;
}

export interface RejectRule {
  recordId: string;
  /** Only this version (default: every version not yet stored). */
  version?: number;
  errors?: RecordError[];
}

export interface RequestLog {
  method: string;
  path: string;
  status: number;
  batchId: string | null;
  bodySha256: string | null;
  /** What happened: processed, replay, conflict, fault:drop-before, … */
  outcome: string;
  records: number;
}

export interface ReceiverOptions {
  /** SQLite file; default in memory. */
  dbFile?: string;
  port?: number;
  maxRecords?: number;
  maxBytes?: number;
  adminToken?: string;
  /** Seed the reference catalogues with demo items (default true). */
  seedCatalogues?: boolean;
}

export interface StoredRecord {
  siret: string;
  recordId: string;
  version: number;
  type: string;
  payload: string;
  receiverRef: string;
}

export interface Receiver {
  url: string;
  port: number;
  adminToken: string;
  db: Database.Database;
  /** Issues a bearer token for a training body. */
  issueToken(siret: string, options?: { token?: string; expiresAt?: string }): string;
  expireToken(token: string): void;
  faults: {
    add(fault: Fault, options?: { route?: Route; times?: number }): void;
    reject(rule: RejectRule): void;
    clear(): void;
    limits: { maxRecords: number; maxBytes: number };
  };
  /** Adds or updates a reference item (key: its id, else its code). */
  publish(catalogue: string, item: Record<string, unknown>): void;
  /** The current version of every record of a training body. */
  current(siret: string): Map<string, StoredRecord>;
  /** How many versions are stored per record (every stored version, not only the current one). */
  storedVersions(siret: string): number;
  /** The sender's evidence-ledger heads (`sender.ledgerHead`) in the order the batches were stored: the funder's external copy. */
  ledgerHeads(siret: string): { batchId: string; count: number; mac: string }[];
  log: RequestLog[];
  close(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, siret TEXT NOT NULL, expires_at TEXT) STRICT;
CREATE TABLE IF NOT EXISTS batches (
  siret TEXT NOT NULL, batch_id TEXT NOT NULL, body_sha256 TEXT NOT NULL, response TEXT NOT NULL,
  received_at TEXT NOT NULL, replays INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (siret, batch_id)) STRICT;
CREATE TABLE IF NOT EXISTS versions (
  siret TEXT NOT NULL, record_id TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
  content_sha256 TEXT NOT NULL, payload TEXT NOT NULL, receiver_ref TEXT NOT NULL UNIQUE, stored_at TEXT NOT NULL,
  PRIMARY KEY (siret, record_id, version)) STRICT;
CREATE TABLE IF NOT EXISTS current (siret TEXT NOT NULL, record_id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (siret, record_id)) STRICT;
CREATE TABLE IF NOT EXISTS catalogue_items (catalogue TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, item TEXT NOT NULL, PRIMARY KEY (catalogue, key)) STRICT;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS ledger_heads (siret TEXT NOT NULL, batch_id TEXT NOT NULL, count INTEGER NOT NULL, mac TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (siret, batch_id)) STRICT;
`;

export const CATALOGUES = ['programmes', 'funders', 'zones', 'holidays'] as const;

const DEMO_ITEMS: Record<(typeof CATALOGUES)[number], Record<string, unknown>[]> = {
  programmes: [
    { code: 'PRF-GE-2026', name: 'Programme régional de formation Grand Est 2026', funderCode: 'REGION', unit: 'hour', rateCents: 1250, capMinutes: 60_000, validFrom: '2026-01-01', validTo: '2026-12-31', rules: { minAttendanceRate: 0.7 } },
    { code: 'PIC-PACTE-2026', name: 'Pacte régional (PIC)', funderCode: 'ETAT', unit: 'hour', rateCents: 1100, validFrom: '2026-01-01', validTo: '2027-06-30' },
  ],
  funders: [
    { code: 'REGION', name: 'Conseil régional', kind: 'region' },
    { code: 'ETAT', name: 'État (PIC, Pacte régional)', kind: 'etat' },
  ],
  zones: [
    { id: 'QPV-6700101', kind: 'qpv', name: 'Neuhof - Meinau', postcode: '67100' },
    { id: 'ZRR-48095', kind: 'zrr', name: 'Mende', postcode: '48000' },
  ],
  holidays: [
    { id: 'metropole-2026-12-25', zone: 'metropole', date: '2026-12-25', name: 'Noël' },
    { id: 'alsace-moselle-2026-12-26', zone: 'alsace-moselle', date: '2026-12-26', name: 'Saint-Étienne' },
  ],
};

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const db = new Database(options.dbFile ?? ':memory:');
  db.pragma('journal_mode = WAL');
  // The receiver is a test double: its durability is not what is under test (the client is killed, not it).
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const adminToken = options.adminToken ?? randomBytes(16).toString('hex');
  const limits = { maxRecords: options.maxRecords ?? 500, maxBytes: options.maxBytes ?? 2 * 1024 * 1024 };
  const rules: FaultRule[] = [];
  const rejects: RejectRule[] = [];
  const log: RequestLog[] = [];

  const q = {
    token: db.prepare('SELECT siret, expires_at AS expiresAt FROM tokens WHERE token = ?'),
    batch: db.prepare('SELECT body_sha256 AS bodySha256, response FROM batches WHERE siret = ? AND batch_id = ?'),
    replay: db.prepare('UPDATE batches SET replays = replays + 1 WHERE siret = ? AND batch_id = ?'),
    insertBatch: db.prepare('INSERT INTO batches (siret, batch_id, body_sha256, response, received_at) VALUES (?, ?, ?, ?, ?)'),
    insertHead: db.prepare('INSERT INTO ledger_heads (siret, batch_id, count, mac, received_at) VALUES (?, ?, ?, ?, ?)'),
    version: db.prepare('SELECT content_sha256 AS contentSha256, receiver_ref AS receiverRef FROM versions WHERE siret = ? AND record_id = ? AND version = ?'),
    current: db.prepare('SELECT version FROM current WHERE siret = ? AND record_id = ?'),
    insertVersion: db.prepare('INSERT INTO versions (siret, record_id, version, type, content_sha256, payload, receiver_ref, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    upsertCurrent: db.prepare('INSERT INTO current (siret, record_id, version) VALUES (?, ?, ?) ON CONFLICT (siret, record_id) DO UPDATE SET version = excluded.version'),
    counter: db.prepare(`INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`),
    items: db.prepare('SELECT item FROM catalogue_items WHERE catalogue = ? AND seq > ? ORDER BY seq'),
    maxSeq: db.prepare('SELECT coalesce(max(seq), 0) AS m FROM catalogue_items WHERE catalogue = ?'),
    publish: db.prepare(`INSERT INTO catalogue_items (catalogue, key, seq, item) VALUES (?, ?, ?, ?)
      ON CONFLICT (catalogue, key) DO UPDATE SET seq = excluded.seq, item = excluded.item`),
  };

  const nextRef = () => `R-${String((q.counter.get('receiver_ref') as { value: number }).value).padStart(6, '0')}`;

  function publish(catalogue: string, item: Record<string, unknown>): void {
    const key = String(item.id ?? item.code);
    const seq = (q.counter.get(`catalogue:${catalogue}`) as { value: number }).value;
    q.publish.run(catalogue, key, seq, JSON.stringify(item));
  }
  if (options.seedCatalogues !== false && (q.maxSeq.get('programmes') as { m: number }).m === 0) {
    db.transaction(() => {
      for (const c of CATALOGUES) for (const item of DEMO_ITEMS[c]) publish(c, item);
    })();
  }

  function takeFault(route: Route): Fault | null {
    const i = rules.findIndex((r) => r.route === route && r.remaining > 0);
    if (i < 0) return null;
    const rule = rules[i]!;
    rule.remaining--;
    if (rule.remaining === 0) rules.splice(i, 1);
    return rule.fault;
  }

  function auth(req: IncomingMessage): { siret: string } | { status: number; code: string; message: string } {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return { status: 401, code: 'unauthorized', message: "Jeton d'accès absent." };
    const row = q.token.get(m[1]) as { siret: string; expiresAt: string | null } | undefined;
    if (!row) return { status: 401, code: 'invalid_token', message: "Jeton d'accès inconnu." };
    if (row.expiresAt !== null && row.expiresAt <= new Date().toISOString()) return { status: 401, code: 'token_expired', message: "Jeton d'accès expiré." };
    return { siret: row.siret };
  }

  /** Reads the body, never more than `limit` bytes kept (the rest is drained so the client sees our answer). */
  function readBody(req: IncomingMessage, limit: number): Promise<{ buffer: Buffer; tooLarge: boolean }> {
    return new Promise((ok, fail) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) tooLarge = true;
        else chunks.push(c);
      });
      req.on('end', () => ok({ buffer: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
      req.on('error', fail);
    });
  }

  function processRecords(siret: string, batch: Envelope): object {
    const at = new Date().toISOString();
    const results = batch.records.map((r) => {
      const hash = sha256(canonicalJson({ type: r.type, payload: r.payload }));
      const same = q.version.get(siret, r.recordId, r.version) as { contentSha256: string; receiverRef: string } | undefined;
      if (same) {
        if (same.contentSha256 === hash) return { recordId: r.recordId, version: r.version, status: 'duplicate', receiverRef: same.receiverRef };
        return {
          recordId: r.recordId,
          version: r.version,
          status: 'rejected',
          errors: [{ path: 'version', code: 'version_conflict', message: `La version ${r.version} de cet enregistrement a déjà été reçue avec un autre contenu : toute modification doit porter un nouveau numéro de version.` }],
        };
      }
      const current = q.current.get(siret, r.recordId) as { version: number } | undefined;
      if (current && current.version > r.version) return { recordId: r.recordId, version: r.version, status: 'superseded' };
      let errors = validatePayload(r.type as RecordType, r.payload);
      const rule = rejects.find((x) => x.recordId === r.recordId && (x.version === undefined || x.version === r.version));
      if (errors.length === 0 && rule) {
        errors = rule.errors ?? [{ path: 'payload', code: 'business_rule', message: 'Refusé par le financeur : dossier non reconnu pour cette action.' }];
      }
      if (errors.length > 0) return { recordId: r.recordId, version: r.version, status: 'rejected', errors };
      const receiverRef = nextRef();
      q.insertVersion.run(siret, r.recordId, r.version, r.type, hash, JSON.stringify(r.payload), receiverRef, at);
      q.upsertCurrent.run(siret, r.recordId, r.version);
      return { recordId: r.recordId, version: r.version, status: 'accepted', receiverRef };
    });
    return { batchId: batch.batchId, receivedAt: at, results };
  }

  async function postBatches(req: IncomingMessage, res: ServerResponse, entry: RequestLog): Promise<void> {
    const fault = takeFault('post');
    const { buffer, tooLarge } = await readBody(req, limits.maxBytes);
    entry.bodySha256 = tooLarge ? null : sha256(buffer);
    if (fault?.kind === 'drop' && fault.when === 'before') {
      entry.outcome = 'fault:drop-before';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow' && fault.when === 'before') await sleep(fault.ms);
    if (fault?.kind === 'status') {
      entry.outcome = `fault:status-${fault.status}`;
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      return reply(res, entry, fault.status, fault.body ?? { code: 'injected', message: `Erreur injectée (HTTP ${fault.status}).` }, headers);
    }
    const who = auth(req);
    if ('status' in who) return reply(res, entry, who.status, { code: who.code, message: who.message });
    if (tooLarge) return reply(res, entry, 413, { code: 'too_large', message: `Lot de plus de ${limits.maxBytes} octets.` });
    let body: unknown;
    try {
      body = JSON.parse(buffer.toString('utf8'));
    } catch {
      return reply(res, entry, 400, { code: 'invalid_json', message: 'Corps de requête : JSON invalide.' });
    }
    const parsed = envelope.safeParse(body);
    if (!parsed.success) {
      const errors = toErrors(parsed.error, '');
      return reply(res, entry, 400, { code: 'invalid_batch', message: `Lot invalide — ${errors[0]?.path} : ${errors[0]?.message}`, errors });
    }
    const batch = parsed.data;
    entry.batchId = batch.batchId;
    entry.records = batch.records.length;
    if (req.headers['idempotency-key'] !== batch.batchId) {
      return reply(res, entry, 400, { code: 'invalid_idempotency_key', message: "L'en-tête Idempotency-Key doit reprendre le batchId." });
    }
    if (batch.sender.siret !== who.siret) {
      return reply(res, entry, 403, { code: 'wrong_training_body', message: `Ce jeton est celui d'un autre organisme (SIRET ${who.siret}).` });
    }
    if (batch.records.length > limits.maxRecords) {
      return reply(res, entry, 413, { code: 'too_many_records', message: `Lot de ${batch.records.length} enregistrements ; ${limits.maxRecords} au plus.` });
    }
    const bodySha = entry.bodySha256!;
    // Check, process and store in one transaction: a batch is stored whole, with its response, or not at all.
    const outcome = db.transaction(() => {
      const stored = q.batch.get(who.siret, batch.batchId) as { bodySha256: string; response: string } | undefined;
      if (stored) {
        if (stored.bodySha256 !== bodySha) return { status: 409, text: null };
        q.replay.run(who.siret, batch.batchId);
        return { status: 200, text: stored.response, replay: true };
      }
      const response = JSON.stringify(processRecords(who.siret, batch));
      q.insertBatch.run(who.siret, batch.batchId, bodySha, response, new Date().toISOString());
      const head = batch.sender.ledgerHead;
      if (head) q.insertHead.run(who.siret, batch.batchId, head.count, head.mac, new Date().toISOString());
      return { status: 200, text: response, replay: false };
    })();
    if (outcome.status === 409) {
      return reply(res, entry, 409, { code: 'idempotency_conflict', message: `Le lot ${batch.batchId} a déjà été reçu avec un autre contenu.` });
    }
    entry.outcome = outcome.replay ? 'replay' : 'processed';
    if (fault?.kind === 'drop' && fault.when === 'after') {
      entry.outcome += '+fault:drop-after';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow' && fault.when === 'after') await sleep(fault.ms);
    if (fault?.kind === 'garbage') {
      entry.outcome += '+fault:garbage';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(fault.body ?? '{"batchId":');
      return;
    }
    entry.status = 200;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(outcome.text!) });
    res.end(outcome.text);
  }

  async function getBatch(req: IncomingMessage, res: ServerResponse, entry: RequestLog, batchId: string): Promise<void> {
    const fault = takeFault('get-batch');
    if (fault?.kind === 'drop') {
      entry.outcome = 'fault:drop';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') return reply(res, entry, fault.status, { code: 'injected', message: 'Erreur injectée.' });
    const who = auth(req);
    if ('status' in who) return reply(res, entry, who.status, { code: who.code, message: who.message });
    entry.batchId = batchId;
    const stored = q.batch.get(who.siret, batchId) as { response: string } | undefined;
    if (!stored) return reply(res, entry, 404, { code: 'not_found', message: 'Lot jamais reçu.' });
    entry.status = 200;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(stored.response);
  }

  async function getReference(req: IncomingMessage, res: ServerResponse, entry: RequestLog, catalogue: string, url: URL): Promise<void> {
    const fault = takeFault('reference');
    const who = auth(req);
    if ('status' in who) return reply(res, entry, who.status, { code: who.code, message: who.message });
    if (!(CATALOGUES as readonly string[]).includes(catalogue)) return reply(res, entry, 404, { code: 'not_found', message: `Référentiel inconnu : ${catalogue}.` });
    const sinceRaw = url.searchParams.get('since');
    const since = sinceRaw === null ? 0 : Number(sinceRaw);
    if (!Number.isInteger(since) || since < 0) return reply(res, entry, 400, { code: 'invalid_cursor', message: 'Curseur invalide.' });
    const max = (q.maxSeq.get(catalogue) as { m: number }).m;
    // The ETag names the state of the catalogue: a client already at that state gets 304, whatever its cursor.
    const etag = `"${catalogue}-${max}"`;
    if (fault?.kind === 'status') return reply(res, entry, fault.status, { code: 'injected', message: 'Erreur injectée.' });
    if (fault?.kind === 'garbage') {
      entry.status = 200;
      entry.outcome = 'fault:garbage';
      res.writeHead(200, { 'content-type': 'application/json', etag: `"garbage-${Date.now()}"` });
      res.end(fault.body ?? JSON.stringify({ items: 'pas une liste' }));
      return;
    }
    if (req.headers['if-none-match'] === etag) {
      entry.status = 304;
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    const items = (q.items.all(catalogue, since) as { item: string }[]).map((r) => JSON.parse(r.item) as unknown);
    return reply(res, entry, 200, { items, cursor: String(max) }, { etag });
  }

  function reply(res: ServerResponse, entry: RequestLog, status: number, body: unknown, headers: Record<string, string> = {}): void {
    entry.status = status;
    if (entry.outcome === 'pending') entry.outcome = status === 200 ? 'ok' : `http-${status}`;
    json(res, status, body, headers);
  }

  async function admin(req: IncomingMessage, res: ServerResponse, entry: RequestLog, path: string): Promise<void> {
    if (req.headers['x-admin-token'] !== adminToken) return reply(res, entry, 403, { code: 'forbidden', message: 'Jeton admin requis (x-admin-token).' });
    const { buffer } = await readBody(req, 1024 * 1024);
    const body = (buffer.length ? JSON.parse(buffer.toString('utf8')) : {}) as Record<string, unknown>;
    if (path === '/admin/faults' && req.method === 'POST') {
      const { route, times, ...fault } = body as { route?: Route; times?: number } & Fault;
      receiver.faults.add(fault as Fault, { route: route ?? 'post', times: times ?? 1 });
      return reply(res, entry, 200, { ok: true });
    }
    if (path === '/admin/faults' && req.method === 'DELETE') {
      receiver.faults.clear();
      return reply(res, entry, 200, { ok: true });
    }
    if (path === '/admin/reject' && req.method === 'POST') {
      receiver.faults.reject(body as unknown as RejectRule);
      return reply(res, entry, 200, { ok: true });
    }
    if (path === '/admin/limits' && req.method === 'POST') {
      Object.assign(limits, body);
      return reply(res, entry, 200, limits);
    }
    if (path === '/admin/tokens' && req.method === 'POST') {
      const token = receiver.issueToken(String(body.siret), typeof body.token === 'string' ? { token: body.token } : {});
      return reply(res, entry, 200, { token });
    }
    if (path === '/admin/stats' && req.method === 'GET') {
      const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return reply(res, entry, 200, { batches: n('SELECT count(*) n FROM batches'), versions: n('SELECT count(*) n FROM versions'), records: n('SELECT count(*) n FROM current') });
    }
    return reply(res, entry, 404, { code: 'not_found', message: 'Commande admin inconnue.' });
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const key = req.headers['idempotency-key'];
    const entry: RequestLog = { method: req.method ?? '', path: url.pathname, status: 0, batchId: typeof key === 'string' ? key : null, bodySha256: null, outcome: 'pending', records: 0 };
    log.push(entry);
    let work: Promise<void>;
    const m = /^\/v1\/batches\/([^/]+)$/.exec(url.pathname);
    const ref = /^\/v1\/reference\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/v1/batches' && req.method === 'POST') work = postBatches(req, res, entry);
    else if (m && req.method === 'GET') work = getBatch(req, res, entry, decodeURIComponent(m[1]!));
    else if (ref && req.method === 'GET') work = getReference(req, res, entry, decodeURIComponent(ref[1]!), url);
    else if (url.pathname.startsWith('/admin/')) work = admin(req, res, entry, url.pathname);
    else work = Promise.resolve(reply(res, entry, 404, { code: 'not_found', message: 'Route inconnue.' }));
    work.catch((e: unknown) => {
      if (!res.headersSent) reply(res, entry, 500, { code: 'internal', message: (e as Error).message });
      else res.destroy();
    });
  });
  // Longer than any test: an idle keep-alive socket closed by the server under a client's feet would
  // add "connection lost" outcomes no test asked for.
  server.keepAliveTimeout = 120_000;

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;

  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}`,
    port,
    adminToken,
    db,
    issueToken(siret, o = {}) {
      const token = o.token ?? `rcv_${randomUUID().replace(/-/g, '')}`;
      db.prepare('INSERT INTO tokens (token, siret, expires_at) VALUES (?, ?, ?) ON CONFLICT (token) DO UPDATE SET siret = excluded.siret, expires_at = excluded.expires_at').run(token, siret, o.expiresAt ?? null);
      return token;
    },
    expireToken(token) {
      db.prepare('UPDATE tokens SET expires_at = ? WHERE token = ?').run(new Date(0).toISOString(), token);
    },
    faults: {
      add(fault, o = {}) {
        rules.push({ route: o.route ?? 'post', fault, remaining: o.times ?? 1 });
      },
      reject(rule) {
        rejects.push(rule);
      },
      clear() {
        rules.length = 0;
        rejects.length = 0;
      },
      limits,
    },
    publish(catalogue, item) {
      publish(catalogue, item);
    },
    current(siret) {
      const rows = db
        .prepare(
          `SELECT v.siret, v.record_id AS recordId, v.version, v.type, v.payload, v.receiver_ref AS receiverRef
           FROM current c JOIN versions v ON v.siret = c.siret AND v.record_id = c.record_id AND v.version = c.version WHERE c.siret = ?`,
        )
        .all(siret) as StoredRecord[];
      return new Map(rows.map((r) => [r.recordId, r]));
    },
    storedVersions(siret) {
      return (db.prepare('SELECT count(*) AS n FROM versions WHERE siret = ?').get(siret) as { n: number }).n;
    },
    ledgerHeads(siret) {
      return db.prepare('SELECT batch_id AS batchId, count, mac FROM ledger_heads WHERE siret = ? ORDER BY rowid').all(siret) as { batchId: string; count: number; mac: string }[];
    },
    log,
    async close() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      db.close();
    },
  };
  return receiver;
}
