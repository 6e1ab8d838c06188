/** scripts/bundle.mjs (behind `npm run cli` and `npm run preview`) and the preview's renderer-build check. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLIDAY_ZONES, publicHolidays } from '../../shared/domain/holidays';
import { ensureBundle } from '../../scripts/bundle.mjs';
import { markRendererBuilt, RENDERER_INPUTS, rendererBuildIsFresh } from '../../scripts/renderer-build.mjs';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sillon-launcher-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const LONG_AGO = new Date('2020-01-01T00:00:00Z');
function write(root: string, file: string, text: string, time = LONG_AGO) {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
  utimesSync(join(root, file), time, time);
}

describe('ensureBundle', () => {
  it('builds once, reuses a fresh bundle, rebuilds when an input is touched, moved or broken', async () => {
    const root = join(tmp, 'app');
    const outDir = join(root, 'out');
    write(root, 'main.ts', "import { value } from './lib/value';\nconsole.log(`value ${value satisfies number}`);\n");
    write(root, 'lib/value.ts', 'export const value: number = 1;\n');
    const build = () => ensureBundle('main.ts', { cwd: root, outDir });
    const run = (file: string) => execFileSync(process.execPath, [file], { encoding: 'utf8' });

    const first = await build();
    expect(first).toEqual({ file: join(outDir, 'main.mjs'), rebuilt: true });
    expect(run(first.file)).toBe('value 1\n');
    expect(JSON.parse(readFileSync(join(outDir, 'main.inputs.json'), 'utf8')).inputs).toEqual(expect.arrayContaining(['main.ts', 'lib/value.ts']));
    expect((await build()).rebuilt).toBe(false);

    // An imported file (not the entry) saved a millisecond after the last build started.
    const lastBuild = () => new Date(JSON.parse(readFileSync(join(outDir, 'main.inputs.json'), 'utf8')).startedAt + 1);
    write(root, 'lib/value.ts', 'export const value: number = 2;\n', lastBuild());
    expect((await build()).rebuilt).toBe(true);
    expect(run(first.file)).toBe('value 2\n');
    expect((await build()).rebuilt).toBe(false);

    // The input moved (its old path vanished); the importer that follows it is older than the build here,
    // on purpose: the missing file alone must force the rebuild.
    rmSync(join(root, 'lib/value.ts'));
    write(root, 'lib/values/index.ts', 'export const value: number = 3;\n');
    write(root, 'main.ts', "import { value } from './lib/values';\nconsole.log(`value ${value satisfies number}`);\n");
    expect((await build()).rebuilt).toBe(true);
    expect(run(first.file)).toBe('value 3\n');

    // A compile error fails the build and leaves the last good bundle in place.
    write(root, 'lib/values/index.ts', 'export const value: number = ;\n', lastBuild());
    await expect(build()).rejects.toThrow(/Build failed/);
    expect(run(first.file)).toBe('value 3\n');
  });
});

describe('the holiday calendar in a bundle', () => {
  it('gives the same days as in Node, from France’s rules and time zones only, without a warning', async () => {
    const root = join(tmp, 'holidays');
    const holidays = join(__dirname, '..', '..', 'shared', 'domain', 'holidays.ts').replaceAll('\\', '/');
    write(root, 'main.ts', `import { HOLIDAY_ZONES, publicHolidays } from '${holidays}';
const out: Record<string, [string, string][]> = {};
for (const zone of HOLIDAY_ZONES) for (let year = 2000; year <= 2060; year++) out[zone + year] = [...publicHolidays(zone, year)];
console.log(JSON.stringify(out));
`);
    const { file } = await ensureBundle('main.ts', { cwd: root, outDir: join(root, 'out') });
    const bundle = readFileSync(file, 'utf8');
    expect(bundle).not.toContain('Europe/Berlin'); // moment-timezone's world data
    expect(bundle).not.toContain('Andorra'); // date-holidays' world data
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const expected: Record<string, [string, string][]> = {};
    for (const zone of HOLIDAY_ZONES) for (let year = 2000; year <= 2060; year++) expected[zone + year] = [...publicHolidays(zone, year)];
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });
});

describe('rendererBuildIsFresh', () => {
  it('is fresh only when no input of the renderer changed since the build started', () => {
    const root = join(tmp, 'repo');
    write(root, 'renderer/src/main.tsx', 'export {};\n');
    write(root, 'shared/domain/dates.ts', 'export {};\n');
    for (const file of ['vite.config.ts', 'tsconfig.json', 'package.json', 'node_modules/.package-lock.json']) write(root, file, '{}\n');
    for (const dir of ['renderer/src', 'renderer', 'shared/domain', 'shared', 'node_modules']) utimesSync(join(root, dir), LONG_AGO, LONG_AGO);
    expect(RENDERER_INPUTS).toContain('shared');

    write(root, 'dist/renderer/index.html', '<!doctype html>\n');
    expect(rendererBuildIsFresh(root)).toBe(false); // built, but by whom and when: unknown

    const builtAt = Date.parse('2024-06-01T00:00:00Z');
    markRendererBuilt(builtAt, root);
    expect(rendererBuildIsFresh(root)).toBe(true);

    write(root, 'shared/domain/dates.ts', 'export const x = 1;\n', new Date(builtAt + 1000));
    expect(rendererBuildIsFresh(root)).toBe(false);
    markRendererBuilt(builtAt + 2000, root);
    expect(rendererBuildIsFresh(root)).toBe(true);

    // A deleted file leaves no newer file behind, only its folder's time.
    rmSync(join(root, 'renderer/src/main.tsx'));
    utimesSync(join(root, 'renderer/src'), new Date(builtAt + 3000), new Date(builtAt + 3000));
    expect(rendererBuildIsFresh(root)).toBe(false);
  });
});
