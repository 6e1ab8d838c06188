import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupsDir, importBackup } from '../../electron/backend/backup/backup';
import { currentOf, openRestorable } from '../../electron/backend/backup/restorable';
import { startBridge } from '../../electron/backend/bridge';
import { LATEST_SCHEMA_VERSION } from '../../migrations';
import { todayIn } from '../../shared/domain/dates';
import { type AppScreen, artifactPath, E2E_ADMIN, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, STATIC_DIR } from './helpers';

/**
 * Issue #12, the backups screen (`#/sauvegardes`): the retention rule and the warning when no backup was taken
 * today, « Sauvegarder maintenant », « Vérifier » (the verdict beside the row), « Restaurer… » (the dialog checks
 * first, restores in place, names the base kept aside, reloads: the organisation's old name is back), « Exporter… »
 * (the passphrase rule live, typed twice, the .sillonbak downloaded, it decrypts back to the same backup), keyboard
 * only, axe-clean with and without the dialogs.
 *
 * The restore replaces the base under the running bridge, so the app here is opened as the preview and the app's
 * host open it — `openRestorable` (electron/backend/backup/restorable.ts) behind `currentOf` — rather than with
 * the helpers' `startApp`, whose backend is a plain `startBackend` (its `backups.restore` answers that the restore is
 * done from the command line, and its `backend` would stay the closed one after a restore).
 *
 * Expected values by hand: the retention 7/4/12 (shared/domain/backup-retention.ts), the passphrase's 12 characters
 * (shared/schemas/backups.ts), the format's magic « SILLONBK » (electron/backend/backup/export.ts), the schema of a
 * fresh base (the last migration), the ledger's entries as `ledger.verify` counts them just before the backup.
 */

const PASSPHRASE = 'cheval agrafe batterie correcte';
const NEW_NAME = 'Organisme renommé après la sauvegarde';

