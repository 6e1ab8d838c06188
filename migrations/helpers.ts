/**
 * SQL makers shared by migrations. **Important**: a landed migration's SQL must never change, so a helper
 * used by one may only be extended with new options, never have its output altered.
 */

/** Triggers that refuse UPDATE and DELETE on an evidence table: corrections are new rows that supersede. */
export function appendOnly(table: string, message = `${table} is evidence: append-only, corrections supersede`): string {
  return `
CREATE TRIGGER ${table}_append_only_u BEFORE UPDATE ON ${table}
  BEGIN SELECT RAISE(ABORT, '${message}'); END;
CREATE TRIGGER ${table}_append_only_d BEFORE DELETE ON ${table}
  BEGIN SELECT RAISE(ABORT, '${message}'); END;`;
}
