import type Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSealed, type FieldCipher } from './field-cipher';
import { sealNirAt } from './payload';

/**
 * The start-up step of issue #12 (a migration cannot see the data key): whatever personal data a database still
 * holds in clear — written before schema 17, or by a process that had no key — is sealed in place at the first
 * start with the key, in one transaction:
 * - each trainee's NIR, with its blind index;
 * - the NIR inside the `enrolment` records queued for the funders (`outbox.payload`) and inside the batches
 *   already built from them (`sync_batches.body`): a batch sent again goes out with the same bytes, since
 *   privacy/payload.ts `bodyForWire` opens them back into the canonical JSON they were built as;
 * - roll-call drafts (they may hold a reason of absence).
 *
 * **Why the evidence ledger stays intact**: no row this step rewrites is covered by the ledger. Trainees are not
 * a tracked kind (evidence/track.ts TRACKED: slots, attendance kinds, AFEST set-ups and rules), the outbox, the
 * batches and the drafts are not evidence. Should trainees ever be tracked, their covered state must hash the
 * NIR's blind index, not its seal (a new IV each time), or this step would read as tampering. What the step may
 * NOT rewrite is evidence: reasons of absence of marks recorded before schema 17 stay in clear (append-only).
 *
 * With `PRAGMA secure_delete` on while it runs, the cells it replaces are overwritten with zeros, and the write-ahead
 * log is checkpointed and truncated after, so the clear values do not linger in the file's free space or its -wal.
 * Copies made before (the pre-migration backup in `backups/`, older backups) still hold them: they are the
 * user's restore points and are left alone.
 *
 * Finally, export files kept in clear in `<data>/exports` by earlier versions are sealed (`.sealed`) and removed.
 */
export function sealClearFields(db: Database.Database, dataDir: string, cipher: FieldCipher): { trainees: number; payloads: number; batches: number; drafts: number; files: number } {
  const done = { trainees: 0, payloads: 0, batches: 0, drafts: 0, files: 0 };
  const columns = (db.prepare('PRAGMA table_info(trainees)').all() as { name: string }[]).map((c) => c.name);
  // A database kept at an older schema (a test of an earlier step) has nowhere to put the index: nothing to do.
  if (!columns.includes('nir_index')) return done;
  const clearNirs = db.prepare("SELECT id, nir FROM trainees WHERE nir IS NOT NULL AND nir NOT LIKE 'enc:v1:%'").all() as { id: string; nir: string }[];
  const clearPayloads = db
    .prepare(`SELECT seq, record_id AS recordId, payload FROM outbox WHERE record_type = 'enrolment' AND payload LIKE '%"nir":"%' AND payload NOT LIKE '%"nir":"enc:v1:%'`)
    .all() as { seq: number; recordId: string; payload: string }[];
  const clearBodies = db
    .prepare(`SELECT id, body FROM sync_batches WHERE body LIKE '%"nir":"%' AND body NOT LIKE '%"nir":"enc:v1:%'`)
    .all() as { id: string; body: string }[];
  // A sealed draft is stored as a JSON string (the column takes JSON only): '"enc:v1:…"'.
  const clearDrafts = db.prepare(`SELECT slot_id AS slotId, enrolment_id AS enrolmentId, draft FROM rollcall_drafts WHERE draft NOT LIKE '"enc:v1:%'`).all() as {
    slotId: string;
    enrolmentId: string;
    draft: string;
  }[];
  if (clearNirs.length + clearPayloads.length + clearBodies.length + clearDrafts.length > 0) {
    const secure = db.pragma('secure_delete', { simple: true }) as number;
    db.pragma('secure_delete = ON');
    try {
      db.transaction(() => {
        const trainee = db.prepare('UPDATE trainees SET nir = ?, nir_index = ? WHERE id = ?');
        for (const t of clearNirs) {
          trainee.run(cipher.seal(t.nir, { table: 'trainees', column: 'nir', rowId: t.id }), cipher.blindIndex('nir', t.nir), t.id);
          done.trainees++;
        }
        const payload = db.prepare('UPDATE outbox SET payload = ? WHERE seq = ?');
        for (const p of clearPayloads) {
          const sealed = sealBody(cipher, p.payload, [{ recordId: p.recordId, type: 'enrolment', payload: JSON.parse(p.payload) }], false);
          if (sealed !== null) {
            payload.run(sealed, p.seq);
            done.payloads++;
          }
        }
        const batch = db.prepare('UPDATE sync_batches SET body = ?, body_bytes = ? WHERE id = ?');
        for (const b of clearBodies) {
          const body = sealBody(cipher, b.body, (JSON.parse(b.body) as { records?: QueuedRecord[] }).records ?? [], true);
          if (body !== null) {
            batch.run(body, Buffer.byteLength(body), b.id);
            done.batches++;
          }
        }
        const draft = db.prepare('UPDATE rollcall_drafts SET draft = ? WHERE slot_id = ? AND enrolment_id = ?');
        for (const d of clearDrafts) {
          draft.run(JSON.stringify(cipher.seal(d.draft, { table: 'rollcall_drafts', column: 'draft', rowId: `${d.slotId}/${d.enrolmentId}` })), d.slotId, d.enrolmentId);
          done.drafts++;
        }
      }).immediate();
    } finally {
      db.pragma(`secure_delete = ${secure}`);
    }
    // Best effort: a reader elsewhere (the CLI, a backup) may hold the log; the next checkpoint then does it.
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  done.files = sealExportFiles(dataDir, cipher);
  return done;
}

interface QueuedRecord {
  recordId: string;
  type: string;
  payload: unknown;
}

/**
 * `text` — a payload, or a batch body (`inBody`) holding `records` in order — with the clear `trainee.nir` of each `enrolment`
 * record sealed in place, every other byte kept (so privacy/payload.ts `bodyForWire` gives the original bytes
 * back); null when none was in clear.
 */
function sealBody(cipher: FieldCipher, text: string, records: readonly QueuedRecord[], inBody: boolean): string | null {
  let out = text;
  let cursor = 0;
  let changed = false;
  for (const r of records) {
    const nir = (r.payload as { trainee?: { nir?: unknown } } | null)?.trainee?.nir;
    if (r.type !== 'enrolment' || typeof nir !== 'string' || isSealed(nir)) continue;
    // In a body, the record's own payload starts after its id (records are written in order).
    const start = inBody ? out.indexOf(`"recordId":${JSON.stringify(r.recordId)}`, cursor) : cursor;
    if (start < 0) continue;
    const sealed = sealNirAt(cipher, out, r.recordId, nir, start);
    if (!sealed) continue;
    out = sealed.text;
    cursor = sealed.end;
    changed = true;
  }
  return changed ? out : null;
}

/** Export copies in clear (before schema 17) → `<name>.sealed`, the clear file removed. */
function sealExportFiles(dataDir: string, cipher: FieldCipher): number {
  const dir = join(dataDir, 'exports');
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (name.endsWith('.sealed') || !statSync(file).isFile()) continue;
    const sealedName = `${name}.sealed`;
    writeFileSync(join(dir, sealedName), cipher.sealBytes(readFileSync(file), { table: 'exports', column: 'file', rowId: sealedName }), { mode: 0o600 });
    unlinkSync(file);
    n++;
  }
  return n;
}
