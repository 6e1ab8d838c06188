import { z } from 'zod';
import { id, instant, requiredText } from './common';

/** Record types of the exchange protocol (shared/design/exchange-protocol.md). */
export const SYNC_RECORD_TYPES = ['enrolment', 'attendance', 'afest-sequence', 'claim'] as const;
export const syncRecordType = z.enum(SYNC_RECORD_TYPES, { error: "Type d'enregistrement : enrolment, attendance, afest-sequence ou claim." });

/** A record's state in one receiver's queue. */
export const SYNC_ITEM_STATES = ['pending', 'in_flight', 'acked', 'rejected', 'dead'] as const;
export const syncItemState = z.enum(SYNC_ITEM_STATES);

/** A funder system records are sent to: over the protocol's HTTP API, or as files uploaded by hand. */
export const syncReceiver = z.object({
  id,
  name: z.string(),
  kind: z.enum(['http', 'file']),
  url: z.string().nullable(),
  /** The token itself never leaves the backend. */
  hasToken: z.boolean(),
  recordTypes: z.array(syncRecordType),
  paused: z.boolean(),
  pausedKind: z.enum(['user', 'auth', 'protocol']).nullable(),
  pausedReason: z.string().nullable(),
  lastSuccessAt: instant.nullable(),
});
export type SyncReceiver = z.infer<typeof syncReceiver>;

// zod parses with the runtime's URL, so shared/ itself needs no global beyond ECMAScript (tsconfig.shared.json).
// httpProtocol also demands "://", refusing "http:example.com" that a bare URL parse would accept.
const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: z.regexes.httpProtocol, error: 'Adresse invalide : URL complète attendue (ex. https://extranet.region.fr/api).' }));

/** Adding or editing a receiver. `token` is write-only: leave it out to keep the stored one. */
export const syncReceiverInput = z
  .object({
    id: id.optional(),
    name: requiredText(100),
    kind: z.enum(['http', 'file']).default('http'),
    url: httpUrl.nullish().transform((v) => v ?? null),
    token: z.string().trim().min(1, { error: 'Jeton vide.' }).max(4096).optional(),
    recordTypes: z.array(syncRecordType).min(1, { error: "Choisissez au moins un type d'enregistrement." }).default([...SYNC_RECORD_TYPES]),
  })
  .refine((r) => r.kind !== 'http' || r.url !== null, { path: ['url'], error: "L'adresse du destinataire est obligatoire." });
export type SyncReceiverInput = z.input<typeof syncReceiverInput>;

const count = z.number().int().min(0);
export const syncCounts = z.object({ pending: count, inFlight: count, acked: count, rejected: count, dead: count });

/** What the sync page shows for one receiver. */
export const syncReceiverStatus = z.object({
  receiver: syncReceiver,
  /** Every version of every record, by state. */
  counts: syncCounts,
  /** Records whose latest version is rejected or dead: what someone has to look at. */
  toFix: z.object({ rejected: count, dead: count }),
  running: z.boolean(),
  /** Records settled by the current (or last) run, and what is left to send. */
  progress: z.object({ done: count, remaining: count }),
  nextAttemptAt: instant.nullable(),
  lastError: z.string().nullable(),
  offlineSince: instant.nullable(),
});
export type SyncReceiverStatus = z.infer<typeof syncReceiverStatus>;

const applySummary = z.object({ accepted: count, duplicate: count, superseded: count, rejected: count });

/** What one step of a receiver's queue did (electron/backend/sync/engine.ts StepOutcome, with instants as ISO text). */
export const syncStepOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('sent'), batchId: id, records: count, summary: applySummary, recovered: z.boolean() }),
  z.object({ kind: z.literal('split'), batchId: id, into: z.array(id) }),
  z.object({ kind: z.literal('dead'), batchId: id, records: count, reason: z.string() }),
  z.object({ kind: z.literal('wait'), until: instant, reason: z.string(), cause: z.enum(['busy', 'fault', 'no_answer', 'scheduled']) }),
  z.object({ kind: z.literal('offline'), until: instant, reason: z.string() }),
  z.object({ kind: z.literal('blocked'), reason: z.string() }),
  z.object({ kind: z.literal('error'), message: z.string() }),
]);
export type SyncStepOutcome = z.infer<typeof syncStepOutcome>;

export const syncRecordError = z.object({ path: z.string(), code: z.string(), message: z.string() });

export const syncRecordsInput = z.object({
  receiverId: id,
  state: syncItemState,
  /** For rejected / dead: only records whose latest version is in that state (the ones to fix). */
  onlyLatest: z.boolean().default(true),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});

/** One record of a receiver's queue, with the receiver's reasons and where to fix it. */
export const syncRecordRow = z.object({
  seq: z.number().int(),
  recordType: syncRecordType,
  recordId: z.string(),
  version: z.number().int(),
  state: syncItemState,
  result: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  receiverRef: z.string().nullable(),
  errors: z.array(syncRecordError),
  batchId: z.string().nullable(),
  updatedAt: z.string(),
  /** A French description of the record ("Inscription — BENALI Nadia, CAP Cuisine"). */
  label: z.string(),
  /** The page where the record is fixed. */
  link: z.object({ page: z.enum(['session', 'trainee']), id: z.string() }).nullable(),
});
export type SyncRecordRow = z.infer<typeof syncRecordRow>;

export const syncBatchRow = z.object({
  id: z.string(),
  state: z.enum(['in_flight', 'acked', 'split', 'failed', 'dead']),
  recordCount: z.number().int(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  fileName: z.string().nullable(),
  fileStatus: z.enum(['exported', 'uploaded']).nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  ackedAt: z.string().nullable(),
});

/** A file made for download (CSV, XLSX): content in base64 so any transport carries it. */
export const syncFile = z.object({ fileName: z.string(), mime: z.string(), contentBase64: z.string(), records: z.number().int() });

export const syncMarkFileInput = z.object({
  batchId: id,
  outcome: z.enum(['uploaded', 'accepted', 'rejected']),
  /** Why the funder refused the file (or the records listed in `recordIds`). */
  reason: z.string().trim().max(500).optional(),
  /** With `accepted`: the records the funder refused, the others being accepted. */
  rejectedRecordIds: z.array(z.string()).default([]),
}).refine((m) => m.outcome !== 'rejected' || (m.reason ?? '').length > 0, { path: ['reason'], error: 'Indiquez le motif du refus.' });