/** The helpers' app (a bridge on a fresh folder, its administrator created), on a restorable backend. */
async function startRestorableApp(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sillon-e2e-backups-'));
  const restorable = await openRestorable(dataDir, { lock: 'preview' });
  const backend = currentOf(restorable);
  const { server, url } = await startBridge(backend, { staticDir: STATIC_DIR });
  const setup = await backend.dispatch('auth.setup', { login: E2E_ADMIN.login, name: E2E_ADMIN.name, email: null, password: E2E_ADMIN.password });
  if (!setup.ok) throw new Error(`auth.setup: ${setup.error.message}`);
  return {
    backend,
    url,
    dataDir,
    admin: { login: E2E_ADMIN.login, password: E2E_ADMIN.password },
    async call(method, input) {
      const r = await backend.dispatch(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as never;
    },
    async stop() {
      await new Promise<void>((ok) => (server as Server).close(() => ok()));
      await restorable.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** « 23/11/2026 » for today in Paris, as the screen writes the day of a backup. */
const todayShown = () => todayIn(new Date(), 'Europe/Paris').split('-').reverse().join('/');

describe('the backups screen', () => {
  let app: Running;
  let screen: AppScreen;
  let page: Page;
  let manualFile = '';
  let ledgerEntries = 0;
  let oldName = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startRestorableApp();
    await app.call('demo.load', {});
    oldName = (await app.call('organisation.get'))!.name;
    // The daily backup the host takes at start (none yet today): gone, so that the screen has none for today.
    await vi.waitFor(async () => expect((await app.call('backups.list')).some((e) => e.reason === 'daily' && e.manifest)).toBe(true), { timeout: 10_000 });
    rmSync(backupsDir(app.dataDir), { recursive: true, force: true });
    screen = await openScreen(app, { timezoneId: 'Europe/Paris', acceptDownloads: true });
    page = screen.page;
    await page.goto(`${app.url}#/sauvegardes`);
    await settled(page);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  const h1 = () => page.getByRole('heading', { level: 1 });
  const rows = () => page.locator('#backups-table tbody tr');
  const rowOf = (text: string): Locator => rows().filter({ hasText: text });
  const dialog = () => page.getByRole('dialog');
  const focusInDialog = () => page.evaluate(() => document.activeElement?.closest('dialog[open]') !== null);

  it('states the retention rule, and warns that no backup was taken today', async () => {
    await expect.poll(() => h1().textContent()).toBe('Sauvegardes');
    const status = page.getByRole('region', { name: 'État des sauvegardes' });
    expect(await status.textContent()).toContain(
      'Il garde la plus récente de chacun des 7 derniers jours, des 4 dernières semaines et des 12 derniers mois, ainsi que les sauvegardes manuelles',
    );
    expect(await page.getByTestId('backups-last').textContent()).toBe('Aucune sauvegarde n’a encore été prise sur cet ordinateur.');
    expect(await page.getByTestId('backups-none-today').textContent()).toBe('Pas encore de sauvegarde aujourd’hui. Cliquez sur « Sauvegarder maintenant » pour en prendre une.');
    expect(await page.locator('#backups-table').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('« Sauvegarder maintenant » takes a backup: listed with its reason, size, schema and ledger entries; the warning goes', async () => {
    ledgerEntries = (await app.call('ledger.verify', {})).entries;
    expect(ledgerEntries).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Sauvegarder maintenant' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Sauvegarde prise' }).count()).toBe(1);
    await settled(page);
    const listed = await app.call('backups.list');
    expect(listed.map((e) => e.reason)).toEqual(['manual']);
    manualFile = listed[0]!.file;
    expect(manualFile).toMatch(/^sillon-\d{8}-\d{6}-manual\.db$/);
    expect(await page.getByRole('status').filter({ hasText: 'Sauvegarde prise' }).textContent()).toMatch(new RegExp(`^Sauvegarde prise : ${manualFile.replace(/\./g, '\\.')} \\(\\d+(,\\d)? (ko|Mo)\\)\\.$`));

    expect(await rows().count()).toBe(1);
    const cells = await rows().first().locator('th, td').allTextContents();
    expect(cells[0]).toMatch(new RegExp(`^${todayShown()} \\d{2}:\\d{2}$`));
    expect(cells.slice(1, 5)).toEqual([expect.stringMatching(/^Manuelle$/), expect.stringMatching(/^\d+(,\d)? (ko|Mo)$/), String(LATEST_SCHEMA_VERSION), `${ledgerEntries.toLocaleString('fr-FR')} entrées`]);
    expect(cells[5]).toBe('Non vérifiée');
    expect(await page.getByTestId('backups-last').textContent()).toBe(`Dernière sauvegarde : ${cells[0]} (manuelle).`);
    expect(await page.getByTestId('backups-none-today').count()).toBe(0);
    // Touch-sized buttons, named after their row for screen readers.
    for (const name of ['Vérifier', 'Restaurer…', 'Exporter…']) {
      const button = rows().first().getByRole('button', { name: `${name} la sauvegarde manuelle du ${cells[0]}`, exact: true });
      expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }
  });

  it('« Vérifier » shows the verdict beside the row, in green', async () => {
    // Changed after the backup: the restore must bring the old name back.
    const org = (await app.call('organisation.get'))!;
    await app.call('organisation.save', { ...org, name: NEW_NAME });
    await rowOf('Manuelle').getByRole('button', { name: /^Vérifier/ }).click();
    const verdict = rowOf('Manuelle').getByTestId('backup-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(new RegExp(`^✓ Sauvegarde ${manualFile.replace(/\./g, '\\.')} vérifiée : base intègre, registre des preuves intact \\(${ledgerEntries} entrées\\), schéma ${LATEST_SCHEMA_VERSION}\\.`));
    expect(await verdict.getAttribute('class')).toContain('is-ok');
    expect(await verdict.evaluate((e) => getComputedStyle(e).color)).toBe('rgb(29, 107, 58)');
    await page.screenshot({ path: artifactPath('backups-checked.png'), fullPage: true });
    // The row with its verdict fits the window: no sideways scrolling of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('« Restaurer… » checks first, traps the focus, closes on Escape, then restores: the old name is back, the replaced base kept aside', async () => {
    const restoreButton = rowOf('Manuelle').getByRole('button', { name: /^Restaurer…/ });
    await restoreButton.click();
    await dialog().waitFor();
    const date = (await rows().first().locator('th').textContent())!;
    expect(await dialog().getAttribute('aria-labelledby')).toBeTruthy();
    expect(await dialog().getByRole('heading', { level: 2 }).textContent()).toBe(`Restaurer la sauvegarde du ${date}`);
    const verdict = dialog().getByTestId('backup-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain(`Sauvegarde ${manualFile} vérifiée`);
    expect(await dialog().textContent()).toContain('la base actuelle est d’abord mise de côté dans le dossier des sauvegardes (« backups »)');
    const confirm = dialog().getByRole('button', { name: 'Restaurer cette sauvegarde' });
    await expect.poll(() => confirm.isEnabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('backups-restore-dialog.png') });

    // The focus stays in the dialog however far one tabs; Escape closes it and gives the focus back to the button.
    expect(await focusInDialog()).toBe(true);
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await focusInDialog(), key).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
    expect(await restoreButton.evaluate((b) => b === document.activeElement)).toBe(true);
    expect((await app.call('organisation.get'))!.name).toBe(NEW_NAME);

    // Again, by keyboard: Enter on the focused button, then on « Restaurer cette sauvegarde ».
    await page.keyboard.press('Enter');
    await expect.poll(() => confirm.isEnabled()).toBe(true);
    await confirm.focus();
    await page.keyboard.press('Enter');
    const done = dialog().getByRole('status').filter({ hasText: 'Restauration faite' });
    await done.waitFor({ timeout: 30_000 });
    const keptAside = (await dialog().getByTestId('kept-aside').textContent())!;
    expect(keptAside).toMatch(/^before-restore-\d{8}-\d{6}\.db$/);
    expect(await done.textContent()).toContain(`La base remplacée est conservée : backups/${keptAside}.`);
    expect(readdirSync(backupsDir(app.dataDir))).toContain(keptAside);
    // The backend already answers from the restored base.
    expect((await app.call('organisation.get'))!.name).toBe(oldName);
    await page.screenshot({ path: artifactPath('backups-restored.png') });

    // « Recharger Sillon » has the focus: the app reloads on the restored data, the outcome said once more.
    expect(await dialog().getByRole('button', { name: 'Recharger Sillon' }).evaluate((b) => b === document.activeElement)).toBe(true);
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await settled(page);
    await expect.poll(() => h1().textContent()).toBe('Sauvegardes');
    expect(await page.getByRole('status').filter({ hasText: 'Restauration faite.' }).textContent()).toContain(`Sauvegarde ${manualFile} restaurée`);
    // The replaced base is listed, and can be restored in turn.
    expect(await rowOf('Base remplacée par une restauration').count()).toBe(1);
    expect(await rowOf('Base remplacée par une restauration').getByRole('button', { name: /^Restaurer…/ }).count()).toBe(1);

    await page.goto(`${app.url}#/organisme`);
    await settled(page);
    await expect.poll(() => page.getByLabel(/^Raison sociale/).inputValue()).toBe(oldName);
  });

  it('« Exporter… » follows the passphrase rule live, wants it twice, and downloads the encrypted .sillonbak', async () => {
    await page.goto(`${app.url}#/sauvegardes`);
    await settled(page);
    // Keyboard only: the row's button focused, Enter opens the dialog on the passphrase field.
    await rowOf('Manuelle').getByRole('button', { name: /^Exporter…/ }).focus();
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    expect(await dialog().getByRole('heading', { level: 2 }).textContent()).toMatch(/^Exporter la sauvegarde du \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    const passphrase = dialog().getByLabel(/^Phrase de passe/);
    expect(await passphrase.evaluate((e) => e === document.activeElement)).toBe(true);
    const rule = dialog().getByTestId('passphrase-rule');
    expect(await rule.textContent()).toBe('12 caractères au moins : une phrase de plusieurs mots se retient mieux qu’un mot compliqué.');
    await page.keyboard.type('court');
    await expect.poll(() => rule.textContent()).toBe('La phrase de passe doit compter au moins 12 caractères. (5 caractères saisis.)');
    await page.keyboard.type(' mais pas assez');
    // « court mais pas assez »: 20 characters.
    await expect.poll(() => rule.textContent()).toBe('Longueur suffisante (20 caractères).');
    expect(await passphrase.getAttribute('aria-describedby')).toContain(await rule.evaluate((e) => e.parentElement!.id));

    await passphrase.fill(PASSPHRASE);
    await page.keyboard.press('Tab');
    await page.keyboard.type(`${PASSPHRASE}!`);
    const match = dialog().getByTestId('passphrase-match');
    await expect.poll(() => match.textContent()).toBe('Les deux saisies diffèrent : retapez la même phrase de passe.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('backups-export-dialog.png') });
    // Refused in the form: the field says why, and nothing is downloaded.
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.keyboard.press('Enter');
    const confirmField = dialog().getByLabel(/^Confirmez la phrase de passe/);
    await expect.poll(() => confirmField.getAttribute('aria-invalid')).toBe('true');
    expect(downloads).toBe(0);

    await confirmField.fill(PASSPHRASE);
    await expect.poll(() => match.textContent()).toBe('Les deux saisies sont identiques.');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), confirmField.press('Enter')]);
    const name = manualFile.replace(/\.db$/, '.sillonbak');
    expect(download.suggestedFilename()).toBe(name);
    const saved = artifactPath(name);
    await download.saveAs(saved);
    const bytes = readFileSync(saved);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('SILLONBK');
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    await expect.poll(() => dialog().count()).toBe(0);
    expect(await page.getByRole('status').filter({ hasText: 'Sauvegarde chiffrée téléchargée' }).textContent()).toContain(`${name} (`);
    // The very backup, under that passphrase: decrypted, it is the one already in the list.
    expect(await importBackup(saved, PASSPHRASE, app.dataDir)).toMatchObject({ file: manualFile, alreadyThere: true });
    rmSync(saved, { force: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(screen.errors).toEqual([]);
  });
});
