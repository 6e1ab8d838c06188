import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../receiver/server';
import { type AppScreen, artifactPath, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

const SIRET = '99900100100018';

/**
 * The sync page through the bridge, against the reference receiver on loopback: a receiver is added from
 * the screen, "Synchroniser maintenant" takes the demo's records from pending to acknowledged, one record
 * is rejected by the receiver with its French reason and a link to the session, fixed there (a change of
 * status makes a new version) and sent again.
 */
describe('synchronisation with a funder system', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let receiver: Receiver;
  let errors: string[];
  let token = '';
  let lea = { id: '', sessionId: '' };

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp();
    await app.call('demo.load');
    receiver = await startReceiver();
    token = receiver.issueToken(SIRET);
    const sessions = await app.call('sessions.list');
    const hcr = sessions.find((s) => s.label.includes('HCR'))!;
    const page0 = await app.call('sessions.get', { id: hcr.id });
    const enrolment = page0.enrolments.find((e) => e.traineeName.startsWith('Fabre'))!;
    lea = { id: enrolment.id, sessionId: hcr.id };
    receiver.faults.reject({
      recordId: lea.id,
      version: 1,
      errors: [{ path: 'payload.funder.fileNumber', code: 'unknown_file', message: 'Dossier AKTO-APP-2026-5531 inconnu de l’OPCO : vérifiez la situation de l’apprentie.' }],
    });
    screen = await openScreen(app);
    ({ page, errors } = screen);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
    await receiver?.close();
  });

  const panel = () => page.getByRole('region', { name: /Région Grand Est/ });

  it('adds a receiver from the page; its queue starts with everything already recorded', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Synchronisation', exact: true }).click();
    await settled(page);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Synchronisation' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Ajouter un destinataire' }).click();
    await page.getByLabel('Nom du destinataire').fill('Région Grand Est');
    await page.getByLabel('Adresse de l’API').fill(receiver.url);
    await page.getByLabel('Jeton d’accès').fill(token);
    await page.getByRole('button', { name: 'Ajouter le destinataire' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Destinataire « Région Grand Est » enregistré.' }).count()).toBe(1);

    const [status] = await app.call('sync.status');
    expect(status!.receiver).toMatchObject({ name: 'Région Grand Est', url: receiver.url, hasToken: true });
    expect(status!.counts.pending).toBeGreaterThan(400);
    await expect.poll(() => panel().getByRole('heading', { name: /^En attente \(\d+\)$/ }).textContent()).toBe(`En attente (${status!.counts.pending})`);
    expect(receiver.log.filter((l) => l.method === 'POST')).toHaveLength(0);
  });

  it('"Synchroniser maintenant": pending → acknowledged; the rejected record shows the receiver’s reason', async () => {
    await panel().getByRole('button', { name: /Synchroniser maintenant/ }).click();
    await expect.poll(async () => (await app.call('sync.status'))[0]!.counts, { timeout: 30_000 }).toMatchObject({ pending: 0, inFlight: 0, rejected: 1 });
    const [status] = await app.call('sync.status');
    expect(status!.counts.acked).toBeGreaterThan(400);
    await expect.poll(() => panel().getByRole('button', { name: /Acquittés/ }).textContent()).toContain(String(status!.counts.acked));
    expect(await panel().getByText('Dernier envoi réussi').isVisible()).toBe(true);

    await panel().getByRole('button', { name: /Refusés à corriger/ }).click();
    const row = panel().getByRole('row', { name: /Inscription — Fabre Léa/ });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Dossier AKTO-APP-2026-5531 inconnu de l’OPCO');
    await page.screenshot({ path: artifactPath('sync-rejected.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the link leads to the record; fixing it makes a new version, which goes through', async () => {
    await panel().getByRole('row', { name: /Inscription — Fabre Léa/ }).getByRole('link', { name: /Corriger/ }).click();
    await settled(page);
    await expect.poll(() => page.url()).toContain(`/sessions/${lea.sessionId}`);
    await page.getByRole('button', { name: 'Changer le statut — Fabre Léa' }).click();
    await page.getByLabel('Nouveau statut').selectOption({ label: 'Suspension' });
    await page.getByRole('button', { name: 'Enregistrer le statut' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'statut « Suspendu » enregistré' }).count()).toBe(1);

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Synchronisation', exact: true }).click();
    await settled(page);
    await expect.poll(async () => (await app.call('sync.status'))[0]!.counts.pending).toBe(1);
    await panel().getByRole('button', { name: /Synchroniser maintenant/ }).click();
    await expect.poll(() => receiver.current(SIRET).get(lea.id)?.version, { timeout: 30_000 }).toBe(2);
    await expect.poll(async () => (await app.call('sync.status'))[0]!.toFix.rejected).toBe(0);
    await expect.poll(() => panel().getByRole('button', { name: /Refusés à corriger/ }).textContent()).toContain('0');
    // The rejected version stays on record, never resent as is: the receiver saw it once.
    expect(receiver.log.filter((l) => l.method === 'POST').length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });
});
