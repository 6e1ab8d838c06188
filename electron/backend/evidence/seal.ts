import type Database from 'better-sqlite3';
import type { Raw } from '../db/raw';
import { entryHash, EVIDENCE_SINCE_SCHEMA_9, EVIDENCE_TABLES, GENESIS, LEDGER_TIP_SQL, type EvidenceType, type LedgerTip } from './hash';
import { readHeadFile, writeHeadFile, type SealedHead } from './head-file';
import { bindLedgerKey, fileLedgerKey, keptByTheApp, ledgerSealOf, type LedgerSeal } from './key';
import { appendLedger } from './ledger';
import { TRACKED, trackIn, type TrackedKind } from './track';

/**
 * Opening the keyed ledger (startBackend), its one-time upgrade, and the head kept outside the database.
 *
 * The upgrade runs once per database, on the first open with a key (no `ledger_keying` row yet), in one
 * transaction: entries written before the key get their seal only while the unkeyed chain verifies up to
 * them (a chain already broken stays unsealed from the break on, and verification keeps saying so), then the
 * rows the ledger covers from this coverage level on get their first entry. Refused when a head file already
 * exists: the folder's ledger was keyed before, and sealing now would bless whatever was done to it since.
 */

/** What the ledger covers: 1 = the evidence tables, enrolment statuses, roll-call submissions, slots (with trainers), attendance kinds. */
export const COVERAGE = 1;
/** Evidence types added by coverage level 1, whose existing rows had no entry. */
const BACKFILLED_EVIDENCE: readonly EvidenceType[] = EVIDENCE_SINCE_SCHEMA_9;
const BACKFILLED_TRACKED: readonly TrackedKind[] = ['slot', 'attendance_kind'];

const PAGE = 5000;

/** The file's handle as the ledger functions see a connection. */
function rawOf(db: Database.Database): Pick<Raw, 'get' | 'all' | 'prepare' | 'inTransaction' | 'run'> {
  return {
    get: <T>(sql: string, ...p: unknown[]) => db.prepare(sql).get(...p) as T | undefined,
    all: <T>(sql: string, ...p: unknown[]) => db.prepare(sql).all(...p) as T[],
    run: (sql: string, ...p: unknown[]) => db.prepare(sql).run(...p),
    prepare: (sql: string) => db.prepare(sql),
    get inTransaction() {
      return db.inTransaction;
    },
  };
}

export interface OpenLedgerOptions {
  /** The key the app's main process unsealed (safeStorage); the data folder's `ledger.key` otherwise. */
  key?: Buffer | undefined;
  now: () => Date;
  /** A damaged file opened read-only (db/open.ts): the key is bound for verification, nothing is written. */
  readOnly?: boolean;
}

/**
 * Binds the ledger key to the database handle, runs the one-time upgrade if due, and brings the head file up
 * to date when the chain has moved on from it with valid seals (a crash between a commit and its head write).
 */
export function openLedger(db: Database.Database, dataDir: string, options: OpenLedgerOptions): void {
  // The app sealed this folder's key (safeStorage) and this process cannot open it: no key is bound, so reads and
  // verification of the unkeyed chain work and every evidence write is refused (ledger.ts), in French.
  if (!options.key && keptByTheApp(dataDir)) return;
  const seal = bindLedgerKey(db, options.key ?? fileLedgerKey(dataDir), dataDir);
  const raw = rawOf(db);
  if (options.readOnly) return;
  const keyed = raw.get<{ id: number }>('SELECT id FROM ledger_keying WHERE id = 1');
  if (!keyed) {
    if (readHeadFile(seal).state !== 'missing') return;
    const at = options.now().toISOString();
    db.transaction(() => upgrade(raw, seal, at)).immediate();
    writeHeadFile(seal, tipOf(raw));
    return;
  }
  flushLedgerHead(raw);
}

