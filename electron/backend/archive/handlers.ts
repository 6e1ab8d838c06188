import type { archiveContract } from '../../../shared/contract/archive';
import type { HandlersOf } from '../handler';
import { archivedReceivers, setReceiverArchived } from '../sync/receivers';
import { archivedRecords, setArchived } from './archive';

export const archiveHandlers: HandlersOf<typeof archiveContract> = {
  'people.archive': setArchived,
  'people.archived': (ctx, { kind }) => archivedRecords(ctx, kind),
  'catalogue.archive': setArchived,
  'catalogue.archived': (ctx, { kind }) => archivedRecords(ctx, kind),
  'sessions.archive': setArchived,
  'sessions.archived': (ctx, { kind }) => archivedRecords(ctx, kind),
  'sync.archive': (ctx, { id, archived }) => setReceiverArchived(ctx, { id, archived }),
  'sync.archived': (ctx) => archivedReceivers(ctx),
};
