import type { z } from 'zod';
import { contract, type Contract, type MethodName } from '../../shared/contract';
import { LATEST_SCHEMA_VERSION } from '../../migrations';
import type { Ctx } from './context';
import { listFunders, listActions, getAction, saveAction, listPlaces, savePlace } from './services/catalogue';
import { closeSlot, correctMark, getRollCall, listKinds, markHistory, recordRollCall, saveKind, slotsOfDay, uploadDocument } from './services/attendance';
import { runChecks } from './services/checks';
import { connectionTotals, importConnectionLog } from './services/connection-logs';
import { loadDemo } from './services/demo';
import { queryHours } from './services/hours';
import { printDocument } from './documents/print';
import { verifyPrintedDocument } from './documents/verify';
import { verifyLedger } from './ledger/ledger';
import { createEnrolment, setEnrolmentStatus } from './services/enrolments';
import { getOrganisation, saveOrganisation } from './services/organisation';
import { syncApi } from './sync/api';
import { getTrainee, listCompanies, listTrainees, listTrainers, saveCompany, saveTrainee, saveTrainer } from './services/people';
import { assignSlots, generateSlots, getSessionPage, listSessions, saveSession } from './services/sessions';
import { APP_VERSION } from './version';

type Handler<M extends MethodName> = (ctx: Ctx, input: z.output<Contract[M]['input']>) => Promise<z.input<Contract[M]['output']>>;

/** The one handler table: IPC, the HTTP bridge and tests all dispatch through it. */
export const handlers: { [M in MethodName]: Handler<M> } = {
  'system.info': async (ctx) => ({ appVersion: APP_VERSION, schemaVersion: LATEST_SCHEMA_VERSION, dataDir: ctx.dataDir }),
  'organisation.get': (ctx) => getOrganisation(ctx),
  'organisation.save': saveOrganisation,
  'places.list': (ctx) => listPlaces(ctx),
  'places.save': savePlace,
  'trainers.list': (ctx) => listTrainers(ctx),
  'trainers.save': saveTrainer,
  'companies.list': (ctx) => listCompanies(ctx),
  'companies.save': saveCompany,
  'trainees.list': listTrainees,
  'trainees.get': (ctx, { id }) => getTrainee(ctx, id),
  'trainees.save': saveTrainee,
  'funders.list': (ctx) => listFunders(ctx),
  'actions.list': (ctx) => listActions(ctx),
  'actions.get': (ctx, { id }) => getAction(ctx, id),
  'actions.save': saveAction,
  'sessions.list': listSessions,
  'sessions.get': (ctx, { id }) => getSessionPage(ctx, id),
  'sessions.save': saveSession,
  'slots.generate': generateSlots,
  'slots.assign': assignSlots,
  'enrolments.create': createEnrolment,
  'enrolments.setStatus': setEnrolmentStatus,
  'demo.load': (ctx) => loadDemo(ctx),
  'sync.receivers': (ctx) => syncApi.receivers(ctx),
  'sync.saveReceiver': syncApi.saveReceiver,
  'sync.status': (ctx) => syncApi.status(ctx),
  'sync.records': syncApi.records,
  'sync.now': syncApi.now,
  'sync.online': (ctx) => syncApi.online(ctx),
  'sync.pause': syncApi.pause,
  'sync.resume': syncApi.resume,
  'sync.exportDead': syncApi.exportDead,
  'sync.batches': syncApi.batches,
  'sync.exportFile': syncApi.exportFile,
  'sync.markFile': syncApi.markFile,
  'attendance.kinds': (ctx) => listKinds(ctx),
  'attendance.saveKind': saveKind,
  'attendance.day': (ctx, { date }) => slotsOfDay(ctx, date),
  'attendance.rollCall': (ctx, { slotId }) => getRollCall(ctx, slotId),
  'attendance.record': recordRollCall,
  'attendance.close': closeSlot,
  'attendance.correct': correctMark,
  'attendance.history': (ctx, { slotId, enrolmentId }) => markHistory(ctx, slotId, enrolmentId),
  'attendance.uploadDocument': uploadDocument,
  'attendance.importLog': importConnectionLog,
  'attendance.connectionTotals': (ctx, { sessionId }) => connectionTotals(ctx, sessionId),
  'hours.realised': queryHours,
  'documents.attendanceSheet': (ctx, input) => printDocument(ctx, 'attendance-sheet', input),
  'documents.blankSheet': (ctx, input) => printDocument(ctx, 'blank-sheet', input),
  'documents.monthlyStatement': (ctx, input) => printDocument(ctx, 'monthly-statement', input),
  'documents.verify': async (ctx, { shortHash }) => {
    const { exitCode: _exitCode, ...check } = await verifyPrintedDocument(ctx, shortHash);
    return check;
  },
  'checks.run': runChecks,
  'ledger.verify': async (ctx) => {
    const { entries, ok, problems } = verifyLedger(ctx.raw);
    return { entries, ok, problems };
  },
};

// Keeps the table and the contract in step at compile time.
const _sameKeys: Record<keyof typeof contract, unknown> = handlers;
void _sameKeys;
