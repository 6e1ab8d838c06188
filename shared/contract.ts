import { z } from 'zod';
import type { Permission } from './permissions';
import {
  attendanceKind,
  attendanceKindInput,
  closeSlotInput,
  correctMarkInput,
  mark,
  recordResult,
  recordRollCallInput,
  rollCall,
  todaySlots,
  uploadDocumentInput,
} from './schemas/attendance';
import { checksInput, finding } from './schemas/checks';
import { importLogInput } from './schemas/connection-logs';
import { hoursQueryInput, hoursRow } from './schemas/hours';
import { id, isoDate, pageQuery } from './schemas/common';
import { organisation, organisationInput, place, placeInput } from './schemas/organisation';
import { syncBatchRow, syncFile, syncMarkFileInput, syncReceiver, syncReceiverInput, syncReceiverStatus, syncRecordRow, syncRecordsInput } from './schemas/sync';
import { company, companyInput, trainee, traineeInput, trainer, trainerInput } from './schemas/people';
import {
  action,
  actionInput,
  assignSlotsInput,
  enrolment,
  enrolmentInput,
  enrolmentStatusEntry,
  enrolmentStatusInput,
  funder,
  generateSlotsInput,
  session,
  sessionInput,
  slot,
} from './schemas/training';

/** One API method: its input and output schemas and the permission it needs. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  permission: Permission;
  /** Writes go through one transaction; reads never write. */
  write: boolean;
}

function query<I extends z.ZodType, O extends z.ZodType>(permission: Permission, input: I, output: O): MethodDef<I, O> {
  return Object.freeze({ input, output, permission, write: false });
}
function mutation<I extends z.ZodType, O extends z.ZodType>(permission: Permission, input: I, output: O): MethodDef<I, O> {
  return Object.freeze({ input, output, permission, write: true });
}

const none = z.object({}).strict().default({});
const byId = z.object({ id });

export const sessionSummary = session.extend({
  actionTitle: z.string(),
  enrolled: z.number().int(),
  slotCount: z.number().int(),
  plannedMinutes: z.number().int(),
});

export const enrolmentRow = enrolment.extend({
  traineeName: z.string(),
  companyName: z.string().nullable(),
  history: z.array(enrolmentStatusEntry),
});

export const sessionPage = z.object({
  session,
  action,
  place: place.nullable(),
  slots: z.array(slot),
  enrolments: z.array(enrolmentRow),
  trainers: z.array(trainer),
  places: z.array(place),
});
export type SessionPage = z.infer<typeof sessionPage>;

export const demoCounts = z.object({
  actions: z.number().int(),
  sessions: z.number().int(),
  slots: z.number().int(),
  trainees: z.number().int(),
  enrolments: z.number().int(),
});

/** Printed documents (émargement sheets, monthly statement): the PDF and the short hash on its QR code. */
const printedDocument = z.object({ fileName: z.string(), base64: z.string(), shortHash: z.string().regex(/^[0-9a-f]{12}$/) });
const weekSheetInput = z.object({ sessionId: id, weekStart: isoDate });
const monthlyStatementInput = z.object({
  enrolmentId: id,
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'Mois invalide : format AAAA-MM attendu (ex. 2026-11).' }),
});
const documentCheck = z.object({
  ok: z.boolean(),
  status: z.enum(['unchanged', 'changed', 'unknown', 'tampered', 'invalid']),
  message: z.string(),
  shortHash: z.string(),
  kind: z.string().nullable(),
  issuedAt: z.string().nullable(),
  changes: z.array(z.string()),
});

/**
 * Every method of the API. The preload builds `window.api` from these names, the main process parses every
 * payload against `input`, and the backend dispatches through one handler table keyed by the same names.
 */
