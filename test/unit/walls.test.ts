import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The walls of architecture.md are lint rules; this proves each one bites, with a message that teaches.
const eslint = new ESLint({ cwd: process.cwd() });

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('architecture walls', () => {
  it.each([
    ['shared/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", 'shared/ is pure'],
    ['shared/domain/x.ts', "import { startBackend } from '../../electron/backend/backend';\nexport const a = startBackend;\n", 'shared/ imports nothing'],
    ['renderer/src/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n", 'the renderer is untrusted'],
    ['renderer/src/x.ts', "import { dispatch } from '../../electron/backend/dispatch';\nexport const a = dispatch;\n", 'only through window.api'],
    ['electron/backend/attendance/x.ts', "import { app } from 'electron';\nexport const a = app;\n", 'plain Node'],
    ['electron/backend/sync/connectors/x.ts', "import { enqueue } from '../../evidence/outbox';\nexport const a = enqueue;\n", 'connector'],
  ])('%s refuses a crossing', async (file, code, expected) => {
    const messages = await errorsFor(file, code);
    expect(messages.join('\n')).toContain('Bad layering');
    expect(messages.join('\n')).toContain(expected);
  });

  it('lets the backend use Node and shared/', async () => {
    expect(await errorsFor('electron/backend/attendance/x.ts', "import { join } from 'node:path';\nimport { AppError } from '../../../shared/errors';\nexport const a = [join, AppError];\n")).toEqual([]);
  });
});
