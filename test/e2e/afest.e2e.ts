import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, artifactPath, ensureRendererBuilt, launchChromium, openScreen, type Running, seriousViolations, settled, startApp, watchPageErrors } from './helpers';

/**
 * Issue #11, the AFEST screens, only through the UI but for the referentials: a training body sets up the AFEST
 * of Julien Rolland (fictitious) in a joinery — the programme's rule (70 % of AFEST), the partner company, a
 * tutor created on the spot, the facilitator, the convention, the analysis of the work activity, two target
 * competences, the hours — watching the compliance panel follow as it types; logs a work situation (MST) and a
 * reflective sequence (SR) with both signatures drawn on the pads (an SR overlapping the MST is refused next to
 * its field first, and nothing is lost); corrects the MST; records a final evaluation with a photo; the panel
 * turns green. Then the dossier (PDF), and tutor mode on a tablet (820 × 1180, touch): « Qui êtes-vous ? », the
 * learner, today's work situation in two taps and two signatures. axe-core on every screen.
 *
 * Today is Monday 23 November 2026, 10:00 in Paris. By hand: MST 16/11 09:00–12:00 = 180 min (then corrected to
 * 11:30: 150 min); SR 16/11 14:00–15:30 = 90 min; final evaluation 20/11 10:00–10:30 = 30 min; tutor mode's MST
 * 23/11 09:00–10:00 = 60 min. AFEST realised 150 + 90 + 30 = 270 min, no other module: 100 % ≥ 70 %.
 * Planned: 350 h of AFEST in a 410 h pathway = 85,3 % ≥ 70 %.
 */
