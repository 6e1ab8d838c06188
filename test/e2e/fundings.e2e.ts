import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #10: an enrolment gets two funders (the Region 70 %, the OPCO the remainder) with the remainder said
 * in a sentence; an apprenticeship contract is created and its rupture recorded.
 */
describe('funding lines and apprenticeship contracts', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let sessionId: string;
  let enrolmentId: string;

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ now: () => new Date('2026-11-17T10:00:00Z') });
    const action = await app.call('actions.save', { title: 'CAP Boulanger', plannedMinutes: 6000, modality: 'presentiel' });
    const session = await app.call('sessions.save', { actionId: action.id, label: 'Apprentis 2026', mode: 'cohort', capacity: 5, startDate: '2026-09-01', endDate: '2028-08-31' });
    const trainee = await app.call('trainees.save', { lastName: 'Martin', firstName: 'Sophie', birthDate: '2005-01-01' });
    // 100 h agreed: 70 % is 70 h, the remainder 30 h.
    const enrolment = await app.call('enrolments.create', { sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION', fileNumber: 'R-1', plannedMinutes: 6000 });
    await app.call('companies.save', { name: 'Boulangerie Dupain', siret: '73282932000074' });
    sessionId = session.id;
    enrolmentId = enrolment.id;
    screen = await openScreen(app, { viewport: { width: 1366, height: 900 } });
    page = screen.page;
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  it('gives an enrolment two funders, 70 % and the remainder, and keeps them after a reload', async () => {
    await page.goto(`${app.url}#/sessions/${sessionId}?onglet=inscriptions`);
    await settled(page);
    await page.getByRole('button', { name: 'Financements — Martin Sophie' }).click();
    const panel = page.getByRole('region', { name: 'Financements — Martin Sophie' });
    await panel.getByRole('group', { name: 'Ligne 1' }).getByLabel('Part').selectOption('percent');
    await panel.getByRole('group', { name: 'Ligne 1' }).getByLabel('Pourcentage').fill('70');
    await panel.getByRole('button', { name: 'Ajouter une ligne' }).click();
    const second = panel.getByRole('group', { name: 'Ligne 2' });
    await second.getByLabel('Financeur').selectOption('OPCO');
    expect(await second.getByLabel('Part').inputValue()).toBe('remainder');
    await expect.poll(() => panel.locator('.funding-remainder').textContent()).toBe('Le reste (30 h sur 100 h prévues) revient à OPCO (opérateur de compétences).');
    // Over 100 %: the shared rule says so before anything is sent.
    await second.getByLabel('Part').selectOption('percent');
    await second.getByLabel('Pourcentage').fill('40');
    await panel.getByRole('button', { name: 'Enregistrer les financements' }).click();
    await expect.poll(() => second.getByText('Les pourcentages du coût pédagogique dépassent 100 % (110 %).').isVisible()).toBe(true);
    await second.getByLabel('Part').selectOption('remainder');
    await panel.getByRole('button', { name: 'Enregistrer les financements' }).click();
    await expect.poll(() => panel.getByRole('status').first().textContent()).toContain('Financements enregistrés.');
    expect(await seriousViolations(page)).toEqual([]);

    const saved = await app.call('fundings.list', { enrolmentId });
    expect(saved.lines.map((l) => [l.funderCode, l.shareKind, l.shareValue, l.position])).toEqual([['REGION', 'percent', 7000, 1], ['OPCO', 'remainder', null, 2]]);

    await page.reload();
    await settled(page);
    await page.getByRole('button', { name: 'Financements — Martin Sophie' }).click();
    const again = page.getByRole('region', { name: 'Financements — Martin Sophie' });
    expect(await again.getByRole('group', { name: 'Ligne 1' }).getByLabel('Pourcentage').inputValue()).toBe('70');
    expect(await again.getByRole('group', { name: 'Ligne 2' }).getByLabel('Financeur').inputValue()).toBe('OPCO');
    await expect.poll(() => again.locator('.funding-remainder').textContent()).toBe('Le reste (30 h sur 100 h prévues) revient à OPCO (opérateur de compétences).');
    expect(screen.errors).toEqual([]);
  });

  it('creates an apprenticeship contract and records its rupture', async () => {
    await page.goto(`${app.url}#/contrats`);
    await settled(page);
    await page.getByRole('button', { name: 'Nouveau contrat' }).click();
    const editor = page.getByRole('region', { name: "Nouveau contrat d'apprentissage" });
    await editor.getByLabel('Session').selectOption({ label: 'Apprentis 2026 — CAP Boulanger' });
    await expect.poll(() => editor.getByLabel('Apprenti').locator('option').count()).toBe(2);
    await editor.getByLabel('Apprenti').selectOption({ label: 'Martin Sophie' });
    await editor.getByLabel('Employeur').selectOption({ label: 'Boulangerie Dupain — 73282932000074' });
    await editor.getByLabel('Diplôme').fill('CAP Boulanger');
    await editor.getByLabel('Code RNCP').fill('RNCP37859');
    await editor.getByRole('textbox', { name: /^Début/ }).fill('01/09/2026');
    await editor.getByRole('textbox', { name: /^Fin/ }).fill('31/08/2028');
    await editor.getByLabel('OPCO').selectOption('OPCO');
    await editor.getByLabel(/Coût contrat annuel/).fill('7 500,00');
    await editor.getByRole('button', { name: 'Créer le contrat' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Contrat de Martin Sophie enregistré.');
    const [contract] = await app.call('contracts.list', {});
    expect(contract).toMatchObject({ rncpCode: 'RNCP37859', npecCents: 750_000, startDate: '2026-09-01', endDate: '2028-08-31', funderCode: 'OPCO' });

    await page.getByRole('button', { name: 'Rupture — Martin Sophie' }).click();
    const rupture = page.getByRole('region', { name: 'Rupture du contrat de Martin Sophie' });
    // Outside the contract: refused in French on the date field.
    await rupture.getByRole('textbox', { name: /^Date de rupture/ }).fill('01/09/2028');
    await rupture.getByLabel('Motif').fill("Rupture d'un commun accord");
    await rupture.getByRole('button', { name: 'Enregistrer la rupture' }).click();
    await expect.poll(() => rupture.getByRole('alert').textContent()).toContain('La date de rupture doit être comprise entre le début (01/09/2026) et la fin (31/08/2028) du contrat.');
    await rupture.getByRole('textbox', { name: /^Date de rupture/ }).fill('15/03/2027');
    await rupture.getByRole('button', { name: 'Enregistrer la rupture' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Rupture du contrat de Martin Sophie enregistrée au 15/03/2027.');
    expect(await app.call('contracts.get', { id: contract!.id })).toMatchObject({ ruptureDate: '2027-03-15', ruptureReason: "Rupture d'un commun accord" });
    await expect.poll(() => page.locator('#contracts-table').getByText('Rompu le 15/03/2027').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(screen.errors).toEqual([]);
  });
});
