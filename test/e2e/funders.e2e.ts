import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #10: on « Financeurs », a manager adds a programme to the Région and two dated rule versions; an
 * overlapping third one is refused in French next to its date; the history reads in force / upcoming.
 */
describe('funders, programmes and rule versions', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ now: () => new Date('2026-11-17T10:00:00Z') });
    await app.call('organisation.save', { name: 'OF Test', siret: '73282932000074' });
    screen = await openScreen(app, { viewport: { width: 1366, height: 900 } });
    page = screen.page;
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  async function addVersion(card: Locator, from: string, to: string, rate: string): Promise<Locator> {
    await card.getByRole('button', { name: 'Ajouter une version AVENIR-E2E' }).click();
    const form = card.getByRole('form', { name: 'Nouvelle version des règles de AVENIR-E2E' });
    await form.getByLabel('Valable du').fill(from);
    if (to) await form.getByLabel("Valable jusqu'au").fill(to);
    await form.getByLabel('Tarif (€)').fill(rate);
    return form;
  }

  it('adds a programme and two versions from the menu, keyboard and axe clean', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Financeurs' }).click();
    await settled(page);
    expect(await page.getByRole('heading', { level: 1, name: 'Financeurs' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Modifier Conseil régional' }).click();
    const panel = page.getByRole('region', { name: 'Modifier Conseil régional' });
    await panel.getByRole('button', { name: 'Nouveau dispositif' }).click();
    const programmeForm = panel.getByRole('form', { name: 'Nouveau dispositif' });
    await programmeForm.getByLabel('Code du dispositif').fill('AVENIR-E2E');
    await programmeForm.getByLabel('Nom du dispositif').fill('#Avenir Normandie');
    await programmeForm.getByLabel('Nom du dispositif').press('Enter');
    await expect.poll(() => panel.getByRole('status').first().textContent()).toContain('Dispositif AVENIR-E2E enregistré.');
    const card = panel.getByRole('article', { name: /AVENIR-E2E/ });

    const first = await addVersion(card, '01/01/2026', '30/06/2026', '12,50');
    await first.getByLabel('Absence justifiée').check();
    await first.getByRole('button', { name: 'Ajouter la version' }).click();
    await expect.poll(() => card.getByRole('row').count()).toBe(2);

    const second = await addVersion(card, '01/07/2026', '', '13,75');
    await second.getByRole('button', { name: 'Ajouter la version' }).click();
    await expect.poll(() => card.getByRole('row').count()).toBe(3);

    const table = card.getByRole('table', { name: 'Versions des règles de AVENIR-E2E' });
    expect(await table.getByRole('row').nth(1).innerText()).toMatch(/du 01\/01\/2026 au 30\/06\/2026\s+Heure-stagiaire\s+12,50\s€\s+Terminée/);
    expect(await table.getByRole('row').nth(2).innerText()).toMatch(/à partir du 01\/07\/2026\s+Heure-stagiaire\s+13,75\s€\s+En vigueur/);
    expect(await seriousViolations(page)).toEqual([]);

    const [saved] = await app.call('programmes.list', { funderCode: 'REGION' });
    expect(saved!.versions.map((v) => [v.validFrom, v.validTo, v.rule.rateCents, v.rule.billable.excused])).toEqual([
      ['2026-01-01', '2026-06-30', 1250, true],
      ['2026-07-01', null, 1375, false],
    ]);
  });

  it('refuses an overlapping version next to its start date', async () => {
    const card = page.getByRole('article', { name: /AVENIR-E2E/ });
    const third = await addVersion(card, '01/12/2026', '', '14,00');
    await third.getByRole('button', { name: 'Ajouter la version' }).click();
    const message = 'La version du 01/12/2026 sans date de fin chevauche celle du 01/07/2026 sans date de fin.';
    await expect.poll(() => third.getByRole('alert').first().textContent()).toContain(message);
    expect(await third.getByLabel('Valable du').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    expect((await app.call('programmes.list', { funderCode: 'REGION' }))[0]!.versions).toHaveLength(2);
    expect(screen.errors).toEqual([]);
  });
});
