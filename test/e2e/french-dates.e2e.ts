import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #8 item 18: on an English system (browser locale en-US) every date field still reads and writes
 * JJ/MM/AAAA, every time field 24 h, and file fields say « Choisir un fichier » — the browser's own
 * mm/dd/yyyy, AM/PM and "Choose File" never show. The value saved stays YYYY-MM-DD.
 */
const BASE = Date.parse('2026-11-23T08:10:00Z');

describe('French dates and times whatever the browser locale', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let errors: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    const started = Date.now();
    app = await startApp({ now: () => new Date(BASE + (Date.now() - started)) });
    await app.call('demo.load', {});
    screen = await openScreen(app, { locale: 'en-US', timezoneId: 'America/New_York', clock: BASE });
    ({ page, errors } = screen);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  async function open(hash: string) {
    await page.goto(`${app.url}#/${hash}`);
    await settled(page);
  }

  it('shows and saves a date as JJ/MM/AAAA on an en-US browser', async () => {
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await open('organisme');
    const field = page.getByRole('textbox', { name: 'Certification Qualiopi valable jusqu’au' });
    await expect.poll(() => field.inputValue()).not.toBe('');
    const saved = (await app.call('organisation.get'))!;
    const [y, m, d] = saved.qualiopiValidUntil!.split('-');
    expect(await field.inputValue()).toBe(`${d}/${m}/${y}`);
    expect(await field.getAttribute('placeholder')).toBe('jj/mm/aaaa');
    expect(await page.locator('input[type="date"], input[type="time"]').count()).toBe(0);

    await field.fill('05/03/2027');
    await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
    await expect.poll(async () => (await app.call('organisation.get'))?.qualiopiValidUntil).toBe('2027-03-05');
    await page.reload();
    await settled(page);
    await expect.poll(() => page.getByRole('textbox', { name: 'Certification Qualiopi valable jusqu’au' }).inputValue()).toBe('05/03/2027');
  });

  it('picks a day from a French calendar with the keyboard', async () => {
    const opener = page.getByRole('button', { name: 'Ouvrir le calendrier' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Calendrier' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // Month names in French, weeks from Monday: no "March", no Sunday first.
    expect(await dialog.locator('select').first().locator('option:checked').textContent()).toMatch(/^mars$/i);
    expect((await dialog.locator('th').first().getAttribute('aria-label'))?.toLowerCase()).toBe('lundi');
    expect(await seriousViolations(page)).toEqual([]);
    // The selected day has the focus; one step right, Enter.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Certification Qualiopi valable jusqu’au' }).inputValue()).toBe('06/03/2027');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Ouvrir le calendrier');
    // Escape closes without choosing.
    await opener.click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Certification Qualiopi valable jusqu’au' }).inputValue()).toBe('06/03/2027');
  });

  it('writes times on 24 hours and the week to print as JJ/MM/AAAA', async () => {
    const sessions = await app.call('sessions.list', {});
    const distance = sessions.find((s) => s.label.startsWith('SAMS e-formation'))!;
    await open(`sessions/${distance.id}`);
    const start = page.locator('#tt-1-pm-start');
    expect(await start.inputValue()).toBe('13:30');
    expect(await page.locator('#tt-1-pm-end').inputValue()).toBe('17:00');
    await page.locator('#tt-1-pm-start').locator('xpath=ancestor::tr').locator('input[type="checkbox"]').nth(1).check();
    await start.fill('8h30');
    await start.blur();
    expect(await start.inputValue()).toBe('08:30');
    await start.fill('14h05');
    await start.blur();
    expect(await start.inputValue()).toBe('14:05');
    expect(await page.locator('main').textContent()).not.toMatch(/\b(AM|PM)\b/);

    await page.getByRole('tab', { name: 'Documents' }).click(); // the print form lives in the session's Documents tab
    const week = page.getByRole('textbox', { name: 'Semaine du' });
    expect(await week.inputValue()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await week.fill('2026-12-01');
    await week.blur();
    expect(await week.inputValue()).toBe('01/12/2026');

    // The connection log's file field (Heures tab): the app's French button, not the browser's "Choose File".
    await page.getByRole('tab', { name: 'Heures' }).click();
    const face = page.locator('.file-picker-face').first();
    expect(await face.textContent()).toBe('Choisir un fichierAucun fichier choisi');
    await page.getByLabel('Fichier CSV du journal').setInputFiles({ name: 'journal.csv', mimeType: 'text/csv', buffer: Buffer.from('a;b\n') });
    await expect.poll(() => face.textContent()).toBe('Choisir un fichierjournal.csv');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('names the empty required date in French (« Indiquez la date de début »)', async () => {
    await open('sessions');
    await page.getByRole('button', { name: 'Nouvelle session' }).first().click();
    await page.getByRole('button', { name: 'Créer la session' }).click();
    const start = page.getByRole('textbox', { name: /^Date de début/ });
    await expect.poll(() => start.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await start.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(texts.join(' ')).toContain('Indiquez la date de début.');
    await start.fill('31/04/2027');
    await page.getByRole('button', { name: 'Créer la session' }).click();
    await expect.poll(async () => (await page.locator(`[id="${(await start.getAttribute('aria-describedby'))?.split(' ').pop()}"]`).textContent()) ?? '').toContain(
      'Date invalide : format JJ/MM/AAAA attendu (ex. 01/09/2026).',
    );
  });

  it('keeps JJ/MM/AAAA when the interface is in English, and speaks English in messages', async () => {
    await page.evaluate(() => window.localStorage.setItem('sillon.language', 'en'));
    await page.reload();
    await open('sessions');
    await page.getByRole('button', { name: 'New session' }).first().click();
    await page.getByRole('button', { name: 'Create the session' }).click();
    const start = page.getByRole('textbox', { name: /^Start date/ });
    await expect.poll(() => start.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await start.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(texts.join(' ')).toContain('Enter the start date.');
    await start.fill('05/03/2027');
    await start.blur();
    expect(await start.inputValue()).toBe('05/03/2027');
    expect(await start.getAttribute('placeholder')).toBe('dd/mm/yyyy');
    const end = page.getByRole('textbox', { name: /^End date/ });
    await end.fill('5/4/27');
    await end.blur();
    expect(await end.inputValue()).toBe('05/04/2027');
    // A bad link answered by the backend, in English.
    await page.goto(`${app.url}#/sessions/42`);
    await settled(page);
    await expect.poll(() => page.getByText('This link matches no record.').count()).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).not.toMatch(/UUID/);
    await page.evaluate(() => window.localStorage.setItem('sillon.language', 'fr'));
    expect(errors).toEqual([]);
  });
});
