import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, type AppScreen, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #9 §3: the « Vérifier un document » screen takes a printed PDF and says authentic / changed /
 * unknown, and why; the Organisation page shows the certificate that signs the documents.
 */
describe('Vérifier un document', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let pdf: Buffer;

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ now: () => new Date('2026-11-23T09:00:00Z') });
    await app.call('demo.load', {});
    const session = (await app.call('sessions.list', {})).find((s) => s.label.includes('étoiles'))!;
    pdf = Buffer.from((await app.call('documents.blankSheet', { sessionId: session.id, weekStart: '2026-11-23' })).base64, 'base64');
    screen = await openScreen(app, { viewport: { width: 1366, height: 900 } });
    page = screen.page;
  }, 120_000);

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  async function check(name: string, bytes: Buffer): Promise<ReturnType<Page['locator']>> {
    await page.getByLabel('Fichier PDF').setInputFiles({ name, mimeType: 'application/pdf', buffer: bytes });
    await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
    const result = page.locator('section[data-verdict]');
    await result.waitFor();
    return result;
  }

  it('is in the menu, says an authentic PDF is authentic, and why', async () => {
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Vérifier un document' }).click();
    await settled(page);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Vérifier un document');
    const result = await check('emargement.pdf', pdf);
    expect(await result.getAttribute('data-verdict')).toBe('authentic');
    expect(await result.getByRole('heading', { level: 2 }).textContent()).toBe('Authentique');
    const reasons = await result.locator('.verify-reasons li').allTextContents();
    expect(reasons.length).toBe(4);
    expect(reasons[0]).toContain('Signature électronique intacte');
    expect(reasons[1]).toContain('certificat de cet organisme');
    expect(await result.locator('.reason-ko').count()).toBe(0);
    await page.screenshot({ path: artifactPath('verify-document-authentic.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('says a PDF with one byte changed is changed, naming the broken signature', async () => {
    const changed = Buffer.from(pdf);
    const at = changed.indexOf('/Producer <FEFF') + '/Producer <FEFF'.length + 12;
    changed.write('006D', at, 'latin1'); // Sillon → Silmon, inside the signed bytes
    await page.getByRole('button', { name: 'Retirer le fichier' }).click();
    const result = await check('emargement-modifie.pdf', changed);
    expect(await result.getAttribute('data-verdict')).toBe('changed');
    expect(await result.getByRole('heading', { level: 2 }).textContent()).toBe('Modifié');
    expect(await result.locator('.reason-ko').first().textContent()).toContain('Signature électronique rompue');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the signing certificate on the Organisation page', async () => {
    await page.goto(`${app.url}#/organisme`);
    await settled(page);
    const panel = page.getByRole('region', { name: 'Certificat de signature des documents' });
    await expect.poll(() => panel.getByText('Auto-signé par Sillon').isVisible()).toBe(true);
    await panel.screenshot({ path: artifactPath('signing-certificate.png') });
    expect(await panel.textContent()).toMatch(/Empreinte SHA-256([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(screen.errors).toEqual([]);
  });
});