export const contract = {
  'system.info': query('organisation.read', none, z.object({ appVersion: z.string(), schemaVersion: z.number().int(), dataDir: z.string() })),

  'organisation.get': query('organisation.read', none, organisation.nullable()),
  'organisation.save': mutation('organisation.write', organisationInput, organisation),

  'places.list': query('catalogue.read', none, z.array(place)),
  'places.save': mutation('catalogue.write', placeInput, place),

  'trainers.list': query('people.read', none, z.array(trainer)),
  'trainers.save': mutation('people.write', trainerInput, trainer),

  'companies.list': query('people.read', none, z.array(company)),
  'companies.save': mutation('people.write', companyInput, company),

  'trainees.list': query('people.read', pageQuery.default({ limit: 10_000, offset: 0 }), z.object({ total: z.number().int(), rows: z.array(trainee) })),
  'trainees.get': query('people.read', byId, trainee),
  'trainees.save': mutation('people.write', traineeInput, trainee),

  'funders.list': query('catalogue.read', none, z.array(funder)),

  'actions.list': query('catalogue.read', none, z.array(action)),
  'actions.get': query('catalogue.read', byId, action),
  'actions.save': mutation('catalogue.write', actionInput, action),

  'sessions.list': query('sessions.read', z.object({ actionId: id.optional(), search: z.string().max(100).optional() }).default({}), z.array(sessionSummary)),
  'sessions.get': query('sessions.read', byId, sessionPage),
  'sessions.save': mutation('sessions.write', sessionInput, session),

  'slots.generate': mutation('sessions.write', generateSlotsInput, z.object({
    created: z.number().int(),
    skippedHolidays: z.array(z.object({ date: isoDate, name: z.string() })),
    skippedExisting: z.number().int(),
  })),
  'slots.assign': mutation('sessions.write', assignSlotsInput, z.object({ updated: z.number().int() })),

  'enrolments.create': mutation('enrolments.write', enrolmentInput, enrolment),
  'enrolments.setStatus': mutation('enrolments.write', enrolmentStatusInput, enrolment),

  'demo.load': mutation('system.admin', none, demoCounts),

  // Sync to funder systems (shared/design/exchange-protocol.md). Tokens are write-only.
  'sync.receivers': query('sync.read', none, z.array(syncReceiver)),
  'sync.saveReceiver': mutation('sync.write', syncReceiverInput, syncReceiver),
  'sync.status': query('sync.read', none, z.array(syncReceiverStatus)),
  'sync.records': query('sync.read', syncRecordsInput, z.object({ total: z.number().int(), rows: z.array(syncRecordRow) })),
  'sync.now': mutation('sync.write', z.object({ receiverId: id.optional() }).default({}), z.object({ started: z.boolean() })),
  'sync.online': mutation('sync.write', none, z.object({ started: z.boolean() })),
  'sync.pause': mutation('sync.write', z.object({ receiverId: id }), syncReceiver),
  'sync.resume': mutation('sync.write', z.object({ receiverId: id }), syncReceiver),
  'sync.exportDead': query('data.export', z.object({ receiverId: id }), syncFile),
  'sync.batches': query('sync.read', z.object({ receiverId: id, limit: z.number().int().min(1).max(500).default(50) }), z.array(syncBatchRow)),
  'sync.exportFile': mutation('sync.write', z.object({ receiverId: id, format: z.enum(['csv', 'xlsx']).default('csv') }), syncFile.extend({ batchId: id })),
  'sync.markFile': mutation('sync.write', syncMarkFileInput, z.object({ batchId: id, state: z.enum(['in_flight', 'acked']) })),

  'attendance.kinds': query('attendance.read', none, z.array(attendanceKind)),
  'attendance.saveKind': mutation('system.admin', attendanceKindInput, attendanceKind),
  'attendance.day': query('attendance.read', z.object({ date: isoDate }), todaySlots),
  'attendance.rollCall': query('attendance.read', z.object({ slotId: id }), rollCall),
  'attendance.record': mutation('attendance.write', recordRollCallInput, recordResult),
  'attendance.close': mutation('attendance.write', closeSlotInput, z.object({ closureId: id, closedAt: z.string(), marks: z.number().int() })),
  'attendance.correct': mutation('attendance.write', correctMarkInput, mark),
  'attendance.history': query('attendance.read', z.object({ slotId: id, enrolmentId: id }), z.array(mark)),
  'attendance.uploadDocument': mutation('attendance.write', uploadDocumentInput, z.object({ id, sha256: z.string() })),
  'attendance.importLog': mutation('attendance.write', importLogInput, z.object({ logId: id, rows: z.number().int(), matched: z.number().int(), unmatched: z.array(z.string()) })),
  'attendance.connectionTotals': query('attendance.read', z.object({ sessionId: id }), z.array(z.object({ traineeId: id, traineeName: z.string(), connections: z.number().int(), minutes: z.number().int() }))),
  'hours.realised': query('attendance.read', hoursQueryInput, z.array(hoursRow)),
  'documents.attendanceSheet': mutation('attendance.read', weekSheetInput, printedDocument),
  'documents.blankSheet': mutation('attendance.read', weekSheetInput, printedDocument),
  'documents.monthlyStatement': mutation('attendance.read', monthlyStatementInput, printedDocument),
  'documents.verify': query('attendance.read', z.object({ shortHash: z.string().trim().min(1).max(40) }), documentCheck),
  'checks.run': query('attendance.read', checksInput.default({}), z.array(finding)),
  'ledger.verify': query('attendance.read', none, z.object({
    entries: z.number().int(),
    ok: z.boolean(),
    problems: z.array(z.object({ seq: z.number().int().nullable(), recordType: z.string(), recordId: z.string(), problem: z.string(), message: z.string() })),
  })),
} as const satisfies Record<string, MethodDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

/** The typed client both window.api (IPC) and the preview's HTTP client implement. */
export type Api = { [M in MethodName]: (input?: MethodInput<M>) => Promise<MethodOutput<M>> };

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
