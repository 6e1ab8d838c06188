import type { Generated } from 'kysely';
import type { EXIT_REASONS, OUTCOMES } from '../../../shared/schemas/training';

/** Kysely's view of the schema (camelCase; the CamelCasePlugin maps to the snake_case columns). */
interface Audit {
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

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

export interface PlaceTable extends Audit {
  id: string;
  name: string;
  address: string | null;
  postcode: string;
  city: string;
  qpv: number;
  zrr: number;
  holidayZone: string;
}

export interface TrainerTable extends Audit {
  id: string;
  lastName: string;
  firstName: string;
  kind: 'internal' | 'external';
  email: string | null;
  phone: string | null;
  siret: string | null;
}

export interface CompanyTable extends Audit {
  id: string;
  name: string;
  siret: string;
  address: string | null;
  postcode: string | null;
  city: string | null;
  headcount: number | null;
}

export interface TraineeTable extends Audit {
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

export interface ActionTable extends Audit {
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

export interface SessionTable extends Audit {
  id: string;
  actionId: string;
  label: string;
  mode: 'cohort' | 'rolling';
  capacity: number;
  startDate: string;
  endDate: string;
  placeId: string | null;
}

export interface SlotTable extends Audit {
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

export interface SlotTrainerTable {
  slotId: string;
  trainerId: string;
}

export interface EnrolmentTable extends Audit {
  id: string;
  sessionId: string;
  traineeId: string;
  companyId: string | null;
  funderCode: string;
  fileNumber: string | null;
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
}
