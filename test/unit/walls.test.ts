import { ESLint } from 'eslint';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// The walls of architecture.md are lint rules and per-layer tsconfigs; this proves each one bites, with a
// message that teaches, and that the legitimate neighbour of each crossing still passes.
const eslint = new ESLint({ cwd: process.cwd() });
const WALL_RULES = new Set(['no-restricted-imports', 'no-restricted-globals', 'no-restricted-properties', 'no-restricted-syntax']);

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && WALL_RULES.has(m.ruleId)).map((m) => m.message);
}

describe('architecture walls: imports', () => {
  it.each([
    ['shared/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", 'shared/ is pure'],
    ['shared/domain/x.ts', "import { startBackend } from '../../electron/backend/backend';\nexport const a = startBackend;\n", 'shared/ imports nothing'],
    ['renderer/src/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n", 'the renderer is untrusted'],
    ['renderer/src/x.ts', "import { dispatch } from '../../electron/backend/dispatch';\nexport const a = dispatch;\n", 'only through window.api'],
    ['electron/backend/attendance/x.ts', "import { app } from 'electron';\nexport const a = app;\n", 'plain Node'],
    ['electron/backend/sync/connectors/x.ts', "import { enqueue } from '../../evidence/outbox';\nexport const a = enqueue;\n", 'connector'],
    // The connectors' own wall must not replace the backend's: a connector is backend code too.
    ['electron/backend/sync/connectors/x.ts', "import { app } from 'electron';\nexport const a = app;\n", 'plain Node'],
  ])('%s refuses a crossing', async (file, code, expected) => {
    const messages = await errorsFor(file, code);
    expect(messages.join('\n')).toContain('Bad layering');
    expect(messages.join('\n')).toContain(expected);
  });

  it('lets the backend use Node and shared/', async () => {
    expect(await errorsFor('electron/backend/attendance/x.ts', "import { join } from 'node:path';\nimport { AppError } from '../../../shared/errors';\nexport const a = [join, AppError];\n")).toEqual([]);
  });
});

describe('architecture walls: globals', () => {
  it.each([
    ['renderer/src/x.ts', 'export const mode = process.env.NODE_ENV;\n', "'process'", 'the renderer is a sandboxed web page'],
    ['renderer/src/pages/X.tsx', "export const bytes = Buffer.from('a');\n", "'Buffer'", 'the renderer is a sandboxed web page'],
    ['renderer/src/x.ts', "export const fs = require('node:fs');\n", "'require'", 'the renderer is a sandboxed web page'],
    ['renderer/src/x.ts', 'export const here = __dirname;\n', "'__dirname'", 'the renderer is a sandboxed web page'],
    ['renderer/src/x.ts', 'export const env = globalThis.process.env;\n', "'process'", 'the renderer is a sandboxed web page'],
    ['shared/domain/x.ts', "export const bytes = Buffer.from('a');\n", "'Buffer'", 'shared/ is pure ECMAScript'],
    ['shared/domain/x.ts', 'export const tz = process.env.TZ;\n', "'process'", 'shared/ is pure ECMAScript'],
    ['shared/schemas/x.ts', 'export const title = document.title;\n', "'document'", 'shared/ is pure ECMAScript'],
    ['shared/domain/x.ts', 'export const later = (f: () => void) => setTimeout(f, 10);\n', "'setTimeout'", 'shared/ is pure ECMAScript'],
    ['shared/domain/x.ts', "export const u = new URL('https://a.fr');\n", "'URL'", 'shared/ is pure ECMAScript'],
    ['shared/domain/x.ts', "export const b = window.Buffer.from('a');\n", "'window'", 'shared/ is pure ECMAScript'],
  ])('%s refuses %s', async (file, code, name, expected) => {
    const messages = (await errorsFor(file, code)).join('\n');
    expect(messages).toContain(`Unexpected use of ${name}`);
    expect(messages).toContain(`Bad layering: ${expected}`);
  });

  it('lets the renderer use the browser, shared/ use ECMAScript, and the backend use Node', async () => {
    expect(await errorsFor('renderer/src/x.ts', "export const t = [document.title, window.location.href, new URL('https://a.fr').host];\n")).toEqual([]);
    expect(await errorsFor('shared/domain/x.ts', "export const f = [new Intl.DateTimeFormat('fr-FR'), JSON.stringify([1]), Math.max(1, 2), globalThis.Array.isArray([])];\n")).toEqual([]);
    expect(await errorsFor('electron/backend/sync/x.ts', "export const t = [process.env.HOME, Buffer.from('a'), setImmediate];\n")).toEqual([]);
  });
});

describe('architecture walls: the injected clock', () => {
  it.each([
    ['electron/backend/attendance/x.ts', 'export const at = Date.now();\n'],
    ['electron/backend/sessions/x.ts', 'export const at = new Date().toISOString();\n'],
    ['electron/backend/sync/x.ts', 'export const clock = Date.now;\n'],
    ['electron/backend/db/open.ts', 'export const at = new Date();\n'],
    ['electron/backend/x.ts', 'export const at = Date();\n'],
    ['shared/domain/x.ts', 'export const at = Date.now();\n'],
    ['shared/domain/x.ts', 'export const at = new Date();\n'],
  ])('%s refuses `%s`', async (file, code) => {
    const messages = (await errorsFor(file, code)).join('\n');
    expect(messages).toContain('Bad layering: time comes from the injected clock');
  });

  it('allows parsing and copying a date, everywhere the clock is forbidden', async () => {
    const code = "export const d = [new Date('2026-01-01'), new Date(Date.UTC(2026, 0, 1)), Date.parse('2026-01-01T08:00:00Z')];\n";
    expect(await errorsFor('shared/domain/x.ts', code)).toEqual([]);
    expect(await errorsFor('electron/backend/attendance/x.ts', code)).toEqual([]);
  });

  it('lets context.ts own the wall clock, and the renderer and tests read it', async () => {
    expect(await errorsFor('electron/backend/context.ts', 'export const systemClock = (): Date => new Date();\nexport const ms = Date.now();\n')).toEqual([]);
    expect(await errorsFor('renderer/src/x.ts', 'export const today = new Date();\n')).toEqual([]);
    expect(await errorsFor('test/unit/x.test.ts', 'export const at = Date.now();\n')).toEqual([]);
  });
});

// One tsconfig per layer: compile small files with each layer's own options and read the diagnostics.
describe('architecture walls: one tsconfig per layer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sillon-walls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function layer(config: string): ts.ParsedCommandLine {
    const parsed = ts.getParsedCommandLineOfConfigFile(resolve(config), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    if (!parsed) throw new Error(`cannot read ${config}`);
    return parsed;
  }

  /** Compiles each snippet as its own module under the layer's options; returns the error codes per snippet. */
  function compile(config: string, snippets: Record<string, string>): Record<string, number[]> {
    const files = Object.entries(snippets).map(([name, code]) => {
      const file = join(dir, `${config}-${name}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      return [name, file] as const;
    });
    const program = ts.createProgram({ rootNames: files.map(([, f]) => f), options: layer(config).options });
    return Object.fromEntries(files.map(([name, file]) => [name, ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => d.code)]));
  }

  // 2584: "Cannot find name 'document'… include 'dom'"; 2591: "Cannot find name 'process'… add 'node' to the types field".
  const noDom = [2584];
  const noNode = [2591];

  it('shared/ compiles with ECMAScript only: no DOM, no Node', () => {
    expect(compile('tsconfig.shared.json', {
      dom: 'document.title = "x";',
      node: 'process.exit(1);',
      buffer: 'Buffer.from("x");',
      es: 'const f = new Intl.DateTimeFormat("fr-FR"); f.format(new Date("2026-01-01")); [1, 2].at(-1);',
    })).toEqual({ dom: noDom, node: noNode, buffer: noNode, es: [] });
  });

  it('the renderer compiles with the DOM and without Node', () => {
    expect(compile('tsconfig.renderer.json', {
      node: 'process.exit(1);',
      dom: 'document.title = "x"; new URL("https://a.fr");',
    })).toEqual({ node: noNode, dom: [] });
  });

  it.each(['tsconfig.backend.json', 'tsconfig.electron.json'])('%s compiles with Node and without the DOM', (config) => {
    expect(compile(config, {
      dom: 'document.title = "x";',
      node: 'process.exitCode = Buffer.from("x").length;',
    })).toEqual({ dom: noDom, node: [] });
  });

  it('every source file of a layer is checked by its layer config', () => {
    const layers = ['tsconfig.shared.json', 'tsconfig.renderer.json', 'tsconfig.backend.json', 'tsconfig.electron.json'];
    const covered = new Set(layers.flatMap((c) => layer(c).fileNames.map((f) => relative(process.cwd(), f))));
    const sources = ['shared', 'renderer', 'electron', 'migrations'].flatMap((top) =>
      readdirSync(top, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f)).map((f) => join(top, f)),
    );
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((f) => !covered.has(f))).toEqual([]);
  });
});
