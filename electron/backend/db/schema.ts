import type { Generated } from 'kysely';
import type { ClaimStatus, CostType } from '../../../shared/schemas/funding';
import type { EXIT_REASONS, OUTCOMES } from '../../../shared/schemas/training';

/**
 * Kysely's view of the schema, derived from a run-time description of every table so that a test
 * (test/integration/schema-types.test.ts) can compare it with `PRAGMA table_info` of a migrated database:
 * a column added, dropped, renamed or made nullable by a migration fails that test until it is written here.
 *
 * **To add a table or a column**: one entry in `TABLES` below (snake_case, as in the migration), and, if a
 * column holds a closed set of values, its narrowing in `Narrowed`. The Kysely types (camelCase, as the
 * CamelCasePlugin maps them) follow.
 */

/**
 * A column: its SQLite type, `?` when it may be NULL. `rowid` is an `INTEGER PRIMARY KEY` that SQLite
 * numbers itself (Kysely's `Generated`: optional on insert). `integer=` is NOT NULL with a default the
 * code relies on (the row `version`, 1 on insert): `Generated` too.
 */
export type ColumnSpec = 'text' | 'text?' | 'integer' | 'integer?' | 'integer=' | 'blob' | 'blob?' | 'real' | 'real?' | 'rowid';

const audit = { created_at: 'text', created_by: 'text', updated_at: 'text', updated_by: 'text' } as const;
const created = { created_at: 'text', created_by: 'text' } as const;
/** Schema 4: rows that can leave the machine carry a version (each change bumps it) and a tombstone. */
const versioned = { version: 'integer=', deleted_at: 'text?' } as const;

