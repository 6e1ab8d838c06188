import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Real PIN and QR capture through the screens (issue #9, §1): a trainee's PIN is set on their page, the
 * roll call by PIN refuses a wrong PIN on the row it names (the input stays), then takes the right one; the
 * trainer shows the slot's QR code and a trainee types the code under it.
 */

// Monday 23 November 2026, 09:10 in Paris (the demo lays its sessions around "today").
const BASE = Date.parse('2026-11-23T08:10:00Z');
const TODAY = '2026-11-23';
const SESSION = 'Des étoiles et des femmes — promotion Grand Est';

describe('PIN and QR capture through the UI', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let errors: string[];
  let slotId = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    const started = Date.now();
    app = await startApp({ now: () => new Date(BASE + (Date.now() - started)) });
    await app.call('demo.load', {});
    screen = await openScreen(app, { timezoneId: 'Europe/Paris', clock: BASE });
    ({ page, errors } = screen);
    const slots = await app.call('attendance.day', { date: TODAY });
    slotId = slots.find((s) => s.sessionLabel === SESSION && s.halfDay === 'am')!.id;
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  const row = (name: string) => page.locator('li.rc-row', { hasText: name });

  it("sets a trainee's PIN on their page, never shown again", async () => {
    const rc = await app.call('attendance.rollCall', { slotId });
    const sophie = rc.rows.find((r) => r.traineeName === 'Martin Sophie')!;
    expect(sophie.hasPin).toBe(false);
    await page.goto(`${app.url}#/stagiaires?fiche=${sophie.traineeId}`);
    await settled(page);
    await expect.poll(() => page.getByTestId('pin-status').textContent()).toContain('Aucun PIN défini');
    // Not 4 to 6 digits: refused on the field.
    await page.getByLabel('PIN de Martin Sophie').fill('12');
    await page.getByRole('button', { name: 'Définir le PIN' }).click();
    await expect.poll(() => page.locator('.pin-section .field-error').textContent()).toBe('PIN : 4 à 6 chiffres.');
    await page.getByLabel('PIN de Martin Sophie').fill('4821');
    await page.getByRole('button', { name: 'Définir le PIN' }).click();
    await expect.poll(() => page.getByTestId('pin-status').textContent()).toMatch(/^PIN défini le 23\/11\/2026 \d\d:\d\d par Admin E2E\./);
    expect(await page.getByLabel('PIN de Martin Sophie').inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Remplacer le PIN' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    expect((await app.call('attendance.rollCall', { slotId })).rows.find((r) => r.traineeName === 'Martin Sophie')!.hasPin).toBe(true);
  });

  it('offers the PIN method only to a trainee who has a PIN', async () => {
    await page.goto(`${app.url}#/emargement/${slotId}`);
    await settled(page);
    await row('Martin Sophie').getByRole('radio', { name: 'Présent', exact: true }).click();
    await row('Benali Nadia').getByRole('radio', { name: 'Présent', exact: true }).click();
    const options = (name: string) => row(name).getByLabel('Mode de recueil').locator('option').allTextContents();
    expect(await options('Martin Sophie')).toContain('Code PIN');
    expect(await options('Benali Nadia')).not.toContain('Code PIN');
    expect(await row('Benali Nadia').getByText('Pas de PIN pour ce stagiaire').count()).toBe(1);
    // Benali Nadia's row is left as it was: only Sophie's row is sent below.
    await row('Benali Nadia').getByRole('button', { name: 'Annuler la modification — Benali Nadia' }).click();
    await expect.poll(() => row('Benali Nadia').locator('.badge-dirty').count()).toBe(0);
  });

  it('refuses a wrong PIN on the row it names, keeps the input, then takes the right one', async () => {
    await row('Martin Sophie').getByLabel('Mode de recueil').selectOption({ label: 'Code PIN' });
    await row('Martin Sophie').getByLabel('PIN de Martin Sophie').fill('9999');
    const pending = await app.call('attendance.rollCall', { slotId });
    expect(pending.rows.every((r) => r.mark === null)).toBe(true);
    await page.getByRole('button', { name: /^Enregistrer l’émargement/ }).click();
    await expect.poll(() => row('Martin Sophie').locator('.field-error').textContent()).toContain('PIN de Martin Sophie incorrect');
    expect(await row('Martin Sophie').getByLabel('PIN de Martin Sophie').getAttribute('aria-invalid')).toBe('true');
    // Nothing recorded, nothing lost: the status and the method are still there.
    expect((await app.call('attendance.rollCall', { slotId })).rows.every((r) => r.mark === null)).toBe(true);
    expect(await row('Martin Sophie').getByRole('radio', { name: 'Présent', exact: true }).getAttribute('aria-checked')).toBe('true');
    expect(await row('Martin Sophie').getByLabel('Mode de recueil').inputValue()).toBe('pin');
    expect(await seriousViolations(page)).toEqual([]);

    await row('Martin Sophie').getByLabel('PIN de Martin Sophie').fill('4821');
    await page.getByRole('button', { name: /^Enregistrer l’émargement/ }).click();
    await expect.poll(async () => (await app.call('attendance.rollCall', { slotId })).rows.find((r) => r.traineeName === 'Martin Sophie')!.mark?.method).toBe('pin');
    // The PIN was never kept in a draft.
    const drafts = app.backend.raw.prepare('SELECT draft FROM rollcall_drafts').all() as { draft: string }[];
    expect(drafts.map((d) => d.draft).join('')).not.toMatch(/4821|9999/);
  });

  it('the trainer shows the QR code; a trainee types the code under it', async () => {
    await page.getByRole('button', { name: 'Afficher le QR code' }).click();
    await expect.poll(() => page.getByTestId('qr-code').textContent()).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const code = (await page.getByTestId('qr-code').textContent())!;
    expect(await page.getByRole('img', { name: `QR code du créneau, code ${code}` }).count()).toBe(1);
    await row('Petit Julie').getByRole('radio', { name: 'Présent', exact: true }).click();
    await row('Petit Julie').getByLabel('Mode de recueil').selectOption({ label: 'QR code' });
    // A wrong code is refused at once, on the row.
    await row('Petit Julie').getByLabel('Code QR tapé par Petit Julie').fill(code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA');
    await row('Petit Julie').getByRole('button', { name: /^Valider le code/ }).click();
    await expect.poll(() => row('Petit Julie').locator('.field-error').textContent()).toContain('code inconnu');
    await row('Petit Julie').getByLabel('Code QR tapé par Petit Julie').fill(code.toLowerCase());
    await row('Petit Julie').getByRole('button', { name: /^Valider le code/ }).click();
    await expect.poll(() => row('Petit Julie').getByText(/^Code validé à \d\d:\d\d\./).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: /^Enregistrer l’émargement/ }).click();
    await expect.poll(async () => (await app.call('attendance.rollCall', { slotId })).rows.find((r) => r.traineeName === 'Petit Julie')!.mark?.method).toBe('qr');
    const mark = (await app.call('attendance.rollCall', { slotId })).rows.find((r) => r.traineeName === 'Petit Julie')!.mark!;
    expect(app.backend.raw.prepare('SELECT count(*) AS n FROM mark_qr_scans WHERE mark_id = ?').get(mark.id)).toEqual({ n: 1 });
    expect(errors).toEqual([]);
  });
});
