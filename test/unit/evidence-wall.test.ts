import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One write path for evidence: only electron/backend/evidence/ appends to the ledger (writer.ts, in the
 * transaction that inserts the rows), and services never hold the SQLite handle. Both are lint rules; this
 * proves they bite, and scans the tree for what a lint rule cannot see (SQL text).
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx|mjs|js)$/.test(e.name) ? [path] : [];
  });
}

describe('the evidence writer is the only way into the ledger', () => {
  it.each([
    ['electron/backend/attendance/x.ts', "import { appendLedger } from '../evidence/ledger';\nexport const a = appendLedger;\n"],
    ['electron/backend/documents/x.ts', "import * as ledger from '../evidence/ledger.ts';\nexport const a = ledger;\n"],
    ['test/integration/x.test.ts', "import { appendLedger } from '../../electron/backend/evidence/ledger';\nexport const a = appendLedger;\n"],
    ['bench/x.bench.ts', "import { appendLedger } from '../electron/backend/evidence/ledger';\nexport const a = appendLedger;\n"],
  ])('%s may not import the ledger appender', async (file, code) => {
    expect((await errorsFor(file, code)).join('\n')).toContain('evidence writer');
  });

  it('lets evidence/ itself and everyone else use the writer, the hashes and the verification', async () => {
    expect(await errorsFor('electron/backend/evidence/writer.ts', "import { appendLedger } from './ledger';\nexport const a = appendLedger;\n")).toEqual([]);
    const open = "import { writeEvidence } from '../evidence/writer';\nimport { sha256 } from '../evidence/hash';\nimport { verifyLedger } from '../evidence/verify';\nexport const a = [writeEvidence, sha256, verifyLedger];\n";
    expect(await errorsFor('electron/backend/attendance/x.ts', open)).toEqual([]);
  });

  it('keeps the SQLite handle out of services (types allowed), inside db/', async () => {
    expect((await errorsFor('electron/backend/sync/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n")).join('\n')).toContain('withRaw');
    expect(await errorsFor('electron/backend/sync/x.ts', "import type Database from 'better-sqlite3';\nexport type A = Database.Database;\n")).toEqual([]);
    expect(await errorsFor('electron/backend/db/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n")).toEqual([]);
  });

  it('no backend file outside evidence/ writes the ledger or an evidence table in SQL text', () => {
    const offenders = sources('electron')
      .filter((f) => !f.startsWith(join('electron', 'backend', 'evidence')))
      .filter((f) => /INSERT\s+(OR\s+\w+\s+)?INTO\s+(ledger|documents|signatures|attendance_marks|slot_closures|connection_logs|connection_log_rows|printed_documents)\b/i.test(readFileSync(f, 'utf8')))
      .map((f) => relative('.', f));
    expect(offenders).toEqual([]);
  });
});