function upgrade(raw: ReturnType<typeof rawOf>, seal: LedgerSeal, at: string): void {
  let prev = GENESIS;
  let prevMac = GENESIS;
  let expected = 1;
  let sealed = 0;
  let unsealedFrom: number | null = null;
  const update = raw.prepare('UPDATE ledger SET mac = ? WHERE seq = ?');
  // Pages of entries (a statement cannot write while another iterates).
  outer: for (;;) {
    const page = raw.all<LedgerTip & { record_type: string; record_id: string; content_hash: string; prev_hash: string }>(
      'SELECT seq, record_type, record_id, content_hash, prev_hash, hash, created_at, mac FROM ledger WHERE seq >= ? ORDER BY seq LIMIT ?',
      expected,
      PAGE,
    );
    if (page.length === 0) break;
    for (const e of page) {
      const holds = e.seq === expected && e.prev_hash === prev && entryHash(e.prev_hash, e.seq, e.record_type, e.record_id, e.content_hash, e.created_at) === e.hash;
      const mac = seal.entryMac(prevMac, e.hash);
      if (!holds || (e.mac !== null && e.mac !== mac)) {
        unsealedFrom = e.seq;
        break outer;
      }
      if (e.mac === null) {
        update.run(mac, e.seq);
        sealed++;
      }
      prev = e.hash;
      prevMac = mac;
      expected++;
    }
  }
  backfill(raw, at);
  raw.run('INSERT INTO ledger_keying (id, keyed_at, sealed_entries, unsealed_from, coverage) VALUES (1, ?, ?, ?, ?)', at, sealed, unsealedFrom, COVERAGE);
}

/** The first entries of the rows coverage level 1 brings under the ledger. */
function backfill(raw: ReturnType<typeof rawOf>, at: string): void {
  for (const type of BACKFILLED_EVIDENCE) {
    const table = EVIDENCE_TABLES[type];
    const rows = raw.all<Record<string, unknown> & { id: string }>(
      `SELECT t.* FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.record_type = ? AND l.record_id = t.id) ORDER BY t.created_at, t.id`,
      type,
    );
    if (rows.length > 0) appendLedger(raw, rows.map((row) => ({ type, row })), at);
  }
  for (const kind of BACKFILLED_TRACKED) {
    const def = TRACKED[kind];
    const ids = raw.all<{ id: string }>(`SELECT ${def.idColumn} AS id FROM ${def.table} ORDER BY ${def.idColumn}`).map((r) => r.id);
    trackIn(raw, kind, ids, at);
  }
}

function tipOf(raw: Pick<Raw, 'get'>): SealedHead {
  const tip = raw.get<LedgerTip>(LEDGER_TIP_SQL);
  return { count: tip?.seq ?? 0, mac: tip?.mac ?? GENESIS, at: tip?.created_at ?? '' };
}

/** The head last written by this process, per key binding: spares reading the file after every transaction. */
const written = new WeakMap<LedgerSeal, SealedHead>();

/**
 * Whether the chain goes on from `from` (a head once written) to entry `to` with valid seals: `from`'s entry
 * still bears its seal, and every later entry's seal chains on it.
 */
export function chainHoldsFrom(raw: Pick<Raw, 'get' | 'all'>, seal: LedgerSeal, from: SealedHead, to: number): boolean {
  if (from.count > to) return false;
  let prevMac = GENESIS;
  if (from.count > 0) {
    const at = raw.get<{ mac: string | null }>('SELECT mac FROM ledger WHERE seq = ?', from.count);
    if (!at?.mac || !seal.same(at.mac, from.mac)) return false;
    prevMac = at.mac;
  } else if (from.mac !== GENESIS) return false;
  let expected = from.count + 1;
  for (let page; (page = raw.all<{ seq: number; hash: string; mac: string | null }>('SELECT seq, hash, mac FROM ledger WHERE seq >= ? ORDER BY seq LIMIT ?', expected, PAGE)).length > 0; ) {
    for (const e of page) {
      if (e.seq !== expected || e.mac === null || e.mac !== seal.entryMac(prevMac, e.hash)) return false;
      prevMac = e.mac;
      expected++;
    }
  }
  return true;
}

/**
 * Writes the chain's current head to `ledger.head` after a commit that appended entries (inTransaction's top
 * level, the raw transactions that write evidence). Only moves the head forward along valid seals: a head the
 * chain no longer reaches (entries cut, chain rewritten, file missing or forged) is left as it is, for
 * verification to report. Never throws: the commit has happened; a head left behind catches up next time.
 */
export function flushLedgerHead(raw: Pick<Raw, 'get' | 'all' | 'prepare'>): void {
  const seal = ledgerSealOf(raw);
  if (!seal) return;
  try {
    const head = tipOf(raw);
    let last = written.get(seal);
    if (!last) {
      const file = readHeadFile(seal);
      if (file.state !== 'ok') return;
      last = { count: file.count, mac: file.mac, at: file.at };
      written.set(seal, last);
    }
    if (last.count === head.count && last.mac === head.mac) return;
    if (!chainHoldsFrom(raw, seal, last, head.count)) return;
    writeHeadFile(seal, head);
    written.set(seal, head);
  } catch {
    // The head stays behind; verification reports it if it is never caught up.
  }
}
