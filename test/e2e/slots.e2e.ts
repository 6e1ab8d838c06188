import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '../../shared/schemas/training';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #9 §1 in Chromium: on the session page's planning, cancelling a slot with a reason (refused
 * without one), and correcting a countersigned slot through « Corriger » (reason asked), keyboard only.
 */
describe('slots after planning', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let errors: string[];
  let sessionId: string;

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ now: () => new Date('2026-11-23T09:00:00Z') });
    await app.call('demo.load', {});
    sessionId = (await app.call('sessions.list', {})).find((s) => s.label.includes('étoiles'))!.id;
    screen = await openScreen(app, { viewport: { width: 1440, height: 900 } });
    ({ page, errors } = screen);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  const slots = async (): Promise<Slot[]> => (await app.call('sessions.get', { id: sessionId })).slots;

  async function openSlot(slot: Slot) {
    await page.goto(`${app.url}#/sessions/${sessionId}`);
    await page.reload(); // a fresh page: no selection left from a previous test
    await settled(page);
    const button = page.locator(`[data-slot-id="${slot.id}"]`);
    await button.scrollIntoViewIfNeeded();
    await button.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
  }

  it('cancels a slot with a reason, refused without one', async () => {
    const slot = (await slots()).find((s) => s.date === '2026-11-24' && s.halfDay === 'am')!;
    await openSlot(slot);
    await page.getByRole('button', { name: 'Annuler le créneau' }).click();
    const form = page.getByRole('form', { name: 'Annuler le créneau' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await form.getByRole('button', { name: "Confirmer l'annulation" }).click();
    await expect.poll(() => form.locator('.field-error').first().textContent()).toBe('Ce champ est obligatoire.');
    expect((await slots()).find((s) => s.id === slot.id)!.cancelled).toBe(false);

    await page.getByLabel("Motif de l'annulation").fill('Formateur malade');
    await form.getByRole('button', { name: "Confirmer l'annulation" }).click();
    await expect.poll(async () => (await slots()).find((s) => s.id === slot.id)!.cancelReason).toBe('Formateur malade');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Créneau annulé.' }).count()).toBe(1);
    const list = page.getByRole('region', { name: /créneau annulé/ });
    await expect.poll(() => list.textContent()).toContain('motif : Formateur malade');
    expect(await seriousViolations(page)).toEqual([]);

    await list.getByRole('button', { name: /^Rétablir le créneau du/ }).click();
    await expect.poll(async () => (await slots()).find((s) => s.id === slot.id)!.cancelled).toBe(false);
    expect(errors).toEqual([]);
  });

  it('corrects a countersigned slot through « Corriger », with a reason', async () => {
    const slot = (await slots()).filter((s) => s.countersigned && s.halfDay === 'am' && s.start === '08:30').at(-1)!;
    expect(slot).toBeDefined();
    await openSlot(slot);
    expect(await page.getByRole('button', { name: 'Modifier', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Corriger', exact: true }).click();
    const form = page.getByRole('form', { name: 'Corriger le créneau contresigné' });
    const start = form.getByLabel('Début');
    await expect.poll(() => start.evaluate((el) => el === document.activeElement)).toBe(true);
    await start.fill('9h');
    await page.keyboard.press('Tab');
    await page.getByLabel('Motif de la correction').fill('Arrivée du groupe à 9 h (bus en retard)');
    await form.getByRole('button', { name: 'Enregistrer la correction' }).click();
    await expect.poll(async () => (await slots()).find((s) => s.id === slot.id)!.start).toBe('09:00');
    const after = (await slots()).find((s) => s.id === slot.id)!;
    expect([after.minutes, after.corrections]).toEqual([slot.minutes - 30, 1]);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /^Correction enregistrée ; \d+ présences? recalculées?\.$/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
