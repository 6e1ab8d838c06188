import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run cli -- afest …` in a child process, as a person runs it (scripts/cli.mjs, the bundle rebuilt when a
 * source changed), on the demo data: `afest list --json`, `afest dossier ID --out F.pdf`, then the dossier's
 * short hash checked by `verify --document`. Errors on stderr in French, naming the option.
 */
let tmp: string;

const cli = (...args: string[]) => runCli(args);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sillon-cli-afest-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('CLI afest', { timeout: 300_000 }, () => {
  it('lists the demo AFESTs as JSON, prints a signed dossier that verifies, and names a missing option in French', async () => {
    const dir = join(tmp, 'demo');
    const demo = await cli('demo', '--data-dir', dir);
    expect(demo.code, demo.stderr).toBe(0);

    const listed = await cli('afest', 'list', '--json', '--data-dir', dir);
    expect(listed.code, listed.stderr).toBe(0);
    const list = JSON.parse(listed.stdout) as { id: string; title: string; compliant: boolean; failures: number; share: { plannedPermille: number | null; minPercent: number | null }; hours: Record<string, number> }[];
    expect(list).toHaveLength(2);
    const tpme = list.find((a) => a.title.includes('menuisier'))!;
    const na = list.find((a) => a.title.includes('agroalimentaire'))!;
    expect(tpme).toMatchObject({ compliant: true, failures: 0, share: { plannedPermille: 600, minPercent: null }, hours: { workSituation: 3360, reflective: 360, evaluation: 60 } });
    expect(na).toMatchObject({ compliant: false, failures: 1, share: { plannedPermille: 636, minPercent: 70 } });

    const text = await cli('afest', 'list', '--data-dir', dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("non conforme (1 point à corriger)  ·  part d'AFEST prévue 63,6 %");

    const file = join(tmp, 'dossier.pdf');
    const printed = await cli('afest', 'dossier', tpme.id, '--out', file, '--data-dir', dir);
    expect(printed.code, printed.stderr).toBe(0);
    const hash = /empreinte ([0-9a-f]{12})/.exec(printed.stdout)?.[1];
    expect(hash, printed.stdout).toBeDefined();
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const verified = await cli('verify', '--document', hash!, '--data-dir', dir);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^Document authentique et inchangé : dossier AFEST émis\(e\) le /);

    const noOut = await cli('afest', 'dossier', tpme.id, '--data-dir', dir);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toBe('Erreur : Option --out manquante (ex. --out dossier-afest.pdf).\n');
    const noId = await cli('afest', 'dossier', '--out', file, '--data-dir', dir);
    expect(noId.code).toBe(1);
    expect(noId.stderr).toMatch(/^Erreur : Indiquez l'identifiant de l'AFEST/);
  });
});
