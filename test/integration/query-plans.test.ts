/**
 * Query plans on a migrated real database: the hot queries find their rows through an index, never by
 * reading a whole table. The SQL comes from where the code defines it (exported constants) or is captured
 * as the code prepares it (every statement a real call prepares), so these tests follow the code.
 * The benchmarks that print `plan_uses_index` (bench/rollcall.bench.ts) rest on the same assertions.
 */
import type Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { startBackend, type Backend } from '../../electron/backend/backend';
import { LEDGER_HEAD_SQL, LEDGER_TIP_SQL } from '../../electron/backend/evidence/hash';
import { EXPECTED_ENROLMENTS_SQL, SLOT_MARKS_SQL } from '../../electron/backend/attendance/attendance';
import { LATEST_VERSION_SQL } from '../../electron/backend/evidence/outbox';
import { DUE_ITEMS_SQL } from '../../electron/backend/sync/batches';
import { STATE_COUNTS_SQL } from '../../electron/backend/sync/status';
import type { RollCall } from '../../shared/schemas/attendance';
import { testBackend, type TestBackend } from '../helpers/backend';

/** The plan's lines; parameters bound to NULL (without ANALYZE statistics the plan does not depend on them). */
function plan(raw: Database.Database, sql: string): string[] {
  const explain = raw.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const names = [...new Set([...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
  const rows = (args: unknown[]) => explain.all(...args) as { detail: string }[];
  if (names.length > 0) return rows([Object.fromEntries(names.map((n) => [n, null]))]).map((r) => r.detail);
  for (let n = 0; ; n++) {
    try {
      return rows(Array.from({ length: n }, () => null)).map((r) => r.detail);
    } catch (e) {
      if (!/Too few parameter/.test((e as Error).message) || n > 100) throw e;
    }
  }
}

/** Tables read whole by design: short reference lists shown in full (pickers, the status set). */
const SMALL_TABLES = new Set(['trainers', 'places', 'attendance_kinds']);

/** The tables a plan reads whole (`SCAN t`, `SCAN t USING INDEX …`), small reference lists left out. */
function scans(lines: string[]): string[] {
  return lines.flatMap((l) => {
    const m = /^SCAN (\w+)/.exec(l);
    return m && !SMALL_TABLES.has(m[1]!) && !/^SCAN (CONSTANT ROW|json_each)/.test(l) ? [l] : [];
  });
}

let tb: TestBackend;
beforeAll(async () => {
  tb = await testBackend('2026-11-23T09:00:00Z');
  await tb.api['demo.load']({});
});
afterAll(async () => tb.cleanup());

describe('the queries the code exports', () => {
  it('roll call: the slot marks through attendance_marks_slot', () => {
    const p = plan(tb.raw, SLOT_MARKS_SQL);
    expect(p.join('\n')).toMatch(/^SEARCH attendance_marks USING INDEX attendance_marks_slot \(slot_id=\?\)$/m);
    expect(scans(p)).toEqual([]);
  });

  it('roll call: the expected enrolments through the session, their exits through the status index', () => {
    const p = plan(tb.raw, EXPECTED_ENROLMENTS_SQL).join('\n');
    expect(p).toMatch(/SEARCH sl USING INDEX sqlite_autoindex_slots_1 \(id=\?\)/);
    expect(p).toMatch(/SEARCH e USING INDEX sqlite_autoindex_enrolments_2 \(session_id=\?\)/);
    // The shared rule's two status look-ups (exited before the date, suspended on it), each by the status index.
    expect(p.match(/SEARCH \w+ USING INDEX enrolment_statuses_enrolment \(enrolment_id=\? AND effective_date<\?\)/g)).toHaveLength(2);
    expect(p).toMatch(/SEARCH t USING INDEX sqlite_autoindex_trainees_1 \(id=\?\)/);
    expect(p).not.toMatch(/SCAN/);
  });

  it('outbox: a record’s latest version through UNIQUE (record_id, version)', () => {
    const p = plan(tb.raw, LATEST_VERSION_SQL).join('\n');
    expect(p).toMatch(/SEARCH outbox USING COVERING INDEX sqlite_autoindex_outbox_1 \(record_id=\?\)/);
    expect(p).not.toMatch(/SCAN/);
  });

  it('ledger: the chain’s head by its primary key, without a sort', () => {
    const p = plan(tb.raw, LEDGER_HEAD_SQL).join('\n');
    // `SCAN ledger` here walks the rowid B-tree backwards and stops at the first row (LIMIT 1), no sort.
    expect(p).toBe('SCAN ledger');
    expect(p).not.toMatch(/TEMP B-TREE/);
    // The same for the head with its seal (schema 9), which the appender and the head file read.
    expect(plan(tb.raw, LEDGER_TIP_SQL).join('\n')).toBe('SCAN ledger');
  });

  it('sync: the due items through sync_items_due and sync_items_record, no scan, no sort', () => {
    const p = plan(tb.raw, DUE_ITEMS_SQL).join('\n');
    expect(p).toMatch(/SEARCH i USING (COVERING )?INDEX sync_items_due \(receiver_id=\? AND state=\?\)/);
    expect(p).toMatch(/SEARCH o USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(p).toMatch(/SEARCH j USING (COVERING )?INDEX sync_items_record \(receiver_id=\? AND record_id=\? AND version>\?\)/);
    expect(p).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it('sync: the counts per state from the covering index', () => {
    const p = plan(tb.raw, STATE_COUNTS_SQL).join('\n');
    expect(p).toMatch(/SEARCH sync_items USING COVERING INDEX sync_items_due \(receiver_id=\?\)/);
    expect(p).not.toMatch(/SCAN/);
  });
});

/**
 * Every statement a call prepares, on a fresh connection to the demo's database (a connection caches its
 * prepared statements, so the first call of each kind prepares them all).
 */
describe('every query of a call, as the code prepares it', () => {
  let backend: Backend;
  let prepared: string[];
  let slotId: string;
  let sessionId: string;
  let rollCall: RollCall;

  beforeAll(async () => {
    const sessions = await tb.api['sessions.list']({});
    sessionId = sessions.find((s) => s.label.includes('étoiles'))!.id;
    const page = await tb.api['sessions.get']({ id: sessionId });
    slotId = page.slots.find((s) => s.date >= '2026-11-23')!.id;
    await tb.close();
    backend = await startBackend(tb.dataDir);
    const raw = backend.raw;
    const prepare = raw.prepare.bind(raw);
    prepared = [];
    raw.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof raw.prepare;
  });
  afterAll(async () => {
    await backend.close();
    // tb's own connection was closed above: only its folder is left to remove.
    const dir = tb.dataDir;
    tb = { ...tb, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  });

  /** The reads among the statements `fn` prepared, with the tables their plans read whole. */
  async function readsOf(fn: () => Promise<unknown>): Promise<{ sql: string; scans: string[] }[]> {
    prepared.length = 0;
    await fn();
    const reads = [...new Set(prepared)].filter((sql) => /^\s*(SELECT|WITH)\b/i.test(sql));
    expect(reads.length).toBeGreaterThan(0);
    // The ledger's head is the one intended `SCAN`: backwards on the primary key, stopped at the first row.
    return reads.map((sql) => ({ sql, scans: sql === LEDGER_HEAD_SQL || sql === LEDGER_TIP_SQL ? [] : scans(plan(backend.raw, sql)) }));
  }

  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await backend.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };

  it('the session page (sessions.get) reads no whole table but the short reference lists', async () => {
    const reads = await readsOf(() => call('sessions.get', { id: sessionId }));
    expect(reads.filter((r) => r.scans.length > 0)).toEqual([]);
  });

  it('the roll-call screen (attendance.rollCall) reads no whole table', async () => {
    const reads = await readsOf(async () => (rollCall = await call<RollCall>('attendance.rollCall', { slotId })));
    expect(reads.some((r) => r.sql === SLOT_MARKS_SQL)).toBe(true);
    expect(reads.filter((r) => r.scans.length > 0)).toEqual([]);
  });

  it('the trainee search (trainees.list) reads the index trainees_search alone for the count, and pages without a sort', async () => {
    const reads = await readsOf(() => call('trainees.list', { search: 'hélène lef', limit: 50, offset: 0 }));
    const plans = reads.map((r) => ({ sql: r.sql, plan: plan(backend.raw, r.sql).join('\n') }));
    const count = plans.find((p) => /count\(\*\)/.test(p.sql))!;
    const page = plans.find((p) => /limit/i.test(p.sql))!;
    expect(count.plan).toMatch(/^SEARCH trainees USING COVERING INDEX trainees_search \(deleted_at=\?\)$/m);
    expect(page.plan).toMatch(/^SEARCH trainees USING INDEX trainees_search \(deleted_at=\?\)$/m);
    expect(page.plan).not.toMatch(/TEMP B-TREE/);
  });

  it('recording and closing a roll call (attendance.record) reads no whole table', async () => {
    const trainerId = rollCall.slot.trainers[0]!.id;
    const marks = rollCall.rows.map((r) => ({ enrolmentId: r.enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur' }));
    const reads = await readsOf(() => call('attendance.record', { slotId, submissionId: uuidv7(), marks, close: { trainerId, method: 'paper' } }));
    expect(reads.some((r) => r.sql === LATEST_VERSION_SQL)).toBe(true);
    expect(reads.filter((r) => r.scans.length > 0)).toEqual([]);
  });
});
