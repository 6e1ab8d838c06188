/**
 * `verify`: `verifyLedger` (the whole hash chain, then every evidence table joined to its ledger entry, every
 * content hash recomputed, then the orphan check per table) over 1 000 000 ledger entries, against the bare
 * cost of hashing everything: every ledger row and every evidence row read with `.iterate()` and one SHA-256
 * computed per row, nothing else.
 *
 * Build: cohort sessions of 200 slots × 30 trainees; per slot, the evidence a closed roll call leaves — 30
 * marks (one in three signed on screen with a small 1×1-PNG signature, the rest by PIN; some late, some
 * absent), their 10 signatures and the closure — i.e. 41 entries, inserted with raw prepared INSERTs and
 * written through the real evidence writer (insert + ledger append) in batches of about 1 000 entries, in big transactions (the last
 * slot is cut short, unclosed, so the ledger holds exactly 1 000 000 entries). Foreign-key checks are off and the page
 * cache is large during the build only; both are back to the app's settings before anything is measured.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { startBackend, type Backend } from '../electron/backend/backend';
import { withRaw } from '../electron/backend/db/raw';
import { EVIDENCE_TABLES, sha256 } from '../electron/backend/evidence/hash';
import { verifyLedger } from '../electron/backend/evidence/verify';
import { trackIn } from '../electron/backend/evidence/track';
import { writeEvidenceIn, type EvidenceEntry } from '../electron/backend/evidence/writer';
import { rng, SIGNATURE, SLOT_MINUTES, seedCohorts, TRAINEES_PER_SESSION, uuid7Factory } from './attendance-fixtures';
import { STAMP } from './fixtures';
import { benchLine, note, now, scaled, tempDir, type Bench } from './lib';

const NAME = 'verify';
const SLOTS_PER_SESSION = 200;
const SIGNED_EVERY = 3;
const ENTRIES_PER_SLOT = TRAINEES_PER_SESSION + Math.ceil(TRAINEES_PER_SESSION / SIGNED_EVERY) + 1;
const APPEND_BATCH = 1000;
const SLOTS_PER_TRANSACTION = 2000;

/** Builds exactly `entries` ledger entries over real evidence rows; returns the evidence row count. */
export async function buildLedger(backend: Backend, entries: number): Promise<number> {
  const raw = backend.raw;
  const slotCount = Math.ceil(entries / ENTRIES_PER_SLOT); // the last slot may be cut short
  const statuses: EvidenceEntry[] = [];
  const cohorts = seedCohorts(raw, Math.ceil(slotCount / SLOTS_PER_SESSION), SLOTS_PER_SESSION, 20, (row) => statuses.push({ type: 'enrolment_status', row }));
  const newId = uuid7Factory('2025-01-01T00:00:00.000Z');
  const rand = rng(5);
  const strokes = JSON.stringify(SIGNATURE.strokes);
  const png = Buffer.from(SIGNATURE.pngBase64, 'base64');
  const sigSha = sha256(Buffer.concat([Buffer.from(strokes), png]));

  // Schema 4: marks point at their device and their attendance record.
  const insRecord = raw.prepare('INSERT INTO attendance_records (id, slot_id, enrolment_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)');
  raw.prepare(`INSERT OR IGNORE INTO devices (id, kind, first_seen_at, last_seen_at) VALUES ('tablette-1', 'client', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`).run();
  let pending: EvidenceEntry[] = [];
  let pendingAt = '';
  let writer: Parameters<typeof writeEvidenceIn>[0] | null = null;
  const flush = () => {
    if (pending.length > 0) writeEvidenceIn(writer!, pending, { at: pendingAt });
    pending = [];
  };
  const add = (entry: EvidenceEntry, at: string) => {
    pending.push(entry);
    pendingAt = at;
    if (pending.length >= APPEND_BATCH) flush();
  };

  let rows = 0;
  // The entries the keyed upgrade wrote on open (the attendance kinds) count too.
  let budget = entries - (raw.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n;
  // Schema 9: the seeded slots (tracked rows) and enrolment statuses (evidence) have their entries first; the
  // roll calls' evidence fills the rest of the budget.
  await withRaw(backend.ctx.db, (r) =>
    r.transaction(() => {
      writeEvidenceIn(r, statuses, { at: STAMP });
      trackIn(r, 'slot', cohorts.slots.map((s) => s.id), STAMP);
    }),
  );
  rows += statuses.length;
  budget -= statuses.length + cohorts.slots.length;
  const writeSlots = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const slot = cohorts.slots[i]!;
      const enrolments = cohorts.sessions[slot.sessionIndex]!.enrolmentIds;
      const at = `${slot.date}T${slot.halfDay === 'am' ? '09' : '13'}:35:00.000Z`;
      const submissionId = newId();
      for (let k = 0; k < TRAINEES_PER_SESSION && budget > 0; k++) {
        const enrolmentId = enrolments[k]!;
        let signatureId: string | null = null;
        if (k % SIGNED_EVERY === 0 && budget >= 2) {
          const sig = { id: newId(), signer_kind: 'trainee', signer_id: enrolmentId, strokes, png, sha256: sigSha, device_id: 'tablette-1', signed_at: at, created_at: at, created_by: 'local', device_signed_at: null };
          add({ type: 'signature', row: sig }, at);
          signatureId = sig.id;
          rows++;
          budget--;
        }
        const r = signatureId ? 0 : rand();
        const absent = r >= 0.9;
        const late = !absent && r >= 0.8 ? 15 : 0;
        const id = newId();
        const mark = {
          id, record_id: id, slot_id: slot.id, enrolment_id: enrolmentId, kind: absent ? 'unexcused' : late ? 'late' : 'present', late_minutes: late, early_minutes: 0,
          remote_minutes: null, minutes: absent ? 0 : SLOT_MINUTES - late, reason: null, document_id: null, method: signatureId ? 'signature' : absent ? 'none' : 'pin',
          signature_id: signatureId, proxy_name: null, checked_by: null, device_id: 'tablette-1', signed_at: absent ? null : at, supersedes_id: null,
          correction_reason: null, submission_id: submissionId, created_at: at, created_by: 'local', device_signed_at: null,
        };
        insRecord.run(id, slot.id, enrolmentId, at, 'local');
        add({ type: 'attendance_mark', row: mark }, at);
        rows++;
        budget--;
      }
      if (budget > 0) {
        const closure = { id: newId(), slot_id: slot.id, trainer_id: slot.trainerId, signature_id: null, method: 'pin', closed_at: at, created_at: at, created_by: 'local', device_id: null, device_closed_at: null };
        add({ type: 'slot_closure', row: closure }, at);
        rows++;
        budget--;
      }
    }
    flush();
  };

  const cacheSize = raw.pragma('cache_size', { simple: true }) as number;
  raw.pragma('foreign_keys = OFF');
  raw.pragma('cache_size = -1000000');
  for (let i = 0; i < slotCount; i += SLOTS_PER_TRANSACTION) {
    await withRaw(backend.ctx.db, (r) =>
      r.transaction(() => {
        writer = r;
        writeSlots(i, Math.min(slotCount, i + SLOTS_PER_TRANSACTION));
      }),
    );
  }
  raw.pragma('foreign_keys = ON');
  raw.pragma(`cache_size = ${cacheSize}`);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  return rows;
}

