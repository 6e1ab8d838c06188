import { z } from 'zod';
import { id } from '../schemas/common';
import { mutation, query } from './define';

/** Records that can be archived when created by mistake (issue #8 item 9), by capability. */
export const ARCHIVE_KINDS = ['trainee', 'company', 'trainer', 'place', 'action', 'session', 'receiver'] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

const archivedList = z.array(z.object({ id, label: z.string(), archivedAt: z.string() }));
const archiveResult = z.object({ id, archived: z.boolean() });
const kindOf = <K extends readonly [ArchiveKind, ...ArchiveKind[]]>(kinds: K) => z.enum(kinds, { error: 'Type d’enregistrement inconnu.' });

/**
 * Archive (`archived: true`) or restore a record. Refused, with what hangs on it, when evidence exists
 * (attendance marks, signatures, closed roll calls, records for funders, printed documents). Archived
 * records leave lists and pickers; `*.archived` lists them for restoring.
 */
export const archiveContract = {
  'people.archive': mutation('people.write', z.object({ kind: kindOf(['trainee', 'company', 'trainer']), id, archived: z.boolean() }), archiveResult),
  'people.archived': query('people.read', z.object({ kind: kindOf(['trainee', 'company', 'trainer']) }), archivedList),
  'catalogue.archive': mutation('catalogue.write', z.object({ kind: kindOf(['place', 'action']), id, archived: z.boolean() }), archiveResult),
  'catalogue.archived': query('catalogue.read', z.object({ kind: kindOf(['place', 'action']) }), archivedList),
  'sessions.archive': mutation('sessions.write', z.object({ kind: kindOf(['session']).default('session'), id, archived: z.boolean() }), archiveResult),
  'sessions.archived': query('sessions.read', z.object({ kind: kindOf(['session']).default('session') }).default({ kind: 'session' }), archivedList),
  /** A sync receiver: refused once anything was sent to it; archived, it gets no new records and is not synced. */
  'sync.archive': mutation('sync.write', z.object({ kind: kindOf(['receiver']).default('receiver'), id, archived: z.boolean() }), archiveResult),
  'sync.archived': query('sync.read', z.object({ kind: kindOf(['receiver']).default('receiver') }).default({ kind: 'receiver' }), archivedList),
} as const;