const BASE = Date.parse('2026-11-23T09:00:00Z');
const TRAINEE = /Rolland/i;
/** A field's label, exactly, its required mark aside (« Début * »). */
const field = (label: string) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('AFEST through the UI', () => {
  let app: Running;
  let screen: AppScreen;
  let page: Page;
  let ids: { company: string; trainer: string; session: string; enrolment: string; programme: string };
  let afestId = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    const started = Date.now();
    app = await startApp({ now: () => new Date(BASE + (Date.now() - started)) });
    await app.call('organisation.save', { name: 'OF Test', siret: '73282932000074', city: 'Nantes', postcode: '44000', nda: '11755555575' });
    const company = await app.call('companies.save', { name: 'Menuiserie du Bocage (fictive)', siret: '99900210810001', city: 'Cholet', postcode: '49300' });
    const trainer = await app.call('trainers.save', { lastName: 'Vasseur', firstName: 'Claire', kind: 'internal' });
    const action = await app.call('actions.save', { title: 'Parcours TPME — menuisier', plannedMinutes: 410 * 60, modality: 'afest' });
    const session = await app.call('sessions.save', { actionId: action.id, label: 'TPME Cholet', mode: 'cohort', capacity: 8, startDate: '2026-10-01', endDate: '2027-06-30' });
    const trainee = await app.call('trainees.save', { lastName: 'Rolland', firstName: 'Julien', birthDate: '1979-04-02' });
    const enrolment = await app.call('enrolments.create', { sessionId: session.id, traineeId: trainee.id, companyId: company.id, funderCode: 'REGION' });
    const programme = await app.call('programmes.save', { code: 'TPME-T', name: 'Parcours TPME', funderCode: 'REGION' });
    ids = { company: company.id, trainer: trainer.id, session: session.id, enrolment: enrolment.id, programme: programme.id };
    screen = await openScreen(app, { timezoneId: 'Europe/Paris', acceptDownloads: true, clock: BASE });
    page = screen.page;
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  const main = () => page.getByRole('main');
  const panel = () => page.getByTestId('afest-compliance');
  const statusOf = (p: Page, code: string) => p.getByTestId('afest-compliance').locator(`li[data-code="${code}"]`).getAttribute('data-status');
  const statuses = async (p: Page) =>
    Object.fromEntries(await p.getByTestId('afest-compliance').locator('li[data-code]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-code'), e.getAttribute('data-status')])));
  const afest = () => app.call('afest.get', { id: afestId });

  /** Draws a two-stroke signature with the mouse on a signature pad's canvas (as the roll call's test does). */
  async function drawSignature(canvas: Locator) {
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const x0 = box.x + box.width * 0.12;
    const y0 = box.y + box.height * 0.5;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 24; i++) await page.mouse.move(x0 + i * box.width * 0.025, y0 + Math.sin(i / 2.1) * box.height * 0.22, { steps: 2 });
    await page.mouse.up();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.78);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.72, { steps: 10 });
    await page.mouse.up();
  }

  it('sets the programme rule, then creates the AFEST from « Nouvelle AFEST »', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'AFEST', exact: true }).click();
    await settled(page);
    expect(await page.getByRole('heading', { level: 1, name: 'AFEST' }).isVisible()).toBe(true);
    expect(await main().getByText('Aucune AFEST pour l’instant').isVisible()).toBe(true);

    // Règles AFEST: Parcours TPME demands 70 % of AFEST in the pathway.
    const rules = page.getByRole('region', { name: 'Règles AFEST par dispositif' });
    await rules.getByRole('button', { name: 'Définir — Parcours TPME' }).click();
    const ruleForm = page.getByRole('region', { name: 'Règles AFEST — Parcours TPME' });
    await ruleForm.getByLabel('Part minimale d’AFEST (%)').fill('170');
    await ruleForm.getByRole('button', { name: 'Enregistrer les règles' }).click();
    await expect.poll(() => ruleForm.getByText('Part minimale : entre 1 et 100 %.').isVisible()).toBe(true);
    await ruleForm.getByLabel('Part minimale d’AFEST (%)').fill('70');
    await ruleForm.getByLabel('Note').fill('AAP AFEST Nouvelle-Aquitaine');
    await ruleForm.getByRole('button', { name: 'Enregistrer les règles' }).click();
    await expect.poll(() => rules.getByRole('status').textContent()).toContain('Règles AFEST de « Parcours TPME » enregistrées.');
    expect((await app.call('afest.rules', {})).find((r) => r.programmeId === ids.programme)).toMatchObject({ minSharePercent: 70, facilitatorDistinct: true, note: 'AAP AFEST Nouvelle-Aquitaine' });
    expect(await rules.getByRole('row').filter({ hasText: 'Parcours TPME' }).innerText()).toMatch(/70 %/);

    await page.getByRole('button', { name: 'Nouvelle AFEST' }).click();
    const form = page.getByRole('region', { name: 'Nouvelle AFEST' });
    await form.getByRole('button', { name: 'Créer l’AFEST' }).click();
    await expect.poll(() => form.getByText('Choisissez la session de l’apprenant.').isVisible()).toBe(true);
    await form.getByLabel('Session').selectOption(ids.session);
    await expect.poll(() => form.getByLabel('Apprenant').locator('option').count()).toBe(2);
    await form.getByLabel('Apprenant').selectOption(ids.enrolment);
    expect(await form.getByLabel('Intitulé de l’AFEST').inputValue()).toBe('AFEST — Parcours TPME — menuisier');
    await form.getByLabel('Intitulé de l’AFEST').fill('Pose de menuiseries intérieures');
    expect(await seriousViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Créer l’AFEST' }).click();
    await page.waitForURL(/#\/afest\/[0-9a-f-]+$/);
    await settled(page);
    afestId = page.url().split('/').at(-1)!;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Pose de menuiseries intérieures');
    // Nothing set up yet: the panel says what is missing, component by component.
    expect(await statusOf(page, 'analysis')).toBe('fail');
    expect(await statusOf(page, 'partner-company')).toBe('fail');
    expect(await panel().getByText(/\d+ points à corriger/).first().isVisible()).toBe(true);
  });

  it('sets it up: the panel follows what is typed, a « Corriger » focuses its field, a wrong date is refused next to it', async () => {
    // « Corriger » on the missing company puts the focus on the company field of the set-up.
    await panel().getByRole('button', { name: 'Corriger — Entreprise partenaire' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('afest-setup-companyId');
    await page.getByLabel(field('Dispositif')).selectOption(ids.programme);
    await page.getByLabel('Entreprise partenaire').selectOption(ids.company);
    expect(await panel().getByText('Aperçu avec les modifications non enregistrées de la mise en place.').isVisible()).toBe(true);
    await expect.poll(() => statusOf(page, 'partner-company')).toBe('pass');

    // The tutor, created without leaving the set-up.
    await page.getByRole('button', { name: 'Nouveau tuteur' }).click();
    const tutorGroup = page.getByRole('group', { name: 'Nouveau tuteur — Menuiserie du Bocage (fictive)' });
    await tutorGroup.getByLabel(field('Nom')).fill('Lebrun');
    await tutorGroup.getByLabel('Prénom').fill('Patrick');
    await tutorGroup.getByLabel('Fonction').fill('Chef d’atelier');
    await tutorGroup.getByLabel('Formation reçue comme tuteur').fill('Formation tuteur AFEST, 2 jours, 2025');
    await tutorGroup.getByRole('button', { name: 'Enregistrer le tuteur' }).click();
    await expect.poll(() => tutorGroup.count()).toBe(0);
    const tutor = (await app.call('afest.tutors', { companyId: ids.company }))[0]!;
    expect(tutor).toMatchObject({ lastName: 'Lebrun', firstName: 'Patrick', jobTitle: 'Chef d’atelier', tutorTraining: 'Formation tuteur AFEST, 2 jours, 2025' });
    await expect.poll(() => page.getByLabel('Tuteur désigné').inputValue()).toBe(tutor.id);
    expect(await page.getByText('Formation de tuteur : Formation tuteur AFEST, 2 jours, 2025').isVisible()).toBe(true);

    // Accepted before designated: refused next to the acceptance date.
    await page.getByLabel('Date de désignation du tuteur').fill('02/11/2026');
    await page.getByLabel('Date d’acceptation par le tuteur').fill('01/11/2026');
    await page.getByLabel('Formateur animateur (le « tiers »)').selectOption(ids.trainer);
    await page.getByLabel('Référence de la convention').fill('CONV-2026-014');
    await page.getByLabel('Date de l’analyse de l’activité').fill('30/10/2026');
    await page.getByLabel('Situations de travail retenues').fill('Pose de bloc-porte, poste atelier 2');
    await page.getByLabel('Tâches confiées').fill('Lecture de plan ; réglages machine ; pose');
    await page.getByLabel('Points critiques').fill('Aplomb, jeu de fonctionnement');
    await page.getByLabel('Aménagements à visée pédagogique').fill('Rythme réduit, pièces d’essai');
    await page.getByLabel('Points de sécurité').fill('EPI, consignation des machines');
    await page.getByRole('button', { name: 'Ajouter une compétence' }).click();
    await page.getByLabel('Compétence visée 1').fill('Contrôler l’aplomb d’un bloc-porte');
    await page.getByRole('button', { name: 'Ajouter une compétence' }).click();
    await page.getByLabel('Compétence visée 2').fill('Ordonner le montage');
    await page.getByLabel('Bloc de compétences (code)').nth(1).fill('BC02');
    await page.getByLabel('Modalités d’évaluation prévues').fill('Pose observée en fin de parcours, grille d’évaluation');
    await page.getByLabel('Heures d’AFEST prévues').fill('350');
    await page.getByLabel('Heures du parcours prévues').fill('410');
    await page.getByLabel('Début de l’AFEST').fill('02/11/2026');
    await page.getByLabel('Fin de l’AFEST').fill('30/06/2027');
    // Live: the analysis and the share pass before anything is saved.
    await expect.poll(() => statusOf(page, 'analysis')).toBe('pass');
    await expect.poll(() => statusOf(page, 'share-planned')).toBe('pass');
    expect(await panel().locator('li[data-code="share-planned"]').textContent()).toContain('85,3 %');

    await page.getByRole('button', { name: 'Enregistrer la mise en place' }).click();
    const accepted = page.getByLabel('Date d’acceptation par le tuteur');
    await expect.poll(() => accepted.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText("L'acceptation du tuteur ne peut précéder sa désignation.").isVisible()).toBe(true);
    expect((await afest()).afest.analysisDate).toBeNull(); // nothing saved
    await accepted.fill('02/11/2026');
    await page.getByRole('button', { name: 'Enregistrer la mise en place' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Mise en place enregistrée.' }).count()).toBe(1);
    await settled(page);

    const saved = await afest();
    expect(saved.afest).toMatchObject({
      programmeId: ids.programme, companyId: ids.company, tutorId: tutor.id, tutorDesignatedOn: '2026-11-02', tutorAcceptedOn: '2026-11-02', facilitatorId: ids.trainer,
      conventionRef: 'CONV-2026-014', analysisDate: '2026-10-30', plannedMinutes: 350 * 60, pathwayMinutes: 410 * 60, startDate: '2026-11-02', endDate: '2027-06-30', version: 2,
    });
    expect(saved.afest.competences.map((c) => [c.label, c.blockCode])).toEqual([['Contrôler l’aplomb d’un bloc-porte', null], ['Ordonner le montage', 'BC02']]);
    // The set-up shown again after the save is the saved one (each select on its saved choice).
    await expect.poll(() => page.getByLabel(field('Entreprise partenaire')).inputValue()).toBe(ids.company);
    expect(await page.getByLabel(field('Dispositif')).inputValue()).toBe(ids.programme);
    expect(await page.getByLabel(field('Tuteur désigné')).inputValue()).toBe(tutor.id);
    expect(await page.getByLabel(field('Formateur animateur (le « tiers »)')).inputValue()).toBe(ids.trainer);
    // Saved: the backend's verdicts, no more preview; what is left is the log and the evaluation.
    expect(await panel().getByText('Aperçu avec les modifications non enregistrées').count()).toBe(0);
    const s = await statuses(page);
    expect(s).toMatchObject({ analysis: 'pass', 'tutor-designated': 'pass', 'partner-company': 'pass', convention: 'pass', 'share-planned': 'pass', 'reflective-phases': 'fail', evaluation: 'fail', 'share-realised': 'pending' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('afest-setup.png'), fullPage: true });
  });

  it('refuses a set-up changed meanwhile elsewhere rather than overwrite it, and reloads it on request', async () => {
    const before = await afest();
    await app.call('afest.save', { ...before.afest, conventionRef: 'CONV-2026-014-bis' }); // another screen, same version read
    await page.getByLabel('Points critiques').fill('Aplomb, jeu de fonctionnement, équerrage');
    await page.getByRole('button', { name: 'Enregistrer la mise en place' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'modifiée entre-temps' }).count()).toBe(1);
    expect((await afest()).afest).toMatchObject({ conventionRef: 'CONV-2026-014-bis', criticalPoints: 'Aplomb, jeu de fonctionnement', version: 3 });
    await page.getByRole('button', { name: 'Recharger la mise en place' }).click();
    await expect.poll(() => page.getByLabel('Référence de la convention').inputValue()).toBe('CONV-2026-014-bis');
    await page.getByLabel('Référence de la convention').fill('CONV-2026-014');
    await page.getByRole('button', { name: 'Enregistrer la mise en place' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Mise en place enregistrée.' }).count()).toBe(1);
    await settled(page);
    expect((await afest()).afest).toMatchObject({ conventionRef: 'CONV-2026-014', version: 4 });
  });

  it('logs a work situation signed by the learner and the tutor', async () => {
    await page.getByRole('tab', { name: /^Journal des séquences/ }).click();
    await page.getByRole('button', { name: 'Nouvelle séquence' }).click();
    const form = page.getByRole('region', { name: 'Nouvelle séquence' });
    expect(await form.getByRole('radio', { name: 'Mise en situation de travail' }).getAttribute('aria-checked')).toBe('true');
    expect(await form.getByLabel(field('Date')).inputValue()).toBe('23/11/2026');
    await form.getByLabel(field('Date')).fill('16/11/2026');
    await form.getByLabel(field('Début')).fill('09:00');
    await form.getByLabel(field('Fin')).fill('12:00');
    await form.getByLabel('Poste de travail').fill('Atelier 2');
    await form.getByLabel('Tâches réalisées').fill('Pose de bloc-porte');
    await form.getByLabel('Apprentissages visés').fill('Poser un bloc-porte d’aplomb');
    await form.getByLabel('Observations').fill('Bonne lecture de plan');
    await form.getByRole('checkbox', { name: 'Contrôler l’aplomb d’un bloc-porte' }).check();
    expect(await form.getByText('Rien ne s’oppose à l’enregistrement.').isVisible()).toBe(true);
    // Unsigned: refused on the screen, next to the pads.
    await form.getByRole('button', { name: 'Enregistrer la séquence signée' }).click();
    await expect.poll(() => form.getByText('Faites signer l’apprenant dans le cadre.').isVisible()).toBe(true);
    expect((await afest()).sequences).toHaveLength(0);
    await drawSignature(form.locator('#afest-seq-learner-signature'));
    await drawSignature(form.locator('#afest-seq-leader-signature'));
    await expect.poll(() => form.getByText('Signature saisie.').count()).toBe(2);
    await form.getByRole('button', { name: 'Enregistrer la séquence signée' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Mise en situation de travail du 16/11/2026 (09:00–12:00) enregistrée.' }).count()).toBe(1);
    await settled(page);
    const [mst] = (await afest()).sequences;
    expect(mst).toMatchObject({ kind: 'work-situation', date: '2026-11-16', start: '09:00', end: '12:00', minutes: 180, ledBy: 'tutor', workstation: 'Atelier 2', current: true });
    expect(mst!.learnerSignatureId).toBeTruthy();
    expect(mst!.leaderSignatureId).toBeTruthy();
    const strokes = JSON.parse((app.backend.raw.prepare('SELECT strokes FROM signatures WHERE id = ?').get(mst!.learnerSignatureId) as { strokes: string }).strokes) as unknown[];
    expect(strokes).toHaveLength(2);
    expect(await main().locator(`li[data-record-id="${mst!.recordId}"]`).innerText()).toMatch(/Signée par .*Rolland.* et par Patrick Lebrun/);
  });

  it('refuses a reflective sequence overlapping the work situation next to its field, and loses nothing', async () => {
    await page.getByRole('button', { name: 'Nouvelle séquence' }).click();
    const form = page.getByRole('region', { name: 'Nouvelle séquence' });
    await form.getByRole('radio', { name: 'Séquence réflexive' }).click();
    await form.getByLabel(field('Date')).fill('16/11/2026');
    await form.getByLabel(field('Début')).fill('11:00');
    await form.getByLabel(field('Fin')).fill('12:30');
    await form.getByLabel('Hors production').check();
    await form.getByLabel('Poste de travail').fill('Salle de réunion');
    await form.getByRole('checkbox', { name: /16\/11\/2026 09:00–12:00/ }).check();
    await form.getByLabel('Attendu').fill('Aplomb à 1 mm');
    await form.getByLabel(field('Réalisé')).fill('Écart de 3 mm');
    await form.getByLabel(field('Acquis')).fill('Contrôle au niveau');
    await form.getByLabel('Compétences mises en mots').fill('Contrôle d’aplomb ; ordre de montage');
    await form.getByLabel('Suite').fill('Refaire sur poste 3');
    await drawSignature(form.locator('#afest-seq-learner-signature'));
    await drawSignature(form.locator('#afest-seq-leader-signature'));
    // The overlap shows next to « Début » as soon as the times are typed, before anything is sent.
    const overlap = 'Ce créneau (16/11/2026 11:00–12:30) chevauche la mise en situation de 09:00–12:00 : une séquence réflexive doit être distincte des mises en situation de travail. Choisissez d\'autres horaires.';
    await expect.poll(() => form.getByText(overlap).isVisible()).toBe(true);
    expect(await form.getByLabel(field('Début')).getAttribute('aria-invalid')).toBe('true');
    // And, beside the list, the MST it looks back on is not over when it starts (11:00, the MST ends at 12:00).
    expect(await form.locator('.checkbox-list .field-error').textContent()).toMatch(/mises en situation terminées/);
    expect(await form.locator('.form-footer > p').textContent()).toBe('2 points à corriger avant d’enregistrer.');
    await form.getByRole('button', { name: 'Enregistrer la séquence signée' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /erreur/ }).count()).toBeGreaterThan(0);
    expect(await form.getByText(overlap).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('afest-sr-refused.png'), fullPage: true });
    // Nothing was logged, the MST is intact, and the backend refuses the same thing with the same sentence.
    expect((await afest()).sequences).toHaveLength(1);
    const mst = (await afest()).sequences[0]!;
    const sig = { strokes: [[[1, 1, 0], [5, 8, 16]]], pngBase64: PNG_1x1 };
    await expect(app.call('afest.recordSequence', { afestId, kind: 'reflective', date: '2026-11-16', start: '11:00', end: '12:30', ledBy: 'facilitator', outOfProduction: true, reviewedIds: [mst.recordId], learnerSignature: sig, leaderSignature: sig }))
      .rejects.toThrow(/chevauche la mise en situation de 09:00–12:00/);

    // Everything typed is still there: new times, and it goes through.
    expect(await form.getByLabel('Attendu').inputValue()).toBe('Aplomb à 1 mm');
    expect(await form.getByText('Signature saisie.').count()).toBe(2);
    await form.getByLabel(field('Début')).fill('14:00');
    await form.getByLabel(field('Fin')).fill('15:30');
    await expect.poll(() => form.getByText(overlap).count()).toBe(0);
    expect(await form.locator('.field-error').count()).toBe(0);
    await form.getByRole('button', { name: 'Enregistrer la séquence signée' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Séquence réflexive du 16/11/2026 (14:00–15:30) enregistrée.' }).count()).toBe(1);
    await settled(page);
    const sequences = (await afest()).sequences;
    expect(sequences).toHaveLength(2);
    expect(sequences.find((q) => q.kind === 'reflective')).toMatchObject({ start: '14:00', end: '15:30', minutes: 90, ledBy: 'facilitator', outOfProduction: true, reviewedIds: [mst.recordId], gapDone: 'Écart de 3 mm' });
    expect(await statuses(page)).toMatchObject({ 'reflective-phases': 'pass', 'reflective-distinct': 'pass', 'reflective-by-facilitator': 'pass' });
  });

  it('corrects the work situation: a new version, the old one kept and struck', async () => {
    const mst = (await afest()).sequences.find((q) => q.kind === 'work-situation')!;
    const item = main().locator(`li[data-record-id="${mst.recordId}"]`);
    await item.getByRole('button', { name: /^Corriger/ }).click();
    const form = page.getByRole('region', { name: 'Corriger — Mise en situation de travail du 16/11/2026' });
    expect(await form.getByLabel(field('Début')).inputValue()).toBe('09:00');
    await form.getByLabel(field('Fin')).fill('11:30');
    await form.getByRole('button', { name: 'Enregistrer la correction' }).click();
    await expect.poll(() => form.getByText('Ce champ est obligatoire.').isVisible()).toBe(true); // the reason
    await form.getByLabel('Motif de la correction').fill('Fin à 11 h 30, pas midi');
    await form.getByRole('button', { name: 'Enregistrer la correction' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Correction enregistrée' }).count()).toBe(1);
    await settled(page);
    expect(await item.getByText('Corrigée', { exact: true }).isVisible()).toBe(true);
    expect(await item.getByText('Motif de la correction : Fin à 11 h 30, pas midi').isVisible()).toBe(true);
    await item.getByText('Version précédente (1)').click();
    expect(await item.locator('del').textContent()).toContain('16/11/2026 09:00–12:00');
    const versions = (await afest()).sequences.filter((q) => q.recordId === mst.recordId);
    expect(versions.map((v) => [v.end, v.current])).toEqual([['12:00', false], ['11:30', true]]);
  });

  it('records a final evaluation with a photo, and the compliance panel turns green', async () => {
    await page.getByRole('tab', { name: /^Évaluations/ }).click();
    await page.getByRole('button', { name: 'Nouvelle évaluation' }).click();
    const form = page.getByRole('region', { name: 'Nouvelle évaluation' });
    await form.getByRole('radio', { name: 'Évaluation finale' }).click();
    await form.getByLabel(field('Date')).fill('20/11/2026');
    await form.getByLabel('Début (facultatif)').fill('10:00');
    await form.getByLabel('Fin (facultatif)').fill('10:30');
    await form.getByLabel('Modalité').fill('Pose observée, grille');
    // No level chosen: refused next to the results.
    await form.getByRole('button', { name: 'Enregistrer l’évaluation' }).click();
    await expect.poll(() => form.getByText('Évaluez au moins une compétence visée.').isVisible()).toBe(true);
    await form.getByRole('radiogroup', { name: /Contrôler l’aplomb/ }).getByRole('radio', { name: 'Acquis', exact: true }).click();
    await form.getByLabel('Commentaire — Contrôler l’aplomb d’un bloc-porte').fill('Aplomb à 1 mm sur trois poses');
    await form.getByRole('radiogroup', { name: /Ordonner le montage/ }).getByRole('radio', { name: 'En cours', exact: true }).click();
    await form.getByLabel('Ajouter une photo ou un document').setInputFiles({ name: 'pose-bloc-porte.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1x1, 'base64') });
    await expect.poll(() => form.getByText('pose-bloc-porte.png').count()).toBeGreaterThan(0);
    expect(await form.locator('.afest-attachments .mono').textContent()).toMatch(/^[0-9a-f]{12}$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('afest-evaluation-form.png'), fullPage: true });
    await form.getByRole('button', { name: 'Enregistrer l’évaluation' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Évaluation finale du 20/11/2026 enregistrée.' }).count()).toBe(1);
    await settled(page);
    const [evaluation] = (await afest()).evaluations;
    expect(evaluation).toMatchObject({ kind: 'final', date: '2026-11-20', start: '10:00', end: '10:30', minutes: 30, evaluatorKind: 'facilitator', method: 'Pose observée, grille' });
    expect(evaluation!.results.map((r) => r.level)).toEqual(['acquired', 'in-progress']);
    expect(evaluation!.attachments.map((a) => a.name)).toEqual(['pose-bloc-porte.png']);
    const results = main().getByRole('table');
    expect(await results.innerText()).toMatch(/Contrôler l’aplomb d’un bloc-porte\s+Acquis\s+Aplomb à 1 mm sur trois poses/);

    // Green: every check passes (nothing pending, no programme rule left aside).
    const s = await statuses(page);
    expect(Object.keys(s)).toHaveLength(12);
    expect(Object.entries(s).filter(([, v]) => v !== 'pass')).toEqual([]);
    expect(await page.locator('.session-header').getByText('Conforme', { exact: true }).isVisible()).toBe(true);
    const hours = page.getByTestId('afest-hours');
    expect(await hours.locator('[data-kind="mst"]').innerText()).toMatch(/2\sh\s30/);
    expect(await hours.locator('[data-kind="sr"]').innerText()).toMatch(/1\sh\s30/);
    expect(await hours.locator('[data-kind="eval"]').innerText()).toMatch(/0\sh\s30/);
    expect(await page.getByRole('figure', { name: /Part de l’AFEST dans le parcours \(minimum du dispositif : 70 %\)/ }).getByRole('listitem').allTextContents())
      .toEqual(['Prévue : 85,3 %', 'Réalisée : 100,0 %', 'Minimum demandé : 70 %']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: /^Journal des séquences/ }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: artifactPath('afest-page.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('downloads the AFEST dossier (PDF): set-up, signed log with its correction, evaluation, hours, compliance', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByRole('button', { name: 'Dossier AFEST (PDF)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const path = (await download.path())!;
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const expected of [
      'Dossier AFEST', 'Pose de menuiseries intérieures', 'ROLLAND Julien', 'Menuiserie du Bocage (fictive)', 'Patrick Lebrun, Chef d’atelier', 'Claire Vasseur',
      'Convention CONV-2026-014', 'Contrôler l’aplomb d’un bloc-porte', 'Ordonner le montage BC02', 'Corrigée le 23/11/2026 : Fin à 11 h 30, pas midi',
      'pose-bloc-porte.png', 'Part d\'AFEST dans le parcours 85,3 % 100,0 %', 'Conforme aucun point à corriger',
    ]) {
      expect(text).toContain(expected);
    }
    // The notice names the file and the same short fingerprint the PDF prints on every page.
    const notice = page.getByRole('status').filter({ hasText: 'Dossier imprimé' });
    await expect.poll(() => notice.count()).toBe(1);
    const hash = /empreinte ([0-9a-f]{12})/.exec((await notice.textContent()) ?? '')?.[1];
    expect(hash).toBeTruthy();
    expect(text).toContain(`Empreinte ${hash}`);
    expect(await notice.textContent()).toContain(download.suggestedFilename());
  });

  describe('tutor mode on a tablet', () => {
    let context: BrowserContext;
    let tablet: Page;
    let errors: string[];
    let close: () => Promise<void>;

    beforeAll(async () => {
      const browser = await launchChromium({ signInTo: app }); // the tablet opens signed in as the administrator
      context = await browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
      await context.clock.install({ time: BASE });
      context.setDefaultTimeout(10_000);
      tablet = await context.newPage();
      errors = watchPageErrors(tablet);
      close = async () => {
        await context.close();
        await browser.close();
      };
      await tablet.goto(new URL('#/tuteur', app.url).href);
      await settled(tablet);
    });
    afterAll(async () => close?.());

    /** A signature drawn with a finger: touch events through the DevTools protocol (Playwright has no touch move). */
    async function drawWithFinger(canvas: Locator) {
      await canvas.scrollIntoViewIfNeeded();
      const box = (await canvas.boundingBox())!;
      const cdp = await context.newCDPSession(tablet);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
      for (const [y0, y1] of [[0.45, 0.55], [0.75, 0.7]] as const) {
        await touch('touchStart', box.x + box.width * 0.15, box.y + box.height * y0);
        for (let i = 1; i <= 16; i++) await touch('touchMove', box.x + box.width * (0.15 + i * 0.04), box.y + box.height * (y0 + ((y1 - y0) * i) / 16 + Math.sin(i) * 0.05));
        await touch('touchEnd', 0, 0);
      }
      await cdp.detach();
    }

    /** Every button and link of the screen is at least 48 px high for a finger. */
    async function smallTargets(): Promise<string[]> {
      return tablet.locator('main button:visible, main a:visible, header button:visible, header a:visible').evaluateAll((els) =>
        els.filter((e) => e.getBoundingClientRect().height < 48).map((e) => `${e.textContent?.trim()} (${Math.round(e.getBoundingClientRect().height)} px)`));
    }

    it('asks « Qui êtes-vous ? », keeps the choice, and lists only that tutor’s learners', async () => {
      expect(await tablet.getByRole('heading', { level: 1 }).textContent()).toBe('Qui êtes-vous ?');
      await tablet.screenshot({ path: artifactPath('afest-tutor-who.png'), fullPage: true });
      expect(await tablet.getByRole('navigation').count()).toBe(0); // no menu
      expect(await smallTargets()).toEqual([]);
      expect(await seriousViolations(tablet)).toEqual([]);
      await tablet.getByRole('button', { name: /Patrick LEBRUN/ }).tap();
      await expect.poll(() => tablet.getByRole('heading', { level: 1 }).textContent()).toBe('Vos apprenants, Patrick Lebrun');
      // The choice survives a reload (renderer/src/lib/acting-tutor.ts, until sign-in).
      await tablet.reload();
      await settled(tablet);
      await expect.poll(() => tablet.getByRole('heading', { level: 1 }).textContent()).toBe('Vos apprenants, Patrick Lebrun');
      expect(await tablet.locator('li.tutor-learner').count()).toBe(1);
      expect(await tablet.locator('li.tutor-learner').innerText()).toMatch(TRAINEE);
      expect(await smallTargets()).toEqual([]);
      expect(await seriousViolations(tablet)).toEqual([]);
      await tablet.screenshot({ path: artifactPath('afest-tutor-home.png'), fullPage: true });
    });

    it('logs today’s work situation in two taps and two finger signatures', async () => {
      await tablet.getByRole('button', { name: /Mise en situation aujourd’hui/ }).tap();
      await expect.poll(() => tablet.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Mise en situation — .*Rolland/i);
      await settled(tablet);
      expect(await tablet.getByLabel(field('Date')).inputValue()).toBe('23/11/2026');
      expect(await tablet.getByLabel(field('Début')).inputValue()).toBe('09:00');
      expect(await tablet.getByLabel(field('Fin')).inputValue()).toBe('10:00');
      await tablet.getByLabel('Poste de travail').fill('Atelier 2');
      await tablet.getByLabel('Tâches réalisées').fill('Pose d’une porte de placard');
      await tablet.getByLabel('Observations').fill('Aplomb contrôlé seul');
      await drawWithFinger(tablet.locator('#tutor-learner-signature'));
      await drawWithFinger(tablet.locator('#tutor-tutor-signature'));
      await expect.poll(() => tablet.getByText('Signature saisie.').count()).toBe(2);
      expect(await smallTargets()).toEqual([]);
      expect(await seriousViolations(tablet)).toEqual([]);
      await tablet.screenshot({ path: artifactPath('afest-tutor-form.png'), fullPage: true });
      await tablet.getByRole('button', { name: 'Enregistrer', exact: true }).tap();
      await expect.poll(() => tablet.getByRole('status').filter({ hasText: /Mise en situation de .*Rolland.* enregistrée \(09:00–10:00\)\./i }).count()).toBe(1);
      expect(await tablet.locator('li.tutor-learner').innerText()).toContain('Mise en situation de travail 09:00–10:00');
      const today = (await afest()).sequences.filter((q) => q.date === '2026-11-23');
      expect(today).toHaveLength(1);
      expect(today[0]).toMatchObject({ kind: 'work-situation', start: '09:00', end: '10:00', minutes: 60, ledBy: 'tutor', workstation: 'Atelier 2', observations: 'Aplomb contrôlé seul' });
      expect(today[0]!.learnerSignatureId && today[0]!.leaderSignatureId).toBeTruthy();
      await tablet.screenshot({ path: artifactPath('afest-tutor-saved.png'), fullPage: true });
    });

    it('changes tutor', async () => {
      await tablet.getByRole('button', { name: 'Changer de tuteur' }).tap();
      await expect.poll(() => tablet.getByRole('heading', { level: 1 }).textContent()).toBe('Qui êtes-vous ?');
      expect(await tablet.evaluate(() => window.localStorage.getItem('sillon.actingTutor'))).toBeNull();
      expect(errors).toEqual([]);
    });
  });

  it('lists the AFEST with its compliance, hours and share', async () => {
    await page.getByRole('link', { name: '← Toutes les AFEST' }).click();
    await settled(page);
    const row = page.locator('#afest-table').getByRole('row').filter({ hasText: 'Pose de menuiseries intérieures' });
    expect(await row.innerText()).toMatch(/Menuiserie du Bocage \(fictive\)\s+Patrick Lebrun\s+Parcours TPME\s+Évaluée\s+Conforme\s+5\sh\s30/);
    expect(await row.innerText()).toMatch(/MST\s3\sh\s30 · SR\s1\sh\s30 · éval\.\s0\sh\s30/);
    expect(await row.innerText()).toMatch(/100,0 %\s+prévue 85,3 %\s+min\. 70 %/);
    expect(await main().getByText('Toutes les AFEST sont conformes.').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('afest-list.png'), fullPage: true });
  });

  it('withdraws the tutor’s work situation with its reason: it stays in the log, marked, and its hours go', async () => {
    await page.getByRole('link', { name: /Rolland Julien/ }).click();
    await settled(page);
    await page.getByRole('tab', { name: /^Journal des séquences/ }).click();
    const todays = (await afest()).sequences.find((q) => q.date === '2026-11-23')!;
    const item = main().locator(`li[data-record-id="${todays.recordId}"]`);
    await item.getByRole('button', { name: /^Retirer/ }).click();
    const withdraw = item.getByRole('form', { name: 'Retirer la séquence' });
    await withdraw.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await expect.poll(() => withdraw.getByText('Indiquez le motif.').isVisible()).toBe(true);
    expect(await withdraw.getByLabel(field('Motif')).getAttribute('aria-invalid')).toBe('true');
    await withdraw.getByLabel(field('Motif')).fill('Saisie en double avec la fiche papier');
    await withdraw.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Séquence du 23/11/2026 (09:00) retirée' }).count()).toBe(1);
    await settled(page);
    expect(await item.getAttribute('class')).toContain('is-withdrawn');
    expect(await item.getByText('Retirée', { exact: true }).isVisible()).toBe(true);
    expect(await item.getByText('Motif du retrait : Saisie en double avec la fiche papier').isVisible()).toBe(true);
    expect(await item.getByRole('button', { name: /^Retirer/ }).count()).toBe(0);
    const versions = (await afest()).sequences.filter((q) => q.recordId === todays.recordId);
    expect(versions.map((v) => [v.withdrawn, v.current])).toEqual([[false, false], [true, false]]);
    expect(await page.getByTestId('afest-hours').locator('[data-kind="mst"]').innerText()).toMatch(/2\sh\s30/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('saw no page error', () => {
    expect(screen.errors).toEqual([]);
  });
});
