import type { Generated } from 'kysely';
import type { EXIT_REASONS, OUTCOMES } from '../../../shared/schemas/training';

/** Kysely's view of the schema (camelCase; the CamelCasePlugin maps to the snake_case columns). */
interface Audit {
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

// ---- schema 4 (migrations/0004_devices.ts): versions and tombstones ---------------------------------------
/** Rows that can leave the machine: each change bumps the version; a removal sets the tombstone. */
interface Versioned {
  version: Generated<number>;
  deletedAt: string | null;
}
// ---- end schema 4 ---------------------------------------------------------------------------------------

export interface OrganisationTable extends Audit {
  id: string;
  name: string;
  siret: string;
  nda: string | null;
  qualiopiValidUntil: string | null;
  legalRepresentative: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  email: string | null;
  phone: string | null;
  timeZone: string;
}

export interface PlaceTable extends Audit, Versioned {
  id: string;
  name: string;
  address: string | null;
  postcode: string;
  city: string;
  qpv: number;
  zrr: number;
  holidayZone: string;
}

export interface TrainerTable extends Audit, Versioned {
  id: string;
  lastName: string;
  firstName: string;
  kind: 'internal' | 'external';
  email: string | null;
  phone: string | null;
  siret: string | null;
}

export interface CompanyTable extends Audit, Versioned {
  id: string;
  name: string;
  siret: string;
  address: string | null;
  postcode: string | null;
  city: string | null;
  headcount: number | null;
}

export interface TraineeTable extends Audit, Versioned {
  id: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  nir: string | null;
  franceTravailId: string | null;
  email: string | null;
  phone: string | null;
  postcode: string | null;
  city: string | null;
  qpvResident: number;
  fictitious: number;
}

export interface FunderTable {
  code: string;
  name: string;
  kind: string;
}

export interface ActionTable extends Audit, Versioned {
  id: string;
  title: string;
  code: string | null;
  certificationCode: string | null;
  level: number | null;
  nsfCode: string | null;
  plannedMinutes: number;
  modality: string;
  nature: string;
}

export interface SessionTable extends Audit, Versioned {
  id: string;
  actionId: string;
  label: string;
  mode: 'cohort' | 'rolling';
  capacity: number;
  startDate: string;
  endDate: string;
  placeId: string | null;
}

export interface SlotTable extends Audit, Versioned {
  id: string;
  sessionId: string;
  date: string;
  halfDay: 'am' | 'pm';
  startTime: string;
  endTime: string;
  minutes: number;
  modality: string;
  placeId: string | null;
  cancelled: number;
}

/** Schema 4: a link has its own id and is tombstoned, never deleted (one row per slot and trainer). */
export interface SlotTrainerTable extends Audit, Versioned {
  id: string;
  slotId: string;
  trainerId: string;
}

export interface EnrolmentTable extends Audit, Versioned {
  id: string;
  sessionId: string;
  traineeId: string;
  companyId: string | null;
  plannedStart: string;
  plannedEnd: string;
  plannedMinutes: number;
}

export interface EnrolmentStatusTable {
  id: string;
  enrolmentId: string;
  status: 'planned' | 'entered' | 'suspended' | 'exited';
  effectiveDate: string;
  reason: (typeof EXIT_REASONS)[number] | null;
  outcome: (typeof OUTCOMES)[number] | null;
  note: string | null;
  createdAt: string;
  createdBy: string;
}

export interface OutboxTable {
  seq: Generated<number>;
  recordType: 'enrolment' | 'attendance' | 'afest-sequence' | 'claim';
  recordId: string;
  version: number;
  payload: string;
  createdAt: string;
}

// ---- schema 4 (migrations/0004_devices.ts): users, devices, attendance records, fundings ------------------
export interface UserTable {
  id: string;
  name: string;
  login: string | null;
  active: Generated<number>;
  createdAt: string;
  updatedAt: string;
}

export interface DeviceTable {
  id: string;
  label: string | null;
  kind: 'backend' | 'client';
  firstSeenAt: string;
  lastSeenAt: string;
}

/** One funder record per (slot, enrolment); append-only. */
export interface AttendanceRecordTable {
  id: string;
  slotId: string;
  enrolmentId: string;
  createdAt: string;
  createdBy: string;
}

/** A funder of an enrolment. `percent`: shareValue in basis points (10000 = 100 %); `minutes`; `remainder`: null. */
export interface FundingTable extends Audit, Versioned {
  id: string;
  enrolmentId: string;
  funderCode: string;
  programme: string | null;
  fileNumber: string | null;
  shareKind: 'percent' | 'minutes' | 'remainder';
  shareValue: number | null;
  position: number;
}
// ---- end schema 4 ---------------------------------------------------------------------------------------

export interface DB {
  organisation: OrganisationTable;
  places: PlaceTable;
  trainers: TrainerTable;
  companies: CompanyTable;
  trainees: TraineeTable;
  funders: FunderTable;
  actions: ActionTable;
  sessions: SessionTable;
  slots: SlotTable;
  slotTrainers: SlotTrainerTable;
  enrolments: EnrolmentTable;
  enrolmentStatuses: EnrolmentStatusTable;
  outbox: OutboxTable;
  // schema 4
  users: UserTable;
  devices: DeviceTable;
  attendanceRecords: AttendanceRecordTable;
  fundings: FundingTable;
}
