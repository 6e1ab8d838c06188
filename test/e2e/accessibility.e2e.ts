import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, artifactPath, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * With the demo data loaded through the home screen's button, every main screen passes axe-core with no
 * serious or critical finding, in French and in English, on a desktop and on a phone-sized window.
 */
describe('accessibility and demo data', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let errors: string[];
  let sessionId = '';
  let sessionLabel = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp();
    screen = await openScreen(app);
    ({ page, errors } = screen);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  it('loads the demo data from the home screen', async () => {
    const button = page.getByRole('button', { name: 'Charger les données de démonstration' });
    await button.click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Données de démonstration chargées' }).count(), { timeout: 30_000 }).toBe(1);
    await settled(page);
    expect(await button.count()).toBe(0);
    const sessions = await app.call('sessions.list', {});
    expect(sessions.length).toBeGreaterThanOrEqual(4);
    const busiest = [...sessions].sort((a, b) => b.enrolled - a.enrolled)[0]!;
    sessionId = busiest.id;
    sessionLabel = busiest.label;
    expect(await page.getByRole('link', { name: /Sessions/ }).first().isVisible()).toBe(true);
  });

  const PAGES = [
    { name: 'Accueil', hash: '#/', heading: 'Accueil' },
    { name: 'Organisme', hash: '#/organisme', heading: 'Organisme' },
    { name: 'Actions', hash: '#/actions', heading: 'Actions de formation' },
    { name: 'Sessions', hash: '#/sessions', heading: 'Sessions' },
    { name: 'Session', hash: '#/sessions/:id', heading: ':label' },
    { name: 'Stagiaires', hash: '#/stagiaires', heading: 'Stagiaires' },
    { name: 'Entreprises', hash: '#/entreprises', heading: 'Entreprises' },
    { name: 'Formateurs', hash: '#/formateurs', heading: 'Formateurs' },
    { name: 'Lieux', hash: '#/lieux', heading: 'Lieux de formation' },
  ];

  async function open(hash: string, heading: string) {
    const target = `${app.url}${hash.replace(':id', sessionId)}`;
    // Same hash: nothing would remount, so reload to fetch fresh data.
    if (page.url() === target) await page.reload();
    else await page.goto(target);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toContain(heading.replace(':label', sessionLabel));
    await settled(page);
  }

  for (const p of PAGES) {
    it(`${p.name}: no serious or critical axe finding`, async () => {
      await open(p.hash, p.heading);
      await page.screenshot({ path: artifactPath(`demo-${p.name.toLowerCase()}.png`), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('session page with slots selected and the status form open', async () => {
    await open('#/sessions/:id', ':label');
    await page.getByRole('button', { name: 'Tout sélectionner' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Inscriptions' }).click();
    await page.getByRole('button', { name: /^Changer le statut/ }).first().click();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('forms showing their errors', async () => {
    await open('#/stagiaires', 'Stagiaires');
    await page.getByRole('button', { name: 'Nouveau stagiaire' }).click();
    await page.getByLabel('NIR (n° de sécurité sociale)').fill('123');
    await page.getByRole('button', { name: 'Créer le stagiaire' }).click();
    await expect.poll(() => page.locator('[aria-invalid="true"]').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByText('NIR invalide').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('English pages', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    try {
      for (const [hash, heading] of [['#/', 'Home'], ['#/sessions/:id', ':label'], ['#/stagiaires', 'Trainees']] as const) {
        await open(hash, heading);
        expect(await seriousViolations(page)).toEqual([]);
      }
    } finally {
      await page.getByRole('button', { name: 'Français' }).click();
    }
  });

  it('phone-sized window: session page and trainees', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [hash, heading] of [['#/sessions/:id', ':label'], ['#/stagiaires', 'Stagiaires']] as const) {
        await open(hash, heading);
        expect(await seriousViolations(page)).toEqual([]);
      }
      await page.screenshot({ path: artifactPath('trainees-phone.png'), fullPage: false });
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('keeps thousands of trainees fast: only the visible rows are in the page', async () => {
    for (let i = 0; i < 3000; i += 1) {
      await app.call('trainees.save', { lastName: `Essai${String(i).padStart(4, '0')}`, firstName: 'Camille', birthDate: '1990-01-01', fictitious: true });
    }
    const total = (await app.call('trainees.list', {})).total;
    await open('#/stagiaires', 'Stagiaires');
    await expect.poll(() => page.getByRole('heading', { name: /Liste/ }).textContent()).toContain(`${new Intl.NumberFormat('fr-FR').format(total)} stagiaires`);
    const rows = page.locator('main table tbody tr:not(.spacer)');
    const rendered = await rows.count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(80);
    // Scroll the page to the end (the list grows with the page, no inner box): the last trainee appears,
    // still without rendering the whole list.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.getByRole('button', { name: /ESSAI2999 Camille/ }).count()).toBe(1);
    expect(await rows.count()).toBeLessThan(80);
    // Search narrows the list through the backend.
    await page.getByLabel('Rechercher').fill('Benali');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.textContent()).toContain('BENALI Nadia');
  });

  it('raised no script error', () => {
    expect(errors).toEqual([]);
  });
});
