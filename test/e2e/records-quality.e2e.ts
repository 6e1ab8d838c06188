import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, settled, startApp } from './helpers';

/** Issue #8 items 8 and 16 in Chromium: the namesake warning with its link, and the slots-over-plan warning. */
describe('clean records in the screens', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let errors: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ now: () => new Date('2026-10-15T08:00:00Z') });
    screen = await openScreen(app, { viewport: { width: 1440, height: 900 } });
    ({ page, errors } = screen);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  it('warns of a namesake born the same day, links to the first, and saves after confirmation', async () => {
    const first = await app.call('trainees.save', { lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1995-02-10' });
    await page.goto(`${app.url}#/stagiaires`);
    await settled(page);
    await page.getByRole('button', { name: 'Nouveau stagiaire' }).first().click();
    await page.getByRole('textbox', { name: /^Nom/ }).fill('LEFEVRE');
    await page.getByRole('textbox', { name: /^Prénom/ }).fill('helene');
    await page.getByLabel(/^Date de naissance/).fill('1995-02-10');
    await page.getByRole('button', { name: 'Créer le stagiaire' }).click();

    const warning = page.getByTestId('namesake-warning');
    await expect.poll(() => warning.isVisible()).toBe(true);
    expect(await warning.textContent()).toContain('Un stagiaire LEFÈVRE Hélène né(e) le 10/02/1995 existe déjà');
    const link = warning.getByRole('link', { name: 'Ouvrir la fiche de LEFÈVRE Hélène' });
    expect(await link.getAttribute('href')).toBe(`#/stagiaires?fiche=${first.id}`);
    expect((await app.call('trainees.list')).total).toBe(1);

    // Confirming it is another person saves the second record.
    await page.getByRole('button', { name: 'Enregistrer quand même' }).click();
    await expect.poll(async () => (await app.call('trainees.list')).total).toBe(2);

    // The link opens the first trainee's record.
    await page.getByRole('button', { name: 'Nouveau stagiaire' }).first().click();
    await page.getByRole('textbox', { name: /^Nom/ }).fill('Lefevre');
    await page.getByRole('textbox', { name: /^Prénom/ }).fill('Hélène');
    await page.getByLabel(/^Date de naissance/).fill('1995-02-10');
    await page.getByRole('button', { name: 'Créer le stagiaire' }).click();
    await page.getByTestId('namesake-warning').getByRole('link').first().click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: /^Modifier / }).textContent()).toMatch(/^Modifier (Lefèvre Hélène|LEFEVRE helene)$/);
    expect(errors).toEqual([]);
  });

  it('warns when the generated slots exceed the action planned hours, after « Appliquer à tous les jours »', async () => {
    const action = await app.call('actions.save', { title: 'Hygiène alimentaire', plannedMinutes: 630, modality: 'presentiel' });
    const session = await app.call('sessions.save', { actionId: action.id, label: 'HACCP novembre', mode: 'cohort', capacity: 10, startDate: '2026-11-02', endDate: '2026-11-27' });
    await page.goto(`${app.url}#/sessions/${session.id}`);
    await settled(page);
    const generate = page.getByRole('region', { name: 'Générer les créneaux' });
    await generate.getByRole('checkbox', { name: 'lundi, Matin' }).check();
    await generate.getByRole('checkbox', { name: 'lundi, Après-midi' }).check();
    await generate.getByLabel('Fin, lundi Matin').fill('12:00');
    await generate.getByRole('button', { name: 'Appliquer les horaires du lundi à tous les jours' }).click();
    // Every day now has the Monday's half-days and times.
    expect(await generate.getByRole('checkbox', { name: 'vendredi, Après-midi' }).isChecked()).toBe(true);
    expect(await generate.getByLabel('Fin, jeudi Matin').inputValue()).toBe('12:00');
    // Only Monday to Friday: untick Saturday.
    await generate.getByRole('checkbox', { name: 'samedi, Matin' }).uncheck();
    await generate.getByRole('checkbox', { name: 'samedi, Après-midi' }).uncheck();
    await generate.getByRole('button', { name: 'Générer les créneaux' }).click();

    // 02/11–27/11, Monday to Friday: 20 days less 11 November = 19 days; 3 h + 3 h 30 a day = 6 h 30: 123 h 30.
    const warning = generate.getByTestId('over-planned');
    await expect.poll(() => warning.isVisible()).toBe(true);
    expect(await warning.textContent()).toBe("Attention : ces créneaux totalisent 123 h 30 alors que l'action prévoit 10 h 30 (113 h de plus).");
    expect(errors).toEqual([]);
  });
});