export const TABLES = {
  // 0001_initial
  organisation: {
    id: 'text', name: 'text', siret: 'text', nda: 'text?', qualiopi_valid_until: 'text?', legal_representative: 'text?',
    address: 'text?', postcode: 'text?', city: 'text?', email: 'text?', phone: 'text?', time_zone: 'text', ...audit,
  },
  places: {
    id: 'text', name: 'text', address: 'text?', postcode: 'text', city: 'text', qpv: 'integer', zrr: 'integer', holiday_zone: 'text', ...versioned, ...audit,
  },
  trainers: { id: 'text', last_name: 'text', first_name: 'text', kind: 'text', email: 'text?', phone: 'text?', siret: 'text?', ...versioned, ...audit },
  companies: {
    id: 'text', name: 'text', siret: 'text', address: 'text?', postcode: 'text?', city: 'text?', headcount: 'integer?', ...versioned, ...audit,
  },
  trainees: {
    id: 'text', last_name: 'text', first_name: 'text', birth_date: 'text', nir: 'text?', france_travail_id: 'text?', email: 'text?',
    phone: 'text?', postcode: 'text?', city: 'text?', qpv_resident: 'integer', fictitious: 'integer', ...versioned, ...audit,
    // 0006_search_keys: folded last name, first name, France Travail id (shared/domain/search.ts), set on every save.
    search_key: 'text',
    // 0017_sealed_fields: `nir` holds the NIR sealed, `nir_index` its blind index, `sensitive` the sealed sensitive fields.
    nir_index: 'text?', sensitive: 'text?',
  },
  funders: {
    code: 'text', name: 'text', kind: 'text',
    // 0014_funding
    payer_category: 'text?', siret: 'text?', address: 'text?', postcode: 'text?', city: 'text?', active: 'integer',
  },
  actions: {
    id: 'text', title: 'text', code: 'text?', certification_code: 'text?', level: 'integer?', nsf_code: 'text?', planned_minutes: 'integer',
    modality: 'text', nature: 'text', ...versioned, ...audit,
  },
  sessions: {
    id: 'text', action_id: 'text', label: 'text', mode: 'text', capacity: 'integer', start_date: 'text', end_date: 'text', place_id: 'text?', ...versioned, ...audit,
  },
  slots: {
    id: 'text', session_id: 'text', date: 'text', half_day: 'text', start_time: 'text', end_time: 'text', minutes: 'integer', modality: 'text',
    place_id: 'text?', cancelled: 'integer', ...versioned, ...audit,
    // 0012_slot_corrections: a cancellation made in the app (why, when, who); NULL otherwise.
    cancel_reason: 'text?', cancelled_at: 'text?', cancelled_by: 'text?',
  },
  slot_trainers: { id: 'text', slot_id: 'text', trainer_id: 'text', ...versioned, ...audit },
  enrolments: {
    id: 'text', session_id: 'text', trainee_id: 'text', company_id: 'text?', planned_start: 'text', planned_end: 'text', planned_minutes: 'integer?',
    ...versioned, ...audit,
  },
  enrolment_statuses: {
    id: 'text', enrolment_id: 'text', status: 'text', effective_date: 'text', reason: 'text?', outcome: 'text?', note: 'text?', ...created,
  },
  outbox: { seq: 'rowid', record_type: 'text', record_id: 'text', version: 'integer', payload: 'text', created_at: 'text' },

  // 0002_attendance
  attendance_kinds: { code: 'text', label: 'text', category: 'text', active: 'integer', sort: 'integer' },
  documents: { id: 'text', name: 'text', mime: 'text', bytes: 'blob', sha256: 'text', ...created },
  signatures: {
    id: 'text', signer_kind: 'text', signer_id: 'text', strokes: 'text', png: 'blob?', sha256: 'text', device_id: 'text', signed_at: 'text', ...created,
    device_signed_at: 'text?', // 0010
  },
  attendance_marks: {
    id: 'text', record_id: 'text', slot_id: 'text', enrolment_id: 'text', kind: 'text', late_minutes: 'integer', early_minutes: 'integer',
    remote_minutes: 'integer?', minutes: 'integer', reason: 'text?', document_id: 'text?', method: 'text', signature_id: 'text?',
    proxy_name: 'text?', checked_by: 'text?', device_id: 'text', signed_at: 'text?', supersedes_id: 'text?', correction_reason: 'text?',
    submission_id: 'text?', ...created,
    device_signed_at: 'text?', // 0010
  },
  slot_closures: {
    id: 'text', slot_id: 'text', trainer_id: 'text', signature_id: 'text?', method: 'text', closed_at: 'text', ...created,
    device_id: 'text?', device_closed_at: 'text?', // 0010
  },
  rollcall_submissions: { id: 'text', slot_id: 'text', result: 'text', ...created },
  connection_logs: {
    id: 'text', file_name: 'text', sha256: 'text', source: 'text', row_count: 'integer', ...created,
    device_id: 'text?', // 0010
  },
  connection_log_rows: {
    id: 'text', log_id: 'text', line: 'integer', login: 'text', enrolment_id: 'text?', slot_id: 'text?', started_at: 'text', ended_at: 'text',
    minutes: 'integer',
  },
  printed_documents: { id: 'text', kind: 'text', params: 'text', content_sha256: 'text', short_hash: 'text', ...created },
  ledger: {
    seq: 'rowid', record_type: 'text', record_id: 'text', content_hash: 'text', prev_hash: 'text', hash: 'text', created_at: 'text',
    mac: 'text?', // 0009
  },
  // 0009
  ledger_keying: { id: 'rowid', keyed_at: 'text', sealed_entries: 'integer', unsealed_from: 'integer?', coverage: 'integer' },

  // 0003_sync
  sync_receivers: {
    id: 'text', name: 'text', kind: 'text', url: 'text?', token_sealed: 'text?', record_types: 'text', paused: 'integer', paused_kind: 'text?',
    paused_reason: 'text?', paused_at: 'text?', last_success_at: 'text?', last_attempt_at: 'text?', last_error: 'text?', offline_since: 'text?',
    archived_at: 'text?', // 0008
    ...audit,
  },
  sync_batches: {
    id: 'text', receiver_id: 'text', body: 'text', record_count: 'integer', body_bytes: 'integer', state: 'text', attempts: 'integer',
    next_attempt_at: 'text?', last_error: 'text?', response: 'text?', parent_id: 'text?', file_name: 'text?', file_status: 'text?',
    created_at: 'text', sent_at: 'text?', acked_at: 'text?',
  },
  sync_items: {
    receiver_id: 'text', seq: 'integer', record_type: 'text', record_id: 'text', version: 'integer', state: 'text', batch_id: 'text?',
    attempts: 'integer', next_attempt_at: 'text?', last_error: 'text?', result: 'text?', covered_by: 'integer?', receiver_ref: 'text?',
    errors: 'text?', updated_at: 'text', acked_at: 'text?',
  },
  reference_catalogues: {
    receiver_id: 'text', catalogue: 'text', items: 'text', cursor: 'text?', etag: 'text?', fetched_at: 'text?', last_error: 'text?',
  },
  sync_settings: { key: 'text', value: 'text' },

  // 0004_devices
  // extended by 0016_accounts
  users: {
    id: 'text', name: 'text', login: 'text?', active: 'integer', created_at: 'text', updated_at: 'text', role: 'text?', email: 'text?',
    password_hash: 'text?', pin_hash: 'text?', trainer_id: 'text?', tutor_id: 'text?', failed_attempts: 'integer', locked_until: 'text?',
    password_changed_at: 'text?', last_sign_in_at: 'text?', created_by: 'text?', updated_by: 'text?', version: 'integer=',
  },
  devices: { id: 'text', label: 'text?', kind: 'text', first_seen_at: 'text', last_seen_at: 'text' },
  attendance_records: { id: 'text', slot_id: 'text', enrolment_id: 'text', ...created },
  // rebuilt by 0014_funding: an enrolment's or a whole session's line, with programme, cost type, order, rate.
  fundings: {
    id: 'text', enrolment_id: 'text?', session_id: 'text?', funder_code: 'text', programme_id: 'text?', programme: 'text?', file_number: 'text?',
    purchase_order: 'text?', cost_type: 'text', share_kind: 'text', share_value: 'integer?', rate_cents: 'integer?', position: 'integer',
    ...versioned, ...audit,
  },
  // 0005_rollcall_drafts
  rollcall_drafts: { slot_id: 'text', enrolment_id: 'text', draft: 'text', device_id: 'text', updated_at: 'text', updated_by: 'text' },

  // 0007_planned_minutes (enrolments.planned_minutes nullable above)
  funder_documents: { funder_code: 'text', mentions: 'text?', logo: 'blob?', logo_mime: 'text?', updated_at: 'text', updated_by: 'text' },

  // 0011_pin_qr
  person_pins: { person_kind: 'text', person_id: 'text', pin_hash: 'text', failures: 'integer', locked_until: 'text?', set_at: 'text', set_by: 'text' },
  qr_codes: { id: 'text', slot_id: 'text', code_hash: 'text', issued_at: 'text', expires_at: 'text', created_by: 'text' },
  qr_scans: { id: 'text', slot_id: 'text', enrolment_id: 'text', code_id: 'text', scanned_at: 'text', ...created },
  mark_qr_scans: { id: 'text', mark_id: 'text', scan_id: 'text', ...created },
  // 0012_slot_corrections: evidence of a change to a countersigned slot (before/after as JSON).
  slot_corrections: { id: 'text', slot_id: 'text', previous: 'text', corrected: 'text', reason: 'text', ...created },
  // 0013_signing_certificates
  signing_certificates: {
    id: 'text', source: 'text', certificate_pem: 'text', chain_pem: 'text', key_sealed: 'text', subject: 'text', issuer: 'text', not_before: 'text',
    not_after: 'text', fingerprint_sha256: 'text', ...created,
  },
  // 0014_funding
  programmes: {
    id: 'text', code: 'text', funder_code: 'text', name: 'text', region: 'text?', source: 'text', ...versioned, ...audit,
    eu_cofunded: 'integer', // 0018_rgpd: co-funded by the EU (FSE+), 10 years of retention
  },
  programme_rules: { id: 'text', programme_id: 'text', valid_from: 'text', valid_to: 'text?', rule: 'text', note: 'text?', replaces_id: 'text?', ...created },
  apprenticeship_contracts: {
    id: 'text', enrolment_id: 'text', employer_id: 'text', contract_number: 'text?', diploma: 'text', rncp_code: 'text', start_date: 'text',
    end_date: 'text', funder_code: 'text', programme_id: 'text?', npec_cents: 'integer', majoration_programme_id: 'text?', place_id: 'text?', rupture_date: 'text?',
    rupture_reason: 'text?', ...versioned, ...audit,
  },
  claims: {
    id: 'text', funder_code: 'text', programme_id: 'text?', purchase_order: 'text?', contract_id: 'text?', period_from: 'text', period_to: 'text',
    kind: 'text', regularises_id: 'text?', status: 'text', total_cents: 'integer', accepted_cents: 'integer?', paid_cents: 'integer?',
    inputs_sha256: 'text', preflight: 'text', built_at: 'text', validated_at: 'text?', validated_by: 'text?', frozen_sha256: 'text?',
    invoice_number: 'text?', ...versioned, ...audit,
  },
  claim_lines: {
    id: 'text', claim_id: 'text', position: 'integer', enrolment_id: 'text?', session_id: 'text?', contract_id: 'text?', funding_id: 'text?',
    programme_id: 'text?', rule_id: 'text?', unit: 'text', cost_type: 'text', label: 'text', quantity_e4: 'integer',
    unit_price_cents: 'integer', amount_cents: 'integer', minutes: 'integer?', realised_minutes: 'integer?', detail: 'text',
  },
  claim_events: { id: 'text', claim_id: 'text', status: 'text', at: 'text', amount_cents: 'integer?', note: 'text?', ...created },
  claim_documents: {
    id: 'text', claim_id: 'text', kind: 'text', enrolment_id: 'text?', print_id: 'text?', name: 'text', mime: 'text', bytes: 'blob', sha256: 'text',
    ...created,
  },
  invoice_sequence: { id: 'rowid', prefix: 'text', last_number: 'integer', vat_mention: 'text' },
  // 0015_afest
  tutors: {
    id: 'text', company_id: 'text', last_name: 'text', first_name: 'text', job_title: 'text?', email: 'text?', phone: 'text?', tutor_training: 'text?',
    ...versioned, ...audit,
  },
  afest_rules: { programme_id: 'text', min_share_percent: 'integer?', facilitator_distinct: 'integer', note: 'text?', updated_at: 'text', updated_by: 'text' },
  afests: {
    id: 'text', enrolment_id: 'text', programme_id: 'text?', title: 'text', company_id: 'text?', tutor_id: 'text?', tutor_designated_on: 'text?',
    tutor_accepted_on: 'text?', facilitator_id: 'text?', convention_ref: 'text?', analysis_date: 'text?', work_situations: 'text?', tasks: 'text?',
    critical_points: 'text?', adaptations: 'text?', safety_points: 'text?', assessment_plan: 'text?', planned_minutes: 'integer?', pathway_minutes: 'integer?',
    start_date: 'text?', end_date: 'text?', ...versioned, ...audit,
  },
  afest_competences: { id: 'text', afest_id: 'text', position: 'integer', label: 'text', block_code: 'text?', ...versioned, ...audit },
  afest_sequences: {
    id: 'text', record_id: 'text', afest_id: 'text', enrolment_id: 'text', kind: 'text', date: 'text', start_time: 'text', end_time: 'text', minutes: 'integer',
    led_by: 'text', leader_id: 'text', workstation: 'text?', tasks: 'text?', intended_learning: 'text?', observations: 'text?', out_of_production: 'integer',
    reviewed_ids: 'text', competence_ids: 'text', gap_expected: 'text?', gap_done: 'text?', gap_acquired: 'text?', verbalised: 'text?', next_steps: 'text?',
    learner_signature_id: 'text?', leader_signature_id: 'text?', device_id: 'text', withdrawn: 'integer', supersedes_id: 'text?', reason: 'text?', ...created,
  },
  afest_evaluations: {
    id: 'text', record_id: 'text', afest_id: 'text', enrolment_id: 'text', kind: 'text', date: 'text', start_time: 'text?', end_time: 'text?', minutes: 'integer',
    evaluator_kind: 'text', evaluator_id: 'text', method: 'text?', comment: 'text?', results: 'text', attachments: 'text', learner_signature_id: 'text?',
    evaluator_signature_id: 'text?', device_id: 'text', withdrawn: 'integer', supersedes_id: 'text?', reason: 'text?', ...created,
  },

  // 0016_accounts
  auth_sessions: {
    id: 'text', token_hash: 'text', user_id: 'text', transport: 'text', created_at: 'text', last_seen_at: 'text', locked_at: 'text?',
    pin_failures: 'integer', ended_at: 'text?', end_reason: 'text?',
  },
  audit_events: {
    id: 'text', at: 'text', user_id: 'text?', login: 'text?', action: 'text', outcome: 'text', subject_type: 'text?', subject_id: 'text?',
    summary: 'text?', method: 'text?',
  },
  // 0018_rgpd: erasure requests (art. 17) and the recorded blanking of evidence once the retention is over.
  rgpd_erasures: {
    id: 'text', trainee_id: 'text', number: 'integer', reason: 'text', requested_at: 'text', requested_by: 'text', purge_from: 'text', plan: 'text',
    purged_at: 'text?', purged_by: 'text?',
  },
  evidence_redactions: {
    id: 'text', erasure_id: 'text', record_type: 'text', record_id: 'text', columns: 'text', before_hash: 'text', after_hash: 'text', ...created,
  },
} as const satisfies Record<string, Record<string, ColumnSpec>>;

