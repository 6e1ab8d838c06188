import type { Raw } from '../db/raw';

/**
 * The copies of a trainee's records kept in the sync queue (`outbox.payload`) and in the batches built from them
 * (`sync_batches.body`, the bytes posted): the `enrolment` record carries the trainee's names, birth date, France
 * Travail id and NIR (sealed, privacy/payload.ts), a `claim` record the file names of their certificates.
 *
 * An erasure removes the NIR and the France Travail id from the copies, and the purge the names and birth date, but
 * only from copies whose delivery is settled: a record every receiver has acknowledged or rejected (or that no
 * receiver ever queued), a batch acknowledged, abandoned or split. A record still to send, in flight or dead (which
 * a person may send again) keeps its bytes: a batch goes out again as the very bytes it was built with, and the
 * funder is owed the record (art. 17.3.b). The daily purge run comes back to them once they are settled.
 */

export interface Scrub {
  /** `enrolment` records of these enrolments. */
  enrolmentIds: readonly string[];
  /** `claim` records of these claims. */
  claimIds: readonly string[];
  /** What becomes of an enrolment record's `trainee` block. */
  trainee(block: Record<string, unknown>): Record<string, unknown>;
  /** What becomes of a claim record's document name (a certificate's names the trainee). */
  documentName(name: string): string;
}

const SETTLED = `NOT EXISTS (SELECT 1 FROM sync_items i WHERE i.seq = o.seq AND i.state IN ('pending', 'in_flight', 'dead'))`;
const SETTLED_BATCH = `state IN ('acked', 'failed', 'split')`;

/** Rewrites the settled copies in the caller's transaction; returns how many payloads and batch bodies changed. */
export function scrubSentRecords(raw: Raw, s: Scrub): { payloads: number; batches: number } {
  if (!raw.inTransaction) throw new Error('Sent records are rewritten inside the transaction of the erasure');
  const ids = JSON.stringify([...s.enrolmentIds, ...s.claimIds]);
  const rows = raw.all<{ seq: number; record_type: string; record_id: string; payload: string }>(
    `SELECT o.seq, o.record_type, o.record_id, o.payload FROM outbox o
     WHERE o.record_type IN ('enrolment', 'claim') AND o.record_id IN (SELECT value FROM json_each(?)) AND ${SETTLED}`,
    ids,
  );
  const changes: { seq: number; before: string; after: string }[] = [];
  for (const r of rows) {
    const after = rewrite(r.record_type, r.payload, s);
    if (after !== r.payload) changes.push({ seq: r.seq, before: r.payload, after });
  }
  const setPayload = raw.prepare('UPDATE outbox SET payload = ? WHERE seq = ?');
  for (const c of changes) setPayload.run(c.after, c.seq);

  // A batch embeds each record's payload text verbatim (sync/batches.ts): the same text is replaced there.
  let batches = 0;
  if (changes.length > 0) {
    const setBody = raw.prepare('UPDATE sync_batches SET body = ?, body_bytes = ? WHERE id = ?');
    const candidates = raw.all<{ id: string; body: string }>(
      `SELECT DISTINCT b.id, b.body FROM sync_batches b JOIN sync_items i ON i.batch_id = b.id
       WHERE b.${SETTLED_BATCH} AND i.seq IN (SELECT value FROM json_each(?))`,
      JSON.stringify(changes.map((c) => c.seq)),
    );
    for (const b of candidates) {
      let body = b.body;
      for (const c of changes) body = body.split(`"payload":${c.before}`).join(`"payload":${c.after}`);
      if (body !== b.body) {
        setBody.run(body, Buffer.byteLength(body), b.id);
        batches++;
      }
    }
  }
  return { payloads: changes.length, batches };
}

function rewrite(type: string, text: string, s: Scrub): string {
  const payload = JSON.parse(text) as Record<string, unknown>;
  if (type === 'enrolment') {
    const trainee = payload.trainee;
    if (!trainee || typeof trainee !== 'object') return text;
    const block = s.trainee(trainee as Record<string, unknown>);
    // Untouched records keep their bytes exactly (no re-serialisation).
    return JSON.stringify(block) === JSON.stringify(trainee) ? text : JSON.stringify({ ...payload, trainee: block });
  }
  const documents = payload.documents;
  if (!Array.isArray(documents)) return text;
  const renamed = documents.map((d: { name?: unknown }) => (typeof d.name === 'string' ? { ...d, name: s.documentName(d.name) } : d));
  return JSON.stringify(renamed) === JSON.stringify(documents) ? text : JSON.stringify({ ...payload, documents: renamed });
}
