import type { TraineeSensitive } from '../../../shared/domain/sensitive';
import type { OrganisationHeader } from '../documents/common-model';

/**
 * What a trainee's RGPD export holds (rgpd/export.ts builds it, documents/rgpd-export-pdf.ts prints it): the JSON
 * handed over as is, and the PDF's matter.
 */

export type Json = Record<string, unknown>;

export interface ExportModel {
  format: 'sillon.rgpd-export/1';
  generatedAt: string;
  organisation: OrganisationHeader;
  readme: { title: string; intro: string[]; sections: Record<string, string> };
  identity: {
    id: string;
    lastName: string;
    firstName: string;
    birthDate: string;
    nir: string | null;
    franceTravailId: string | null;
    qpvResident: boolean;
    fictitious: boolean;
    createdAt: string;
    updatedAt: string;
  };
  contact: { email: string | null; phone: string | null; postcode: string | null; city: string | null };
  sensitive: TraineeSensitive | null;
  enrolments: ExportEnrolment[];
  attendance: ExportAttendance[];
  connectionLogs: Json[];
  signatures: { id: string; signedAt: string; deviceSignedAt: string | null; sha256: string; pngBase64: string | null }[];
  afest: Json[];
  documents: { printed: Json[]; certificates: Json[]; attachments: Json[] };
  claims: ExportClaimLine[];
  pin: { set: boolean; setAt: string | null; setBy: string | null } | null;
  audit: { at: string; action: string; actionLabel: string; outcome: string; user: string | null; summary: string | null; method: string | null }[];
  sync: { recordType: string; recordId: string; versions: { version: number; queuedAt: string; payload: unknown }[]; deliveries: Json[] }[];
  erasure: Json | null;
}

export interface ExportEnrolment {
  id: string;
  session: string;
  action: string;
  company: string | null;
  plannedStart: string;
  plannedEnd: string;
  plannedMinutes: number | null;
  statuses: { status: string; effectiveDate: string; reason: string | null; outcome: string | null; note: string | null; recordedAt: string }[];
  fundings: { funder: string; programme: string | null; fileNumber: string | null; costType: string; share: string }[];
  contracts: Json[];
}

export interface ExportAttendance {
  enrolmentId: string;
  session: string;
  date: string;
  halfDay: string;
  start: string;
  end: string;
  /** Every version of the mark, oldest first: the first capture, then each correction. */
  marks: { id: string; kind: string; kindLabel: string; minutes: number; lateMinutes: number; earlyMinutes: number; remoteMinutes: number | null; reason: string | null; method: string; signatureId: string | null; proxyName: string | null; checkedBy: string | null; signedAt: string | null; supersedesId: string | null; correctionReason: string | null; recordedAt: string }[];
}

export interface ExportClaimLine {
  claim: string;
  funder: string;
  period: { from: string; to: string };
  status: string;
  label: string;
  unit: string;
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
  minutes: number | null;
  realisedMinutes: number | null;
}