export type TableName = keyof typeof TABLES;

/** Values of the closed sets the schema's CHECK constraints allow; shared with the sync capability. */
export const RECORD_TYPES = ['enrolment', 'attendance', 'afest-sequence', 'claim'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export const ITEM_STATES = ['pending', 'in_flight', 'acked', 'rejected', 'dead'] as const;
export type ItemState = (typeof ITEM_STATES)[number];
export type BatchState = 'in_flight' | 'acked' | 'split' | 'failed' | 'dead';
export type PausedKind = 'user' | 'auth' | 'protocol';
export type ItemResult = 'accepted' | 'duplicate' | 'superseded' | 'rejected' | 'covered' | 'too_large' | 'manual';
export type AttendanceCategoryColumn = 'present' | 'late' | 'early-leave' | 'excused' | 'unexcused' | 'remote';
export type MarkMethod = 'signature' | 'pin' | 'qr' | 'paper' | 'proxy' | 'none';

/**
 * Columns whose values are narrower than their SQLite type (CHECK constraints): camelCase, each a subtype of
 * the derived column type (checked below, so a narrowing can never widen or name a missing column).
 */
interface Narrowed {
  trainers: { kind: 'internal' | 'external' };
  sessions: { mode: 'cohort' | 'rolling' };
  slots: { halfDay: 'am' | 'pm' };
  enrolmentStatuses: {
    status: 'planned' | 'entered' | 'suspended' | 'exited';
    reason: (typeof EXIT_REASONS)[number] | null;
    outcome: (typeof OUTCOMES)[number] | null;
  };
  outbox: { recordType: RecordType };
  attendanceKinds: { category: AttendanceCategoryColumn };
  signatures: { signerKind: 'trainee' | 'trainer' | 'tutor' };
  afestSequences: { kind: 'work-situation' | 'reflective'; ledBy: 'tutor' | 'facilitator' };
  afestEvaluations: { kind: 'intermediate' | 'final'; evaluatorKind: 'tutor' | 'facilitator' };
  attendanceMarks: { method: MarkMethod };
  slotClosures: { method: 'signature' | 'pin' | 'paper' };
  devices: { kind: 'client' | 'backend' };
  fundings: { shareKind: 'percent' | 'minutes' | 'remainder'; costType: CostType };
  programmes: { source: 'local' | 'reference' };
  claims: { kind: 'claim' | 'regularisation'; status: ClaimStatus };
  claimLines: { costType: CostType };
  claimEvents: { status: ClaimStatus };
  claimDocuments: { kind: 'certificat' | 'invoice' | 'statement' | 'bundle' };
  syncReceivers: { kind: 'http' | 'file'; pausedKind: PausedKind | null };
  syncBatches: { state: BatchState; fileStatus: 'exported' | 'uploaded' | null };
  syncItems: { recordType: RecordType; state: ItemState; result: ItemResult | null };
  funderDocuments: { logoMime: 'image/png' | 'image/jpeg' | null };
  personPins: { personKind: 'trainee' | 'trainer' };
  signingCertificates: { source: 'self-signed' | 'imported' };
}

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
type Base<S> = S extends 'rowid' | 'integer=' ? Generated<number> : S extends `text${string}` ? string : S extends `integer${string}` ? number : S extends `blob${string}` ? Uint8Array : S extends `real${string}` ? number : never;
type Value<S> = S extends `${string}?` ? Base<S> | null : Base<S>;
/** A table's columns as SQLite gives them (camelCase keys). */
type Derived<T extends TableName> = { -readonly [C in keyof (typeof TABLES)[T] & string as Camel<C>]: Value<(typeof TABLES)[T][C]> };

type NarrowingOf<K extends string> = K extends keyof Narrowed ? Narrowed[K] : object;
type Refine<D, N> = { [C in keyof D]: C extends keyof N ? N[C] : D[C] };

/**
 * A table's row as raw SQL reads and writes it (snake_case keys, every column): what raw statements return
 * and what the evidence ledger hashes.
 */
export type SqlRow<T extends TableName> = { -readonly [C in keyof (typeof TABLES)[T]]: Value<(typeof TABLES)[T][C]> };

/** The Kysely row type of a table (snake_case name, as in SQL). */
export type Row<T extends TableName> = Refine<Derived<T>, NarrowingOf<Camel<T>>>;

// Compile-time guard: every narrowing names a real table and column, and only narrows.
type TableOf<K extends string> = { [T in TableName]: Camel<T> extends K ? T : never }[TableName];
type Unsound<K extends keyof Narrowed, T extends TableName = TableOf<K>> = [T] extends [never]
  ? K
  : [Exclude<keyof Narrowed[K], keyof Derived<T>>] extends [never]
    ? Narrowed[K] extends Pick<Derived<T>, keyof Narrowed[K] & keyof Derived<T>>
      ? never
      : K
    : K;
type BadNarrowing = { [K in keyof Narrowed]: Unsound<K> }[keyof Narrowed];
const narrowingsAreSound: [BadNarrowing] extends [never] ? true : { badNarrowing: BadNarrowing } = true;
void narrowingsAreSound;

// A type alias (not an interface): Kysely wants an index-signature-compatible record of tables.
export type DB = { [T in TableName as Camel<T>]: Row<T> };

export type OrganisationTable = Row<'organisation'>;
export type PlaceTable = Row<'places'>;
export type TrainerTable = Row<'trainers'>;
export type CompanyTable = Row<'companies'>;
export type TraineeTable = Row<'trainees'>;
export type FunderTable = Row<'funders'>;
export type ActionTable = Row<'actions'>;
export type SessionTable = Row<'sessions'>;
export type SlotTable = Row<'slots'>;
export type SlotTrainerTable = Row<'slot_trainers'>;
export type EnrolmentTable = Row<'enrolments'>;
export type EnrolmentStatusTable = Row<'enrolment_statuses'>;
export type OutboxTable = Row<'outbox'>;
export type AttendanceKindTable = Row<'attendance_kinds'>;
export type DocumentTable = Row<'documents'>;
export type SignatureTable = Row<'signatures'>;
export type AttendanceMarkTable = Row<'attendance_marks'>;
export type SlotClosureTable = Row<'slot_closures'>;
export type RollcallSubmissionTable = Row<'rollcall_submissions'>;
export type RollcallDraftTable = Row<'rollcall_drafts'>;
export type ConnectionLogTable = Row<'connection_logs'>;
export type ConnectionLogRowTable = Row<'connection_log_rows'>;
export type PrintedDocumentTable = Row<'printed_documents'>;
export type LedgerTable = Row<'ledger'>;
export type SyncReceiverTable = Row<'sync_receivers'>;
export type SyncBatchTable = Row<'sync_batches'>;
export type SyncItemTable = Row<'sync_items'>;
export type ReferenceCatalogueTable = Row<'reference_catalogues'>;
export type SyncSettingTable = Row<'sync_settings'>;
export type UserTable = Row<'users'>;
export type DeviceTable = Row<'devices'>;
export type AttendanceRecordTable = Row<'attendance_records'>;
export type FundingTable = Row<'fundings'>;
export type FunderDocumentTable = Row<'funder_documents'>;
export type PersonPinTable = Row<'person_pins'>;
export type QrCodeTable = Row<'qr_codes'>;
export type QrScanTable = Row<'qr_scans'>;
export type MarkQrScanTable = Row<'mark_qr_scans'>;
export type SlotCorrectionTable = Row<'slot_corrections'>;
export type SigningCertificateTable = Row<'signing_certificates'>;
export type ProgrammeTable = Row<'programmes'>;
export type ProgrammeRuleTable = Row<'programme_rules'>;
export type ApprenticeshipContractTable = Row<'apprenticeship_contracts'>;
export type ClaimTable = Row<'claims'>;
export type ClaimLineTable = Row<'claim_lines'>;
export type ClaimEventTable = Row<'claim_events'>;
export type ClaimDocumentTable = Row<'claim_documents'>;
