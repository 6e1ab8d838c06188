import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #8, item 20: a manager sets a funder's logo and its FSE+ mention on the Organisation page; the
 * backend keeps them for the documents of that funder's trainees.
 */
describe('funder logo and mentions on the Organisation page', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ now: () => new Date('2026-11-17T10:00:00Z') });
    await app.call('organisation.save', { name: 'OF Test', siret: '73282932000074' });
    screen = await openScreen(app, { viewport: { width: 1366, height: 900 } });
    page = screen.page;
    await page.goto(`${app.url}#/organisme`);
    await settled(page);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  it('saves a mention and a PNG logo for the Région, with no serious accessibility violation', async () => {
    const panel = page.getByRole('region', { name: 'Documents des financeurs' });
    await panel.getByLabel('Financeur').selectOption('REGION');
    await panel.getByLabel('Mentions obligatoires').fill('Cette action est cofinancée par le FSE+.');
    const png = new PNG({ width: 20, height: 10, colorType: 6 });
    png.data.fill(200);
    await panel.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG.sync.write(png) });
    await expect.poll(() => panel.getByText('Nouveau logo prêt à enregistrer.').isVisible()).toBe(true);
    await panel.getByRole('button', { name: 'Enregistrer pour ce financeur' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toContain('Logo et mentions enregistrés');
    const saved = (await app.call('organisation.funderDocuments')).find((f) => f.funderCode === 'REGION');
    expect(saved).toMatchObject({ mentions: 'Cette action est cofinancée par le FSE+.', logo: { mime: 'image/png' } });
    expect(await seriousViolations(page)).toEqual([]);
    expect(screen.errors).toEqual([]);
  });
});