/** The bare cost: every row read once, one SHA-256 per row (ledger rows over their chained fields, evidence rows over their values). */
function hashEverything(raw: Database.Database): number {
  let n = 0;
  const chain = raw.prepare('SELECT seq, record_type, record_id, content_hash, prev_hash, hash, created_at FROM ledger ORDER BY seq');
  for (const e of chain.iterate() as Iterable<{ seq: number; record_type: string; record_id: string; content_hash: string; prev_hash: string; created_at: string }>) {
    sha256(`${e.prev_hash}|${e.seq}|${e.record_type}|${e.record_id}|${e.content_hash}|${e.created_at}`);
    n++;
  }
  // Evidence tables, and the tracked tables whose rows verify compares with their latest entry (schema 9).
  for (const table of [...Object.values(EVIDENCE_TABLES), 'slots', 'attendance_kinds']) {
    for (const r of raw.prepare(`SELECT * FROM ${table}`).iterate() as Iterable<Record<string, unknown>>) {
      // The row's values joined into one string, its BLOBs (signature images, documents) fed as they are.
      const h = createHash('sha256');
      let text = '';
      for (const k in r) {
        const v = r[k];
        if (v instanceof Uint8Array) h.update(v);
        else text += `${v}|`;
      }
      h.update(text);
      h.digest('hex');
      n++;
    }
  }
  return n;
}

export const verifyBench: Bench = {
  name: NAME,
  description: 'verifyLedger over 1 000 000 ledger entries vs reading every row and hashing it once',
  async run() {
    const entries = scaled(1_000_000, 10 * ENTRIES_PER_SLOT);
    const tmp = tempDir(NAME);
    const backend = await startBackend(tmp.dir);
    try {
      const raw = backend.raw;
      const t0 = now();
      const evidenceRows = await buildLedger(backend, entries);
      const buildS = (now() - t0) / 1000;
      const ledgerRows = (raw.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n;
      // Schema 9: tracked rows (slots, attendance kinds) have entries but no evidence row.
      const tracked = (raw.prepare("SELECT count(*) AS n FROM ledger WHERE record_type LIKE 'row:%'").get() as { n: number }).n;
      if (ledgerRows !== entries || evidenceRows + tracked !== entries) throw new Error(`built ${ledgerRows} ledger entries over ${evidenceRows} evidence rows and ${tracked} tracked rows, ${entries} expected.`);
      note(NAME, `built ${ledgerRows} entries over ${evidenceRows} evidence rows in ${buildS.toFixed(1)} s`);

      const tb = now();
      const hashed = hashEverything(raw);
      const baselineS = (now() - tb) / 1000;
      if (hashed !== 2 * entries) throw new Error(`baseline hashed ${hashed} rows, ${2 * entries} expected.`);
      note(NAME, `baseline ${baselineS.toFixed(1)} s`);

      const tv = now();
      const report = verifyLedger(raw);
      const verifyS = (now() - tv) / 1000;
      if (!report.ok || report.entries !== entries) throw new Error(`verifyLedger: ok=${report.ok}, ${report.entries} entries, first problem: ${report.first?.message}`);
      note(NAME, `verify ${verifyS.toFixed(1)} s`);

      return benchLine(NAME, verifyS / baselineS, {
        verify_s: verifyS,
        entries_per_s: Math.round(entries / verifyS),
        baseline_s: baselineS,
        baseline_rows_per_s: Math.round(hashed / baselineS),
        entries,
        build_s: buildS,
      });
    } finally {
      await backend.close();
      tmp.cleanup();
    }
  },
};
