import { traineeSearchKey } from '../shared/domain/search';
import type { Migration } from './index';

/**
 * Search that ignores case and accents (issue #8, item 6): each trainee gets `search_key`, the folded text
 * of its last name, first name and France Travail id (shared/domain/search.ts, the same folding as the
 * renderer), written by every save. Folding is JavaScript, so the existing rows are filled by this step's
 * data function, in the same transaction. The index holds the live rows in folded-name order: the list
 * pages in that order without sorting, and a search scans the index alone, not the table.
 */
export const searchKeys: Migration = {
  version: 6,
  name: 'search_keys',
  sql: `
ALTER TABLE trainees ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
CREATE INDEX trainees_search ON trainees (deleted_at, search_key, id);
`,
  data: (db) => {
    const update = db.prepare('UPDATE trainees SET search_key = ? WHERE id = ?');
    for (const row of db.prepare('SELECT id, last_name, first_name, france_travail_id FROM trainees').all() as TraineeNames[]) {
      update.run(traineeSearchKey(row.last_name, row.first_name, row.france_travail_id), row.id);
    }
  },
};

interface TraineeNames {
  id: string;
  last_name: string;
  first_name: string;
  france_travail_id: string | null;
}
