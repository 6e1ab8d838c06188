import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, settled, startApp } from './helpers';

/** Issue #8 item 9 in Chromium: « Archiver la session » on the session page, then restoring it from the list. */
describe('archiving a session created by mistake', () => {
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

  it('archives from the session page, goes back to the list, and restores from « Afficher les sessions archivées »', async () => {
    const action = await app.call('actions.save', { title: 'Soudure TIG', plannedMinutes: 420, modality: 'presentiel' });
    const session = await app.call('sessions.save', { actionId: action.id, label: 'TIG créée par erreur', mode: 'cohort', capacity: 8, startDate: '2026-11-02', endDate: '2026-11-06' });
    await page.goto(`${app.url}#/sessions/${session.id}`);
    await settled(page);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Archiver la session' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/sessions$/);
    await expect.poll(async () => (await app.call('sessions.archived', { kind: 'session' })).map((s) => s.id)).toEqual([session.id]);
    await settled(page);
    expect(await page.getByRole('link', { name: 'TIG créée par erreur' }).count()).toBe(0);

    await page.getByText('Afficher les sessions archivées').click();
    await page.getByRole('button', { name: 'Restaurer TIG créée par erreur' }).click();
    await expect.poll(async () => (await app.call('sessions.archived', { kind: 'session' })).length).toBe(0);
    await expect.poll(() => page.getByRole('link', { name: 'TIG créée par erreur' }).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
