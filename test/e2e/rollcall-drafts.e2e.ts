import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, artifactPath, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #8, items 1, 2, 17 and 24, through the screens: a roll call in progress survives a reload and a
 * navigation (each status and drawn signature is kept by the backend as a draft, not as evidence), the
 * countersigning trainer is preselected, the closed roll call shows the signatures as thumbnails, a
 * correction after closing keeps the original signature (no new one asked for a typo in late minutes), and
 * a correction form with unsaved input asks before leaving.
 */

// Monday 23 November 2026, 09:10 in Paris, as in rollcall.e2e.ts: this morning's slots are open.
const BASE = Date.parse('2026-11-23T08:10:00Z');
const TODAY = '2026-11-23';
const SESSION = 'Des étoiles et des femmes — promotion Grand Est';
const BY_PIN = ['Haddad Samira', 'Kaya Elif', 'Lopes Ana', 'Martin Sophie', 'Mbappé Grâce', 'Nguyen Linh', 'Petit Julie', 'Schmitt Laura', 'Traoré Aminata'];

describe('a roll call in progress survives a reload; corrections keep the signature', () => {
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
    const slots = await app.call('attendance.day', { date: TODAY });
    slotId = slots.find((s) => s.sessionLabel === SESSION && s.halfDay === 'am')!.id;
    // PIN capture is real (issue #9): the trainees who sign in by PIN have one.
    for (const r of (await app.call('attendance.rollCall', { slotId })).rows) {
      if (BY_PIN.includes(r.traineeName)) await app.call('pins.set', { personKind: 'trainee', personId: r.traineeId, pin: '4821' });
    }
    screen = await openScreen(app, { timezoneId: 'Europe/Paris', clock: BASE });
    ({ page, errors } = screen);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  const row = (name: string) => page.locator('li.rc-row', { hasText: name });
  const draftsOf = () => app.call('attendance.drafts', { slotId });
  const marksOf = () => (app.backend.raw.prepare('SELECT count(*) AS n FROM attendance_marks WHERE slot_id = ?').get(slotId) as { n: number }).n;

  async function drawSignature(canvas: Locator) {
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const x0 = box.x + box.width * 0.12;
    const y0 = box.y + box.height * 0.5;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(x0 + i * box.width * 0.03, y0 + Math.sin(i / 2) * box.height * 0.2, { steps: 2 });
    await page.mouse.up();
  }

  async function sign(name: string) {
    await row(name).getByRole('button', { name: /^Signer/ }).click();
    const dialog = page.getByRole('dialog', { name: `Signature de ${name}` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await drawSignature(dialog.locator('canvas'));
    await dialog.getByRole('button', { name: 'Valider la signature' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => row(name).getByRole('img', { name: `Signature de ${name}` }).count()).toBe(1);
  }

  async function openRollCall() {
    await page.goto(`${app.url}#/emargement/${slotId}`);
    await settled(page);
    await expect.poll(() => page.locator('li.rc-row').count()).toBe(11);
  }

  it('keeps each status and drawn signature as it is taken, outside the evidence', async () => {
    await openRollCall();
    await row('Diallo Fatou').getByRole('radio', { name: 'Retard', exact: true }).click();
    await row('Diallo Fatou').getByLabel('Retard (minutes)').fill('15');
    await page.getByRole('button', { name: 'Tous présents' }).click();
    for (const name of BY_PIN) {
      await row(name).getByLabel('Mode de recueil').selectOption({ label: 'Code PIN' });
      await row(name).getByLabel(`PIN de ${name}`).fill('4821');
    }
    await sign('Benali Nadia');

    // Every row is with the backend as a draft; nothing is in the ledger yet.
    await expect.poll(async () => (await draftsOf()).length).toBe(11);
    await expect.poll(async () => (await draftsOf()).find((d) => d.draft.signature !== null)?.draft.method).toBe('signature');
    await expect.poll(async () => (await draftsOf()).filter((d) => d.draft.method === 'pin').length).toBe(9);
    // The PIN is write-only: it is in no draft.
    expect(JSON.stringify(await draftsOf())).not.toContain('4821');
    const diallo = (await app.call('attendance.rollCall', { slotId })).rows.find((r) => r.traineeName === 'Diallo Fatou')!;
    expect((await draftsOf()).find((d) => d.enrolmentId === diallo.enrolmentId)?.draft).toMatchObject({ kind: 'late', lateMinutes: '15' });
    expect(marksOf()).toBe(0);
  });

  it('gives everything back after a reload and after leaving the screen', async () => {
    await page.reload();
    await settled(page);
    await expect.poll(() => page.locator('li.rc-row').count()).toBe(11);
    const check = async () => {
      expect(await row('Diallo Fatou').getByRole('radio', { name: 'Retard', exact: true }).getAttribute('aria-checked')).toBe('true');
      expect(await row('Diallo Fatou').getByLabel('Retard (minutes)').inputValue()).toBe('15');
      expect(await row('Benali Nadia').getByRole('img', { name: 'Signature de Benali Nadia' }).count()).toBe(1);
      expect(await row('Martin Sophie').getByLabel('Mode de recueil').inputValue()).toBe('pin');
      expect(await page.getByRole('button', { name: 'Enregistrer l’émargement (11)' }).isEnabled()).toBe(true);
    };
    await check();
    expect(await page.getByRole('status').filter({ hasText: 'Appel repris : 11 saisies en cours retrouvées' }).count()).toBe(1);

    // Away to the day's list and back: the same.
    await page.evaluate(() => { window.location.hash = '#/emargement'; });
    await expect.poll(() => page.locator('li.rc-row').count()).toBe(0);
    await page.goBack();
    await settled(page);
    await expect.poll(() => page.locator('li.rc-row').count()).toBe(11);
    await check();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('records the roll call, consumes the drafts and leaves no stale « à enregistrer »', async () => {
    await sign('Diallo Fatou');
    expect(await page.locator('main').textContent()).toContain('Signature de Diallo Fatou saisie, à enregistrer.');
    // The PINs, never kept in a draft, are typed again after the reload.
    for (const name of BY_PIN) await row(name).getByLabel(`PIN de ${name}`).fill('4821');
    await page.getByRole('button', { name: 'Enregistrer l’émargement (11)' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '11 présences enregistrées.' }).count()).toBe(1);
    await settled(page);
    expect(marksOf()).toBe(11);
    expect(await draftsOf()).toEqual([]);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('saisie, à enregistrer');
    expect(text).not.toContain('saisies à enregistrer');
  });

  it('preselects the slot’s trainer, closes, and shows the signatures as thumbnails', async () => {
    const region = page.getByRole('region', { name: 'Contreseing du formateur' });
    expect(await region.getByLabel('Formateur du créneau').locator('option:checked').textContent()).toBe('Klein Martine');
    // 09:10 in an 08:30–12:00 slot: nothing to flag.
    expect(await region.getByText('hors des horaires du créneau').count()).toBe(0);
    await drawSignature(region.locator('canvas'));
    await region.getByRole('button', { name: 'Contresigner et clore le créneau' }).click();
    await expect.poll(() => page.locator('.rc-header .badge-closed').count()).toBe(1);
    await settled(page);
    const thumbs = page.locator('img.signature-thumb-closed');
    await expect.poll(() => thumbs.count()).toBe(3);
    for (const name of ['Signature de Benali Nadia', 'Signature de Diallo Fatou', 'Contreseing de Klein Martine']) {
      const img = page.getByRole('img', { name });
      expect(await img.count()).toBe(1);
      expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    }
    await page.screenshot({ path: artifactPath('rollcall-closed-thumbnails.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('corrects late minutes after closing without a new signature, and asks before leaving unsaved input', async () => {
    await page.getByRole('button', { name: 'Corriger — Diallo Fatou' }).click();
    const form = page.getByRole('region', { name: 'Corriger — Diallo Fatou' });
    expect(await form.getByText('La signature d’origine est conservée.').count()).toBe(1);
    await form.getByLabel('Retard (minutes)').fill('10');
    await form.getByLabel('Motif de la correction').fill('Faute de frappe : arrivée à 08:40');

    // Leaving with the correction typed asks first; refusing stays on the form.
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.locator('.breadcrumb a').click();
    await expect.poll(() => asked).toBe('Des saisies ne sont pas enregistrées. Quitter quand même cette page ?');
    await expect.poll(() => page.url()).toContain(`#/emargement/${slotId}`);
    expect(await form.getByLabel('Motif de la correction').inputValue()).toBe('Faute de frappe : arrivée à 08:40');

    await form.getByRole('button', { name: 'Enregistrer la correction' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Correction enregistrée pour Diallo Fatou.' }).count()).toBe(1);
    const diallo = (await app.call('attendance.rollCall', { slotId })).rows.find((r) => r.traineeName === 'Diallo Fatou')!;
    const versions = await app.call('attendance.history', { slotId, enrolmentId: diallo.enrolmentId });
    expect(versions.length).toBe(2);
    expect(versions[1]).toMatchObject({ kind: 'late', lateMinutes: 10, minutes: 200, method: 'signature', signatureId: versions[0]!.signatureId, supersedesId: versions[0]!.id });
    expect(versions[0]!.signatureId).not.toBeNull();
    // The thumbnail still shows the original signature.
    await settled(page);
    expect(await page.getByRole('img', { name: 'Signature de Diallo Fatou' }).count()).toBe(1);
  });

  it('flags at once a signature taken, or a closing, far outside the slot’s hours', async () => {
    // This afternoon's slot, at 09:10: more than 30 minutes before it starts.
    const pm = (await app.call('attendance.day', { date: TODAY })).find((s) => s.sessionLabel === SESSION && s.halfDay === 'pm')!;
    await page.goto(`${app.url}#/emargement/${pm.id}`);
    await settled(page);
    await expect.poll(() => page.locator('li.rc-row').count()).toBeGreaterThan(0);
    const countersign = page.getByRole('region', { name: 'Contreseing du formateur' });
    expect(await countersign.getByText(`vous clôturez hors des horaires du créneau (${pm.start}–${pm.end}, ±30 min)`).count()).toBe(1);
    // Coming from the morning's roll call (same trainees, drafts left there): none of its drafts is resumed here.
    expect(await page.getByText(/Appel repris/).count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Tous présents' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Tous présents' }).click();
    await sign('Benali Nadia');
    expect(await row('Benali Nadia').locator('.field-warning').textContent()).toMatch(new RegExp(`^Signée le 23/11/2026 à \\d\\d:\\d\\d, hors des horaires du créneau \\(${pm.start}–${pm.end}, ±30 min\\) : Contrôles la signalera\\.$`));
    expect(await row('Diallo Fatou').locator('.field-warning').count()).toBe(0);
  });

  it('raised no script error', () => {
    expect(errors).toEqual([]);
  });
});
