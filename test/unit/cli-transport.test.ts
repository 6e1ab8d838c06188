import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The CLI is a transport like IPC and the bridge: every command goes through dispatch. A lint wall keeps
// it so; this proves the wall bites on both CLI files and lets the dispatch path through.
const eslint = new ESLint({ cwd: process.cwd() });
async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the CLI reaches the backend through dispatch only', () => {
  it.each([
    ['electron/backend/cli.ts', "import { importLines } from './transfer/transfer';\nexport const a = importLines;\n"],
    ['electron/backend/cli.ts', "import { verifyLedger } from './evidence/ledger';\nexport const a = verifyLedger;\n"],
    ['electron/backend/sync/cli-sync.ts', "import { saveReceiver } from './receivers';\nexport const a = saveReceiver;\n"],
  ])('%s refuses a service import', async (file, code) => {
    expect((await errorsFor(file, code)).join('\n')).toContain('the CLI calls the contract through dispatch');
  });

  it('lets it use the dispatch helper', async () => {
    expect(await errorsFor('electron/backend/cli.ts', "import { call } from './cli-call';\nexport const a = call;\n")).toEqual([]);
  });
});
