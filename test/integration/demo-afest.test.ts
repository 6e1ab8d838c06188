import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afestCommand } from '../../electron/backend/afest/cli-afest';
import { testBackend, type TestBackend } from '../helpers/backend';

/**
 * Issue #11, demo data (electron/backend/demo/demo-afest.ts) and the AFEST dossier, worked out by hand for
 * Wednesday 25 November 2026 (Paris), the demo's week starting Monday 23:
 *
 * (a) Parcours TPME, RENAUD Julien at the Menuiserie du Bocage, tutor Patrick Lemoine: analysis 19/10, tutor
 *     designated 21/10 and accepted 22/10, before the first work situation of 28/10. Work situations (MST) on
 *     Wednesdays and Thursdays 28-29/10, 4-5/11, 11-12/11 and 18-19/11, 08:00–15:00 (the one of 12/11 recorded to
 *     16:00, corrected on 13/11): 8 × 420 = 3 360 min; reflective sequences (SR) on Fridays 30/10, 6/11, 13/11 and
 *     20/11, 10:00–11:30, out of production, by the facilitator: 4 × 90 = 360 min; the intermediate evaluation of
 *     20/11, 14:00–15:00: 60 min. 360 h of AFEST planned in 600 h = 60,0 %, no minimum on that programme → compliant.
 * (b) AAP AFEST Nouvelle-Aquitaine, MOREL Océane at the Conserverie des Coteaux: MSTs 10/11 and 11/11, 06:00–13:00
 *     (840 min), SR 12/11 14:00–15:30 (90 min), evaluation 19/11 14:00–15:00 (60 min); the programme asks for
 *     70 % of AFEST and 350 h in a 550 h pathway make 63,6 % → non-compliant, on that one point.
 */
let tb: TestBackend;
let out: string;

beforeAll(async () => {
  tb = await testBackend('2026-11-25T09:00:00Z');
  await tb.api['demo.load']({});
  out = mkdtempSync(join(tmpdir(), 'sillon-afest-'));
}, 60_000);
afterAll(async () => {
  await tb.cleanup();
  rmSync(out, { recursive: true, force: true });
});

async function afests() {
  const list = await tb.api['afest.list']({});
  const tpme = list.find((a) => a.title.includes('menuisier'))!;
  const na = list.find((a) => a.title.includes('agroalimentaire'))!;
  return { list, tpme, na };
}

/** pdftotext's text of a printed PDF, on one line: words separated by single spaces. */
function pdfText(name: string, base64: string): string {
  const file = join(out, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('demo AFESTs', () => {
  it('lists both: the TPME one compliant, the Nouvelle-Aquitaine one failing the 70 % rule at 63,6 %', async () => {
    const { list, tpme, na } = await afests();
    expect(list).toHaveLength(2);
    expect(tpme).toMatchObject({
      traineeName: 'Renaud Julien', companyName: 'Menuiserie du Bocage SARL (fictif)', tutorName: 'Patrick Lemoine (fictif)', facilitatorName: 'Claire Vasseur',
      phase: 'running', compliant: true, failures: 0, lastSequenceDate: '2026-11-20',
      hours: { workSituation: 3360, reflective: 360, evaluation: 60, afest: 3780 },
      share: { plannedPermille: 600, minPercent: null },
    });
    expect(na).toMatchObject({
      traineeName: 'Morel Océane', companyName: 'Conserverie des Coteaux SAS (fictif)', compliant: false, failures: 1,
      hours: { workSituation: 840, reflective: 90, evaluation: 60, afest: 990 },
      share: { plannedPermille: 636, minPercent: 70 },
    });
    const page = await tb.api['afest.get']({ id: na.id });
    const failing = page.compliance.checks.filter((c) => c.status === 'fail');
    expect(failing.map((c) => c.code)).toEqual(['share-planned']);
    expect(failing[0]!.message).toContain("350 h d'AFEST prévues sur 550 h de parcours, soit 63,6 %");
    expect(failing[0]!.message).toContain('au moins 70 %');
    expect(page.programme).toMatchObject({ funderName: 'Région Nouvelle-Aquitaine' });
    expect(page.rules).toEqual({ minSharePercent: 70, facilitatorDistinct: true, fromProgramme: true });
  });

  it('keeps the corrected work situation in the log: the original and its correction with its reason', async () => {
    const { tpme } = await afests();
    const page = await tb.api['afest.get']({ id: tpme.id });
    const versions = page.sequences.filter((s) => s.date === '2026-11-12');
    expect(versions.map((s) => [s.end, s.current, s.reason])).toEqual([
      ['16:00', false, null],
      ['15:00', true, 'Heure de fin rectifiée : 15 h 00 et non 16 h 00 (pause repas déduite)'],
    ]);
    expect(page.evaluations[0]!.attachments.map((a) => a.name)).toEqual(['grille-evaluation-intermediaire.txt', 'photo-bloc-porte-poste-atelier-2.png']);
  });
});

describe('AFEST dossier', () => {
  it('prints the TPME dossier: learner, tutor, the signed log, evaluations with SHA-256, hours, compliance; verify says unchanged', async () => {
    const { tpme } = await afests();
    const page = await tb.api['afest.get']({ id: tpme.id });
    const doc = await tb.api['afest.dossier']({ id: tpme.id });
    expect(doc.fileName).toMatch(/^dossier-afest_renaud-julien_[0-9a-f]{12}\.pdf$/);
    const text = pdfText('tpme.pdf', doc.base64);
    for (const expected of [
      'Dossier AFEST', 'RENAUD Julien (personne fictive)', 'Menuiserie du Bocage SARL (fictif)', 'SIRET 999 004 005 00016', 'CONV-TPME-2026-0147',
      "Patrick Lemoine (fictif), Chef d'atelier", 'désigné(e) le 21/10/2026, mission acceptée le 22/10/2026', 'Claire Vasseur',
      'lundi 19 octobre 2026', 'pose de menuiseries intérieures', 'BC02', "Plan d'évaluation",
      'MST — mercredi 28 octobre 2026, 8 h 00–15 h 00 (7 h)', 'SR — vendredi 30 octobre 2026, 10 h 00–11 h 30 (1 h 30) séquence réflexive',
      'Corrigée le 13/11/2026 : Heure de fin rectifiée', 'Évaluation intermédiaire — vendredi 20 novembre 2026',
      page.evaluations[0]!.attachments[0]!.sha256, 'Part d\'AFEST dans le parcours 60,0 %',
      'Conformité (art. D.6313-3-2 et règles du dispositif) Conforme aucun point à corriger',
    ]) expect(text, expected).toContain(expected);
    // The corrected version only: the original 16:00 end is not in the log printed.
    expect(text).not.toContain('8 h 00–16 h 00');
    expect(text.match(/✓/g)?.length).toBeGreaterThanOrEqual(10);
    expect(text).not.toContain('✗');

    const check = await tb.api['documents.verify']({ shortHash: doc.shortHash });
    expect(check).toMatchObject({ ok: true, status: 'unchanged', kind: 'afest-dossier' });
    expect(check.message).toContain('dossier AFEST');
    // Printed again on the same data: the same fingerprint.
    expect((await tb.api['afest.dossier']({ id: tpme.id })).shortHash).toBe(doc.shortHash);

    // A correction since: the check names the sequence that changed.
    const sr = page.sequences.find((s) => s.current && s.date === '2026-11-20' && s.kind === 'reflective')!;
    await tb.api['afest.correctSequence']({
      sequenceId: sr.id, reason: 'Suites précisées après relecture', date: sr.date, start: sr.start, end: sr.end, ledBy: sr.ledBy, outOfProduction: true,
      reviewedIds: sr.reviewedIds, competenceIds: sr.competenceIds, gapExpected: sr.gapExpected, gapDone: sr.gapDone, gapAcquired: sr.gapAcquired,
      verbalised: sr.verbalised, nextSteps: 'Pose sur chantier client avec le tuteur, deux blocs-portes par jour.',
    });
    const after = await tb.api['documents.verify']({ shortHash: doc.shortHash });
    expect(after.status).toBe('changed');
    expect(after.changes).toContain('la séquence réflexive du vendredi 20 novembre 2026');
  });

  it('prints the Nouvelle-Aquitaine dossier as non-compliant, with the share and its minimum', async () => {
    const { na } = await afests();
    const text = pdfText('na.pdf', (await tb.api['afest.dossier']({ id: na.id })).base64);
    expect(text).toContain('Non conforme : 1 point(s)');
    expect(text).toContain('soit 63,6 % : le dispositif demande au moins 70 %');
    expect(text).toContain("Minimum du dispositif : 70 % d'AFEST dans le parcours");
    expect(text.match(/✗/g)).toHaveLength(1);
  });

  it('refuses an unknown AFEST in French, naming the field', async () => {
    await expect(tb.api['afest.dossier']({ id: '01930000-0000-7000-8000-000000000000' })).rejects.toMatchObject({
      message: 'AFEST introuvable.', api: { code: 'not_found' },
    });
  });
});

describe('afest CLI (in process)', () => {
  it('lists with the compliance state, the shares and the hours; prints a dossier; errors name the option', async () => {
    let written = '';
    const run = (args: string[], opts: Parameters<typeof afestCommand>[2] = {}) => afestCommand(tb, args, opts, (t) => { written += t; });
    await run(['list']);
    expect(written).toContain('Renaud Julien — AFEST menuisier agenceur — pose de menuiseries intérieures');
    expect(written).toContain("conforme  ·  part d'AFEST prévue 60,0 %, réalisée");
    expect(written).toContain('(pas de minimum)  ·  MST 56 h, SR 6 h, évaluation 1 h');
    expect(written).toContain("non conforme (1 point à corriger)  ·  part d'AFEST prévue 63,6 %, réalisée 100,0 % (70 % au moins)  ·  MST 14 h, SR 1 h 30, évaluation 1 h");
    expect(written).toMatch(/2 AFEST, 1 non conforme\(s\)\.\n$/);
    written = '';
    await run(['list'], { json: true });
    const list = JSON.parse(written) as { id: string; compliant: boolean; failures: number }[];
    expect(list.map((a) => [a.compliant, a.failures]).sort()).toEqual([[false, 1], [true, 0]]);

    const file = join(out, 'cli-dossier.pdf');
    written = '';
    await run(['dossier', list.find((a) => a.compliant)!.id], { out: file });
    expect(written).toMatch(/^Dossier AFEST signé écrit dans .*cli-dossier\.pdf \(\d+ Ko, empreinte [0-9a-f]{12}, proposé à l'origine sous le nom dossier-afest_renaud-julien_[0-9a-f]{12}\.pdf\)\.\n$/);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await expect(run(['dossier'])).rejects.toThrow(/Indiquez l'identifiant de l'AFEST/);
    await expect(run(['dossier', list[0]!.id])).rejects.toThrow('Option --out manquante (ex. --out dossier-afest.pdf).');
    await expect(run(['dossier', list[0]!.id], { out: join(out, 'missing-folder', 'x.pdf') })).rejects.toThrow(/^Option --out : impossible d'écrire/);
    expect(existsSync(join(out, 'missing-folder'))).toBe(false);
    await expect(run(['frobnicate'])).rejects.toThrow('Sous-commande inconnue « frobnicate » : afest list ou afest dossier.');
  });
});
